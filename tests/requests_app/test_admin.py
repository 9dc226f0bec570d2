"""The admin: every page opens for staff, and it changes requests only through the services.

Kent, sent Mon 2 Feb 2026, is due on working day (WD) 20, Mon 2 Mar (no holiday in February).
"""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client

from requests_app import services
from requests_app.models import ExtraHoliday, FoiRequest, Force, RequestEvent
from requests_app.services import campaign_send


@pytest.fixture(autouse=True)
def frozen():
    """Today is Fri 1 May 2026, after every date used here."""
    with time_machine.travel(dt.datetime(2026, 5, 1, 12, 0), tick=False):
        yield


@pytest.fixture
def admin_client_for_staff(staff) -> Client:
    client = Client()
    client.force_login(staff)
    return client


@pytest.fixture
def kent(campaign, owner) -> FoiRequest:
    force = Force.objects.get(slug="kent")
    [request] = campaign_send(
        campaign=campaign, forces=[force], sent_on=dt.date(2026, 2, 2), user=owner
    )
    return request


def change_url(request: FoiRequest) -> str:
    return f"/admin/requests_app/foirequest/{request.pk}/change/"


def change_form(request: FoiRequest, **event) -> dict:
    """The change form as a browser posts it: the reference, the event, the read-only log."""
    logged = request.events.count()
    return {
        "reference": request.reference,
        "event_kind": "",
        "event_on": "",
        "event_until": "",
        "event_review_outcome": "",
        "event_note": "",
        "events-TOTAL_FORMS": str(logged),
        "events-INITIAL_FORMS": str(logged),
        "events-MIN_NUM_FORMS": "0",
        "events-MAX_NUM_FORMS": "1000",
        **event,
    }


def add_form(campaign, **fields) -> dict:
    return {
        "campaign": campaign.pk,
        "force": Force.objects.get(slug="kent").pk,
        "reference": "",
        "sent_on": "",
        "received_on": "",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
        "events-MIN_NUM_FORMS": "0",
        "events-MAX_NUM_FORMS": "1000",
        **fields,
    }


def state(request: FoiRequest) -> tuple:
    fresh = FoiRequest.objects.get(pk=request.pk)
    return (
        RequestEvent.objects.count(),
        {field.attname: getattr(fresh, field.attname) for field in FoiRequest._meta.fields},
    )


@pytest.mark.parametrize(
    "page",
    [
        "/admin/",
        "/admin/requests_app/force/",
        "/admin/requests_app/force/?q=kent&regime__exact=foia-2000",
        "/admin/requests_app/force/add/",
        "/admin/requests_app/force/{force}/change/",
        "/admin/requests_app/campaign/",
        "/admin/requests_app/campaign/?q=platform",
        "/admin/requests_app/campaign/add/",
        "/admin/requests_app/campaign/{campaign}/change/",
        "/admin/requests_app/foirequest/",
        "/admin/requests_app/foirequest/?q=kent&status__exact=sent",
        "/admin/requests_app/foirequest/add/",
        "/admin/requests_app/foirequest/{request}/change/",
        "/admin/requests_app/extraholiday/",
        "/admin/requests_app/extraholiday/add/",
        "/admin/requests_app/extraholiday/{holiday}/change/",
        "/admin/auth/user/",
        "/admin/auth/user/add/",
        "/admin/auth/user/{user}/change/",
        "/admin/auth/group/",
    ],
)
def test_every_admin_page_opens_for_staff(admin_client_for_staff, kent, owner, page):
    holiday = ExtraHoliday.objects.create(
        regime="foia-2000", date=dt.date(2026, 12, 29), name="Proclaimed"
    )
    ids = {
        "force": kent.force_id,
        "campaign": kent.campaign_id,
        "request": kent.pk,
        "holiday": holiday.pk,
        "user": owner.pk,
    }
    response = admin_client_for_staff.get(page.format(**ids))
    assert response.status_code == 200


