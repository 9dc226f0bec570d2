"""The services: the one path for sending, recording events and moving holidays.

Dates were counted by hand on a printed calendar. Holidays that matter here (see test_deadlines):
FOIA 2026: 17 Mar (Northern Ireland), 3 and 6 Apr, 4 May; Jersey and Guernsey 2026: 3 and 6 Apr,
4 May, 25 May (the islands do not stop on 17 Mar).
Most cases use a request to Kent sent Mon 2 Feb 2026: 3-6 Feb are working days (WD) 1-4, 9-13 Feb
WD 5-9, 16-20 Feb WD 10-14, 23-27 Feb WD 15-19, so WD 20 (the due date) is Mon 2 Mar.
"""

import datetime as dt
import threading
import time

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection

from requests_app.models import Campaign, ExtraHoliday, FoiRequest, Force, RequestEvent
from requests_app.services import (
    campaign_send,
    force_register_load,
    holiday_add,
    request_create,
    request_record_event,
)
from tests.factories import CampaignFactory

SENT = dt.date(2026, 2, 2)


def day(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


@pytest.fixture
def frozen():
    """Today is Fri 1 May 2026, after every date the scenarios below use."""
    with time_machine.travel(dt.datetime(2026, 5, 1, 12, 0), tick=False):
        yield


@pytest.fixture
def kent_request(frozen, campaign, owner) -> FoiRequest:
    return request_create(
        campaign=campaign, force=Force.objects.get(slug="kent"), user=owner, sent_on=SENT
    )


def record(request: FoiRequest, kind: str, on: str, user=None, **extra) -> RequestEvent:
    return request_record_event(request=request, kind=kind, on=day(on), user=user, **extra)


def snapshot(request: FoiRequest) -> tuple:
    """Everything a refused event must leave as it was."""
    fresh = FoiRequest.objects.get(pk=request.pk)
    return (
        FoiRequest.objects.count(),
        RequestEvent.objects.count(),
        {field.attname: getattr(fresh, field.attname) for field in FoiRequest._meta.fields},
    )


# --------------------------------------------------------------------------------------------
# campaign_send
# --------------------------------------------------------------------------------------------


def test_it_sends_a_campaign_as_one_sent_request_per_force(frozen, campaign, owner):
    forces = Force.objects.filter(slug__in=["kent", "jersey", "guernsey"])
    campaign_send(campaign=campaign, forces=forces, sent_on=day("2026-03-02"), user=owner)

    requests = {r.force.slug: r for r in campaign.requests.select_related("force")}
    assert set(requests) == {"kent", "jersey", "guernsey"}
    # Sent Mon 2 Mar 2026. FOIA skips Tue 17 Mar (NI): WD 20 is Tue 31 Mar. The islands count
    # 17 Mar, so theirs is Mon 30 Mar. Jersey's WD 65 (3 and 6 Apr, 4 and 25 May skipped) is
    # Fri 5 Jun.
    expected = {
        "kent": (day("2026-03-31"), None),
        "jersey": (day("2026-03-30"), day("2026-06-05")),
        "guernsey": (day("2026-03-30"), None),
    }
    for slug, (due_on, statutory_limit_on) in expected.items():
        request = requests[slug]
        assert request.status == "sent"
        assert request.sent_on == request.received_on == day("2026-03-02")
        assert (request.due_on, request.statutory_limit_on) == (due_on, statutory_limit_on)
        assert request.current_due_on == due_on
        assert request.extended_due_on is None
        assert request.review_due_on is None
        event = request.events.get()
        assert (event.kind, event.on, event.from_status, event.to_status, event.created_by) == (
            "sent",
            day("2026-03-02"),
            "draft",
            "sent",
            owner,
        )


@pytest.mark.parametrize("force_count", [3, 46])
def test_sending_takes_the_same_number_of_queries_for_3_forces_as_for_46(
    frozen, campaign, owner, force_count, django_assert_num_queries
):
    forces = list(Force.objects.order_by("slug")[:force_count])
    # already-sent check, extra holidays, savepoint, requests insert, events insert, release.
    with django_assert_num_queries(6):
        campaign_send(campaign=campaign, forces=forces, sent_on=day("2026-03-02"), user=owner)
    assert campaign.requests.count() == force_count
    assert RequestEvent.objects.filter(request__campaign=campaign).count() == force_count


def test_sending_twice_to_a_force_is_refused_naming_it_and_writes_nothing(frozen, campaign, owner):
    kent, essex, surrey = (Force.objects.get(slug=s) for s in ("kent", "essex", "surrey"))
    campaign_send(campaign=campaign, forces=[kent, essex], sent_on=day("2026-03-02"), user=owner)

    with pytest.raises(ValidationError) as refused:
        campaign_send(
            campaign=campaign, forces=[surrey, essex, kent], sent_on=day("2026-03-03"), user=owner
        )

    assert refused.value.message_dict == {
        "forces": ["This campaign was already sent to: essex, kent."]
    }
    assert FoiRequest.objects.count() == 2
    assert RequestEvent.objects.count() == 2


def test_sending_with_a_date_in_the_future_is_refused(campaign, owner):
    with (
        time_machine.travel(dt.datetime(2026, 3, 2, 12, 0), tick=False),
        pytest.raises(ValidationError) as refused,
    ):
        campaign_send(
            campaign=campaign,
            forces=[Force.objects.get(slug="kent")],
            sent_on=day("2026-03-03"),
            user=owner,
        )
    assert list(refused.value.message_dict) == ["sent_on"]
    assert FoiRequest.objects.count() == 0


# --------------------------------------------------------------------------------------------
# request_create and request_record_event: status and deadlines follow the log
# --------------------------------------------------------------------------------------------


def test_a_request_created_without_sent_on_is_a_draft_with_no_log(frozen, campaign, owner):
    request = request_create(campaign=campaign, force=Force.objects.get(slug="kent"), user=owner)
    assert request.status == "draft"
    assert (request.sent_on, request.due_on, request.current_due_on) == (None, None, None)
    assert not request.events.exists()


def test_sending_a_draft_starts_its_clock(frozen, campaign, owner):
    request = request_create(campaign=campaign, force=Force.objects.get(slug="kent"), user=owner)
    event = record(request, "sent", "2026-02-02", user=owner)
    assert (event.from_status, event.to_status) == ("draft", "sent")
    assert request.status == "sent"
    assert (request.sent_on, request.received_on) == (SENT, SENT)
    assert request.due_on == request.current_due_on == day("2026-03-02")


def test_the_clock_runs_from_the_date_of_receipt_when_it_is_later(frozen, campaign, owner):
    # Received Mon 9 Feb: 10-13 Feb WD 1-4, 16-20 WD 5-9, 23-27 WD 10-14, 2-6 Mar WD 15-19, 9 Mar.
    request = request_create(
        campaign=campaign,
        force=Force.objects.get(slug="kent"),
        user=owner,
        sent_on=SENT,
        received_on=day("2026-02-09"),
    )
    assert request.due_on == day("2026-03-09")


def test_the_sent_request_is_due_on_the_twentieth_working_day(kent_request, owner):
    assert kent_request.status == "sent"
    assert kent_request.due_on == kent_request.current_due_on == day("2026-03-02")
    event = kent_request.events.get()
    assert (event.kind, event.on, event.created_by) == ("sent", SENT, owner)


def test_acknowledgement_keeps_the_status_and_the_due_date(kent_request):
    record(kent_request, "acknowledged", "2026-02-03")
    assert kent_request.status == "sent"
    assert kent_request.due_on == day("2026-03-02")


def test_a_clarification_stops_the_clock_and_its_arrival_restarts_the_twenty_days(kent_request):
    record(kent_request, "clarification_requested", "2026-02-04")
    assert kent_request.status == "awaiting_clarification"
    assert (kent_request.due_on, kent_request.current_due_on) == (None, None)

    # Received Mon 9 Feb: WD 20 is Mon 9 Mar (10-13 Feb, 16-20, 23-27, 2-6 Mar, 9 Mar).
    record(kent_request, "clarification_received", "2026-02-09")
    assert kent_request.status == "sent"
    assert kent_request.due_on == kent_request.current_due_on == day("2026-03-09")


def test_a_fee_notice_pauses_the_clock_until_the_fee_is_paid(kent_request):
    # Notice Mon 9 Feb: 3-6 Feb (4 WD) were used, 16 remain.
    record(kent_request, "fee_notice", "2026-02-09")
    assert kent_request.status == "fee_notice"
    assert (kent_request.due_on, kent_request.current_due_on) == (None, None)

    # Paid Mon 16 Feb: 17-20 Feb WD 1-4, 23-27 WD 5-9, 2-6 Mar WD 10-14, 9 Mar 15, 10 Mar 16.
    record(kent_request, "fee_paid", "2026-02-16")
    assert kent_request.status == "sent"
    assert kent_request.due_on == kent_request.current_due_on == day("2026-03-10")


def test_an_extension_without_an_estimate_runs_to_its_twenty_day_limit(kent_request):
    # 20 WD after the due date Mon 2 Mar, skipping Tue 17 Mar (NI): 3-6 Mar 1-4, 9-13 5-9,
    # 16 Mar 10, 18-20 11-13, 23-27 14-18, 30-31 Mar 19-20.
    record(kent_request, "extension", "2026-02-27")
    assert kent_request.status == "extended"
    assert kent_request.due_on == day("2026-03-02")
    assert kent_request.extension_limit_on == day("2026-03-31")
    assert kent_request.extended_due_on == kent_request.current_due_on == day("2026-03-31")


def test_an_extension_with_an_estimate_is_due_on_the_estimate(kent_request):
    event = record(kent_request, "extension", "2026-02-27", until=day("2026-03-16"))
    assert event.until == day("2026-03-16")
    assert kent_request.extension_limit_on == day("2026-03-31")
    assert kent_request.extended_due_on == kent_request.current_due_on == day("2026-03-16")


def test_a_response_opens_the_review_and_complaint_windows(kent_request):
    record(kent_request, "response", "2026-02-20")
    assert kent_request.status == "responded"
    assert kent_request.current_due_on is None
    # 40 WD after Fri 20 Feb: 23 Feb-13 Mar WD 1-15, 16 Mar 16, 18-20 Mar 17-19, 23-27 Mar 20-24,
    # 30 Mar-2 Apr 25-28, 7-10 Apr 29-32, 13-17 Apr 33-37, 20-22 Apr 38-40.
    assert kent_request.review_request_by == day("2026-04-22")
    # Six weeks after Fri 20 Feb.
    assert kent_request.complaint_by == day("2026-04-03")


def test_an_internal_review_has_its_own_clocks_and_its_answer_opens_the_complaint_window(
    kent_request,
):
    record(kent_request, "response", "2026-02-20")
    record(kent_request, "internal_review_requested", "2026-03-02")
    assert kent_request.status == "review_requested"
    # 20 WD after Mon 2 Mar (17 Mar skipped): Tue 31 Mar. 40 WD: 1-2 Apr 21-22 (3 and 6 Apr
    # skipped), 7-10 Apr 23-26, 13-17 27-31, 20-24 32-36, 27-30 Apr 37-40.
    assert kent_request.review_due_on == kent_request.current_due_on == day("2026-03-31")
    assert kent_request.review_limit_on == day("2026-04-30")
    assert kent_request.complaint_by is None

    record(kent_request, "internal_review_response", "2026-03-16")
    assert kent_request.status == "review_answered"
    assert kent_request.current_due_on is None
    # Six weeks after Mon 16 Mar.
    assert kent_request.complaint_by == day("2026-04-27")


def test_an_event_records_who_recorded_it_and_the_move(kent_request, data_entry):
    event = record(kent_request, "response", "2026-02-20", user=data_entry, note="Refused, s.12")
    stored = RequestEvent.objects.get(pk=event.pk)
    assert (stored.from_status, stored.to_status, stored.created_by, stored.note) == (
        "sent",
        "responded",
        data_entry,
        "Refused, s.12",
    )


# --------------------------------------------------------------------------------------------
# Refused events write nothing
# --------------------------------------------------------------------------------------------


def test_an_event_dated_before_the_request_was_sent_is_refused(kent_request):
    before = snapshot(kent_request)
    with pytest.raises(ValidationError) as refused:
        record(kent_request, "acknowledged", "2026-01-30")
    assert refused.value.message_dict == {
        "on": ["The event is dated 2026-01-30, before the request was sent on 2026-02-02."]
    }
    assert snapshot(kent_request) == before


def test_an_event_dated_before_the_previous_one_is_refused(kent_request):
    record(kent_request, "clarification_requested", "2026-02-09")
    before = snapshot(kent_request)
    with pytest.raises(ValidationError) as refused:
        record(kent_request, "clarification_received", "2026-02-05")
    assert refused.value.message_dict == {
        "on": [
            "Events are recorded in order: the last one (Force asked for clarification) is "
            "dated 2026-02-09, after 2026-02-05."
        ]
    }
    assert snapshot(kent_request) == before


def test_an_event_on_the_same_day_as_the_previous_one_is_accepted(kent_request):
    record(kent_request, "acknowledged", "2026-02-09")
    record(kent_request, "response", "2026-02-09")
    assert kent_request.status == "responded"


def test_an_event_dated_in_the_future_is_refused(campaign, owner):
    with time_machine.travel(dt.datetime(2026, 2, 10, 12, 0), tick=False):
        request = request_create(
            campaign=campaign, force=Force.objects.get(slug="kent"), user=owner, sent_on=SENT
        )
        before = snapshot(request)
        with pytest.raises(ValidationError) as refused:
            record(request, "acknowledged", "2026-02-11")
        # Today itself is allowed.
        record(request, "acknowledged", "2026-02-10")
    assert refused.value.message_dict == {
        "on": ["2026-02-11 is in the future; record events once they happen."]
    }
    assert before[1] + 1 == RequestEvent.objects.count()


def test_until_on_anything_but_an_extension_is_refused(kent_request):
    before = snapshot(kent_request)
    with pytest.raises(ValidationError) as refused:
        record(kent_request, "response", "2026-02-20", until=day("2026-03-16"))
    assert refused.value.message_dict == {"until": ["Only an extension takes an 'until' date."]}
    assert snapshot(kent_request) == before


def test_an_extension_estimate_before_the_event_is_refused(kent_request):
    before = snapshot(kent_request)
    with pytest.raises(ValidationError) as refused:
        record(kent_request, "extension", "2026-02-27", until=day("2026-02-27"))
    assert list(refused.value.message_dict) == ["until"]
    assert snapshot(kent_request) == before


def test_a_transition_the_status_machine_refuses_writes_nothing(kent_request):
    before = snapshot(kent_request)
    with pytest.raises(ValidationError) as refused:
        record(kent_request, "fee_paid", "2026-02-20")
    assert list(refused.value.message_dict) == ["kind"]
    assert snapshot(kent_request) == before


def test_a_date_of_receipt_before_sending_is_refused_and_writes_nothing(frozen, campaign, owner):
    with pytest.raises(ValidationError) as refused:
        request_create(
            campaign=campaign,
            force=Force.objects.get(slug="kent"),
            user=owner,
            sent_on=SENT,
            received_on=day("2026-02-01"),
        )
    assert list(refused.value.message_dict) == ["received_on"]
    assert (FoiRequest.objects.count(), RequestEvent.objects.count()) == (0, 0)


def test_a_second_request_to_the_same_force_is_refused_naming_the_force(kent_request, owner):
    with pytest.raises(ValidationError) as refused:
        request_create(
            campaign=kent_request.campaign,
            force=Force.objects.get(slug="kent"),
            user=owner,
            sent_on=day("2026-02-03"),
        )
    assert refused.value.message_dict == {"force": ["This campaign already has a request to kent."]}
    assert (FoiRequest.objects.count(), RequestEvent.objects.count()) == (1, 1)


def test_a_request_sent_in_the_future_is_refused_naming_sent_on(campaign, owner):
    with (
        time_machine.travel(dt.datetime(2026, 2, 2, 12, 0), tick=False),
        pytest.raises(ValidationError) as refused,
    ):
        request_create(
            campaign=campaign,
            force=Force.objects.get(slug="kent"),
            user=owner,
            sent_on=day("2026-02-03"),
        )
    assert refused.value.message_dict == {
        "sent_on": ["2026-02-03 is in the future; record events once they happen."]
    }
    assert (FoiRequest.objects.count(), RequestEvent.objects.count()) == (0, 0)


# --------------------------------------------------------------------------------------------
# holiday_add: an extra holiday moves the open requests of its regime
# --------------------------------------------------------------------------------------------


def test_an_extra_holiday_moves_open_requests_of_its_regime_by_one_working_day(
    frozen, owner, campaign
):
    forces = Force.objects.filter(slug__in=["kent", "essex", "jersey"])
    campaign_send(campaign=campaign, forces=forces, sent_on=day("2026-03-02"), user=owner)
    kent, essex, jersey = (
        campaign.requests.get(force__slug=s) for s in ("kent", "essex", "jersey")
    )
    record(essex, "response", "2026-03-20")
    record(essex, "closed", "2026-03-23")

    # Wed 4 Mar proclaimed a holiday for FOIA forces: Kent's WD 20 moves from Tue 31 Mar to
    # Wed 1 Apr.
    holiday_add(regime="foia-2000", date=day("2026-03-04"), name="Proclaimed holiday")

    kent.refresh_from_db()
    essex_before = (essex.due_on, essex.current_due_on, essex.review_request_by)
    essex.refresh_from_db()
    jersey.refresh_from_db()
    assert kent.due_on == kent.current_due_on == day("2026-04-01")
    assert (essex.due_on, essex.current_due_on, essex.review_request_by) == essex_before
    assert essex.due_on == day("2026-03-31")
    assert jersey.due_on == day("2026-03-30")
    assert ExtraHoliday.objects.get().date == day("2026-03-04")


def test_a_second_extra_holiday_on_the_same_day_is_refused_and_moves_nothing(frozen, campaign):
    holiday_add(regime="foia-2000", date=day("2026-03-04"), name="Proclaimed holiday")
    with pytest.raises(ValidationError):
        holiday_add(regime="foia-2000", date=day("2026-03-04"), name="Again")
    assert ExtraHoliday.objects.count() == 1


# --------------------------------------------------------------------------------------------
# The force register
# --------------------------------------------------------------------------------------------


def test_the_register_holds_46_forces_and_loading_it_again_changes_nothing(db):
    assert force_register_load() == 46
    Force.objects.filter(slug="kent").update(name="Renamed by hand")
    assert force_register_load() == 46
    assert Force.objects.count() == 46
    assert Force.objects.get(slug="kent").name == "Kent Police"


def test_the_register_has_43_territorial_forces_of_england_and_wales_and_three_others(db):
    force_register_load()
    home = Force.objects.filter(country__in=["England", "Wales"])
    assert home.count() == 43
    assert home.filter(country="Wales").count() == 4
    assert set(home.values_list("regime", "territorial").distinct()) == {("foia-2000", True)}
    others = {
        f.slug: (f.regime, f.territorial) for f in Force.objects.exclude(pk__in=home.values("pk"))
    }
    assert others == {
        "btp": ("foia-2000", False),
        "jersey": ("foi-jersey-2011", True),
        "guernsey": ("guernsey-foi-code-2021", True),
    }


# --------------------------------------------------------------------------------------------
# Campaign.warnings
# --------------------------------------------------------------------------------------------

GUERNSEY_WARNING = (
    "This campaign includes Guernsey Police, whose FOI Code is open to Bailiwick residents only: "
    "confirm the requester's eligibility."
)


def test_a_campaign_including_guernsey_warns_until_eligibility_is_confirmed(frozen, owner):
    campaign = CampaignFactory(owner=owner)
    assert campaign.warnings() == []
    guernsey = Force.objects.get(slug="guernsey")
    campaign_send(campaign=campaign, forces=[guernsey], sent_on=day("2026-03-02"), user=owner)
    assert campaign.warnings() == [GUERNSEY_WARNING]

    campaign.guernsey_eligibility_confirmed = True
    campaign.save()
    assert campaign.warnings() == []


def test_a_campaign_without_guernsey_has_no_warning(frozen, owner):
    campaign = CampaignFactory(owner=owner)
    forces = Force.objects.exclude(slug="guernsey")
    campaign_send(campaign=campaign, forces=forces, sent_on=day("2026-03-02"), user=owner)
    assert Campaign.objects.get(pk=campaign.pk).warnings() == []


# --------------------------------------------------------------------------------------------
# Two people recording conflicting events at once (PostgreSQL: SQLite has no row locks)
# --------------------------------------------------------------------------------------------


def _another_session_waits_for_our_lock() -> bool:
    # pg_locks is live (pg_stat_activity would be a snapshot frozen for our transaction).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE NOT granted "
            "AND pg_backend_pid() = ANY(pg_blocking_pids(pid))"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True)
