"""Creating, editing and repeating a campaign from the browser, with errors beside the fields
and nothing written on a refusal; the home page's progress from one grouped query.

Time stands at 1 March 2021 (tests/web/conftest.py)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from requests_app.models import Campaign, CampaignPeriod, Force
from requests_app.services import campaign_send
from responses_app.models import CampaignCategories, OffenceCategory, Platform
from tests.factories import CampaignFactory, UserFactory

D = dt.date


def _form(**fields) -> dict:
    """A filled campaign form: two half-years, the demo's question, two platforms."""
    data = {
        "title": "Grooming by platform",
        "question": "How many offences of sexual communication with a child, by platform?",
        "periods-TOTAL_FORMS": "3",
        "periods-INITIAL_FORMS": "0",
        "periods-0-start": "2020-04-01",
        "periods-0-end": "2020-09-30",
        "periods-1-start": "2019-10-01",
        "periods-1-end": "2020-03-31",
        "periods-2-start": "",
        "periods-2-end": "",
        "collaborators": "",
    }
    return {**data, **fields}


def _error(html: str, field_id: str) -> str:
    match = re.search(rf'id="{field_id}-error" role="alert">(.*?)</', html, re.S)
    return match.group(1) if match else ""


def test_a_researcher_creates_a_campaign_with_two_periods_its_team_and_categories(
    db, browser_for, owner
):
    ana = UserFactory(username="ana", email="ana@example.org")
    ben = UserFactory(username="ben", email="ben@example.org")
    offence = OffenceCategory.objects.get(slug="child-sexual-offences")
    instagram, whatsapp = (
        Platform.objects.get(slug="instagram"),
        Platform.objects.get(slug="whatsapp"),
    )
    data = _form(
        collaborators="ana, BEN@example.org",
        offences=[offence.pk],
        platforms=[instagram.pk, whatsapp.pk],
        published="on",
    )
    response = browser_for(owner).post("/campaigns/new/", data)
    campaign = Campaign.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/campaigns/{campaign.pk}/forces/"
    )
    assert (campaign.owner, campaign.published) == (owner, True)
    assert (campaign.period_start, campaign.period_end) == (D(2019, 10, 1), D(2020, 9, 30))
    assert list(campaign.periods.values_list("start", "end")) == [
        (D(2019, 10, 1), D(2020, 3, 31)),
        (D(2020, 4, 1), D(2020, 9, 30)),
    ]
    assert set(campaign.collaborators.all()) == {ana, ben}
    categories = CampaignCategories.objects.get(campaign=campaign)
    assert list(categories.offences.all()) == [offence]
    assert set(categories.platforms.all()) == {instagram, whatsapp}


@pytest.mark.parametrize(
    ("change", "field_id", "message"),
    [
        ({"title": ""}, "id_title", "This field is required."),
        (
            {"collaborators": "ana, nobody@example.org"},
            "id_collaborators",
            "No user has the username or email: nobody@example.org.",
        ),
        (
            {
                "periods-0-start": "",
                "periods-0-end": "",
                "periods-1-start": "",
                "periods-1-end": "",
            },
            "periods",
            "Give at least one period the question asks about.",
        ),
        (
            {"periods-0-start": "2020-03-01"},
            "periods",
            "The periods overlap: one ends 31 Mar 2020, the next starts 1 Mar 2020.",
        ),
        (
            {"periods-1-end": ""},
            "id_periods-1-end",
            "Give both days of the period, or neither to leave it out.",
        ),
        ({"periods-0-end": "2020-02-30"}, "id_periods-0-end", "Enter a valid date."),
    ],
)
def test_a_bad_campaign_form_names_the_field_and_writes_nothing(
    db, browser_for, owner, change, field_id, message
):
    UserFactory(username="ana")
    response = browser_for(owner).post("/campaigns/new/", _form(**change))
    assert response.status_code == 400
    assert message in _error(response.content.decode(), field_id)
    assert (Campaign.objects.count(), CampaignPeriod.objects.count()) == (0, 0)


