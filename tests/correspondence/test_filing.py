"""Filing the forces' mail: each realistic message of the corpus lands on the right request,
once, with its files kept as documents, and only acknowledgements and bounces change a request
by themselves. The campaign went by email to Kent, Essex and BTP on Mon 2 Mar 2026; the mail
arrives on Tue 3 Mar."""

from __future__ import annotations

import datetime as dt

import pytest

from correspondence import selectors
from correspondence.models import Attachment, ForceContact, Message, RequestMailbox, State
from correspondence.services import sending
from correspondence.services.filing import message_file
from requests_app.models import FoiRequest, Force, RequestEvent
from requests_app.services import request_create
from responses_app.documents import PDF, XLSX
from responses_app.models import Document
from tests.correspondence import corpus
from tests.correspondence.conftest import at
from tests.factories import CampaignFactory

ARRIVED = dt.date(2026, 3, 3)
KENT = "freedomofinformation@kent.police.uk"


def file(raw: bytes) -> Message:
    filed = message_file(raw=raw)
    assert not filed.duplicate
    return Message.objects.get(pk=filed.message.pk)


def events(request) -> list[tuple]:
    return list(
        RequestEvent.objects.filter(request=request).values_list("kind", "on", "created_by")
    )


def test_an_acknowledgement_records_the_event_and_the_forces_reference(sent_by_email, next_day):
    kent = sent_by_email.requests["kent"]
    message = file(corpus.acknowledgement(sent_by_email.token("kent"), kent.pk))
    kent.refresh_from_db()
    assert (message.request, message.matched_by, message.classification, message.state) == (
        kent,
        "address",
        "acknowledgement",
        State.FILED,
    )
    assert (message.force_reference, kent.reference) == ("FOI 1234/26", "FOI 1234/26")
    assert events(kent) == [
        ("sent", dt.date(2026, 3, 2), kent.campaign.owner_id),
        (
            "acknowledged",
            ARRIVED,
            None,
        ),
    ]
    assert message.event.note == f"From the force's email, message {message.pk}."
    assert kent.status == "sent" and not message.from_outside_force


def test_an_out_of_office_is_an_acknowledgement_once(sent_by_email, next_day):
    kent = sent_by_email.requests["kent"]
    first = file(corpus.out_of_office(sent_by_email.token("kent")))
    second = file(corpus.acknowledgement(sent_by_email.token("kent"), kent.pk))
    assert (first.classification, first.state) == ("auto_reply", State.FILED)
    assert first.event.kind == "acknowledged"
    assert second.event is None
    assert second.note == "The force had already acknowledged the request on 2026-03-03."
    assert [kind for kind, _, _ in events(kent)] == ["sent", "acknowledged"]


def test_an_answer_keeps_its_files_as_documents_and_waits_for_a_person(sent_by_email, next_day):
    kent = sent_by_email.requests["kent"]
    message = file(corpus.answer_with_files(sent_by_email.token("kent"), kent.pk))
    assert (message.classification, message.state) == ("reply", State.TO_CLASSIFY)
    files = [
        (a.filename, a.document.content_type if a.document else None, a.refused)
        for a in message.attachments.select_related("document")
    ]
    assert files == [
        ("FOI.xlsx", XLSX, ""),
        ("Response.pdf", PDF, ""),
        ("logo.png", None, "This file is not a PDF, XLSX, XLS, ODS, CSV, TXT or DOCX file."),
    ]
    assert set(Document.objects.values_list("request", "response")) == {(kent.pk, None)}
    kent.refresh_from_db()
    assert kent.status == "sent" and [k for k, _, _ in events(kent)] == ["sent"]
    assert list(selectors.requests_with_spreadsheets_to_enter(kent.campaign.owner)) == [kent]


def test_a_reply_with_only_in_reply_to_is_matched_by_the_thread(sent_by_email, next_day):
    essex = sent_by_email.requests["essex"]
    message = file(corpus.reply_in_thread(sent_by_email.letters["essex"].message_id))
    assert (message.request, message.matched_by, message.state) == (
        essex,
        "thread",
        State.TO_CLASSIFY,
    )


