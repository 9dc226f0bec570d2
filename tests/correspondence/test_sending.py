"""Sending a campaign by email: the letters reach a real SMTP server on loopback, each request
becomes `sent` on the day its letter is accepted, and a refusing server is retried, then the
letter is marked failed and can be resent.

Dates: sent on Mon 2 Mar 2026. FOIA's twentieth working day after it, counted on a printed
calendar: 3-6 Mar are days 1-4, 9-13 Mar 5-9, 16 Mar 10, Tue 17 Mar is St Patrick's Day (a bank
holiday in Northern Ireland, so not a working day under s.10(6)), 18-20 Mar 11-13, 23-27 Mar
14-18, Mon 30 Mar 19, Tue 31 Mar 20: due on 31 March 2026.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from correspondence.models import Letter, Message, RequestMailbox, State
from correspondence.services import sending
from requests_app.models import FoiRequest, Force, RequestEvent
from requests_app.services import request_record_event
from tests.correspondence.conftest import REQUESTER, at
from tests.factories import FoiRequestFactory

KENT = "freedomofinformation@kent.police.uk"
ESSEX = "info.rights.freedom@essex.police.uk"
BTP = "foi@btp.pnn.police.uk"
SENT_ON = dt.date(2026, 3, 2)
DUE_ON = dt.date(2026, 3, 31)
INSERT_INTO = re.compile(r'INSERT (?:OR IGNORE )?INTO "(\w+)"')


def forces(*slugs: str) -> list[Force]:
    return [Force.objects.get(slug=slug) for slug in slugs]


def send(campaign, owner, capture, *slugs: str) -> list[FoiRequest]:
    """Send by email and run what waits for the commit (the eager task sends at once)."""
    with capture(execute=True):
        return sending.campaign_send_by_email(campaign=campaign, forces=forces(*slugs), user=owner)


def test_each_force_gets_its_letter_with_the_requests_own_reply_address(
    mail_campaign, owner, smtp_server, frozen, django_capture_on_commit_callbacks
):
    created = send(mail_campaign, owner, django_capture_on_commit_callbacks, "kent", "essex", "btp")

    by_recipient = {tuple(d.rcpt_tos): d for d in smtp_server.received}
    assert sorted(by_recipient) == [(BTP,), (KENT,), (ESSEX,)]
    for request in created:
        token = RequestMailbox.objects.get(request=request).token
        letter = Message.objects.get(request=request)
        delivery = by_recipient[(letter.to_addresses,)]
        parsed = delivery.parsed()
        assert delivery.mail_from == f"foi+{token}@replies.example.org"  # bounces come back
        assert parsed["From"] == f"{REQUESTER} <foi@tracker.example.org>"
        assert parsed["Reply-To"] == f"foi+{token}@replies.example.org"
        assert parsed["Subject"] == (
            f"Freedom of Information request: {mail_campaign.title} [FT-{request.pk}]"
        )
        assert parsed["Message-ID"].strip() == letter.message_id  # may be folded
        body = parsed.get_content().replace("\r\n", "\n")
        assert "under section 1 of the Freedom of Information Act 2000" in body
        assert mail_campaign.question in body
        assert "from 1 October 2019 to 30 September 2020" in body
        assert f"(section 8 of the Act):\n{REQUESTER}\nfoi+{token}@replies.example.org\n" in body
        assert f"[FT-{request.pk}]" in body
        assert (letter.state, letter.attempts, letter.sent_at) == (State.SENT, 1, at("2026-03-02"))


def test_the_clock_starts_on_the_day_the_mail_server_accepts_the_letter(
    mail_campaign, owner, smtp_server, frozen, django_capture_on_commit_callbacks
):
    frozen.move_to(at("2026-02-27", 16))  # queued on a Friday afternoon...
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        [request] = sending.campaign_send_by_email(
            campaign=mail_campaign, forces=forces("kent"), user=owner
        )
    request.refresh_from_db()
    assert (request.status, request.sent_on, request.due_on) == ("draft", None, None)

    frozen.move_to(at("2026-03-02", 9))  # ...and the mail server takes it on Monday
    for callback in waiting:
        callback()
    request.refresh_from_db()
    assert (request.status, request.sent_on, request.received_on) == ("sent", SENT_ON, SENT_ON)
    assert request.due_on == DUE_ON
    [event] = RequestEvent.objects.filter(request=request)
    letter = Message.objects.get(request=request)
    assert (event.kind, event.on, event.created_by, event.note) == (
        "sent",
        SENT_ON,
        owner,
        f"By email, message {letter.pk}.",
    )
    assert letter.event == event


def test_queueing_46_forces_writes_one_insert_per_table(
    mail_campaign, owner, frozen, django_capture_on_commit_callbacks
):
    """Every force with an address except Guernsey's (its Code needs the requester's residency
    confirmed): 43 of the register's 46 have an FOI address."""
    with_address = Force.objects.exclude(foi_email="").exclude(slug="guernsey")
    with CaptureQueriesContext(connection) as captured, django_capture_on_commit_callbacks():
        created = sending.campaign_send_by_email(
            campaign=mail_campaign, forces=list(with_address), user=owner
        )
    inserts = [m.group(1) for q in captured if (m := INSERT_INTO.match(q["sql"]))]
    assert len(created) == 43
    tables = ["correspondence_message", "correspondence_requestmailbox", "requests_app_foirequest"]
    if connection.vendor == "postgresql":
        assert sorted(inserts) == tables
    else:
        # SQLite takes at most 999 parameters a statement: Django splits the 43 messages (45
        # columns each) into batches of 22.
        assert sorted(set(inserts)) == tables
        assert inserts.count("correspondence_message") == 2
    # No query per force: the forces with their contacts, the check that none was sent yet, the
    # tokens made, and the tail of the send queue (the first SELECT is this test's own).
    selects = [q["sql"] for q in captured if q["sql"].startswith("SELECT")]
    assert len(selects) == 5, "\n".join(q[:150] for q in selects)
    assert Message.objects.filter(state=State.QUEUED).count() == 43


