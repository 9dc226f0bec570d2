"""Filing what arrives: one service behind both ways in (`receive_email` from a mail server's
pipe, and the IMAP poll).

Each message is filed once: its fingerprint (the Message-ID, or the digest of its bytes when it
has none) is unique, so a second delivery, a re-read after a crash, or two pollers at once find
it filed and do nothing. Everything a message leads to (the row, its attachments as documents,
an acknowledgement's event, a bounce's mark) is one transaction: a database that fails half-way
leaves nothing, and the mail server (exit 75) or the mailbox (not yet marked filed) still has
the message for the next try. Only acknowledgements and bounces change a request by
themselves; any other reply waits for a person (services/actions.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from correspondence.addresses import domain_of, force_domains, our_reference, within
from correspondence.classifying import bounce_reason, classify, force_reference
from correspondence.matching import message_match
from correspondence.models import (
    Attachment,
    Classification,
    Direction,
    Message,
    RequestMailbox,
    State,
)
from correspondence.parsing import ParsedMessage, message_parse
from requests_app.services import request_record_event
from requests_app.status import EventKind
from responses_app import documents
from responses_app.services import document_attach

TEXT_LIMIT = 1_000_000  # characters of a body kept in the row; the raw message keeps the rest
MAX_ATTACHMENTS = 50
# What a caller is told of a message already filed.
BRIEF = ("pk", "direction", "state", "request_id", "subject")
MACHINE_REPORTS = (Classification.BOUNCE, Classification.DELIVERY_REPORT)
AUTOMATIC_ACKNOWLEDGEMENTS = (Classification.ACKNOWLEDGEMENT, Classification.AUTO_REPLY)


@dataclass(frozen=True)
class Filed:
    message: Message
    duplicate: bool


def message_file(
    *, raw: bytes, received_at: dt.datetime | None = None, size: int | None = None
) -> Filed:
    """File one message from its bytes; a message already filed is left alone. `size` is the
    whole message's when `raw` is only its start (the headers of one over MAIL_MAX_BYTES)."""
    received_at = received_at or timezone.now()
    size = max(size or 0, len(raw))
    too_large = size > settings.MAIL_MAX_BYTES
    parsed = message_parse(raw, headers_only=too_large)
    fingerprint = fingerprint_of(parsed, raw)
    try:
        # No look-up first: a message is new far more often than not, and the fingerprint's
        # unique index refuses a copy already filed (or being filed by another process) at the
        # message's INSERT, the transaction's first write, before any document's file is
        # written. A rollback takes back the files written after it (an attachment's).
        with documents.files_removed_on_rollback(), transaction.atomic():
            message = _file(parsed, raw, fingerprint, received_at, size)
    except IntegrityError:
        earlier = Message.objects.filter(fingerprint=fingerprint).only(*BRIEF).first()
        if earlier is None:
            raise
        return Filed(earlier, duplicate=True)
    return Filed(message, duplicate=False)


def fingerprint_of(parsed: ParsedMessage, raw: bytes) -> str:
    if parsed.message_id:
        return f"mid:{parsed.message_id.lower()}"
    return f"sha256:{hashlib.sha256(raw).hexdigest()}"


def _file(
    parsed: ParsedMessage, raw: bytes, fingerprint: str, received_at: dt.datetime, size: int
) -> Message:
    too_large = size > settings.MAIL_MAX_BYTES
    match = message_match(parsed)
    message = Message(
        direction=Direction.IN,
        request=match.request,
        force=match.sender_force,
        classification=Classification.REPLY if too_large else classify(parsed),
        state=State.UNMATCHED,
        from_address=parsed.from_header,
        to_addresses=", ".join(parsed.to),
        cc_addresses=", ".join(parsed.cc),
        subject=parsed.subject,
        message_id=parsed.message_id,
        in_reply_to=" ".join(parsed.in_reply_to)[:998],
        references=" ".join(parsed.references),
        fingerprint=fingerprint,
        date=parsed.date,
        body_text=parsed.text[:TEXT_LIMIT],
        body_html=parsed.html[:TEXT_LIMIT],
        raw=None if too_large else raw,
        size=size,
        too_large=too_large,
        matched_by=match.by,
        received_at=received_at,
    )
    if too_large:
        message.note = (
            f"The message was {size:,} bytes, over the limit of {settings.MAIL_MAX_BYTES:,}: "
            "only its headers were kept. Ask the force to send its files another way."
        )
    acts = message.request is not None and message_decide(message, parsed)
    # Uniqueness is the database's to enforce (two deliveries at once), and the request and
    # force were just read from it: the other fields only, without a query each.
    message.full_clean(
        exclude=["raw", "request", "force"], validate_unique=False, validate_constraints=False
    )
    message.save()
    _attachments_keep(message, parsed)
    if acts:
        _carry_out(message, parsed)
    return message