def test_the_admin_is_closed_to_researchers(client_for, owner, kent):
    client = Client()
    client.force_login(owner)
    response = client.get(change_url(kent))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_an_event_recorded_in_the_admin_goes_through_the_service(
    admin_client_for_staff, kent, staff
):
    form = change_form(kent, event_kind="response", event_on="2026-02-20", event_note="s.12")
    response = admin_client_for_staff.post(change_url(kent), form)
    assert response.status_code == 302

    kent.refresh_from_db()
    assert kent.status == "responded"
    assert kent.current_due_on is None
    # 40 WD after Fri 20 Feb (17 Mar, 3 and 6 Apr skipped): Wed 22 Apr. Six weeks: Fri 3 Apr.
    assert (kent.review_request_by, kent.complaint_by) == (
        dt.date(2026, 4, 22),
        dt.date(2026, 4, 3),
    )
    event = kent.events.order_by("id").last()
    assert (event.kind, event.on, event.note, event.created_by) == (
        "response",
        dt.date(2026, 2, 20),
        "s.12",
        staff,
    )
    assert (event.from_status, event.to_status) == ("sent", "responded")


def test_an_extension_with_until_can_be_recorded_in_the_admin(admin_client_for_staff, kent):
    form = change_form(
        kent, event_kind="extension", event_on="2026-02-27", event_until="2026-03-16"
    )
    assert admin_client_for_staff.post(change_url(kent), form).status_code == 302
    kent.refresh_from_db()
    assert (kent.status, kent.extended_due_on, kent.current_due_on) == (
        "extended",
        dt.date(2026, 3, 16),
        dt.date(2026, 3, 16),
    )


def test_an_internal_review_outcome_can_be_recorded_in_the_admin(
    admin_client_for_staff, kent, staff
):
    for kind, on in [("response", "2026-02-20"), ("internal_review_requested", "2026-02-23")]:
        services.request_record_event(
            request=kent, kind=kind, on=dt.date.fromisoformat(on), user=staff
        )
    form = change_form(
        kent,
        event_kind="internal_review_response",
        event_on="2026-03-16",
        event_review_outcome="overturned",
    )
    assert admin_client_for_staff.post(change_url(kent), form).status_code == 302
    event = kent.events.order_by("id").last()
    assert (event.kind, event.review_outcome, event.created_by) == (
        "internal_review_response",
        "overturned",
        staff,
    )


def test_the_admin_changes_only_the_reference_without_an_event(admin_client_for_staff, kent):
    before = state(kent)
    form = change_form(kent, reference="K/2026/7")
    assert admin_client_for_staff.post(change_url(kent), form).status_code == 302
    after = state(kent)
    assert after[1].pop("reference") == "K/2026/7"
    before[1].pop("reference")
    after[1].pop("updated_at")
    before[1].pop("updated_at")
    assert after == before


