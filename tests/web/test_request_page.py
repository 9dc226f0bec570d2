"""The request page: its timeline, and a form that records events through the one service."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from requests_app.models import RequestEvent
from requests_app.services import request_record_event


@pytest.fixture
def kent(send_to):
    return send_to("kent")["kent"]  # sent 18 Jan 2021, due 15 Feb 2021: overdue on 1 Mar


def _error_beside(html: str, field: str) -> str:
    """The error shown beside a field of one event's form (`extension-until`) or of the whole
    form (`extension`: above its fields)."""
    match = re.search(rf'<span class="error" id="id_{field}-error" role="alert">(.*?)</span>', html)
    if match:
        return match.group(1)
    match = re.search(
        rf'id="event-{field}".*?<div class="errors" role="alert">(.*?)</div>', html, re.S
    )
    return match.group(1) if match else ""


def _offered(html: str) -> list[str]:
    return re.findall(r'<input type="hidden" name="kind" value="(\w+)">', html)


def test_it_shows_the_deadlines_and_the_timeline(kent, browser_for, owner):
    html = browser_for(owner).get(f"/requests/{kent.pk}/").content.decode()
    assert re.search(r'<dd id="due">15 Feb 2021 <span class="badge">Overdue</span>', html)
    assert '<dd id="working-days-left">-10</dd>' in html
    assert '<th scope="row">Sent</th>' in html


def test_it_offers_only_the_events_the_status_machine_allows_now(kent, browser_for, owner):
    """A sent request may be acknowledged, clarified, fee-noticed, extended, complained about or
    withdrawn (status.TRANSITIONS); the response is recorded by data entry, with its outcome."""
    client = browser_for(owner)
    html = client.get(f"/requests/{kent.pk}/").content.decode()
    assert _offered(html) == [
        "acknowledged",
        "clarification_requested",
        "fee_notice",
        "extension",
        "complaint",
        "withdrawn",
    ]
    request_record_event(request=kent, kind="fee_notice", on=dt.date(2021, 2, 1), user=owner)
    html = client.get(f"/requests/{kent.pk}/").content.decode()
    assert _offered(html) == ["fee_paid", "withdrawn"]


def test_the_extension_form_states_the_date_an_extension_without_until_runs_to(
    kent, browser_for, owner
):
    """Kent is due 15 Feb 2021; 20 working days after it (UK union calendar, no holidays in
    between) are 16-19 Feb (4), 22-26 Feb (9), 1-5 Mar (14), 8-12 Mar (19) and 15 Mar (20)."""
    html = browser_for(owner).get(f"/requests/{kent.pk}/").content.decode()
    assert (
        "Leave it empty if the force gave none: the extension then runs to the ICO ceiling, 20 "
        "working days after the due date: 15 March 2021." in html
    )
    # Only the extension takes an "until" date.
    assert html.count('name="extension-until"') == 1 and "-until" not in html.replace(
        "extension-until", ""
    )


def test_recording_an_extension_moves_the_deadline(kent, browser_for, owner):
    client = browser_for(owner)
    url = f"/requests/{kent.pk}/"
    data = {
        "kind": "extension",
        "extension-on": "2021-02-12",
        "extension-until": "2021-03-12",
        "extension-note": "PIT",
    }
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == url
    kent.refresh_from_db()
    assert (kent.status, kent.current_due_on.isoformat()) == ("extended", "2021-03-12")
    html = client.get(url).content.decode()
    assert "The answer is now due 12 Mar 2021." in html
    assert '<dd id="due">12 Mar 2021</dd>' in html


def test_an_extension_without_until_runs_to_the_ceiling_it_stated(kent, browser_for, owner):
    client = browser_for(owner)
    data = {"kind": "extension", "extension-on": "2021-02-12", "extension-until": ""}
    assert client.post(f"/requests/{kent.pk}/", data).status_code == 302
    kent.refresh_from_db()
    assert kent.current_due_on == dt.date(2021, 3, 15)


def test_the_same_event_sent_twice_is_recorded_once_and_the_page_says_so(kent, browser_for, owner):
    client = browser_for(owner)
    data = {"kind": "acknowledged", "acknowledged-on": "2021-01-19", "acknowledged-note": ""}
    assert client.post(f"/requests/{kent.pk}/", data).status_code == 302
    again = client.post(f"/requests/{kent.pk}/", data, follow=True)
    assert "Already recorded: Acknowledged by the force on 19 Jan 2021" in again.content.decode()
    kinds = list(RequestEvent.objects.filter(request=kent).values_list("kind", flat=True))
    assert kinds == ["sent", "acknowledged"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"kind": "extension", "extension-on": "2021-02-12", "extension-until": "2021-02-01"},
            "extension-until",
            "The extension&#x27;s estimated date must be after the event.",
        ),
        (
            {"kind": "acknowledged", "acknowledged-on": "2021-03-02"},
            "acknowledged-on",
            "2021-03-02 is in the future",
        ),
        (
            {"kind": "acknowledged", "acknowledged-on": "not a date"},
            "acknowledged-on",
            "Enter a valid date.",
        ),
        (
            {"kind": "acknowledged", "acknowledged-on": "2021-01-10"},
            "acknowledged-on",
            "before the request was sent on 2021-01-18",
        ),
    ],
)
def test_a_refused_event_shows_the_error_beside_its_field_and_writes_nothing(
    kent, browser_for, owner, data, field, message
):
    response = browser_for(owner).post(f"/requests/{kent.pk}/", data)
    assert response.status_code == 400
    assert message in _error_beside(response.content.decode(), field)
    assert RequestEvent.objects.filter(request=kent).count() == 1


def test_an_event_the_status_does_not_allow_is_refused_and_writes_nothing(kent, browser_for, owner):
    response = browser_for(owner).post(
        f"/requests/{kent.pk}/", {"kind": "fee_paid", "fee_paid-on": "2021-02-12"}
    )
    assert response.status_code == 400
    assert "That event cannot be recorded now" in response.content.decode()
    assert RequestEvent.objects.filter(request=kent).count() == 1


def test_readers_who_may_not_write_see_no_form_and_cannot_post(
    kent, campaign, browser_for, consumer
):
    campaign.published = True
    campaign.save()
    client = browser_for(consumer)
    page = client.get(f"/requests/{kent.pk}/")
    assert page.status_code == 403
    assert "Record what happened" not in page.content.decode()
    data = {"kind": "acknowledged", "acknowledged-on": "2021-02-01"}
    response = client.post(f"/requests/{kent.pk}/", data)
    assert response.status_code == 403
    assert RequestEvent.objects.filter(request=kent).count() == 1


def test_other_teams_get_404_for_reading_and_writing(kent, browser_for, outsider):
    client = browser_for(outsider)
    assert client.get(f"/requests/{kent.pk}/").status_code == 404
    assert client.post(f"/requests/{kent.pk}/", {}).status_code == 404


def test_a_researcher_signs_in_with_the_plain_login_page(db, client, owner):
    response = client.post("/accounts/login/", {"username": "owner", "password": "x"})
    assert "Please enter a correct username and password" in response.content.decode()
    owner.set_password("a-long-test-password")
    owner.save()
    response = client.post(
        "/accounts/login/", {"username": "owner", "password": "a-long-test-password"}
    )
    assert response.status_code == 302 and response["Location"] == "/"


def test_its_query_count_does_not_grow_with_the_events(kent, browser_for, owner):
    client = browser_for(owner)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/requests/{kent.pk}/").status_code == 200
        return len(captured)

    few = queries()
    for number in range(6):
        request_record_event(
            request=kent, kind="acknowledged", on=dt.date(2021, 2, 1), note=f"{number}", user=owner
        )
    assert queries() == few