def test_another_address_of_the_force_is_matched_while_one_request_is_open(
    sent_by_email, next_day, owner
):
    message = file(corpus.from_another_kent_address())
    assert (message.request, message.matched_by) == (sent_by_email.requests["kent"], "domain")
    assert not message.from_outside_force

    # A second campaign with an open request to Kent: the domain no longer says which.
    with_kent_too = CampaignFactory(owner=owner)
    request_create(
        campaign=with_kent_too,
        force=Force.objects.get(slug="kent"),
        user=owner,
        sent_on=dt.date(2026, 3, 2),
    )
    unmatched = file(corpus.from_another_kent_address("<smith-2@kent.police.uk>"))
    assert (unmatched.request, unmatched.state, unmatched.force.slug) == (
        None,
        State.UNMATCHED,
        "kent",
    )


def test_a_forwarded_answer_is_filed_flagged_with_the_files_inside_it(sent_by_email, next_day):
    kent = sent_by_email.requests["kent"]
    message = file(corpus.forwarded(sent_by_email.token("kent"), kent.pk))
    assert (message.request, message.matched_by, message.from_outside_force) == (
        kent,
        "address",
        True,
    )
    assert message.state == State.TO_CLASSIFY
    assert [a.filename for a in message.attachments.all()] == ["kent.xlsx"]
    assert message.attachments.get().document.content_type == XLSX


def test_a_message_without_message_id_is_filed_once_by_its_bytes(sent_by_email, next_day):
    raw = corpus.without_message_id(sent_by_email.token("kent"))
    first = message_file(raw=raw)
    again = message_file(raw=raw)
    assert (first.duplicate, again.duplicate, again.message.pk) == (False, True, first.message.pk)
    assert first.message.fingerprint.startswith("sha256:")
    assert Message.objects.filter(direction="in").count() == 1


def test_the_same_message_delivered_twice_is_filed_once(sent_by_email, next_day):
    kent = sent_by_email.requests["kent"]
    raw = corpus.answer_with_files(sent_by_email.token("kent"), kent.pk)
    first, again = message_file(raw=raw), message_file(raw=raw)
    assert (first.duplicate, again.duplicate) == (False, True)
    assert Message.objects.filter(direction="in").count() == 1
    assert Document.objects.count() == 2


def test_an_oversized_message_keeps_only_its_headers(sent_by_email, next_day, settings):
    settings.MAIL_MAX_BYTES = 20_000
    raw = corpus.oversized(sent_by_email.token("kent"), 30_000)
    message = file(raw)
    assert (message.too_large, message.raw, message.size) == (True, None, len(raw))
    assert (message.subject, message.body_text) == ("Our response (large attachment)", "")
    assert message.note == (
        f"The message was {len(raw):,} bytes, over the limit of 20,000: only its headers were "
        "kept. Ask the force to send its files another way."
    )
    assert not Attachment.objects.exists() and not Document.objects.exists()
    assert message.request == sent_by_email.requests["kent"]


def test_malformed_mime_is_filed_with_what_can_be_read(sent_by_email, next_day):
    message = file(corpus.malformed(sent_by_email.token("kent")))
    assert message.request == sent_by_email.requests["kent"]
    assert message.body_text == "The figures are \u201cattached\u201d."
    [attachment] = message.attachments.all()
    assert (attachment.filename, attachment.document) == ("reply.pdf", None)
    assert attachment.refused == "This file is not a PDF, XLSX, XLS, ODS, CSV, TXT or DOCX file."
    assert message.state == State.TO_CLASSIFY


@pytest.mark.parametrize(
    ("charset", "text"),
    [
        ("windows-1252", "The \u201ccost limit\u201d is \u00a3450 \u2013 18 hours.\n"),
        ("iso-8859-1", "Caf\u00e9 r\u00e9ponse: \u00a312.\n"),
    ],
)
def test_bodies_in_old_charsets_read_as_written(sent_by_email, next_day, charset, text):
    raw = corpus.in_charset(sent_by_email.token("kent"), charset, text, f"<{charset}@kent>")
    assert file(raw).body_text == text


def test_an_html_body_is_kept_as_text_and_cleaned_html(sent_by_email, next_day):
    message = file(corpus.html_only(sent_by_email.token("kent")))
    assert message.body_text == "Dear Alex,\nWe hold 14 records & more.\nRegards"
    assert message.body_html == (
        "<p>Dear Alex,</p><p>We hold <b>14</b> records &amp; more.</p><p>Regards</p>"
    )


