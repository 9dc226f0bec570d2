"""A request's correspondence as the request page shows it: every message, oldest first, with
what the person reading may do with it (classify a reply, discard it, resend a letter that
failed or came back, finish a draft)."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms

from correspondence.addresses import force_address
from correspondence.models import Direction, Letter, Message, State
from correspondence.selectors import request_thread
from requests_app.models import FoiRequest
from web.mail_forms import ClassifyForm, DiscardForm


@dataclass
class ThreadEntry:
    message: Message
    classify: ClassifyForm | None = None
    discard: DiscardForm | None = None
    resend_to: str = ""  # where a resend would go, when one is offered
    same_address: bool = False  # a returned letter whose address was not corrected yet


def thread_entries(
    foi_request: FoiRequest,
    *,
    may_classify: bool,
    may_send: bool,
    bound: dict[int, forms.Form] | None = None,
) -> list[ThreadEntry]:
    """One query for the messages and one for their attachments, however long the thread."""
    bound = bound or {}
    messages = list(request_thread(foi_request))
    resent = {message.replaces_id for message in messages if message.replaces_id}
    address_now = force_address(foi_request.force)
    entries = []
    for message in messages:
        entry = ThreadEntry(message=message)
        if message.state == State.TO_CLASSIFY and may_classify:
            entry.classify = _form(bound, ClassifyForm, message, foi_request=foi_request)
            if may_send:
                entry.discard = _form(bound, DiscardForm, message)
        if may_send and message.pk not in resent and _resendable(message):
            complaint = message.letter == Letter.COMPLAINT
            entry.resend_to = message.to_addresses if complaint else address_now
            entry.same_address = message.state == State.UNDELIVERED and (
                entry.resend_to.lower() == message.to_addresses.lower()
            )
        entries.append(entry)
    return entries


def _resendable(message: Message) -> bool:
    return message.direction == Direction.OUT and message.state in (
        State.FAILED,
        State.UNDELIVERED,
    )


def _form(bound: dict[int, forms.Form], form_class, message: Message, **kwargs):
    found = bound.get(message.pk)
    if isinstance(found, form_class):
        return found
    return form_class(message=message, **kwargs)
