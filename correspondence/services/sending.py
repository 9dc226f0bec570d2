"""Sending letters to the forces, exactly once where that is possible.

Order of work (docs/email.md): the letters are committed as `queued` rows (one insert per
table, however many forces), each with its place in the queue at MAIL_SEND_RATE_PER_MINUTE;
after the commit a task per letter is queued for its time. A worker takes the row (a
conditional UPDATE only one worker can win, with a hold), hands the message to the SMTP server,
then marks it `sent` and records the letter's event (the request's `sent`, which starts the
legal clock on the day the force's mail server has it). A worker killed before SMTP loses
nothing: the hold expires and the redelivered task, or the next sweep of waiting letters,
sends it. A worker killed between SMTP and the mark sends that letter again: the one repeat we
accept, as for the reminders, because the other order could lose a letter silently.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from email.utils import format_datetime, formataddr, make_msgid

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Max, Q, QuerySet
from django.utils import timezone

from core.task_log import error_text
from correspondence.addresses import domain_of, force_address, new_token, reply_address
from correspondence.letters import letter_render
from correspondence.models import Direction, Letter, Message, RequestMailbox, State
from requests_app.deadlines import GUERNSEY_2021
from requests_app.models import Campaign, FoiRequest, Force, RequestEvent
from requests_app.services import campaign_drafts_create, request_record_event
from requests_app.status import EventKind, Status

logger = logging.getLogger(__name__)

# Longer than the send task's hard time limit, shorter than the broker's visibility timeout.
HOLD = dt.timedelta(minutes=10)
# A letter still queued this long after its time lost its task (a broker outage, a restart).
STRANDED_AFTER = dt.timedelta(minutes=15)
# What a refusing or unreachable mail server raises: worth another try later.
SEND_ERRORS = (smtplib.SMTPException, OSError)

# The event a letter is, once the force's mail server has it; a chaser is not an event.
LETTER_EVENTS = {
    Letter.REQUEST: EventKind.SENT,
    Letter.INTERNAL_REVIEW: EventKind.INTERNAL_REVIEW_REQUESTED,
    Letter.COMPLAINT: EventKind.COMPLAINT,
}

Schedule = list[tuple[int, dt.datetime]]


def campaign_send_by_email(
    *, campaign: Campaign, forces: Sequence[Force], user: AbstractBaseUser
) -> list[FoiRequest]:
    """Create the campaign's request to each force as a draft and queue its letter, in one
    transaction with one insert per table. Each request becomes `sent` when its letter is
    accepted by the mail server."""
    forces = list(Force.objects.select_related("contact").filter(pk__in=[f.pk for f in forces]))
    _check_sendable(campaign, forces)
    with transaction.atomic():
        drafts = campaign_drafts_create(campaign=campaign, forces=forces)
        letters_queue(requests=drafts, letter=Letter.REQUEST, user=user)
    return drafts


def request_send_by_email(*, request: FoiRequest, user: AbstractBaseUser) -> Message:
    """Queue the letter of one draft request (a request added to a campaign later)."""
    request = FoiRequest.objects.select_related("campaign", "force__contact").get(pk=request.pk)
    if request.status != Status.DRAFT:
        raise ValidationError({"request": "Only a draft request is sent; this one was already."})
    if request.messages.filter(
        letter=Letter.REQUEST, state__in=[State.QUEUED, State.SENT]
    ).exists():
        raise ValidationError({"request": "Its letter is already queued or sent."})
    _check_sendable(request.campaign, [request.force])
    with transaction.atomic():
        [message] = letters_queue(requests=[request], letter=Letter.REQUEST, user=user)
    return message


def _check_sendable(campaign: Campaign, forces: Sequence[Force]) -> None:
    if not settings.REPLY_ADDRESS:
        raise ValidationError(
            {
                "by_email": "Sending by email is not set up on this server: REPLY_ADDRESS is "
                "empty (see docs/email.md)."
            }
        )
    if not campaign.requester_name.strip():
        raise ValidationError(
            {
                "requester_name": "The campaign has no requester's name, which a valid request "
                "states (FOIA s.8(1)(b)): set it on the campaign before sending by email."
            }
        )
    no_address = sorted(force.name for force in forces if not force_address(force))
    if no_address:
        raise ValidationError(
            {
                "forces": f"No FOI email address for: {', '.join(no_address)}. Add one in the "
                "admin (force contacts), or send those requests another way."
            }
        )
    guernsey = [force for force in forces if force.regime == GUERNSEY_2021]
    if guernsey and not campaign.guernsey_eligibility_confirmed:
        raise ValidationError(
            {
                "forces": "Guernsey's FOI Code is open to Bailiwick residents only: confirm the "
                "requester's eligibility on the campaign before sending to Guernsey."
            }
        )


def mailboxes_open(requests: Iterable[FoiRequest]) -> dict[int, str]:
    """Each request's reply token, made for those that have none: one insert, one read."""
    ids = [request.pk for request in requests]
    RequestMailbox.objects.bulk_create(
        [RequestMailbox(request_id=pk, token=new_token()) for pk in ids], ignore_conflicts=True
    )
    return dict(RequestMailbox.objects.filter(request_id__in=ids).values_list("request", "token"))


