"""A release's public page and its files: the numbers of tests/responses_app/conftest.py's
SUPPRESSED_ELSEWHERE campaign (worked out in test_aggregates.py: Meta 53.6% to 58.3%, midpoint
55.8%), frozen as release 1 on 1 March 2021 at noon (this folder's frozen time)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re

import frictionless
import pytest
from django.core.exceptions import ValidationError

from responses_app import services
from responses_app.dataset import COLUMNS
from responses_app.models import Figure
from responses_app.releases import release_create
from tests.responses_app.conftest import SUPPRESSED_ELSEWHERE, figures_enter

ANSWERED_ON = dt.date(2021, 2, 1)


@pytest.fixture
def answered(campaign, send_to, data_entry):
    requests = send_to(*SUPPRESSED_ELSEWHERE)
    for force, cells in SUPPRESSED_ELSEWHERE.items():
        response = services.response_record(
            request=requests[force], received_on=ANSWERED_ON, outcome="granted", user=data_entry
        )
        figures_enter(response, data_entry, cells)
    return campaign


@pytest.fixture
def published(answered, owner, settings):
    settings.SITE_URL = "https://foi.example.org"
    settings.FOI_PUBLISHER = "Online Safety Research Trust"
    answered.published = True
    answered.save()
    return release_create(campaign=answered, name="Press release, March 2021", user=owner)


def page_of(release) -> str:
    return f"/campaigns/{release.campaign_id}/releases/{release.number}/"


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _body(response) -> bytes:
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_a_published_release_has_a_page_anyone_can_read(published, client):
    html = client.get(page_of(published)).content.decode()
    text = _text(html)
    assert f"<h1>{published.campaign.title}</h1>" in html
    assert "Press release, March 2021" in text
    assert "Data release 1 · made 1 March 2021" in text
    assert "Period asked about 1 October 2019 to 30 September 2020" in text
    assert published.campaign.question in text
    assert re.search(r'class="headline-share">Between 53.6% and 58.3%<', html)
    assert "(midpoint estimate 55.8%" in text
    assert "Coverage of the 2 forces asked" in text
    assert "Answered with figures 2 Essex Police, Kent Police" in text
    assert "Instances by force" in text and "Kent Police between 84 and 90" in text
    assert "not of all instances: between 103 and 112 (100 counted exactly), in 8 figures" in text
    assert "This is the campaign's first release." in text
    assert "Not published." not in text


def test_its_citation_names_the_publisher_the_release_its_address_and_its_files_checksum(
    published, client
):
    text = _text(client.get(page_of(published)).content.decode())
    data = _body(client.get(page_of(published) + "data.csv"))
    checksum = hashlib.sha256(data).hexdigest()
    assert published.sha256 == checksum
    assert (
        f"Online Safety Research Trust (2021). {published.campaign.title}: Press release, March "
        f"2021 (release 1, 1 March 2021) [Data set]. https://foi.example.org/campaigns/"
        f"{published.campaign_id}/releases/1/. SHA-256 of data.csv: {checksum}."
    ) in text
    # The file is the same bytes every time it is served.
    assert _body(client.get(page_of(published) + "data.csv")) == data


def test_its_csv_and_json_hold_every_figure_with_the_synthetic_flag(published, client):
    rows = list(
        csv.DictReader(io.StringIO(_body(client.get(page_of(published) + "data.csv")).decode()))
    )
    assert len(rows) == 8 and list(rows[0]) == COLUMNS
    assert {row["synthetic"] for row in rows} == {"False"}
    assert {row["entered_at"] for row in rows} == {"2021-03-01T12:00:00+00:00"}
    records = json.loads(_body(client.get(page_of(published) + "data.json")))
    assert sorted(row["figure_id"] for row in records) == sorted(int(r["figure_id"]) for r in rows)
    assert {row["synthetic"] for row in records} == {False}


def test_its_data_package_describes_every_column_and_validates(published, client, tmp_path):
    descriptor = json.loads(client.get(page_of(published) + "datapackage.json").content)
    [resource] = descriptor["resources"]
    assert resource["path"] == "data.csv" and resource["hash"] == f"sha256:{published.sha256}"
    fields = resource["schema"]["fields"]
    assert [field["name"] for field in fields] == COLUMNS
    assert all(field["description"] for field in fields)
    assert descriptor["homepage"] == f"https://foi.example.org{page_of(published)}"
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    (tmp_path / "data.csv").write_bytes(_body(client.get(page_of(published) + "data.csv")))
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_an_unpublished_release_is_a_404_to_anyone_outside_the_campaign(
    answered, owner, outsider, consumer, browser_for
):
    release = release_create(campaign=answered, name="Draft", user=owner)
    for who in (None, outsider, consumer):
        client = browser_for(who)
        for suffix in ("", "data.csv", "data.json", "datapackage.json"):
            assert client.get(page_of(release) + suffix).status_code == 404, (who, suffix)
    preview = browser_for(owner).get(page_of(release))
    assert preview.status_code == 200
    assert "Not published." in _text(preview.content.decode())
    assert browser_for(None).get(f"/campaigns/{answered.pk}/releases/2/").status_code == 404


def test_the_next_release_lists_the_corrected_figure_from_what_to_what_and_why(
    published, send_to, owner, staff, data_entry, client
):
    """Between the releases Kent corrects its Instagram count from 40 to 44 and Surrey answers
    with two figures: release 2 lists one correction, two figures added, none removed."""
    kent_instagram = Figure.objects.get(
        response__request__force__slug="kent", platform__slug="instagram"
    )
    services.figure_correct(
        figure=kent_instagram,
        raw="44",
        user=staff,
        reason="Kent re-ran its search and wrote on 2 March 2021",
    )
    surrey = services.response_record(
        request=send_to("surrey")["surrey"],
        received_on=dt.date(2021, 2, 26),
        outcome="granted",
        user=data_entry,
    )
    figures_enter(surrey, data_entry, [("instagram", "3"), ("snapchat", "*")])
    second = release_create(campaign=published.campaign, name="Corrected", user=owner)
    assert second.changes == {
        "previous": 1,
        "corrected_count": 1,
        "corrected": [
            {
                "figure_id": kent_instagram.pk,
                "where": "Kent Police, Instagram, Sexual offences against children under 18 "
                "(all codes asked about), 2019-10-01 to 2020-09-30 (instances)",
                "from": "40",
                "to": "44",
                "reason": "Kent re-ran its search and wrote on 2 March 2021",
            }
        ],
        "added": {"count": 2, "forces": {"Surrey Police": 2}},
        "removed": {"count": 0, "forces": {}},
    }
    text = _text(client.get(page_of(second)).content.decode())
    assert "Compared with release 1 : 1 figure corrected, 2 added, 0 removed." in text
    assert (
        "Kent Police, Instagram, Sexual offences against children under 18 (all codes asked "
        "about), 2019-10-01 to 2020-09-30 (instances) 40 44 Kent re-ran its search and wrote on "
        "2 March 2021"
    ) in text
    assert "Added: Surrey Police (2)." in text
    # The first release still holds the figure as it was.
    first = _body(client.get(page_of(published) + "data.csv")).decode()
    assert hashlib.sha256(first.encode()).hexdigest() == published.sha256


def test_a_reason_too_long_for_the_history_is_refused_and_nothing_changes(published, staff):
    figure = Figure.objects.get(response__request__force__slug="kent", platform__slug="instagram")
    with pytest.raises(ValidationError) as refused:
        services.figure_correct(figure=figure, raw="44", user=staff, reason="x" * 101)
    assert refused.value.message_dict == {
        "reason": ["Give the reason in at most 100 characters (101)."]
    }
    figure.refresh_from_db()
    assert (figure.raw, figure.history.count()) == ("40", 1)


def test_the_page_reads_in_a_fixed_number_of_queries(
    published, send_to, data_entry, owner, client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(QUERIES):
        client.get(page_of(published))
    more = services.response_record(
        request=send_to("surrey")["surrey"],
        received_on=dt.date(2021, 2, 26),
        outcome="granted",
        user=data_entry,
    )
    figures_enter(more, data_entry, [("instagram", "3"), ("tiktok", "9"), ("kik", "*")])
    bigger = release_create(campaign=published.campaign, name="Bigger", user=owner)
    with django_assert_max_num_queries(QUERIES):
        assert client.get(page_of(bigger)).status_code == 200


# The release (with its campaign), the three grouped queries, the forces' names, and the
# previous release for the link.
QUERIES = 7


def test_the_campaigns_figures_page_links_its_releases(published, browser_for, owner):
    html = browser_for(owner).get(f"/campaigns/{published.campaign_id}/figures/").content.decode()
    link = f'<a href="/campaigns/{published.campaign_id}/releases/1/">'
    assert f"{link}Release 1: Press release, March 2021</a>, made 1 March 2021" in html
