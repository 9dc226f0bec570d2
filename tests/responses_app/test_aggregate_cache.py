"""Stored report answers are never stale: for every path that writes something an aggregate
reads, warm the cache, write, and the next answer has the new numbers at once.

The campaign is test_aggregates.py's hand-checked one (time frozen on 11 January 2021). By
platform, (reported, low, high, figures, forces): instagram (11, 12, 15, 3, 3), facebook
(0, 1, 4, 1, 1), snapchat (6, 6, 6, 2, 2), whatsapp (20, 20, 20, 1, 1), facebook-messenger
(3, 3, 3, 1, 1); total where the platform was recorded (40, 42, 48, 8 figures, 3 forces).
Coverage: answered with figures essex, kent, surrey; refused sussex; not held dorset; overdue
devon-and-cornwall (due 1 December 2020); awaiting jersey (sent 4 January 2021).

Every test runs against the local-memory cache and against Redis (REDIS_TEST_URL), which
several processes share in production.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import uuid
from zoneinfo import ZoneInfo

import pytest
import redis
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core import answer_cache
from requests_app.models import FoiRequest, Force
from requests_app.services import campaign_update, holiday_add, request_record_event
from responses_app import releases, services
from responses_app.importing.shapes import Layout
from responses_app.models import (
    Figure,
    FigureAwaitingVerification,
    FoiResponse,
    OffenceCategory,
    PlatformOwner,
    PlatformOwnership,
)
from tests.conftest import _user, service_missing
from tests.responses_app.conftest import ANSWERED_ON, PERIOD, figures_enter, send
from tests.responses_app.sheets import LONG_HEADER, csv_bytes, long_row

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")
LONDON = ZoneInfo("Europe/London")
HAND_CHECKED = {
    "instagram": (11, 12, 15, 3, 3),
    "facebook": (0, 1, 4, 1, 1),
    "snapchat": (6, 6, 6, 2, 2),
    "whatsapp": (20, 20, 20, 1, 1),
    "facebook-messenger": (3, 3, 3, 1, 1),
}


def _redis_answers(url: str) -> bool:
    try:
        return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
    except redis.RedisError:
        return False


@pytest.fixture(autouse=True, params=["local memory", "redis"])
def cache_backend(request, settings):
    if request.param == "redis":
        if not _redis_answers(REDIS_TEST_URL):
            service_missing(f"no Redis at {REDIS_TEST_URL}")
        settings.CACHES = {
            "default": {
                "BACKEND": "core.redis_cache.RedisCache",
                "LOCATION": REDIS_TEST_URL,
                "KEY_PREFIX": f"answers-test-{uuid.uuid4().hex}",
            }
        }
    from django.core.cache import cache

    cache.clear()
    return request.param


def aggregates(client, **params) -> dict:
    response = client.get("/api/v1/aggregates/", params)
    assert response.status_code == 200, response.content
    return response.json()


def platforms(client, **params) -> dict[str, tuple]:
    answer = aggregates(client, group_by="platform", **params)
    return {
        group["key"]["platform"]: (
            group["reported"],
            group["low"],
            group["high"],
            group["figures"],
            group["forces"],
        )
        for group in answer["groups"]
    }


def labels(client, dimension: str, **params) -> dict[str, str]:
    answer = aggregates(client, group_by=dimension, **params)
    return {g["key"][dimension]: g["label"][dimension] for g in answer["groups"]}


def coverage(client, **params) -> dict:
    return aggregates(client, group_by="force", **params)["coverage"]


def response_of(campaign, slug: str) -> FoiResponse:
    return FoiResponse.objects.get(request__campaign=campaign, request__force__slug=slug)


def figure_of(campaign, force: str, platform: str) -> Figure:
    return Figure.objects.get(
        response__request__campaign=campaign,
        response__request__force__slug=force,
        platform__slug=platform,
    )


def request_of(campaign, slug: str) -> FoiRequest:
    return FoiRequest.objects.get(campaign=campaign, force__slug=slug)


def figure_queries(run) -> list[str]:
    """The statements that read figures or release rows while `run` runs."""
    with CaptureQueriesContext(connection) as captured:
        run()
    return [
        q["sql"]
        for q in captured.captured_queries
        if "responses_app_figure" in q["sql"] or "responses_app_releaserow" in q["sql"]
    ]


@pytest.fixture
def reader(client_for, owner, hand_checked):
    """The owner's client, with the hand-checked answer already kept in the cache."""
    client = client_for(owner)
    assert platforms(client, campaign=hand_checked.pk) == HAND_CHECKED
    return client


