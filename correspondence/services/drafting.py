"""The letters a person sends after reading the force's answer: an internal review request to
the force, and a complaint to the regulator (ICO under FOIA s.50; the Jersey Information
Commissioner; Guernsey's appeals panel). Each is drafted with the request's dates and both
references, edited, then sent; the event it is (`internal_review_requested`, `complaint`) is
recorded when the mail server accepts it."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from correspondence.addresses import force_address
from correspondence.letters import letter_render
from correspondence.models import Direction, Letter, Message, State
from correspondence.services.sending import (
    LETTER_EVENTS,
    mailboxes_open,
    outbound_letter,
    send_after_commit,
    send_slots,
    thread_after,
)
from requests_app.models import FoiRequest
from requests_app.status import TransitionRefused, next_status

DRAFTED = (Letter.INTERNAL_REVIEW, Letter.COMPLAINT)


def letter_draft(
    *, request: FoiRequest, letter: str, user: AbstractBaseUser, grounds: str = ""
) -> Message:
    """A draft of the letter, for the person to read and edit before it is sent. A complaint
    has no address yet: the regulator's is given when editing it."""
    if letter not in DRAFTED:
        raise ValidationError({"letter": "Draft an internal_review or a complaint letter."})
    request = FoiRequest.objects.select_related("campaign", "force__contact").get(pk=request.pk)
    _check_allowed(request, letter)
    if not request.campaign.requester_name.strip():
        raise ValidationError(
            {"requester_name": "The campaign has no requester's name to sign the letter with."}
        )
    token = mailboxes_open([request])[request.pk]
    events = list(request.events.order_by("on", "id"))
    rendered = letter_render(request, letter, token=token, events=events, grounds=grounds)
    to = force_address(request.force) if letter == Letter.INTERNAL_REVIEW else ""
    draft = outbound_letter(
        request,
        letter,
        subject=rendered.subject,
        body=rendered.body,
        to=to,
        user=user,
        state=State.DRAFT,
    )
    first = request.messages.filter(letter=Letter.REQUEST, state=State.SENT).first()
    if letter == Letter.INTERNAL_REVIEW and first is not None:
        thread_after(draft, first.message_id)
    with transaction.atomic():
        draft.full_clean(exclude=["raw"], validate_constraints=False)
        draft.save()
    return draft


def draft_edit(
    *,
    message: Message,
    user: AbstractBaseUser,
    subject: str | None = None,
    body: str | None = None,
    to: str | None = None,
) -> Message:
    """Change a draft's subject, text or addressee; a letter once queued is not edited."""
    with transaction.atomic():
        draft = _draft(message)
        if subject is not None:
            draft.subject = " ".join(subject.split())
        if body is not None:
            draft.body_text = body
        if to is not None:
            draft.to_addresses = _addresses(to)
        draft.full_clean(exclude=["raw"], validate_constraints=False)
        draft.save(update_fields=["subject", "body_text", "to_addresses"])
    return draft


def draft_send(*, message: Message, user: AbstractBaseUser) -> Message:
    """Queue the draft. Its event is recorded when the mail server accepts it, if the status
    machine still allows it then."""
    with transaction.atomic():
        draft = _draft(message)
        if not draft.to_list:
            raise ValidationError(
                {"to": "Give the address to send it to (the regulator's, for a complaint)."}
            )
        if not draft.body_text.strip() or not draft.subject.strip():
            raise ValidationError({"body": "The letter has no text or no subject."})
        _check_allowed(draft.request, draft.letter)
        draft.state, draft.not_before = State.QUEUED, send_slots(1, timezone.now())[0]
        draft.created_by = user
        draft.save(update_fields=["state", "not_before", "created_by"])
        send_after_commit([draft])
    return draft


def _draft(message: Message) -> Message:
    # Only the message's row is locked: PostgreSQL cannot lock the nullable side of the join.
    draft = (
        Message.objects.select_for_update(of=("self",)).select_related("request").get(pk=message.pk)
    )
    if draft.direction != Direction.OUT or draft.state != State.DRAFT:
        raise ValidationError({"message": "Only a draft letter is edited or sent this way."})
    return draft


def _check_allowed(request: FoiRequest, letter: str) -> None:
    try:
        next_status(request.status, LETTER_EVENTS[letter])
    except TransitionRefused as refused:
        raise ValidationError({"letter": str(refused)}) from refused


def _addresses(value: str) -> str:
    addresses = [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError as bad:
            raise ValidationError({"to": f"'{address}' is not an email address."}) from bad
    return ", ".join(addresses)