def test_editing_keeps_a_history_of_who_changed_what(db, browser_for, owner, colleague, campaign):
    data = _form(title="Renamed", question=campaign.question, collaborators="colleague")
    assert browser_for(colleague).post(f"/campaigns/{campaign.pk}/edit/", data).status_code == 302
    campaign.refresh_from_db()
    assert campaign.title == "Renamed" and campaign.period_start == D(2019, 10, 1)
    html = browser_for(owner).get(f"/campaigns/{campaign.pk}/edit/").content.decode()
    rows = re.findall(
        r'<td data-label="Who">(.*?)</td><td data-label="What changed">(.*?)</td>', html
    )
    assert rows[0] == ("colleague", "Title")
    assert 'value="Renamed"' in html and 'value="2020-04-01"' in html


def test_the_edit_form_shows_the_campaigns_periods_and_team(db, browser_for, owner, campaign):
    html = browser_for(owner).get(f"/campaigns/{campaign.pk}/edit/").content.decode()
    assert 'name="periods-0-start" value="2019-10-01"' in html
    assert 'name="collaborators" value="colleague"' in html


def test_a_new_wave_suggests_the_next_periods_and_links_back(db, browser_for, owner):
    """The demo's two half-years (Oct 2019 - Mar 2020, Apr - Sep 2020) span twelve whole months,
    so the next wave is suggested as Oct 2020 - Mar 2021 and Apr - Sep 2021."""
    first = CampaignFactory(owner=owner, title="Grooming")
    first.periods.all().delete()
    CampaignPeriod.objects.bulk_create(
        [
            CampaignPeriod(campaign=first, start=D(2019, 10, 1), end=D(2020, 3, 31)),
            CampaignPeriod(campaign=first, start=D(2020, 4, 1), end=D(2020, 9, 30)),
        ]
    )
    client = browser_for(owner)
    html = client.get(f"/campaigns/{first.pk}/repeat/").content.decode()
    assert re.findall(r'name="periods-\d-(?:start|end)" value="([\d-]+)"', html) == [
        "2020-10-01",
        "2021-03-31",
        "2021-04-01",
        "2021-09-30",
    ]
    assert 'value="Grooming (wave 2)"' in html
    data = {
        "title": "Grooming (wave 2)",
        "periods-TOTAL_FORMS": "1",
        "periods-INITIAL_FORMS": "0",
        "periods-0-start": "2020-10-01",
        "periods-0-end": "2021-03-31",
    }
    response = client.post(f"/campaigns/{first.pk}/repeat/", data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    wave = Campaign.objects.get(previous_wave=first)
    assert response["Location"] == f"/campaigns/{wave.pk}/forces/"
    board = client.get(f"/campaigns/{wave.pk}/").content.decode()
    assert f'<a href="/campaigns/{first.pk}/">Wave 1 (Oct 2019 \u2013 Sep 2020)</a>' in board
    assert f"/api/v1/aggregates/?series={wave.pk}&amp;group_by=campaign,owner" in board


def test_a_new_wave_for_the_same_period_is_refused_by_name(db, browser_for, owner, campaign):
    data = {
        "title": "Again",
        "periods-TOTAL_FORMS": "1",
        "periods-INITIAL_FORMS": "0",
        "periods-0-start": "2019-10-01",
        "periods-0-end": "2020-09-30",
    }
    response = browser_for(owner).post(f"/campaigns/{campaign.pk}/repeat/", data)
    assert response.status_code == 400
    assert "A new wave asks about a later period" in response.content.decode()
    assert Campaign.objects.count() == 1


def test_the_home_page_offers_new_campaign_to_researchers_only(db, browser_for, owner, consumer):
    assert "New campaign" in browser_for(owner).get("/").content.decode()
    assert "New campaign" not in browser_for(consumer).get("/").content.decode()


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_home_pages_query_count_does_not_grow_with_the_campaigns(db, browser_for, owner):
    client = browser_for(owner)
    CampaignFactory(owner=owner)
    few = _queries(client, "/")
    for _ in range(5):
        more = CampaignFactory(owner=owner)
        campaign_send(
            campaign=more, forces=list(Force.objects.all()[:3]), sent_on=D(2021, 2, 1), user=owner
        )
    assert _queries(client, "/") == few
    # session, user, the user's roles, the campaigns with their progress, the unmatched mail
    assert few == 5