def test_of_two_conflicting_events_recorded_at_once_exactly_one_is_written(
    postgres, owner, campaign, monkeypatch
):
    with time_machine.travel(dt.datetime(2026, 5, 1, 12, 0), tick=False):
        request = request_create(
            campaign=campaign, force=Force.objects.get(slug="kent"), user=owner, sent_on=SENT
        )
    # The check the recording service calls, where it calls it from.
    from requests_app.services import events as services

    real_check = services.event_check
    first_has_checked = threading.Event()
    second_has_checked = threading.Event()

    def event_check(locked, **kwargs):
        if threading.current_thread().name == "second":
            second_has_checked.set()
            return real_check(locked, **kwargs)
        result = real_check(locked, **kwargs)
        first_has_checked.set()
        # Hold the row until the second session queues behind our lock; if there were no lock,
        # the second would get past its own check instead, and both would be written.
        deadline = time.monotonic() + 10
        while not (second_has_checked.is_set() or _another_session_waits_for_our_lock()):
            if time.monotonic() > deadline:
                break
            time.sleep(0.01)
        return result

    monkeypatch.setattr(services, "event_check", event_check)
    outcomes: dict[str, str] = {}

    # Two different answers (the second dated later), so the second is refused by the status
    # machine under the lock rather than as a repeat of the first.
    answered_on = {"first": "2026-02-20", "second": "2026-02-23"}

    def respond(name: str) -> None:
        try:
            record(FoiRequest.objects.get(pk=request.pk), "response", answered_on[name])
            outcomes[name] = "written"
        except ValidationError as refused:
            outcomes[name] = f"refused: {list(refused.message_dict)}"
        finally:
            connection.close()

    first = threading.Thread(target=respond, args=("first",), name="first")
    second = threading.Thread(target=respond, args=("second",), name="second")
    with time_machine.travel(dt.datetime(2026, 5, 1, 12, 0), tick=False):
        first.start()
        assert first_has_checked.wait(10)
        second.start()
        first.join(20)
        second.join(20)

    assert outcomes == {"first": "written", "second": "refused: ['kind']"}
    assert list(RequestEvent.objects.filter(request=request).values_list("kind", flat=True)) == [
        "sent",
        "response",
    ]
    assert FoiRequest.objects.get(pk=request.pk).status == "responded"
