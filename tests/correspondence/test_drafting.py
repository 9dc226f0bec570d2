"""Internal-review requests and complaints: drafted with the request's dates and references,
edited, then sent; the event is recorded when the mail server accepts the letter.

Kent got the request by email on Mon 2 Mar 2026 (reference FOI 1234/26) and answered on Fri
20 Mar. The ICO's 40 working days to ask for a review run from the answer: 23-27 Mar are days
1-5, 30-31 Mar 6-7, 1-2 Apr 8-9, Good Friday and Easter Monday off, 7-10 Apr 10-13, 13-17 Apr
14-18, 20-24 Apr 19-23, 27-30 Apr 24-27, 1 May 28, 4 May a bank holiday, 5-8 May 29-32,
11-15 May 33-37, 18-20 May 38-40: Wed 20 May 2026.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from correspondence.models import ForceContact, Letter, Message, State
from correspondence.services import drafting, sending
from requests_app.models import Force, RequestEvent
from requests_app.services import request_record_event
from responses_app.services import response_record
from tests.correspondence.conftest import REQUESTER, at


@pytest.fixture
def answered(sent_by_email, owner, smtp_server):
    kent = sent_by_email.requests["kent"]
    kent.reference = "FOI 1234/26"
    kent.save()
    with time_machine.travel(at("2026-03-20"), tick=False):
        response_record(
            request=kent, received_on=dt.date(2026, 3, 20), outcome="refused", user=owner
        )
    kent.refresh_from_db()
    return kent


@pytest.fixture
def april():
    with time_machine.travel(at("2026-04-02", 10), tick=False) as traveller:
        yield traveller


def test_an_internal_review_is_drafted_with_the_dates_and_both_references(
    answered, owner, april, sent_by_email
):
    draft = drafting.letter_draft(request=answered, letter=Letter.INTERNAL_REVIEW, user=owner)
    token = sent_by_email.token("kent")
    assert (draft.state, draft.to_addresses, draft.subject) == (
        State.DRAFT,
        "freedomofinformation@kent.police.uk",
        f"Internal review of Freedom of Information request: {answered.campaign.title} "
        f"[FT-{answered.pk}]",
    )
    assert draft.in_reply_to == sent_by_email.letters["kent"].message_id
    assert draft.body_text == (
        "Dear Kent Police,\n\n"
        "I am writing to ask for an internal review of your answer to my request for "
        f'information "{answered.campaign.title}" (your reference FOI 1234/26), which I sent '
        "on 2 March 2026 and which you answered on 20 March 2026.\n\n"
        "[Say why the answer should be reviewed: the exemptions applied, the information left "
        "out, the search made.]\n\n"
        "The Information Commissioner's guidance expects an internal review to be completed "
        "within 20 working days, and within 40 working days in exceptional cases. I am asking "
        "within the 40 working days the guidance allows for asking (by 20 May 2026).\n\n"
        f"My name and address for correspondence:\n{REQUESTER}\n"
        f"foi+{token}@replies.example.org\n\n"
        f"Please keep the reference [FT-{answered.pk}] in the subject of your reply.\n\n"
        f"Yours faithfully,\n\n{REQUESTER}\n"
    )


def test_an_edited_review_is_sent_and_recorded_when_accepted(
    answered, owner, april, smtp_server, django_capture_on_commit_callbacks
):
    """The review's 20 working days from Thu 2 Apr: 7-10 Apr are days 1-4 (Good Friday and
    Easter Monday off), 13-17 5-9, 20-24 10-14, 27-30 15-18, 1 May 19, Tue 5 May 20 (4 May is
    a bank holiday)."""
    draft = drafting.letter_draft(
        request=answered, letter=Letter.INTERNAL_REVIEW, user=owner, grounds="The s.12 estimate."
    )
    assert "The s.12 estimate.\n" in draft.body_text
    edited = drafting.draft_edit(message=draft, user=owner, body="Please review the s.12 refusal.")
    with django_capture_on_commit_callbacks(execute=True):
        drafting.draft_send(message=edited, user=owner)
    [delivery] = smtp_server.received[-1:]
    assert delivery.parsed().get_content().replace("\r\n", "\n") == (
        "Please review the s.12 refusal.\n"
    )
    answered.refresh_from_db()
    assert (answered.status, answered.review_due_on) == ("review_requested", dt.date(2026, 5, 5))
    event = RequestEvent.objects.get(request=answered, kind="internal_review_requested")
    assert (event.on, event.created_by) == (dt.date(2026, 4, 2), owner)
    with pytest.raises(ValidationError) as refused:
        drafting.draft_edit(message=edited, user=owner, body="Too late")
    assert refused.value.message_dict == {
        "message": ["Only a draft letter is edited or sent this way."]
    }


def test_a_review_is_not_drafted_before_the_force_has_answered(sent_by_email, owner, april):
    with pytest.raises(ValidationError) as refused:
        drafting.letter_draft(
            request=sent_by_email.requests["essex"], letter=Letter.INTERNAL_REVIEW, user=owner
        )
    assert list(refused.value.message_dict) == ["letter"]
    assert "'internal review requested' cannot be recorded while the request is" in (
        refused.value.messages[0].lower()
    )
    assert not Message.objects.filter(state=State.DRAFT).exists()


def test_a_complaint_to_the_ico_under_s50_needs_the_regulators_address(
    answered, owner, april, smtp_server, django_capture_on_commit_callbacks
):
    draft = drafting.letter_draft(request=answered, letter=Letter.COMPLAINT, user=owner)
    assert draft.to_addresses == ""
    body = draft.body_text
    assert body.startswith("To the Information Commissioner's Office,\n\nI am applying under ")
    assert (
        "section 50 of the Freedom of Information Act 2000 for a decision whether Kent Police "
        "dealt with my request for information in accordance with Part I of the Act."
    ) in body
    assert (
        "- Sent on 2 March 2026.\n- An answer was due by 31 March 2026.\n"
        "- The authority answered on 20 March 2026.\n"
    ) in body
    with pytest.raises(ValidationError) as no_address:
        drafting.draft_send(message=draft, user=owner)
    assert no_address.value.message_dict == {
        "to": ["Give the address to send it to (the regulator's, for a complaint)."]
    }
    with pytest.raises(ValidationError) as bad:
        drafting.draft_edit(message=draft, user=owner, to="casework at ico")
    assert bad.value.message_dict == {"to": ["'casework at ico' is not an email address."]}
    drafting.draft_edit(message=draft, user=owner, to="complaints@regulator.example.org")
    with django_capture_on_commit_callbacks(execute=True):
        drafting.draft_send(message=draft, user=owner)
    assert smtp_server.received[-1].rcpt_tos == ["complaints@regulator.example.org"]
    answered.refresh_from_db()
    assert answered.status == "complaint"


@pytest.mark.parametrize(
    ("slug", "opening"),
    [
        (
            "jersey",
            "To the Jersey Information Commissioner,\n\nI am appealing under the Freedom of "
            "Information (Jersey) Law 2011 against the way States of Jersey Police dealt with my "
            "request for information, after its internal review.",
        ),
        (
            "guernsey",
            "To the Freedom of Information Appeals Panel,\n\nI am appealing under the States of "
            "Guernsey's Freedom of Information Code (2021) against the way Guernsey Police "
            "(Bailiwick Law Enforcement) dealt with my request for information. The request was "
            "answered through the Committee for Home Affairs. I am resident in the Bailiwick of "
            "Guernsey.",
        ),
    ],
)
def test_the_channel_islands_complaints_go_their_own_routes(
    mail_campaign, owner, settings, django_capture_on_commit_callbacks, slug, opening
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    force = Force.objects.get(slug=slug)
    ForceContact.objects.create(force=force, address=f"foi@{slug}.example.org")
    mail_campaign.guernsey_eligibility_confirmed = True
    mail_campaign.save()
    with (
        time_machine.travel(at("2026-03-02"), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        [request] = sending.campaign_send_by_email(
            campaign=mail_campaign, forces=[force], user=owner
        )
    with time_machine.travel(at("2026-04-20"), tick=False):
        request_record_event(request=request, kind="response", on=dt.date(2026, 4, 20), user=owner)
        draft = drafting.letter_draft(request=request, letter=Letter.COMPLAINT, user=owner)
    assert draft.body_text.startswith(opening)
