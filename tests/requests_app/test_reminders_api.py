"""The reminder log in the API and the admin, and the switch to turn reminders off."""

from __future__ import annotations

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from requests_app import reminders
from requests_app.models import Force, Reminder, ReminderDigest, ReminderPreference
from requests_app.services import campaign_send
from tests.factories import CampaignFactory
from tests.requests_app.reminder_helpers import day, morning, sent_request

URL = "/api/v1/reminders/"
SWEEP_DAY = day("2026-02-25")  # requests sent Mon 2 Feb 2026 are due soon (due Mon 2 Mar)


def sweep() -> None:
    with time_machine.travel(morning(SWEEP_DAY), tick=False):
        result = reminders.reminders_sweep(today=SWEEP_DAY)
        for digest_id in result.digests:
            reminders.digest_send(digest_id=digest_id)


@pytest.fixture
def reminded(campaign, owner):
    sent_request(campaign, owner, day("2026-02-02"))
    sweep()


def listed(client) -> list[tuple[str, str, str, str]]:
    response = client.get(URL)
    assert response.status_code == 200, response.json()
    return sorted(
        (r["recipient"], r["force"], r["kind"], r["deadline"]) for r in response.json()["results"]
    )


def test_each_person_sees_the_reminders_addressed_to_them(
    reminded, client_for, owner, colleague, outsider, staff
):
    assert listed(client_for(owner)) == [("owner", "kent", "due_soon", "2026-03-02")]
    assert listed(client_for(colleague)) == [("colleague", "kent", "due_soon", "2026-03-02")]
    assert listed(client_for(outsider)) == []
    assert listed(client_for(staff)) == [
        ("colleague", "kent", "due_soon", "2026-03-02"),
        ("owner", "kent", "due_soon", "2026-03-02"),
    ]


def test_a_reminder_says_what_was_sent_to_whom_for_which_deadline(reminded, client_for, owner):
    (item,) = client_for(owner).get(URL).json()["results"]
    reminder = Reminder.objects.get(recipient=owner)

    assert item == {
        "id": reminder.pk,
        "request": reminder.request_id,
        "campaign": reminder.request.campaign_id,
        "force": "kent",
        "kind": "due_soon",
        "kind_label": "Answer due soon",
        "deadline": "2026-03-02",
        "recipient": "owner",
        "day": "2026-02-25",
        "state": "sent",
        "sent_at": "2026-02-25T07:00:00Z",
    }


def test_another_persons_reminder_is_not_found(reminded, client_for, outsider, owner):
    reminder = Reminder.objects.get(recipient=owner)

    assert client_for(outsider).get(f"{URL}{reminder.pk}/").status_code == 404
    assert client_for(None).get(URL).status_code in (401, 403)


def test_the_log_is_read_only(reminded, client_for, staff):
    reminder = Reminder.objects.first()

    assert client_for(staff).post(URL, {}).status_code == 405
    assert client_for(staff).delete(f"{URL}{reminder.pk}/").status_code == 405


@pytest.mark.parametrize("forces", [3, 30])
def test_the_log_is_listed_in_the_same_number_of_queries_for_3_or_30(owner, client_for, forces):
    campaign = CampaignFactory(owner=owner)
    with time_machine.travel(morning(day("2026-02-02")), tick=False):
        campaign_send(
            campaign=campaign,
            forces=list(Force.objects.order_by("slug")[:forces]),
            sent_on=day("2026-02-02"),
            user=owner,
        )
    sweep()
    client = client_for(owner)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)

    assert len(response.json()["results"]) == forces
    # The page with its request, force, person and digest (cursor pages need no count).
    assert len(queries) == 1


def test_a_person_turns_reminders_off_and_the_next_sweep_leaves_them_out(
    campaign, owner, colleague, client_for
):
    client = client_for(colleague)
    assert client.get(f"{URL}preference/").json() == {"receives_reminders": True}

    response = client.put(f"{URL}preference/", {"receives_reminders": False})

    assert response.status_code == 200
    assert response.json() == {"receives_reminders": False}
    sent_request(campaign, owner, day("2026-02-02"))
    sweep()
    assert list(Reminder.objects.values_list("recipient__username", flat=True)) == ["owner"]


def test_a_preference_that_is_not_a_yes_or_no_is_refused_naming_the_field(client_for, owner):
    response = client_for(owner).put(f"{URL}preference/", {"receives_reminders": "maybe"})

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "receives_reminders"
    assert not ReminderPreference.objects.exists()


# ---- Admin ---------------------------------------------------------------------------------


@pytest.fixture
def admin_client_for_staff(client, staff):
    client.force_login(staff)
    return client


@pytest.mark.parametrize(
    "page",
    [
        "/admin/requests_app/reminderpolicy/",
        "/admin/requests_app/reminderpolicy/1/change/",
        "/admin/requests_app/reminderpreference/",
        "/admin/requests_app/reminderpreference/add/",
        "/admin/requests_app/reminderdigest/",
        "/admin/requests_app/reminder/",
    ],
)
def test_every_reminder_admin_page_opens(reminded, admin_client_for_staff, page):
    assert admin_client_for_staff.get(page).status_code == 200


def test_the_admin_shows_why_a_digest_failed_and_can_send_it_again(
    reminded, admin_client_for_staff
):
    digest = ReminderDigest.objects.first()
    ReminderDigest.objects.filter(pk=digest.pk).update(
        state="failed", attempts=6, last_error="Attempt 6: SMTPDataError: (554, b'refused')"
    )

    page = admin_client_for_staff.get(f"/admin/requests_app/reminderdigest/{digest.pk}/change/")
    assert "SMTPDataError: (554, b&#x27;refused&#x27;)" in page.content.decode()
    admin_client_for_staff.post(
        "/admin/requests_app/reminderdigest/",
        {"action": "send_again", "_selected_action": [digest.pk]},
    )

    digest.refresh_from_db()
    assert (digest.state, digest.attempts) == ("pending", 0)


def test_the_policy_cannot_be_added_twice_or_deleted(admin_client_for_staff):
    assert admin_client_for_staff.get("/admin/requests_app/reminderpolicy/add/").status_code == 403
    page = "/admin/requests_app/reminderpolicy/1/delete/"
    assert admin_client_for_staff.get(page).status_code == 403
