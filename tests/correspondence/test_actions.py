"""What a person does with a message: one action turns a reply into the status machine's
event (or the response, with the message's files); an unmatched message is assigned or
discarded with a reason. The campaign went by email on Mon 2 Mar 2026; mail arrives Tue 3 Mar.

Kent's answer was due on Tue 31 Mar 2026 (tests/correspondence/test_sending.py counts it); an
extension's ceiling is 20 working days after that: 1-2 Apr are days 1-2, Good Friday 3 Apr and
Easter Monday 6 Apr are holidays, 7-10 Apr 3-6, 13-17 Apr 7-11, 20-24 Apr 12-16, 27-30 Apr
17-20: Thu 30 Apr 2026.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from correspondence import selectors
from correspondence.models import Message, State
from correspondence.services import actions
from correspondence.services.filing import message_file
from requests_app.models import RequestEvent
from requests_app.services import request_create
from responses_app.models import FoiResponse
from tests.correspondence import corpus
from tests.factories import CampaignFactory

ARRIVED = dt.date(2026, 3, 3)


def filed(raw: bytes) -> Message:
    return Message.objects.get(pk=message_file(raw=raw).message.pk)


@pytest.fixture
def answer(sent_by_email, next_day) -> Message:
    kent = sent_by_email.requests["kent"]
    return filed(corpus.answer_with_files(sent_by_email.token("kent"), kent.pk))


def test_a_reply_classified_as_a_response_records_it_with_its_files(answer, data_entry):
    done = actions.message_classify(
        message=answer, kind="response", outcome="granted", user=data_entry
    )
    response = FoiResponse.objects.get()
    answer.request.refresh_from_db()
    assert (response.request, response.received_on, response.outcome) == (
        answer.request,
        ARRIVED,
        "granted",
    )
    assert sorted(response.documents.values_list("original_name", flat=True)) == [
        "FOI.xlsx",
        "Response.pdf",
    ]
    assert (done.state, done.event.kind, done.handled_by) == (State.FILED, "response", data_entry)
    assert answer.request.status == "responded"
    # Its spreadsheet still waits for someone to enter the figures from it.
    assert [r.pk for r in selectors.requests_with_spreadsheets_to_enter(data_entry)] == [
        answer.request_id
    ]


def test_an_extension_with_its_date_moves_the_deadline(answer, owner):
    actions.message_classify(
        message=answer, kind="extension", until=dt.date(2026, 4, 20), user=owner
    )
    answer.request.refresh_from_db()
    assert (answer.request.status, answer.request.extended_due_on) == (
        "extended",
        dt.date(2026, 4, 20),
    )
    assert answer.request.extension_limit_on == dt.date(2026, 4, 30)


def test_a_clarification_request_stops_the_clock_and_keeps_the_forces_reference(answer, owner):
    actions.message_classify(
        message=answer, kind="clarification_requested", user=owner, force_reference="FOI 99/26"
    )
    answer.request.refresh_from_db()
    assert (answer.request.status, answer.request.due_on, answer.request.reference) == (
        "awaiting_clarification",
        None,
        "FOI 99/26",
    )
    event = RequestEvent.objects.get(request=answer.request, kind="clarification_requested")
    assert (event.on, event.note) == (ARRIVED, f"From the force's email, message {answer.pk}.")


def test_what_the_status_machine_refuses_writes_nothing(answer, owner):
    with pytest.raises(ValidationError) as refused:
        actions.message_classify(message=answer, kind="internal_review_response", user=owner)
    assert list(refused.value.message_dict) == ["kind"]
    with pytest.raises(ValidationError) as no_outcome:
        actions.message_classify(message=answer, kind="response", user=owner)
    assert no_outcome.value.message_dict == {
        "outcome": ["Say what the answer was (granted, refused...)."]
    }
    answer.refresh_from_db()
    assert answer.state == State.TO_CLASSIFY
    assert RequestEvent.objects.filter(request=answer.request).count() == 1
    assert not FoiResponse.objects.exists()


def test_a_message_is_classified_once(answer, owner, colleague):
    actions.message_classify(message=answer, kind="clarification_requested", user=owner)
    with pytest.raises(ValidationError) as refused:
        actions.message_classify(message=answer, kind="acknowledged", user=colleague)
    assert refused.value.message_dict == {
        "message": [
            "This message is 'filed'; only a message that is waiting for a person to classify "
            "can be changed this way."
        ]
    }


def test_an_unmatched_message_assigned_to_a_request_gets_its_files(sent_by_email, next_day, owner):
    stray = (
        corpus.forwarded("notatoken", 1)
        .replace(b"[FT-1]", b"")
        .replace(b"foi+notatoken@replies.example.org", b"foi@tracker.example.org")
    )
    message = filed(stray)
    assert message.state == State.UNMATCHED
    kent = sent_by_email.requests["kent"]
    assigned = actions.message_assign(message=message, request=kent, user=owner)
    assert (assigned.request, assigned.matched_by, assigned.state) == (
        kent,
        "person",
        State.TO_CLASSIFY,
    )
    assert assigned.from_outside_force  # the researcher's own address
    [attachment] = assigned.attachments.all()
    assert (attachment.document.request, attachment.document.original_name) == (kent, "kent.xlsx")


def test_an_acknowledgement_assigned_by_a_person_records_the_acknowledgement(
    sent_by_email, next_day, owner
):
    kent = sent_by_email.requests["kent"]
    # A second open request to Kent: the sender's domain no longer says which one it is about.
    request_create(
        campaign=CampaignFactory(owner=owner),
        force=kent.force,
        user=owner,
        sent_on=dt.date(2026, 3, 2),
    )
    raw = corpus.acknowledgement("notatoken", 0).replace(b" [FT-0]", b"")
    message = filed(raw)
    assert (message.state, message.force) == (State.UNMATCHED, kent.force)
    assigned = actions.message_assign(message=message, request=kent, user=owner)
    assert (assigned.state, assigned.event.kind) == (State.FILED, "acknowledged")


def test_a_discarded_message_says_why(sent_by_email, next_day, owner):
    message = filed(corpus.from_another_kent_address())
    with pytest.raises(ValidationError) as refused:
        actions.message_discard(message=message, reason="  ", user=owner)
    assert refused.value.message_dict == {
        "reason": ["Say why the message is discarded (e.g. 'spam')."]
    }
    done = actions.message_discard(message=message, reason="A sales pitch", user=owner)
    assert (done.state, done.note, done.handled_by) == (
        State.DISCARDED,
        "Discarded: A sales pitch",
        owner,
    )