def letters_queue(
    *,
    requests: Sequence[FoiRequest],
    letter: str,
    user: AbstractBaseUser | None,
    deadlines: dict[int, dt.date] | None = None,
) -> list[Message]:
    """Render and queue one letter to each request's force (requests with their force and
    campaign selected); each is sent after the commit at its place in the queue."""
    built = letters_build(requests=requests, letter=letter, user=user, deadlines=deadlines)
    created = Message.objects.bulk_create(built)
    send_after_commit(created)
    return created


def letters_build(
    *,
    requests: Sequence[FoiRequest],
    letter: str,
    user: AbstractBaseUser | None,
    deadlines: dict[int, dt.date] | None = None,
) -> list[Message]:
    """The letters, rendered and given their places in the queue, not yet saved."""
    tokens = mailboxes_open(requests)
    later = letter != Letter.REQUEST
    first_letters = _first_letters(requests) if later else {}
    logs = _logs(requests) if later else defaultdict(list)
    slots = send_slots(len(requests), timezone.now())
    messages = []
    for request, slot in zip(requests, slots, strict=True):
        deadline = (deadlines or {}).get(request.pk)
        rendered = letter_render(
            request, letter, token=tokens[request.pk], deadline=deadline, events=logs[request.pk]
        )
        message = outbound_letter(
            request,
            letter,
            subject=rendered.subject,
            body=rendered.body,
            to=force_address(request.force),
            user=user,
        )
        message.not_before, message.deadline = slot, deadline
        thread_after(message, first_letters.get(request.pk, ""))
        messages.append(message)
    return messages


def outbound_letter(
    request: FoiRequest,
    letter: str,
    *,
    subject: str,
    body: str,
    to: str,
    user: AbstractBaseUser | None,
    state: str = State.QUEUED,
) -> Message:
    message_id = new_message_id(request.pk)
    return Message(
        direction=Direction.OUT,
        request=request,
        force=request.force,
        letter=letter,
        state=state,
        from_address=settings.CORRESPONDENCE_FROM_EMAIL,
        to_addresses=to,
        subject=subject,
        body_text=body,
        message_id=message_id,
        fingerprint=f"mid:{message_id.lower()}",
        created_by=user,
    )


def new_message_id(request_id: int) -> str:
    # With the domain given: make_msgid would otherwise look up this machine's name each time.
    return make_msgid(f"foi{request_id}", domain=domain_of(settings.CORRESPONDENCE_FROM_EMAIL))


def _logs(requests: Sequence[FoiRequest]) -> dict[int, list[RequestEvent]]:
    """Each request's event log, oldest first, in one query: the letters recount it."""
    logs = defaultdict(list)
    events = RequestEvent.objects.filter(request__in=[r.pk for r in requests]).order_by("on", "id")
    for event in events:
        logs[event.request_id].append(event)
    return logs


def _first_letters(requests: Sequence[FoiRequest]) -> dict[int, str]:
    """The Message-ID of each request's letter, so later letters reply in its thread."""
    rows = Message.objects.filter(
        request__in=[r.pk for r in requests], letter=Letter.REQUEST, state=State.SENT
    ).values_list("request_id", "message_id")
    return dict(rows)


def thread_after(message: Message, parent_id: str) -> None:
    if parent_id:
        message.in_reply_to, message.references = parent_id, parent_id


def send_slots(count: int, now: dt.datetime) -> list[dt.datetime]:
    """The next `count` times at the deployment's rate, after the letters already waiting
    (read from the partial index of queued letters). Two sends queued at the very same moment
    may share slots: the rate is a courtesy to the provider, not a hard limit."""
    gap = dt.timedelta(minutes=1) / max(settings.MAIL_SEND_RATE_PER_MINUTE, 1)
    tail = Message.objects.filter(state=State.QUEUED, not_before__isnull=False).aggregate(
        last=Max("not_before")
    )["last"]
    start = now if tail is None or tail + gap <= now else tail + gap
    return [start + gap * index for index in range(count)]


def send_after_commit(messages: Iterable[Message]) -> None:
    schedule = [(message.pk, message.not_before or timezone.now()) for message in messages]

    def queue() -> None:
        from correspondence.tasks import queue_letters  # the tasks import these services

        queue_letters(schedule)

    transaction.on_commit(queue)


def letters_waiting(now: dt.datetime) -> QuerySet[Message]:
    """Queued letters held by nobody (or by a worker that died)."""
    return Message.objects.filter(state=State.QUEUED, direction=Direction.OUT).filter(
        Q(sending_until__isnull=True) | Q(sending_until__lt=now)
    )


def letters_stranded(now: dt.datetime) -> list[int]:
    """Letters whose time is long past and that nobody holds: their task was lost."""
    waiting = letters_waiting(now).filter(not_before__lt=now - STRANDED_AFTER)
    return list(waiting.order_by("not_before").values_list("pk", flat=True))