def test_letters_are_spaced_at_the_rate_after_those_already_waiting(
    mail_campaign, owner, frozen, settings, django_capture_on_commit_callbacks
):
    """20 a minute is one every 3 s; a second send queued a second later follows the first."""
    with django_capture_on_commit_callbacks():
        first = sending.campaign_send_by_email(
            campaign=mail_campaign, forces=forces("kent", "essex"), user=owner
        )
        frozen.shift(1)
        second = sending.campaign_send_by_email(
            campaign=mail_campaign, forces=forces("btp"), user=owner
        )
    start = at("2026-03-02")
    times = [Message.objects.get(request=r).not_before for r in [*first, *second]]
    assert times == [start, start + dt.timedelta(seconds=3), start + dt.timedelta(seconds=6)]


@pytest.mark.parametrize(
    ("change", "slugs", "field", "message"),
    [
        (
            {"requester_name": " "},
            ["kent"],
            "requester_name",
            "The campaign has no requester's name, which a valid request states (FOIA "
            "s.8(1)(b)): set it on the campaign before sending by email.",
        ),
        (
            {},
            ["kent", "gloucestershire", "jersey"],
            "forces",
            "No FOI email address for: Gloucestershire Constabulary, States of Jersey Police. "
            "Add one in the admin (force contacts), or send those requests another way.",
        ),
    ],
)
def test_it_refuses_what_cannot_be_sent_by_email_and_writes_nothing(
    mail_campaign, owner, frozen, change, slugs, field, message
):
    for name, value in change.items():
        setattr(mail_campaign, name, value)
    mail_campaign.save()
    with pytest.raises(ValidationError) as refused:
        sending.campaign_send_by_email(campaign=mail_campaign, forces=forces(*slugs), user=owner)
    assert refused.value.message_dict == {field: [message]}
    assert not FoiRequest.objects.exists() and not Message.objects.exists()