def _from_outside(message: Message, parsed: ParsedMessage) -> bool:
    if message.classification in MACHINE_REPORTS:
        return False  # reports come from mail servers, often the sender's own provider
    return not within(domain_of(parsed.from_address), force_domains(message.request.force))


def _attachments_keep(message: Message, parsed: ParsedMessage) -> None:
    """A row for every file, made a Document (through the document checks) once the message
    has a request; a file the checks refuse is kept as a row with the reason."""
    rows = []
    for attached in parsed.attachments[:MAX_ATTACHMENTS]:
        row = Attachment(
            message=message,
            filename=documents.safe_name(attached.filename)[:200],
            declared_type=attached.content_type[:120],
            size=len(attached.content),
        )
        if attached.inline_image:
            row.refused = "An image shown in the message's body: not kept."
        elif message.request is not None:
            _attach(row, message, attached.content)
        rows.append(row)
    Attachment.objects.bulk_create(rows)


def _attach(row: Attachment, message: Message, content: bytes) -> None:
    try:
        row.document = document_attach(
            request=message.request, name=row.filename, content=content, user=None
        )
    except ValidationError as refused:
        row.refused = " ".join(refused.messages)


def attachments_attach(message: Message, parsed: ParsedMessage) -> None:
    """The files of a message matched late (assigned by a person) become documents now; the
    rows were made in the order of the message's parts."""
    rows = list(message.attachments.order_by("id"))
    for row, attached in zip(rows, parsed.attachments, strict=False):
        if row.document_id is None and not row.refused:
            _attach(row, message, attached.content)
            row.save(update_fields=["document", "refused"])


def message_decide(message: Message, parsed: ParsedMessage) -> bool:
    """Set a matched message's flag and state, before it is saved; True when it has effects
    to carry out once it has its id (a bounce, an acknowledgement from the force's domains)."""
    message.from_outside_force = _from_outside(message, parsed)
    kind = message.classification
    acts = kind == Classification.BOUNCE or (
        kind in AUTOMATIC_ACKNOWLEDGEMENTS and not message.from_outside_force
    )
    filed = acts or kind == Classification.DELIVERY_REPORT
    message.state = State.FILED if filed else State.TO_CLASSIFY
    return acts


def _carry_out(message: Message, parsed: ParsedMessage) -> None:
    """A bounce marks the request; an acknowledgement records `acknowledged`."""
    if message.classification == Classification.BOUNCE:
        _mark_undelivered(message, parsed)
    else:
        _acknowledge(message, parsed)
    message.save(update_fields=["note", "event", "force_reference", "bounce_reason"])


def message_act(message: Message, parsed: ParsedMessage) -> None:
    """What a message matched after it was saved (assigned by a person) does: the same as on
    arrival. Only acknowledgements and bounces change a request; a reply waits for a person."""
    acts = message_decide(message, parsed)
    message.save(update_fields=["state", "from_outside_force"])
    if acts:
        _carry_out(message, parsed)


def _acknowledge(message: Message, parsed: ParsedMessage) -> None:
    request = message.request
    message.force_reference = force_reference(parsed, our_reference(request.pk))
    if message.force_reference and not request.reference:
        request.reference = message.force_reference
        request.full_clean(exclude=["status"])
        request.save(update_fields=["reference", "updated_at"])
    earlier = request.events.filter(kind=EventKind.ACKNOWLEDGED).order_by("on").first()
    if earlier is not None:
        message.note = f"The force had already acknowledged the request on {earlier.on}."
        return
    try:
        message.event = request_record_event(
            request=request,
            kind=EventKind.ACKNOWLEDGED,
            on=timezone.localdate(message.received_at),
            user=None,
            note=f"From the force's email, message {message.pk}.",
        )
    except ValidationError as refused:
        message.note = f"Not recorded as an acknowledgement: {' '.join(refused.messages)}"


def _mark_undelivered(message: Message, parsed: ParsedMessage) -> None:
    """The board shows the request as undelivered with the reason, until a letter resent to
    a corrected address is accepted."""
    message.bounce_reason = bounce_reason(parsed)
    RequestMailbox.objects.filter(request_id=message.request_id).update(
        undelivered_reason=message.bounce_reason, undelivered_at=message.received_at
    )
    letters = Message.objects.filter(
        request_id=message.request_id, direction=Direction.OUT, state=State.SENT
    )
    returned = f"mid:{parsed.returned_message_id.lower()}" if parsed.returned_message_id else ""
    bounced = letters.filter(fingerprint=returned).first() if returned else None
    bounced = bounced or letters.order_by("-sent_at", "-id").first()
    if bounced is not None:
        Message.objects.filter(pk=bounced.pk).update(
            state=State.UNDELIVERED, last_error=message.bounce_reason
        )
