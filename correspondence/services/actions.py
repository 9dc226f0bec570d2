"""What a person decides about a message: which request an unmatched one is about, that one is
not worth keeping, and what a reply means for its request (one action that records the status
machine's event, or the response, through the same services as the API and the admin)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from correspondence.models import Direction, MatchedBy, Message, State
from correspondence.parsing import message_parse
from correspondence.services.filing import attachments_attach, message_act
from requests_app.models import FoiRequest, RequestEvent
from requests_app.services import request_record_event
from requests_app.status import EventKind
from responses_app.models import Document
from responses_app.services import documents_link, response_record

# What a force's message can be: its own steps in the status machine, not the requester's.
FROM_THE_FORCE = (
    EventKind.ACKNOWLEDGED,
    EventKind.CLARIFICATION_REQUESTED,
    EventKind.FEE_NOTICE,
    EventKind.EXTENSION,
    EventKind.RESPONSE,
    EventKind.INTERNAL_REVIEW_RESPONSE,
)


def _locked(message: Message, *states: str) -> Message:
    """The message under a row lock: two people acting on it at once act one after the other,
    and the second finds it already handled."""
    locked = Message.objects.select_for_update().get(pk=message.pk)
    if locked.direction != Direction.IN or locked.state not in states:
        allowed = " or ".join(State(s).label.lower() for s in states)
        raise ValidationError(
            {
                "message": f"This message is '{locked.get_state_display().lower()}'; only a "
                f"message that is {allowed} can be changed this way."
            }
        )
    return locked


def message_assign(*, message: Message, request: FoiRequest, user: AbstractBaseUser) -> Message:
    """File an unmatched message on `request`: its files become documents, and an
    acknowledgement or a bounce does what it would have done if matched on arrival."""
    with transaction.atomic():
        locked = _locked(message, State.UNMATCHED)
        locked.request = FoiRequest.objects.select_related("force__contact", "campaign").get(
            pk=request.pk
        )
        locked.matched_by = MatchedBy.PERSON
        locked.handled_by, locked.handled_at = user, timezone.now()
        locked.save(update_fields=["request", "matched_by", "handled_by", "handled_at"])
        parsed = message_parse(bytes(locked.raw or b""), headers_only=locked.too_large)
        attachments_attach(locked, parsed)
        message_act(locked, parsed)
    return locked


def message_discard(*, message: Message, reason: str, user: AbstractBaseUser) -> Message:
    """Put aside a message that is nobody's business (spam, a newsletter), saying why; it stays
    on record."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the message is discarded (e.g. 'spam')."})
    with transaction.atomic():
        locked = _locked(message, State.UNMATCHED, State.TO_CLASSIFY)
        locked.state, locked.note = State.DISCARDED, f"Discarded: {reason.strip()}"[:2000]
        locked.handled_by, locked.handled_at = user, timezone.now()
        locked.full_clean(exclude=["raw"], validate_unique=False, validate_constraints=False)
        locked.save(update_fields=["state", "note", "handled_by", "handled_at"])
    return locked


def message_classify(
    *,
    message: Message,
    kind: str,
    user: AbstractBaseUser,
    on: dt.date | None = None,
    until: dt.date | None = None,
    note: str = "",
    outcome: str = "",
    exemptions: list[str] | tuple[str, ...] = (),
    other_exemptions: str = "",
    caveats: str = "",
    force_reference: str = "",
) -> Message:
    """One action on a reply: record the event it is (a response through `response_record`,
    which also ties the message's documents to the response), dated the day it arrived unless
    `on` says otherwise. If the status machine refuses, nothing is written."""
    on = on or timezone.localdate(message.received_at or message.created_at)
    with transaction.atomic():
        locked = _locked(message, State.TO_CLASSIFY)
        request = FoiRequest.objects.select_related("force").get(pk=locked.request_id)
        if force_reference.strip():
            request.reference = force_reference.strip()
            request.full_clean(exclude=["status"])
            request.save(update_fields=["reference", "updated_at"])
        if kind == EventKind.RESPONSE:
            answer = {
                "outcome": outcome,
                "exemptions": exemptions,
                "other_exemptions": other_exemptions,
                "caveats": caveats,
            }
            event = _response(locked, request, user, on, answer)
        else:
            event = _event(locked, request, user, kind, on, until, note)
        locked.state, locked.event = State.FILED, event
        locked.handled_by, locked.handled_at = user, timezone.now()
        locked.save(update_fields=["state", "event", "handled_by", "handled_at"])
    return locked


def _event(
    message: Message,
    request: FoiRequest,
    user: AbstractBaseUser,
    kind: str,
    on: dt.date,
    until: dt.date | None,
    note: str,
) -> RequestEvent:
    if kind not in FROM_THE_FORCE:
        known = ", ".join(FROM_THE_FORCE)
        raise ValidationError({"kind": f"'{kind}' is not something a force's message is: {known}."})
    return request_record_event(
        request=request,
        kind=kind,
        on=on,
        until=until,
        user=user,
        note=note or f"From the force's email, message {message.pk}.",
    )


def _response(
    message: Message, request: FoiRequest, user: AbstractBaseUser, on: dt.date, answer: dict
) -> RequestEvent:
    if not answer["outcome"]:
        raise ValidationError({"outcome": "Say what the answer was (granted, refused...)."})
    response = response_record(request=request, received_on=on, user=user, **answer)
    files = list(Document.objects.filter(attachment__message=message, response__isnull=True))
    if files:
        documents_link(response=response, documents=files)
    return request.events.order_by("-id").first()
