"""Waves compared through the aggregates, a re-asked force counted once in coverage, and each
campaign's progress in one grouped query.

Time stands at 11 January 2021 (tests/responses_app/conftest.py). Wave 1 asks about Oct 2019 -
Sep 2020 and wave 2 about Oct 2020 - Mar 2021; Kent answers wave 1 with Instagram 12 and WhatsApp
3, and wave 2 with Instagram 20 (so Instagram is 12/15 = 0.8 of wave 1 and 20/20 = 1 of wave 2).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from requests_app import roles
from requests_app.models import Force
from requests_app.selectors import campaigns_visible_to
from requests_app.services import campaign_repeat, campaign_send, request_reask
from responses_app.coverage import coverage
from responses_app.selectors import campaigns_with_progress
from responses_app.services import figure_enter, response_record
from tests.factories import CampaignFactory
from tests.responses_app.conftest import H1, platform

WAVE_2 = (dt.date(2020, 10, 1), dt.date(2021, 3, 31))


def _answer(request, user, cells: dict[str, str], period, offence, *, on=dt.date(2020, 12, 1)):
    response = response_record(request=request, received_on=on, outcome="granted", user=user)
    for slug, raw in cells.items():
        figure_enter(
            response=response,
            period_start=period[0],
            period_end=period[1],
            offence=offence,
            platform=platform(slug),
            unit="instances",
            raw=raw,
            user=user,
        )
    return response


def _send(campaign, owner, *slugs, on=dt.date(2020, 11, 2)):
    forces = list(Force.objects.filter(slug__in=slugs))
    return {
        r.force.slug: r
        for r in campaign_send(campaign=campaign, forces=forces, sent_on=on, user=owner)
    }


@pytest.fixture
def two_waves(campaign, owner, data_entry, offence):
    wave_2 = campaign_repeat(campaign=campaign, user=owner, periods=[WAVE_2])
    kent_1 = _send(campaign, owner, "kent")["kent"]
    _answer(kent_1, data_entry, {"instagram": "12", "whatsapp": "3"}, H1, offence)
    kent_2 = _send(wave_2, owner, "kent", on=dt.date(2021, 1, 4))["kent"]
    _answer(kent_2, data_entry, {"instagram": "20"}, WAVE_2, offence, on=dt.date(2021, 1, 8))
    return campaign, wave_2


def test_the_aggregates_compare_every_wave_of_a_series_grouped_by_campaign(
    two_waves, client_for, owner
):
    first, second = two_waves
    for named in (first, second):
        answer = client_for(owner).get(
            "/api/v1/aggregates/", {"series": named.pk, "group_by": "campaign,platform"}
        )
        assert answer.status_code == 200, answer.content
        groups = {
            (int(g["key"]["campaign"]), g["key"]["platform"]): (
                g["reported"],
                g["share_midpoint"],
                g["share_within_first_midpoint"],
            )
            for g in answer.json()["groups"]
        }
        # Every cell is exact. Of the whole answer, 35 instances: 12/35 = 0.3429 -> 0.343,
        # 3/35 = 0.0857 -> 0.086, 20/35 = 0.5714 -> 0.571. Within each wave, which is how waves
        # compare: the first wave's 15, 12/15 = 0.8 and 3/15 = 0.2; the second's 20/20 = 1.
        assert groups == {
            (first.pk, "instagram"): (12, 0.343, 0.8),
            (first.pk, "whatsapp"): (3, 0.086, 0.2),
            (second.pk, "instagram"): (20, 0.571, 1.0),
        }


def test_a_series_and_a_campaign_together_are_refused_by_name(two_waves, client_for, owner):
    first, _ = two_waves
    answer = client_for(owner).get(
        "/api/v1/aggregates/", {"series": first.pk, "campaign": first.pk, "group_by": "campaign"}
    )
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "series"


def test_another_teams_series_is_unknown(two_waves, client_for, outsider):
    first, _ = two_waves
    answer = client_for(outsider).get(
        "/api/v1/aggregates/", {"series": first.pk, "group_by": "campaign"}
    )
    assert answer.status_code == 400
    assert answer.json()["errors"] == [
        {"field": "series", "message": f"No campaign {first.pk} that you can see."}
    ]


def test_a_force_re_asked_counts_once_where_its_re_ask_stands(campaign, owner, data_entry):
    sent = _send(campaign, owner, "kent", "surrey")
    response_record(
        request=sent["kent"],
        received_on=dt.date(2020, 11, 20),
        outcome="refused",
        exemptions=["s12"],
        user=data_entry,
    )
    request_reask(
        request=sent["kent"], question="Instagram only", sent_on=dt.date(2021, 1, 4), user=owner
    )
    today = timezone.localdate()
    result = coverage(campaign.requests.all(), today=today)
    # Kent's re-ask, sent Mon 4 Jan 2021, is due Mon 1 Feb (5-8 Jan are working days 1-4, then
    # four whole weeks to 29 Jan make 19): awaiting. Surrey, sent 2 Nov 2020, was due 30 Nov.
    assert result["asked"] == 2
    assert (result["awaiting"]["forces"], result["overdue"]["forces"]) == (["kent"], ["surrey"])
    assert result["refused"]["count"] == 0


def test_each_campaign_shows_its_progress_from_one_query(campaign, owner, data_entry, offence):
    """Sent 2 Nov 2020 to Kent, Surrey, Essex and Jersey: Kent answered with figures, Surrey
    refused (no figures), Essex and Jersey silent. Due dates: 20 working days after 2 Nov is
    30 Nov 2020 in England and Jersey alike, so by 11 Jan 2021 both are overdue."""
    sent = _send(campaign, owner, "kent", "surrey", "essex", "jersey")
    _answer(sent["kent"], data_entry, {"instagram": "12"}, H1, offence)
    response_record(
        request=sent["surrey"],
        received_on=dt.date(2020, 11, 20),
        outcome="refused",
        user=data_entry,
    )
    empty = CampaignFactory(owner=owner)

    def progress():
        rows = campaigns_with_progress(campaigns_visible_to(owner), today=timezone.localdate())
        return {c.pk: (c.asked, c.answered, c.with_figures, c.overdue) for c in rows}

    roles.has_role(owner, roles.RESEARCHER)  # the user's roles are read once a request
    with CaptureQueriesContext(connection) as queries:
        assert progress() == {campaign.pk: (4, 2, 1, 2), empty.pk: (0, 0, 0, 0)}
    assert len(queries) == 1
