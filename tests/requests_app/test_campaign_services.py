"""Campaigns as the pages and the API write them: periods as rows, the team, the history of
edits, waves, re-asks, one event for many requests, and an event recorded once.

Dates: today is Fri 1 May 2026. Kent, sent Mon 2 Feb 2026, is due Mon 2 Mar 2026 (20 working
days: 3-6 Feb are 1-4, 9-13 Feb 5-9, 16-20 Feb 10-14, 23-27 Feb 15-19, 2 Mar 20).
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from requests_app.models import Campaign, CampaignPeriod, FoiRequest, Force, RequestEvent
from requests_app.selectors import campaign_history, campaign_waves, users_named
from requests_app.services import (
    EventAlreadyRecorded,
    campaign_create,
    campaign_repeat,
    campaign_send,
    campaign_update,
    request_reask,
    request_record_event,
    requests_record_event,
)
from tests.factories import UserFactory

D = dt.date
H1 = (D(2019, 10, 1), D(2020, 3, 31))
H2 = (D(2020, 4, 1), D(2020, 9, 30))
SENT = D(2026, 2, 2)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 5, 1, 12, 0), tick=False):
        yield


def _create(owner, **extra) -> Campaign:
    fields = {"title": "Grooming by platform", "question": "How many?", "periods": [H2, H1]}
    return campaign_create(owner=owner, **{**fields, **extra})


def _periods(campaign: Campaign) -> list[tuple[dt.date, dt.date]]:
    return list(CampaignPeriod.objects.filter(campaign=campaign).values_list("start", "end"))


def _send(campaign, owner, *slugs) -> dict[str, FoiRequest]:
    forces = list(Force.objects.filter(slug__in=slugs))
    sent = campaign_send(campaign=campaign, forces=forces, sent_on=SENT, user=owner)
    return {request.force.slug: request for request in sent}


# Periods and the team -------------------------------------------------------------------------


def test_a_campaign_keeps_its_periods_as_rows_and_their_span_as_its_period(db, owner):
    campaign = _create(owner)
    assert _periods(campaign) == [H1, H2]
    assert (campaign.period_start, campaign.period_end) == (D(2019, 10, 1), D(2020, 9, 30))


@pytest.mark.parametrize(
    ("periods", "message"),
    [
        ([], "Give at least one period the question asks about."),
        ([(D(2020, 3, 31), D(2019, 10, 1))], "The period 31 Mar 2020 to 1 Oct 2019 ends before"),
        (
            [H1, (D(2020, 3, 1), D(2020, 9, 30))],
            "The periods overlap: one ends 31 Mar 2020, the next starts 1 Mar 2020.",
        ),
    ],
)
def test_bad_periods_are_refused_by_name_and_nothing_is_written(db, owner, periods, message):
    with pytest.raises(ValidationError) as refused:
        _create(owner, periods=periods)
    assert message in refused.value.message_dict["periods"][0]
    assert (Campaign.objects.count(), CampaignPeriod.objects.count()) == (0, 0)


def test_an_edit_replaces_the_periods_and_moves_the_span(db, owner):
    campaign = _create(owner)
    campaign_update(campaign=campaign, user=owner, periods=[H1])
    campaign.refresh_from_db()
    assert _periods(campaign) == [H1]
    assert (campaign.period_start, campaign.period_end) == H1


def test_collaborators_are_found_by_username_or_email_ignoring_case(db, owner):
    ana = UserFactory(username="ana", email="ana@example.org")
    ben = UserFactory(username="ben", email="ben@charity.example")
    found, unknown = users_named(["ANA", "ben@CHARITY.example", "nobody", "  "])
    assert (found, unknown) == ([ana, ben], ["nobody"])
    campaign = _create(owner, collaborators=found)
    assert set(campaign.collaborators.all()) == {ana, ben}


def test_the_owner_is_never_their_own_collaborator(db, owner, colleague):
    campaign = _create(owner, collaborators=[owner, colleague])
    assert list(campaign.collaborators.all()) == [colleague]


def test_every_edit_is_kept_with_who_made_it_and_what_changed(db, owner, colleague):
    campaign = _create(owner)
    campaign_update(campaign=campaign, user=colleague, title="Grooming, by platform")
    campaign_update(campaign=campaign, user=owner, published=True, periods=[H1])
    history = campaign_history(campaign)
    assert [(h["version"].history_user, sorted(h["changed"])) for h in history] == [
        (owner, ["period_end", "published"]),
        (colleague, ["title"]),
        (owner, []),
    ]
    assert history[-1]["version"].history_type == "+"


def test_an_update_refuses_a_field_it_does_not_know(db, owner):
    with pytest.raises(TypeError):
        campaign_update(campaign=_create(owner), user=owner, owner=owner)


# Waves ----------------------------------------------------------------------------------------


def test_a_new_wave_asks_the_same_question_later_and_is_linked_to_the_first(db, owner, colleague):
    first = _create(owner, collaborators=[colleague], guernsey_eligibility_confirmed=True)
    second = campaign_repeat(
        campaign=first, user=colleague, periods=[(D(2020, 10, 1), D(2021, 3, 31))]
    )
    third = campaign_repeat(campaign=second, user=owner, periods=[(D(2021, 4, 1), D(2021, 9, 30))])
    assert (second.title, third.title) == (
        "Grooming by platform (wave 2)",
        "Grooming by platform (wave 3)",
    )
    assert (third.previous_wave, third.first_wave, third.wave) == (second, first, 3)
    assert third.question == first.question and third.owner == owner
    assert list(third.collaborators.all()) == [colleague]
    assert third.guernsey_eligibility_confirmed and not third.published
    assert list(campaign_waves(second)) == [first, second, third]
    assert not third.requests.exists()


def test_a_new_wave_must_ask_about_a_later_period(db, owner):
    first = _create(owner)
    with pytest.raises(ValidationError) as refused:
        campaign_repeat(campaign=first, user=owner, periods=[H2])
    assert refused.value.message_dict["periods"] == [
        "A new wave asks about a later period: start after 30 Sep 2020, the end of the wave it "
        "repeats."
    ]
    assert Campaign.objects.count() == 1


# Re-asks --------------------------------------------------------------------------------------


def test_a_force_refused_can_be_re_asked_a_narrowed_question(db, owner, campaign):
    kent = _send(campaign, owner, "kent")["kent"]
    request_record_event(request=kent, kind="response", on=D(2026, 2, 20), user=owner)
    child = request_reask(
        request=kent, question="Instagram only, please.", sent_on=D(2026, 2, 23), user=owner
    )
    assert (child.parent, child.force.slug, child.campaign) == (kent, "kent", campaign)
    assert child.asked() == "Instagram only, please."
    assert kent.asked() == campaign.question
    # Its own clock from Mon 23 Feb 2026: 24-27 Feb are working days 1-4, 2-6 Mar 5-9, 9-13 Mar
    # 10-14, 16 Mar 15, 17 Mar is St Patrick's Day (a Northern Ireland bank holiday, so not a
    # FOIA working day), 18-20 Mar 16-18, 23 Mar 19, Tue 24 Mar 20.
    assert (child.status, child.due_on) == ("sent", D(2026, 3, 24))
    assert list(child.events.values_list("kind", flat=True)) == ["sent"]


@pytest.mark.parametrize(
    ("answered", "question", "sent_on", "field", "message"),
    [
        (False, "Narrower", D(2026, 2, 23), "question", "Only an answered request"),
        (True, "  ", D(2026, 2, 23), "question", "Write the narrowed question"),
        (
            True,
            "How many online child sexual offences were recorded, by platform?",
            D(2026, 2, 23),
            "question",
            "This is the question the force already answered",
        ),
        (True, "Narrower", D(2026, 2, 19), "sent_on", "send it on or after 20 Feb 2026"),
        (True, "Narrower", D(2026, 5, 4), "sent_on", "2026-05-04 is in the future"),
    ],
)
def test_a_re_ask_is_refused_with_a_reason_and_writes_nothing(
    db, owner, campaign, answered, question, sent_on, field, message
):
    kent = _send(campaign, owner, "kent")["kent"]
    if answered:
        request_record_event(request=kent, kind="response", on=D(2026, 2, 20), user=owner)
    before = (FoiRequest.objects.count(), RequestEvent.objects.count())
    with pytest.raises(ValidationError) as refused:
        request_reask(request=kent, question=question, sent_on=sent_on, user=owner)
    assert message in refused.value.message_dict[field][0]
    assert (FoiRequest.objects.count(), RequestEvent.objects.count()) == before


def test_a_request_is_re_asked_once_and_the_chain_keeps_one_first_request_per_force(
    db, owner, campaign
):
    kent = _send(campaign, owner, "kent")["kent"]
    request_record_event(request=kent, kind="response", on=D(2026, 2, 20), user=owner)
    request_reask(request=kent, question="Narrower", sent_on=D(2026, 2, 23), user=owner)
    with pytest.raises(ValidationError) as refused:
        request_reask(request=kent, question="Narrower still", sent_on=D(2026, 2, 23), user=owner)
    assert "already re-asked" in refused.value.message_dict["question"][0]
    # The campaign still counts Kent as asked: sending to it again is refused.
    with pytest.raises(ValidationError):
        _send(campaign, owner, "kent")


# One event for many requests ------------------------------------------------------------------


def test_one_event_is_recorded_for_every_request_through_the_one_service(db, owner, campaign):
    sent = _send(campaign, owner, "kent", "surrey", "jersey")
    events = requests_record_event(
        requests=list(sent.values()), kind="acknowledged", on=D(2026, 2, 3), user=owner
    )
    assert len(events) == 3
    assert set(
        RequestEvent.objects.filter(kind="acknowledged").values_list("request", flat=True)
    ) == {r.pk for r in sent.values()}


def test_if_any_request_refuses_the_event_none_is_written_and_each_refusal_is_named(
    db, owner, campaign
):
    sent = _send(campaign, owner, "kent", "surrey", "jersey")
    request_record_event(request=sent["surrey"], kind="fee_notice", on=D(2026, 2, 4), user=owner)
    request_record_event(request=sent["jersey"], kind="acknowledged", on=D(2026, 2, 3), user=owner)
    before = RequestEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        requests_record_event(
            requests=[sent["kent"], sent["surrey"], sent["jersey"]],
            kind="acknowledged",
            on=D(2026, 2, 3),
            user=owner,
        )
    assert refused.value.message_dict["requests"] == [
        "Surrey Police: 'Acknowledged by the force' cannot be recorded while the request is "
        "'fee notice (clock paused)'; only when it is: 'sent, awaiting response'; "
        "'public-interest extension'.",
        "States of Jersey Police: Already recorded: Acknowledged by the force on 3 Feb 2026, with "
        "the same details. Nothing was written.",
    ]
    assert RequestEvent.objects.count() == before


def test_no_request_ticked_is_refused(db, owner):
    with pytest.raises(ValidationError) as refused:
        requests_record_event(requests=[], kind="acknowledged", on=D(2026, 2, 3), user=owner)
    assert refused.value.message_dict == {"requests": ["Select at least one force."]}


# The same event twice -------------------------------------------------------------------------


def test_the_same_event_twice_is_recorded_once(db, owner, campaign):
    kent = _send(campaign, owner, "kent")["kent"]
    first = request_record_event(
        request=kent, kind="extension", on=D(2026, 2, 20), until=D(2026, 3, 20), user=owner
    )
    with pytest.raises(EventAlreadyRecorded) as repeated:
        request_record_event(
            request=kent, kind="extension", on=D(2026, 2, 20), until=D(2026, 3, 20), user=owner
        )
    assert repeated.value.event == first
    assert list(kent.events.values_list("kind", flat=True)) == ["sent", "extension"]


@pytest.mark.parametrize(
    "different",
    [{"on": D(2026, 2, 21)}, {"until": D(2026, 3, 27)}, {"note": "A second estimate"}],
)
def test_an_event_that_differs_in_date_or_details_is_a_new_event(db, owner, campaign, different):
    kent = _send(campaign, owner, "kent")["kent"]
    event = {"kind": "extension", "on": D(2026, 2, 20), "until": D(2026, 3, 20), "note": ""}
    request_record_event(request=kent, user=owner, **event)
    request_record_event(request=kent, user=owner, **{**event, **different})
    assert kent.events.filter(kind="extension").count() == 2