def test_a_postfix_bounce_marks_the_request_and_its_letter(sent_by_email, next_day):
    kent = sent_by_email.requests["kent"]
    letter = sent_by_email.letters["kent"]
    message = file(corpus.postfix_bounce(sent_by_email.token("kent"), letter.message_id, KENT))
    reason = f"{KENT}: 5.1.1 smtp; 550 5.1.1 <{KENT}>: Recipient address rejected: User unknown"
    assert (message.classification, message.state, message.bounce_reason) == (
        "bounce",
        State.FILED,
        reason,
    )
    letter.refresh_from_db()
    assert (letter.state, letter.last_error) == (State.UNDELIVERED, reason)
    [marked] = selectors.requests_undelivered(FoiRequest.objects.filter(campaign=kent.campaign_id))
    assert (marked, marked.undelivered_reason) == (kent, reason)
    kent.refresh_from_db()
    assert kent.status == "sent"  # a bounce marks; it records no event


def test_an_exim_bounce_to_the_from_address_is_matched_by_the_letter_it_returns(
    sent_by_email, next_day
):
    essex = sent_by_email.requests["essex"]
    recipient = "info.rights.freedom@essex.police.uk"
    message = file(corpus.exim_bounce(sent_by_email.letters["essex"].message_id, recipient))
    assert (message.request, message.matched_by, message.classification) == (
        essex,
        "thread",
        "bounce",
    )
    assert message.bounce_reason == (
        f"{recipient}: 5.0.0 smtp; 550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found"
    )
    assert RequestMailbox.objects.get(request=essex).undelivered_at == at("2026-03-03", 11)


def test_exchange_reports_a_failure_and_a_delay_differently(sent_by_email, next_day):
    btp, letter = sent_by_email.requests["btp"], sent_by_email.letters["btp"]
    token, recipient = sent_by_email.token("btp"), "foi@btp.pnn.police.uk"
    delayed = file(corpus.exchange_ndr(token, letter.message_id, recipient, action="delayed"))
    assert (delayed.classification, delayed.state) == ("delivery_report", State.FILED)
    assert RequestMailbox.objects.get(request=btp).undelivered_at is None
    failed = file(corpus.exchange_ndr(token, letter.message_id, recipient))
    assert failed.classification == "bounce"
    assert failed.bounce_reason.startswith(f"{recipient}: 5.4.1 smtp;550 5.4.1 Recipient")


def test_a_bounced_letter_resent_to_a_corrected_address_clears_the_mark(
    sent_by_email, next_day, owner, django_capture_on_commit_callbacks
):
    kent, letter = sent_by_email.requests["kent"], sent_by_email.letters["kent"]
    file(corpus.postfix_bounce(sent_by_email.token("kent"), letter.message_id, KENT))
    letter.refresh_from_db()
    ForceContact.objects.create(force=kent.force, address="foi@kent.police.uk")
    with django_capture_on_commit_callbacks(execute=True):
        resent = sending.letter_resend(message=letter, user=owner)
    resent.refresh_from_db()
    assert (resent.state, resent.to_addresses) == (State.SENT, "foi@kent.police.uk")
    assert RequestMailbox.objects.get(request=kent).undelivered_reason == ""
    campaign_requests = FoiRequest.objects.filter(campaign=kent.campaign_id)
    assert list(selectors.requests_undelivered(campaign_requests)) == []


def test_mail_from_nowhere_known_is_unmatched_and_keeps_its_files_for_later(
    sent_by_email, next_day
):
    raw = (
        corpus.forwarded("notatoken", 999_999)
        .replace(b"[FT-999999]", b"[no reference]")
        .replace(b"foi+notatoken@replies.example.org", b"foi@tracker.example.org")
    )
    message = file(raw)
    assert (message.request, message.state, message.force, message.from_outside_force) == (
        None,
        State.UNMATCHED,
        None,
        False,
    )
    [attachment] = message.attachments.all()
    assert (attachment.document, attachment.refused) == (None, "")
    assert not Document.objects.exists()
    assert at("2026-03-03", 11) == message.received_at