def letter_send(*, message_id: int) -> bool:
    """Send one queued letter if it is still waiting; False when it is gone, sent, failed or
    held by another worker. A refused send is re-raised for the task to retry, until the last
    attempt (or a permanent refusal), which marks the letter failed."""
    now = timezone.now()
    taken = (
        letters_waiting(now)
        .filter(pk=message_id)
        .update(sending_until=now + HOLD, attempts=F("attempts") + 1)
    )
    if not taken:
        return False
    message = Message.objects.select_related("request__campaign", "request__mailbox").get(
        pk=message_id
    )
    email = outbound_email(message, now)
    try:
        email.send()
    except SEND_ERRORS as error:
        final = message.attempts >= settings.MAIL_SEND_ATTEMPTS or _permanent(error)
        _record_failure(message, error, final=final)
        if final:
            return False
        raise
    _mark_sent(message, raw=email.message().as_bytes())
    return True


def outbound_email(message: Message, now: dt.datetime) -> EmailMessage:
    """The message as it goes out; its Date is fixed so the bytes stored are the bytes sent.
    The envelope sender (Return-Path) is the request's reply address, as well as Reply-To: a
    bounce goes to the envelope sender, and so it comes back matched to its request."""
    own_address = reply_address(message.request.mailbox.token)
    headers = {
        "From": formataddr((message.request.campaign.requester_name, message.from_address)),
        "Message-ID": message.message_id,
        "Date": format_datetime(now),
    }
    if message.in_reply_to:
        headers |= {"In-Reply-To": message.in_reply_to, "References": message.references}
    return EmailMessage(
        subject=message.subject,
        body=message.body_text,
        from_email=own_address,
        to=message.to_list,
        reply_to=[own_address],
        headers=headers,
    )


def _permanent(error: Exception) -> bool:
    """A 5xx answer is final (RFC 5321 4.2.1): retrying cannot help."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


def _record_failure(message: Message, error: Exception, *, final: bool) -> None:
    Message.objects.filter(pk=message.pk).update(
        state=State.FAILED if final else State.QUEUED,
        sending_until=None,
        last_error=f"Attempt {message.attempts}: {type(error).__name__}: {error}"[:2000],
    )
    # No address, subject or body: the message id leads to them in the admin.
    logger.log(
        logging.ERROR if final else logging.WARNING,
        "Letter not sent" if final else "Letter send failed; will retry",
        extra={
            "message_id": message.pk,
            "attempt": message.attempts,
            "final": final,
            "error": error_text(error),
        },
    )


def _mark_sent(message: Message, *, raw: bytes) -> None:
    now = timezone.now()
    with transaction.atomic():
        Message.objects.filter(pk=message.pk).update(
            state=State.SENT,
            sent_at=now,
            raw=raw,
            size=len(raw),
            sending_until=None,
            last_error="",
        )
        if message.replaces_id is not None:
            # A letter resent after a bounce: the mark comes back if this one bounces too.
            RequestMailbox.objects.filter(request_id=message.request_id).update(
                undelivered_reason="", undelivered_at=None
            )
        _record_letter_event(message, on=timezone.localdate(now))


def _record_letter_event(message: Message, *, on: dt.date) -> None:
    """The letter's event, dated the day the mail server accepted it. If the status machine
    refuses (someone recorded it by hand meanwhile), the letter stays sent and says why."""
    kind = LETTER_EVENTS.get(message.letter)
    request = message.request
    if kind is None or (kind == EventKind.SENT and request.status != Status.DRAFT):
        return
    try:
        event = request_record_event(
            request=request,
            kind=kind,
            on=on,
            user=message.created_by,
            note=f"By email, message {message.pk}.",
        )
    except ValidationError as refused:
        note = f"Sent; its event was not recorded: {' '.join(refused.messages)}"
        Message.objects.filter(pk=message.pk).update(note=note)
        return
    Message.objects.filter(pk=message.pk).update(event=event)


def letter_resend(*, message: Message, user: AbstractBaseUser) -> Message:
    """Send a failed or returned letter again as a new message, to the force's address as it
    is now (corrected in the admin's force contacts); the old row stays as the record."""
    if message.direction != Direction.OUT or message.state not in (State.FAILED, State.UNDELIVERED):
        raise ValidationError({"message": "Only a letter that failed or came back is resent."})
    request = FoiRequest.objects.select_related("campaign", "force__contact").get(
        pk=message.request_id
    )
    to = (
        message.to_addresses if message.letter == Letter.COMPLAINT else force_address(request.force)
    )
    copy = outbound_letter(
        request, message.letter, subject=message.subject, body=message.body_text, to=to, user=user
    )
    copy.replaces, copy.not_before = message, send_slots(1, timezone.now())[0]
    thread_after(copy, message.in_reply_to)
    with transaction.atomic():
        copy.full_clean(exclude=["raw"])
        copy.save()
        send_after_commit([copy])
    return copy


def letters_requeue(*, now: dt.datetime, send: Callable[[Schedule], object]) -> int:
    """Hand the stranded letters to `send` again; returns how many."""
    stranded = letters_stranded(now)
    if stranded:
        send([(pk, now) for pk in stranded])
    return len(stranded)
