"""The tidy export and the frozen releases, over the hand-checked campaign of conftest.py."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.cache import cache
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle

from responses_app import releases, services
from responses_app.dataset import COLUMNS
from responses_app.models import DatasetRelease, Figure


def read_csv(response) -> list[dict]:
    assert response.status_code == 200
    assert response.streaming
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


def test_the_csv_has_one_row_per_figure_with_its_context(client_for, owner, hand_checked):
    response = client_for(owner).get("/api/v1/dataset/", {"campaign": hand_checked.pk})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="campaign-{hand_checked.pk}.csv"'
    )
    rows = read_csv(response)
    # Kent 5 (with its stated total), Essex 4, Surrey 2; refusals and silence have no figures.
    assert len(rows) == 11
    assert list(rows[0]) == COLUMNS
    essex_instagram = next(
        row for row in rows if row["force_slug"] == "essex" and row["platform_slug"] == "instagram"
    )
    assert {
        key: essex_instagram[key]
        for key in [
            "raw",
            "status",
            "low",
            "high",
            "owner_slug",
            "request_status",
            "response_outcome",
            "unit",
            "platform_scope",
            "verified",
            "country",
        ]
    } == {
        "raw": "<5",
        "status": "suppressed",
        "low": "1",
        "high": "4",
        "owner_slug": "meta",
        "request_status": "responded",
        "response_outcome": "granted",
        "unit": "instances",
        "platform_scope": "named",
        "verified": "False",
        "country": "England",
    }


def test_cells_that_a_spreadsheet_would_run_are_neutralised(client_for, owner, hand_checked):
    hand_checked.title = '=HYPERLINK("http://evil.example")'
    hand_checked.save()
    Figure.objects.filter(raw="20").update(note="@SUM(A1:A9) and -1 more")
    rows = read_csv(client_for(owner).get("/api/v1/dataset/", {"campaign": hand_checked.pk}))
    assert {row["campaign_title"] for row in rows} == {'\'=HYPERLINK("http://evil.example")'}
    assert [row["note"] for row in rows if row["raw"] == "20"] == ["'@SUM(A1:A9) and -1 more"]


def test_the_json_export_streams_the_same_rows(client_for, owner, hand_checked):
    response = client_for(owner).get(
        "/api/v1/dataset/", {"campaign": hand_checked.pk, "format": "json"}
    )
    assert response.status_code == 200 and response.streaming
    rows = json.loads(b"".join(response.streaming_content))
    assert len(rows) == 11
    assert sorted({row["force_slug"] for row in rows}) == ["essex", "kent", "surrey"]
    assert sum(row["low"] for row in rows if row["platform_scope"] == "named") == 42


def test_the_export_reads_in_a_constant_number_of_queries(
    client_for, owner, hand_checked, django_assert_max_num_queries
):
    client = client_for(owner)
    with django_assert_max_num_queries(5):
        read_csv(client.get("/api/v1/dataset/", {"campaign": hand_checked.pk}))


def test_a_release_freezes_the_dataset_against_later_corrections(
    client_for, owner, staff, hand_checked
):
    client = client_for(owner)
    made = client.post(
        "/api/v1/releases/", {"campaign": hand_checked.pk, "name": "Press release, March 2021"}
    )
    assert made.status_code == 201, made.json()
    release = made.json()
    assert (release["number"], release["row_count"]) == (1, 11)
    assert release["coverage"]["answered_with_figures"]["count"] == 3
    kent_instagram = Figure.objects.get(
        response__request__force__slug="kent", platform__slug="instagram"
    )
    services.figure_correct(figure=kent_instagram, raw="100", user=staff)

    live = client.get(
        "/api/v1/aggregates/", {"campaign": hand_checked.pk, "group_by": "platform"}
    ).json()
    frozen = client.get(
        "/api/v1/aggregates/", {"release": release["id"], "group_by": "platform"}
    ).json()
    assert live["total"]["reported"] == 40 - 10 + 100
    assert frozen["total"] == {
        "reported": 40,
        "low": 42,
        "high": 48,
        "midpoint": 45,
        "figures": 8,
        "forces": 3,
    }
    assert frozen["release"] == release["id"]
    assert frozen["coverage"]["refused"]["exemptions"] == {"s12": 1}

    rows = read_csv(client.get(release["dataset_url"]))
    assert [
        row["raw"]
        for row in rows
        if row["force_slug"] == "kent" and row["platform_slug"] == "instagram"
    ] == ["10"]
    second = client.post("/api/v1/releases/", {"campaign": hand_checked.pk, "name": "Corrected"})
    assert second.json()["number"] == 2
    assert DatasetRelease.objects.count() == 2


def test_releases_are_made_by_the_team_and_read_by_whoever_sees_the_campaign(
    client_for, outsider, consumer, data_entry, hand_checked
):
    payload = {"campaign": hand_checked.pk, "name": "Nope"}
    refused = client_for(outsider).post("/api/v1/releases/", payload)
    assert refused.status_code == 400
    assert refused.json()["errors"][0] == {
        "field": "campaign",
        "message": f"No campaign {hand_checked.pk} that you can release.",
    }
    assert client_for(consumer).post("/api/v1/releases/", payload).status_code == 403
    assert client_for(data_entry).post("/api/v1/releases/", payload).status_code == 403
    assert DatasetRelease.objects.count() == 0


def test_consumers_read_published_campaigns_only(client_for, consumer, owner, hand_checked):
    params = {"campaign": hand_checked.pk, "group_by": "owner"}
    hidden = client_for(consumer).get("/api/v1/aggregates/", params)
    assert hidden.status_code == 400
    hand_checked.published = True
    hand_checked.save()
    answer = client_for(consumer).get("/api/v1/aggregates/", params).json()
    assert answer["total"]["reported"] == 40
    rows = read_csv(client_for(consumer).get("/api/v1/dataset/", {"campaign": hand_checked.pk}))
    assert len(rows) == 11


def test_anonymous_callers_get_401_unless_a_setting_makes_a_report_public(
    client, hand_checked, settings
):
    params = {"campaign": hand_checked.pk, "group_by": "platform"}
    assert client.get("/api/v1/aggregates/", params).status_code == 401
    settings.FOI_PUBLIC_ENDPOINTS = ["aggregates"]
    # Public, but the campaign is not published: it is unknown to an anonymous caller.
    assert client.get("/api/v1/aggregates/", params).status_code == 400
    hand_checked.published = True
    hand_checked.save()
    assert client.get("/api/v1/aggregates/", params).json()["total"]["reported"] == 40
    assert client.get("/api/v1/dataset/", {"campaign": hand_checked.pk}).status_code == 401


@pytest.fixture
def tight_heavy_budget(monkeypatch):
    from django.core.cache import cache

    cache.clear()
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"heavy": "2/minute", "user": None})
    yield
    cache.clear()


def test_heavy_reports_are_throttled_per_caller_with_retry_after(
    client_for, owner, colleague, hand_checked, tight_heavy_budget
):
    params = {"campaign": hand_checked.pk, "group_by": "platform"}
    client = client_for(owner)
    assert [client.get("/api/v1/aggregates/", params).status_code for _ in range(2)] == [200, 200]
    throttled = client.get("/api/v1/dataset/", {"campaign": hand_checked.pk})
    assert throttled.status_code == 429
    assert 0 < int(throttled["Retry-After"]) <= 60
    assert throttled.json()["detail"].startswith("Request was throttled.")
    # The budget is per caller: a colleague still has theirs.
    assert client_for(colleague).get("/api/v1/aggregates/", params).status_code == 200


def test_a_bad_filter_on_the_csv_export_answers_in_the_json_error_shape(client_for, owner, db):
    response = client_for(owner).get("/api/v1/dataset/", {"platform": "myspace"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["errors"][0]["field"] == "platform"
    assert response.json()["errors"][0]["message"].startswith("Unknown: myspace. Allowed: ")


def test_anyone_reads_a_published_campaigns_releases_and_nothing_unpublished(
    client, owner, hand_checked
):
    release = releases.release_create(campaign=hand_checked, name="Press release", user=owner)
    assert client.get("/api/v1/releases/").json()["results"] == []
    assert client.get(f"/api/v1/releases/{release.pk}/").status_code == 404
    assert client.get(f"/api/v1/releases/{release.pk}/dataset/").status_code == 404
    assert client.post("/api/v1/releases/", {"campaign": hand_checked.pk}).status_code == 401
    hand_checked.published = True
    hand_checked.save()
    [listed] = client.get("/api/v1/releases/").json()["results"]
    assert {key: listed[key] for key in ("id", "number", "published", "synthetic", "sha256")} == {
        "id": release.pk,
        "number": 1,
        "published": True,
        "synthetic": False,
        "sha256": release.sha256,
    }
    assert listed["page_url"] == f"/campaigns/{hand_checked.pk}/releases/1/"
    rows = read_csv(client.get(listed["dataset_url"]))
    assert len(rows) == 11 and {row["synthetic"] for row in rows} == {"False"}
    # The live reports stay signed-in only unless the setting names them.
    assert client.get("/api/v1/dataset/", {"campaign": hand_checked.pk}).status_code == 401


def test_anonymous_readers_have_a_budget_of_their_own(client, client_for, owner, monkeypatch):
    cache.clear()
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    answers = [client.get("/api/v1/releases/") for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert 0 < int(answers[-1]["Retry-After"]) <= 60
    # A signed-in caller is held to the budget of signed-in callers, not to this one.
    assert client_for(owner).get("/api/v1/releases/").status_code == 200
    cache.clear()