# Being kept at all


def test_a_repeated_question_is_answered_from_the_cache_without_reading_figures(
    reader, hand_checked
):
    assert figure_queries(lambda: platforms(reader, campaign=hand_checked.pk)) == []
    assert platforms(reader, campaign=hand_checked.pk) == HAND_CHECKED


def test_a_different_question_is_not_answered_with_the_kept_one(reader, hand_checked):
    assert platforms(reader, campaign=hand_checked.pk, platform="instagram") == {
        "instagram": (11, 12, 15, 3, 3)
    }
    assert platforms(reader, campaign=hand_checked.pk, unit="offences") == {}


# Figures


def test_a_figure_entered_shows_at_once(reader, hand_checked, data_entry):
    figures_enter(response_of(hand_checked, "surrey"), data_entry, [("tiktok", "5")])
    assert platforms(reader, campaign=hand_checked.pk) == {
        **HAND_CHECKED,
        "tiktok": (5, 5, 5, 1, 1),
    }


def test_a_figure_corrected_shows_at_once(reader, hand_checked, owner):
    services.figure_correct(
        figure=figure_of(hand_checked, "kent", "instagram"), raw="12", user=owner, reason="typo"
    )
    assert platforms(reader, campaign=hand_checked.pk)["instagram"] == (13, 14, 17, 3, 3)


def test_a_figure_corrected_through_a_queue_of_the_admin_shows_at_once(reader, hand_checked, owner):
    # The admin's queues are proxy models: their saves are sent as the proxy's.
    queued = FigureAwaitingVerification.objects.get(
        pk=figure_of(hand_checked, "kent", "instagram").pk
    )
    services.figure_correct(figure=queued, raw="2", user=owner, reason="typo")
    assert platforms(reader, campaign=hand_checked.pk)["instagram"] == (3, 4, 7, 3, 3)


