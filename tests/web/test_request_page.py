"""The request page: its timeline, and a form that records events through the one service."""

from __future__ import annotations

import re

import pytest

from requests_app.models import RequestEvent


@pytest.fixture
def kent(send_to):
    return send_to("kent")["kent"]  # sent 18 Jan 2021, due 15 Feb 2021: overdue on 1 Mar


def _error_beside(html: str, field: str) -> str:
    match = re.search(rf'<span class="error" id="{field}-error" role="alert">(.*?)</span>', html)
    return match.group(1) if match else ""


def test_it_shows_the_deadlines_and_the_timeline(kent, browser_for, owner):
    html = browser_for(owner).get(f"/requests/{kent.pk}/").content.decode()
    assert re.search(r'<dd id="due">15 Feb 2021 <span class="badge">Overdue</span>', html)
    assert '<dd id="working-days-left">-10</dd>' in html
    assert '<th scope="row">Sent</th>' in html
    assert '<label for="id_kind">What happened</label>' in html


def test_recording_an_extension_moves_the_deadline(kent, browser_for, owner):
    client = browser_for(owner)
    url = f"/requests/{kent.pk}/"
    data = {"kind": "extension", "on": "2021-02-12", "until": "2021-03-12", "note": "PIT"}
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == url
    kent.refresh_from_db()
    assert (kent.status, kent.current_due_on.isoformat()) == ("extended", "2021-03-12")
    html = client.get(url).content.decode()
    assert "The answer is now due 12 Mar 2021." in html
    assert '<dd id="due">12 Mar 2021</dd>' in html


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"kind": "extension", "on": "2021-02-12", "until": "2021-02-01"},
            "until",
            "The extension&#x27;s estimated date must be after the event.",
        ),
        ({"kind": "acknowledged", "on": "2021-03-02"}, "on", "2021-03-02 is in the future"),
        ({"kind": "fee_paid", "on": "2021-02-12"}, "kind", "cannot be recorded while"),
        ({"kind": "acknowledged", "on": "not a date"}, "on", "Enter a valid date."),
    ],
)
def test_a_refused_event_shows_the_error_beside_its_field_and_writes_nothing(
    kent, browser_for, owner, data, field, message
):
    response = browser_for(owner).post(f"/requests/{kent.pk}/", data)
    assert response.status_code == 400
    assert message in _error_beside(response.content.decode(), field)
    assert RequestEvent.objects.filter(request=kent).count() == 1


def test_readers_who_may_not_write_see_no_form_and_cannot_post(
    kent, campaign, browser_for, consumer
):
    campaign.published = True
    campaign.save()
    client = browser_for(consumer)
    assert "Record an event" not in client.get(f"/requests/{kent.pk}/").content.decode()
    response = client.post(f"/requests/{kent.pk}/", {"kind": "acknowledged", "on": "2021-02-01"})
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