@pytest.mark.parametrize(
    ("event", "field", "message"),
    [
        (
            {"event_kind": "fee_paid", "event_on": "2026-02-20"},
            "event_kind",
            "only when it is: 'fee notice (clock paused)'.",
        ),
        (
            {"event_kind": "acknowledged", "event_on": "2026-01-30"},
            "event_on",
            "before the request was sent on 2026-02-02.",
        ),
        (
            {"event_kind": "acknowledged", "event_on": "2026-05-02"},
            "event_on",
            "is in the future",
        ),
        (
            {"event_kind": "response", "event_on": "2026-02-20", "event_until": "2026-03-16"},
            "event_until",
            "Only an extension takes an",
        ),
        (
            {
                "event_kind": "response",
                "event_on": "2026-02-20",
                "event_review_outcome": "upheld",
            },
            "event_review_outcome",
            "Only the answer to an internal review takes an outcome.",
        ),
        ({"event_kind": "response"}, "event_on", "Give the date the event happened."),
    ],
)
def test_a_refused_event_shows_on_the_form_and_writes_nothing(
    admin_client_for_staff, kent, event, field, message
):
    before = state(kent)
    response = admin_client_for_staff.post(
        change_url(kent), change_form(kent, reference="changed", **event)
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == [field]
    assert message in errors[field][0]
    assert state(kent) == before


def test_a_request_added_in_the_admin_is_sent_through_the_service(
    admin_client_for_staff, campaign, staff
):
    response = admin_client_for_staff.post(
        "/admin/requests_app/foirequest/add/", add_form(campaign, sent_on="2026-02-02")
    )
    assert response.status_code == 302
    request = FoiRequest.objects.get()
    assert (request.status, request.due_on) == ("sent", dt.date(2026, 3, 2))
    event = request.events.get()
    assert (event.kind, event.created_by) == ("sent", staff)


@pytest.mark.parametrize(
    ("dates", "field"),
    [
        ({"sent_on": "2026-02-02", "received_on": "2026-02-01"}, "received_on"),
        ({"sent_on": "", "received_on": "2026-02-02"}, "sent_on"),
        ({"sent_on": "2026-05-02", "received_on": ""}, "sent_on"),
        ({"sent_on": "2026-05-01", "received_on": "2026-05-02"}, "received_on"),
    ],
)
def test_a_request_with_bad_dates_is_refused_on_the_add_form(
    admin_client_for_staff, campaign, dates, field
):
    response = admin_client_for_staff.post(
        "/admin/requests_app/foirequest/add/", add_form(campaign, **dates)
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == [field]
    assert FoiRequest.objects.count() == 0


def test_an_extra_holiday_added_in_the_admin_moves_open_requests(
    admin_client_for_staff, campaign, owner
):
    forces = Force.objects.filter(slug__in=["kent", "jersey"])
    campaign_send(campaign=campaign, forces=forces, sent_on=dt.date(2026, 3, 2), user=owner)
    response = admin_client_for_staff.post(
        "/admin/requests_app/extraholiday/add/",
        {"regime": "foia-2000", "date": "2026-03-04", "name": "Proclaimed holiday"},
    )
    assert response.status_code == 302
    due = dict(campaign.requests.values_list("force__slug", "due_on"))
    # Sent Mon 2 Mar: Kent's WD 20 moves from Tue 31 Mar to Wed 1 Apr; Jersey stays on Mon 30 Mar.
    assert due == {"kent": dt.date(2026, 4, 1), "jersey": dt.date(2026, 3, 30)}


def test_an_extra_holiday_moved_to_another_regime_recomputes_both(
    admin_client_for_staff, campaign, owner
):
    forces = Force.objects.filter(slug__in=["kent", "jersey"])
    campaign_send(campaign=campaign, forces=forces, sent_on=dt.date(2026, 3, 2), user=owner)
    admin_client_for_staff.post(
        "/admin/requests_app/extraholiday/add/",
        {"regime": "foia-2000", "date": "2026-03-04", "name": "Proclaimed holiday"},
    )
    holiday = ExtraHoliday.objects.get()
    response = admin_client_for_staff.post(
        f"/admin/requests_app/extraholiday/{holiday.pk}/change/",
        {"regime": "foi-jersey-2011", "date": "2026-03-04", "name": "Proclaimed holiday"},
    )
    assert response.status_code == 302
    due = dict(campaign.requests.values_list("force__slug", "due_on"))
    assert due == {"kent": dt.date(2026, 3, 31), "jersey": dt.date(2026, 3, 31)}


def test_deleting_an_extra_holiday_in_the_admin_moves_requests_back(
    admin_client_for_staff, campaign, owner
):
    campaign_send(
        campaign=campaign,
        forces=[Force.objects.get(slug="kent")],
        sent_on=dt.date(2026, 3, 2),
        user=owner,
    )
    admin_client_for_staff.post(
        "/admin/requests_app/extraholiday/add/",
        {"regime": "foia-2000", "date": "2026-03-04", "name": "Proclaimed holiday"},
    )
    holiday = ExtraHoliday.objects.get()
    response = admin_client_for_staff.post(
        f"/admin/requests_app/extraholiday/{holiday.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not ExtraHoliday.objects.exists()
    assert campaign.requests.get().due_on == dt.date(2026, 3, 31)


def test_a_user_can_be_added_in_the_admin(admin_client_for_staff):
    response = admin_client_for_staff.post(
        "/admin/auth/user/add/",
        {
            "username": "new_researcher",
            "password1": "a-long-test-password-1",
            "password2": "a-long-test-password-1",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    assert get_user_model().objects.filter(username="new_researcher").exists()


def test_a_span_changed_in_the_admin_becomes_the_campaigns_one_period(
    admin_client_for_staff, campaign, staff
):
    url = f"/admin/requests_app/campaign/{campaign.pk}/change/"
    form = {
        "title": campaign.title,
        "question": campaign.question,
        "period_start": "2020-04-01",
        "period_end": "2020-09-30",
        "owner": campaign.owner_id,
        "collaborators": [c.pk for c in campaign.collaborators.all()],
        "chase_after_working_days": 1,
    }
    response = admin_client_for_staff.post(url, form)
    assert response.status_code == 302, response.content[:2000]
    assert list(campaign.periods.values_list("start", "end")) == [
        (dt.date(2020, 4, 1), dt.date(2020, 9, 30))
    ]
    assert campaign.history.first().history_user == staff