def test_a_figure_deleted_in_the_admin_is_gone_at_once(reader, hand_checked, staff):
    admin = Client()
    admin.force_login(staff)
    figure = figure_of(hand_checked, "kent", "instagram")
    deleted = admin.post(f"/admin/responses_app/figure/{figure.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 302
    assert platforms(reader, campaign=hand_checked.pk)["instagram"] == (1, 2, 5, 2, 2)


def test_a_figure_verified_shows_at_once_among_the_verified(reader, hand_checked, owner):
    assert platforms(reader, campaign=hand_checked.pk, verified="true") == {}
    services.figure_verify(figure=figure_of(hand_checked, "kent", "instagram"), user=owner)
    assert platforms(reader, campaign=hand_checked.pk, verified="true") == {
        "instagram": (10, 10, 10, 1, 1)
    }


def test_figures_imported_show_at_once(reader, hand_checked, data_entry):
    start, end = (PERIOD["period_start"].isoformat(), PERIOD["period_end"].isoformat())
    content = csv_bytes(
        [LONG_HEADER, long_row("tiktok", "7", start=start, end=end), long_row("kik", "*")]
    )
    essex = response_of(hand_checked, "essex")
    # The file attached first, as the data-entry page does: the import then writes only figures.
    document = services.document_attach(
        response=essex, name="essex.csv", content=content, user=data_entry
    )
    assert platforms(reader, campaign=hand_checked.pk) == HAND_CHECKED
    result = services.figures_import(
        response=essex,
        content=content,
        name="essex.csv",
        layout=Layout(),
        user=data_entry,
        document=document,
    )
    assert result.created == 2
    assert platforms(reader, campaign=hand_checked.pk) == {
        **HAND_CHECKED,
        "tiktok": (7, 7, 7, 1, 1),
        "kik": (0, 1, 4, 1, 1),
    }


def test_a_response_withdrawn_takes_its_figures_out_at_once(reader, hand_checked, data_entry):
    services.response_withdraw(
        response=response_of(hand_checked, "surrey"), reason="Sent in error", user=data_entry
    )
    answer = platforms(reader, campaign=hand_checked.pk)
    assert (answer["instagram"], answer["snapchat"]) == ((10, 11, 14, 2, 2), (5, 5, 5, 1, 1))
    assert coverage(reader, campaign=hand_checked.pk)["answered_with_figures"]["forces"] == [
        "essex",
        "kent",
    ]


# Responses, request events and statuses


def test_a_response_recorded_moves_its_force_in_the_coverage_at_once(
    reader, hand_checked, data_entry
):
    assert coverage(reader, campaign=hand_checked.pk)["overdue"]["count"] == 1
    services.response_record(
        request=request_of(hand_checked, "devon-and-cornwall"),
        received_on=ANSWERED_ON,
        outcome="not_held",
        user=data_entry,
    )
    answer = coverage(reader, campaign=hand_checked.pk)
    assert answer["overdue"] == {"count": 0, "forces": []}
    assert answer["not_held"] == {"count": 2, "forces": ["devon-and-cornwall", "dorset"]}


def test_a_request_withdrawn_moves_its_force_in_the_coverage_at_once(reader, hand_checked, owner):
    assert coverage(reader, campaign=hand_checked.pk)["withdrawn"]["count"] == 0
    request_record_event(
        request=request_of(hand_checked, "devon-and-cornwall"),
        kind="withdrawn",
        on=dt.date(2021, 1, 11),
        user=owner,
    )
    answer = coverage(reader, campaign=hand_checked.pk)
    assert answer["overdue"] == {"count": 0, "forces": []}
    assert answer["withdrawn"] == {"count": 1, "forces": ["devon-and-cornwall"]}


def test_a_campaign_sent_to_more_forces_counts_them_at_once(reader, hand_checked, owner):
    assert coverage(reader, campaign=hand_checked.pk)["asked"] == 7
    send(hand_checked, owner, ["cheshire", "cumbria"], dt.date(2021, 1, 5))
    answer = coverage(reader, campaign=hand_checked.pk)
    assert answer["asked"] == 9
    assert answer["awaiting"] == {"count": 3, "forces": ["cheshire", "cumbria", "jersey"]}


def test_a_holiday_added_moves_a_running_deadline_at_once(reader, hand_checked):
    jersey = request_of(hand_checked, "jersey")
    due = jersey.current_due_on
    with time_machine.travel(dt.datetime.combine(due + dt.timedelta(days=1), dt.time(9), LONDON)):
        assert coverage(reader, campaign=hand_checked.pk)["overdue"]["forces"] == [
            "devon-and-cornwall",
            "jersey",
        ]
        # A Wednesday inside the request's twenty working days: the deadline moves a day on.
        holiday_add(regime=jersey.force.regime, date=dt.date(2021, 1, 6), name="Storm day")
        assert request_of(hand_checked, "jersey").current_due_on > due
        answer = coverage(reader, campaign=hand_checked.pk)
    assert answer["overdue"]["forces"] == ["devon-and-cornwall"]
    assert answer["awaiting"]["forces"] == ["jersey"]


def test_a_deadline_passing_at_midnight_makes_the_request_overdue(reader, hand_checked):
    due = request_of(hand_checked, "jersey").current_due_on
    with time_machine.travel(dt.datetime.combine(due, dt.time(23, 59), LONDON)):
        before = coverage(reader, campaign=hand_checked.pk)
    with time_machine.travel(
        dt.datetime.combine(due + dt.timedelta(days=1), dt.time(0, 1), LONDON)
    ):
        after = coverage(reader, campaign=hand_checked.pk)
    assert (before["overdue"]["forces"], before["awaiting"]["forces"]) == (
        ["devon-and-cornwall"],
        ["jersey"],
    )
    assert (after["overdue"]["forces"], after["awaiting"]["forces"]) == (
        ["devon-and-cornwall", "jersey"],
        [],
    )


# Who may see what


def test_a_campaign_unpublished_is_not_served_from_the_cache_to_a_consumer(
    client_for, consumer, hand_checked, owner
):
    campaign_update(campaign=hand_checked, user=owner, published=True)
    reader = client_for(consumer)
    assert platforms(reader) == HAND_CHECKED
    assert aggregates(reader, group_by="force")["coverage"]["asked"] == 7
    campaign_update(campaign=hand_checked, user=owner, published=False)
    assert platforms(reader) == {}
    assert aggregates(reader, group_by="force")["coverage"]["asked"] == 0


def test_a_campaign_published_is_shown_to_a_consumer_at_once(client_for, consumer, hand_checked):
    reader = client_for(consumer)
    assert platforms(reader) == {}
    campaign_update(campaign=hand_checked, user=hand_checked.owner, published=True)
    assert platforms(reader) == HAND_CHECKED


def test_a_collaborator_removed_no_longer_sees_the_campaign(
    client_for, colleague, hand_checked, owner
):
    reader = client_for(colleague)
    assert platforms(reader) == HAND_CHECKED
    campaign_update(campaign=hand_checked, user=owner, collaborators=[])
    assert platforms(reader) == {}


def test_staff_see_a_write_to_any_campaign_at_once(client_for, staff, hand_checked, data_entry):
    reader = client_for(staff)
    assert platforms(reader) == HAND_CHECKED
    figures_enter(response_of(hand_checked, "kent"), data_entry, [("tiktok", "2")])
    assert platforms(reader) == {**HAND_CHECKED, "tiktok": (2, 2, 2, 1, 1)}


def test_two_consumers_share_one_kept_answer(client_for, consumer, hand_checked, owner):
    campaign_update(campaign=hand_checked, user=owner, published=True)
    assert platforms(client_for(consumer)) == HAND_CHECKED
    other = client_for(_user("other-consumer", "consumer"))
    assert figure_queries(lambda: platforms(other)) == []


# Reference lists, also edited in the admin


def test_a_force_renamed_is_named_anew_at_once(reader, hand_checked):
    assert labels(reader, "force", campaign=hand_checked.pk)["kent"] == "Kent Police"
    kent = Force.objects.get(slug="kent")
    kent.name = "Kent County Constabulary"
    kent.save()
    assert labels(reader, "force", campaign=hand_checked.pk)["kent"] == "Kent County Constabulary"


def test_an_offence_renamed_is_named_anew_at_once(reader, hand_checked):
    offence = OffenceCategory.objects.get(slug="child-sexual-offences")
    before = labels(reader, "offence", campaign=hand_checked.pk)
    assert before == {"child-sexual-offences": offence.name}
    offence.name = "Sexual offences against children"
    offence.save()
    assert labels(reader, "offence", campaign=hand_checked.pk) == {
        "child-sexual-offences": "Sexual offences against children"
    }


def test_an_owner_renamed_in_the_admin_is_named_anew_at_once(reader, hand_checked, staff):
    owner = PlatformOwner.objects.get(slug="meta")
    assert labels(reader, "owner", campaign=hand_checked.pk)["meta"] == owner.name
    admin = Client()
    admin.force_login(staff)
    saved = admin.post(
        f"/admin/responses_app/platformowner/{owner.pk}/change/",
        {"name": "Meta Platforms", "slug": "meta"},
    )
    assert saved.status_code == 302
    assert labels(reader, "owner", campaign=hand_checked.pk)["meta"] == "Meta Platforms"


def test_an_ownership_period_changed_gives_a_new_answer_version(reader, hand_checked):
    """Figures keep the owner of their period's start (copied when entered), so the numbers stay;
    but the answer is computed again, not read from before the change."""
    etag = reader.get(
        "/api/v1/aggregates/", {"campaign": hand_checked.pk, "group_by": "owner"}
    ).headers["ETag"]
    ownership = PlatformOwnership.objects.filter(platform__slug="instagram").first()
    ownership.valid_from = dt.date(2010, 10, 6)
    ownership.save()
    again = reader.get(
        "/api/v1/aggregates/",
        {"campaign": hand_checked.pk, "group_by": "owner"},
        HTTP_IF_NONE_MATCH=etag,
    )
    assert again.status_code == 200 and again.headers["ETag"] != etag
    assert again.json()["total"]["low"] == 42


# Releases


def test_a_release_answer_is_kept_for_good_and_stays_as_frozen(reader, hand_checked, owner):
    release = releases.release_create(campaign=hand_checked, name="First", user=owner)
    assert platforms(reader, release=release.pk) == HAND_CHECKED
    services.figure_correct(
        figure=figure_of(hand_checked, "kent", "instagram"), raw="12", user=owner, reason="typo"
    )
    assert platforms(reader, campaign=hand_checked.pk)["instagram"] == (13, 14, 17, 3, 3)
    assert figure_queries(lambda: platforms(reader, release=release.pk)) == []
    assert platforms(reader, release=release.pk) == HAND_CHECKED


# Asking "has it changed?"


def test_the_same_etag_is_answered_304_without_reading_figures_and_200_after_a_write(
    reader, hand_checked, owner
):
    params = {"campaign": hand_checked.pk, "group_by": "platform"}
    first = reader.get("/api/v1/aggregates/", params)
    etag = first.headers["ETag"]
    assert first.headers["Last-Modified"]
    assert "private" in first.headers["Cache-Control"]

    def again():
        return reader.get("/api/v1/aggregates/", params, HTTP_IF_NONE_MATCH=etag)

    assert figure_queries(lambda: setattr(again, "answer", again())) == []
    assert again.answer.status_code == 304 and again.answer.content == b""
    services.figure_correct(
        figure=figure_of(hand_checked, "kent", "instagram"), raw="12", user=owner, reason="typo"
    )
    changed = again()
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert {g["key"]["platform"]: g["low"] for g in changed.json()["groups"]}["instagram"] == 14


def test_a_different_caller_scope_never_matches_anothers_etag(
    client_for, owner, outsider, hand_checked
):
    etag = client_for(owner).get("/api/v1/aggregates/", {"group_by": "platform"}).headers["ETag"]
    theirs = client_for(outsider).get(
        "/api/v1/aggregates/", {"group_by": "platform"}, HTTP_IF_NONE_MATCH=etag
    )
    assert theirs.status_code == 200 and theirs.json()["groups"] == []


def test_the_dataset_answers_304_until_a_figure_changes(client_for, owner, hand_checked):
    reader = client_for(owner)
    params = {"campaign": hand_checked.pk}
    first = reader.get("/api/v1/dataset/", params)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    unchanged = reader.get("/api/v1/dataset/", params, HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304
    as_json = reader.get("/api/v1/dataset/", {**params, "format": "json"}, HTTP_IF_NONE_MATCH=etag)
    assert as_json.status_code == 200  # another format is another answer
    services.figure_correct(
        figure=figure_of(hand_checked, "kent", "instagram"), raw="12", user=owner, reason="typo"
    )
    changed = reader.get("/api/v1/dataset/", params, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and b",12," in b"".join(changed.streaming_content)


def test_a_forgotten_version_starts_again_above_any_handed_out(reader, hand_checked):
    from django.core.cache import cache

    version, _ = answer_cache.data_version()
    cache.delete(answer_cache.VERSION_KEY)
    # Each bump is a round trip of far more than a nanosecond: the clock stays ahead of them.
    with time_machine.travel(dt.datetime(2021, 1, 11, 12, 0, 0, 1000, LONDON)):
        again, _ = answer_cache.data_version()
    assert again > version


def test_the_kept_answer_is_sent_as_the_json_it_was_kept_as_and_shown_in_the_browsable_api(
    reader, hand_checked
):
    params = {"campaign": hand_checked.pk, "group_by": "platform"}
    as_json = reader.get("/api/v1/aggregates/", params)
    assert as_json.headers["Content-Type"] == "application/json"
    browsed = reader.get("/api/v1/aggregates/", params, HTTP_ACCEPT="text/html")
    assert browsed.status_code == 200 and browsed.headers["Content-Type"].startswith("text/html")
    assert b"facebook-messenger" in browsed.content


def test_a_date_alone_never_gets_a_304_since_the_answer_depends_on_who_asks(reader, hand_checked):
    params = {"campaign": hand_checked.pk, "group_by": "platform"}
    last_modified = reader.get("/api/v1/aggregates/", params).headers["Last-Modified"]
    again = reader.get("/api/v1/aggregates/", params, HTTP_IF_MODIFIED_SINCE=last_modified)
    assert again.status_code == 200


# What a kept answer still costs


def test_a_kept_answer_of_one_campaign_reads_the_campaign_row_alone(reader, hand_checked):
    """May they see this campaign: its bare row (no owner joined, no Guernsey subquery), and
    nothing of figures or requests. Their role names are read once for the user, here by the
    first call (the test client hands the views the same user each time)."""
    with CaptureQueriesContext(connection) as captured:
        platforms(reader, campaign=hand_checked.pk)
    read = [re.findall(r'(?:FROM|JOIN) "(\w+)"', q["sql"]) for q in captured.captured_queries]
    assert read == [["requests_app_campaign", "requests_app_campaign_collaborators"]]


def test_a_kept_answer_is_read_with_its_version_in_one_round_trip(
    reader, hand_checked, cache_backend, monkeypatch
):
    """The version, when it changed, and the answer: one MGET (the throttles count in
    pipelines of their own, tests/core/test_throttles.py)."""
    if cache_backend != "redis":
        pytest.skip("round trips to Redis")
    sent = []
    execute = redis.Redis.execute_command

    def counted(client, *args, **kwargs):
        sent.append(args[0])
        return execute(client, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "execute_command", counted)
    assert platforms(reader, campaign=hand_checked.pk) == HAND_CHECKED
    assert sent == ["MGET"]
