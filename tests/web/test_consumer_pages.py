"""A consumer's pages: what was published (figures, releases), never the working records, as in
the API (requests_app/roles.py `reads_records`; docs/api.md "Who reads what").

The owner's campaign goes to Kent and Surrey on 18 January 2021; Kent answers on 12 February
with one figure, so the campaign has 2 forces asked and 1 with figures."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from responses_app import services
from responses_app.models import OffenceCategory, Platform
from responses_app.releases import release_create
from tests.factories import CampaignFactory

REFUSAL = (
    "Your role reads what is published: this campaign's figures and releases, not its "
    "working records (requests, their events and notes, the forces' documents)."
)


@pytest.fixture
def answered(campaign, send_to, data_entry):
    sent = send_to("kent", "surrey")
    response = services.response_record(
        request=sent["kent"], received_on=dt.date(2021, 2, 12), outcome="granted", user=data_entry
    )
    services.figure_enter(
        response=response,
        period_start=campaign.period_start,
        period_end=campaign.period_end,
        offence=OffenceCategory.objects.get(slug="child-sexual-offences"),
        platform=Platform.objects.get(slug="instagram"),
        unit="instances",
        raw="12",
        user=data_entry,
    )
    campaign.published = True
    campaign.save()
    return {"kent": sent["kent"], "response": response}


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _rows(html: str) -> list[str]:
    return [_text(row) for row in re.findall(r"<tr>(.*?)</tr>", html, re.S)]


def test_a_consumers_home_lists_published_campaigns_with_figures_and_releases(
    answered, campaign, owner, browser_for, consumer
):
    CampaignFactory(owner=owner, title="Still private")
    release_create(campaign=campaign, name="First", user=owner)
    release_create(campaign=campaign, name="Second", user=owner)
    html = browser_for(consumer).get("/").content.decode()
    assert _rows(html)[1:] == [
        f"{campaign.title} Oct 2019 \u2013 Sep 2020 2 1 Figures of {campaign.title} \u00b7 "
        f"How forces answered to {campaign.title} Release 2 of {campaign.title} , "
        f"Release 1 of {campaign.title}"
    ]
    assert f'href="/campaigns/{campaign.pk}/figures/"' in html
    assert f'href="/campaigns/{campaign.pk}/compliance/"' in html
    assert f'href="/campaigns/{campaign.pk}/releases/2/"' in html
    assert f'href="/campaigns/{campaign.pk}/"' not in html
    assert "Still private" not in html


def test_the_consumers_home_costs_the_same_queries_however_many_campaigns(
    answered, campaign, owner, browser_for, consumer
):
    client = browser_for(consumer)
    release_create(campaign=campaign, name="First", user=owner)
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for n in range(3):
        more = CampaignFactory(owner=owner, published=True, title=f"More {n}")
        release_create(campaign=more, name="First", user=owner)
    with CaptureQueriesContext(connection) as many:
        html = client.get("/").content.decode()
    assert len(re.findall(r"Release 1<span[^>]*> of ", html)) == 4
    assert len(many) == len(few)


@pytest.mark.parametrize("page", ["board", "request", "response"])
def test_the_working_records_of_a_published_campaign_are_refused_with_the_figures_link(
    answered, campaign, browser_for, consumer, page
):
    path = {
        "board": f"/campaigns/{campaign.pk}/",
        "request": f"/requests/{answered['kent'].pk}/",
        "response": f"/responses/{answered['response'].pk}/",
    }[page]
    answer = browser_for(consumer).get(path)
    assert answer.status_code == 403
    html = answer.content.decode()
    assert REFUSAL in html.replace("&#x27;", "'")
    assert f'<a class="button" href="/campaigns/{campaign.pk}/figures/">' in html
    assert "kent.csv" not in html and "data_entry" not in html


def test_researchers_of_other_teams_still_read_a_published_campaigns_records(
    answered, campaign, browser_for, outsider
):
    client = browser_for(outsider)
    assert client.get(f"/campaigns/{campaign.pk}/").status_code == 200
    assert client.get(f"/requests/{answered['kent'].pk}/").status_code == 200
    assert client.get(f"/responses/{answered['response'].pk}/").status_code == 200


def test_the_figures_page_shows_a_consumer_no_link_to_the_board(
    answered, campaign, browser_for, consumer, owner
):
    figures = f"/campaigns/{campaign.pk}/figures/"
    board = f'href="/campaigns/{campaign.pk}/"'
    assert board not in browser_for(consumer).get(figures).content.decode()
    assert board in browser_for(owner).get(figures).content.decode()