def test_guernsey_waits_for_the_requesters_residency_to_be_confirmed(
    mail_campaign, owner, frozen, smtp_server, django_capture_on_commit_callbacks
):
    guernsey = Force.objects.get(slug="guernsey")
    from correspondence.models import ForceContact

    ForceContact.objects.create(force=guernsey, address="foi@guernsey.example.gg")
    with pytest.raises(ValidationError) as refused:
        sending.campaign_send_by_email(campaign=mail_campaign, forces=[guernsey], user=owner)
    assert "open to Bailiwick residents only" in refused.value.messages[0]
    mail_campaign.guernsey_eligibility_confirmed = True
    mail_campaign.save()
    send(mail_campaign, owner, django_capture_on_commit_callbacks, "guernsey")
    body = smtp_server.received[0].parsed().get_content()
    assert "Freedom of Information Code (2021). I confirm that I am resident in the Bailiwick" in (
        body
    )


def test_a_refusing_server_is_retried_then_the_letter_is_failed_and_visible(
    mail_campaign, owner, smtp_server, frozen, caplog
):
    """MAIL_SEND_ATTEMPTS is 3 here: three 451 answers, each re-raised for the task to retry
    except the last, which marks the letter failed. The request stays a draft."""
    caplog.set_level(logging.WARNING)
    smtp_server.refuse = ["451 4.3.0 Try again later"] * 3
    [request] = sending.campaign_send_by_email(
        campaign=mail_campaign, forces=forces("kent"), user=owner
    )
    letter = Message.objects.get(request=request)
    for _ in range(2):
        with pytest.raises(sending.SEND_ERRORS):
            sending.letter_send(message_id=letter.pk)
    assert sending.letter_send(message_id=letter.pk) is False
    letter.refresh_from_db()
    request.refresh_from_db()
    assert (letter.state, letter.attempts, smtp_server.tried) == (State.FAILED, 3, 3)
    assert letter.last_error == ("Attempt 3: SMTPDataError: (451, b'4.3.0 Try again later')")
    assert request.status == "draft"
    assert sending.letter_send(message_id=letter.pk) is False  # failed letters are not taken
    assert [r.getMessage() for r in caplog.records if r.name.startswith("correspondence")] == [
        "Letter send failed; will retry",
        "Letter send failed; will retry",
        "Letter not sent",
    ]


def test_a_permanent_refusal_fails_at_once(mail_campaign, owner, smtp_server, frozen):
    smtp_server.refuse = ["550 5.7.1 Relaying denied"]
    [request] = sending.campaign_send_by_email(
        campaign=mail_campaign, forces=forces("kent"), user=owner
    )
    letter = Message.objects.get(request=request)
    assert sending.letter_send(message_id=letter.pk) is False
    letter.refresh_from_db()
    assert (letter.state, letter.attempts) == (State.FAILED, 1)


def test_a_failed_letter_is_resent_as_a_new_message_to_the_corrected_address(
    mail_campaign, owner, smtp_server, frozen, django_capture_on_commit_callbacks
):
    from correspondence.models import ForceContact

    smtp_server.refuse = ["550 5.1.1 No such user"]
    [request] = send(mail_campaign, owner, django_capture_on_commit_callbacks, "kent")
    failed = Message.objects.get(request=request)
    assert failed.state == State.FAILED
    ForceContact.objects.create(force=request.force, address="foi@kent.police.uk")
    with django_capture_on_commit_callbacks(execute=True):
        resent = sending.letter_resend(message=failed, user=owner)
    resent.refresh_from_db()
    request.refresh_from_db()
    assert (resent.state, resent.to_addresses, resent.replaces) == (
        State.SENT,
        "foi@kent.police.uk",
        failed,
    )
    assert resent.message_id != failed.message_id
    assert [d.rcpt_tos for d in smtp_server.received] == [["foi@kent.police.uk"]]
    assert (request.status, request.sent_on) == ("sent", SENT_ON)
    with pytest.raises(ValidationError):
        sending.letter_resend(message=resent, user=owner)


def test_a_letter_is_sent_by_one_worker_only(mail_campaign, owner, smtp_server, frozen):
    """The second worker's conditional UPDATE finds the row held by the first (or sent)."""
    [request] = sending.campaign_send_by_email(
        campaign=mail_campaign, forces=forces("kent"), user=owner
    )
    letter = Message.objects.get(request=request)
    Message.objects.filter(pk=letter.pk).update(sending_until=at("2026-03-02", 11))
    assert sending.letter_send(message_id=letter.pk) is False  # held by a worker still alive
    frozen.move_to(at("2026-03-02", 12))  # that worker died; its hold has expired
    assert sending.letter_send(message_id=letter.pk) is True
    assert sending.letter_send(message_id=letter.pk) is False
    assert len(smtp_server.received) == 1


def test_letters_whose_task_was_lost_are_queued_again(mail_campaign, owner, frozen):
    with pytest.MonkeyPatch.context():
        sending.campaign_send_by_email(
            campaign=mail_campaign, forces=forces("kent", "essex"), user=owner
        )
    handed = []
    assert sending.letters_requeue(now=at("2026-03-02", 10), send=handed.extend) == 0
    later = at("2026-03-02", 11)
    assert sending.letters_requeue(now=later, send=handed.extend) == 2
    assert handed == [(m.pk, later) for m in Message.objects.order_by("not_before")]


def test_a_letter_sent_after_the_request_was_recorded_by_hand_says_so(
    mail_campaign, owner, smtp_server, frozen
):
    [request] = sending.campaign_send_by_email(
        campaign=mail_campaign, forces=forces("kent"), user=owner
    )
    request_record_event(request=request, kind="withdrawn", on=SENT_ON, user=owner)
    letter = Message.objects.get(request=request)
    assert sending.letter_send(message_id=letter.pk) is True
    letter.refresh_from_db()
    assert letter.state == State.SENT
    assert letter.note == ""  # a withdrawn request is not a draft: no `sent` event is due
    assert RequestEvent.objects.filter(request=request).count() == 1


def test_a_single_draft_request_is_sent_by_email(
    mail_campaign, owner, smtp_server, frozen, django_capture_on_commit_callbacks
):
    draft = FoiRequestFactory(campaign=mail_campaign)
    with django_capture_on_commit_callbacks(execute=True):
        letter = sending.request_send_by_email(request=draft, user=owner)
    draft.refresh_from_db()
    assert (draft.status, draft.due_on) == ("sent", DUE_ON)
    assert letter.letter == Letter.REQUEST
    with pytest.raises(ValidationError) as refused:
        sending.request_send_by_email(request=draft, user=owner)
    assert refused.value.message_dict == {
        "request": ["Only a draft request is sent; this one was already."]
    }


def test_the_api_sends_by_email_and_answers_the_drafts(
    mail_campaign, owner, client_for, smtp_server, frozen, django_capture_on_commit_callbacks
):
    url = f"/api/v1/campaigns/{mail_campaign.pk}/send/"
    client = client_for(owner)
    both = client.post(url, {"forces": ["kent"], "by_email": True, "sent_on": "2026-03-02"})
    assert both.status_code == 400
    assert both.json()["errors"][0]["field"] == "sent_on"
    assert client.post(url, {"forces": ["kent"]}).json()["errors"] == [
        {"field": "sent_on", "message": "This field is required."}
    ]
    with django_capture_on_commit_callbacks(execute=False):
        answer = client.post(url, {"forces": ["kent", "essex"], "by_email": True})
    assert answer.status_code == 201, answer.json()
    assert [(r["force"], r["status"]) for r in answer.json()["requests"]] == [
        ("essex", "draft"),
        ("kent", "draft"),
    ]
    with time_machine.travel(at("2026-03-02", 11), tick=False):
        refused = client.post(url, {"forces": ["kent"], "by_email": True})
    assert refused.json()["errors"] == [
        {"field": "forces", "message": "This campaign was already sent to: kent."}
    ]
