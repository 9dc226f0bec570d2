"""The letters a person writes after the force's answer, from the request page: an internal
review request and a complaint to the regulator, drafted by the drafting services with the
request's dates and references, then edited and sent."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from correspondence.models import Direction, Letter, Message, State
from correspondence.selectors import messages_visible_to
from correspondence.services.drafting import DRAFTED, draft_edit, draft_send, letter_draft
from correspondence.services.sending import LETTER_EVENTS
from requests_app.models import FoiRequest
from requests_app.status import TransitionRefused, next_status
from web.access import GET_POST, may_change_campaign, posted, request_to_read, signed_in
from web.mail_forms import DraftForm, DraftNewForm

SAVE, SEND = "save", "send"


@dataclass
class LetterToDraft:
    letter: str
    label: str
    by: dt.date | None  # the last day to send it, from the request's stored dates
    draft: Message | None  # a draft already started: finish it rather than start another
    form: DraftNewForm


def letters_to_draft(
    foi_request: FoiRequest, bound: dict[int, Form] | None = None
) -> list[LetterToDraft]:
    """The letters the status machine allows now, each with its deadline."""
    drafts = {
        message.letter: message
        for message in foi_request.messages.filter(state=State.DRAFT, letter__in=DRAFTED)
    }
    by = {
        Letter.INTERNAL_REVIEW: foi_request.review_request_by,
        Letter.COMPLAINT: foi_request.complaint_by,
    }
    return [
        LetterToDraft(
            letter=letter,
            label=Letter(letter).label,
            by=by[letter],
            draft=drafts.get(letter),
            form=(bound or {}).get(letter) or DraftNewForm(prefix=letter),
        )
        for letter in DRAFTED
        if _allowed(foi_request, letter)
    ]


def _allowed(foi_request: FoiRequest, letter: str) -> bool:
    try:
        next_status(foi_request.status, LETTER_EVENTS[letter])
    except TransitionRefused:
        return False
    return True


@signed_in
@require_POST
def draft_new(request: HttpRequest, pk: int, letter: str) -> HttpResponse:
    foi_request = request_to_read(request, pk)
    if not may_change_campaign(request, foi_request.campaign):
        raise PermissionDenied("Only the campaign's team writes to the force or the regulator.")
    if letter not in DRAFTED:
        raise Http404("No such letter.")
    form = DraftNewForm(request.POST, prefix=letter)
    if form.is_valid():
        try:
            draft = letter_draft(
                request=foi_request,
                letter=letter,
                user=request.user,
                grounds=form.cleaned_data["grounds"],
            )
        except ValidationError as refused:
            if _allowed(foi_request, letter):
                form.add_service_errors(refused)
            else:
                # The page offers no form for a letter the status machine refuses: say why.
                messages.error(request, " ".join(refused.messages))
        else:
            messages.success(request, f"Drafted: {draft.get_letter_display()}. Read it, then send.")
            return redirect("web:draft", pk=draft.pk)
    from web.views.requests import request_page_render  # the request page imports this module

    return request_page_render(request, foi_request, mail_forms={letter: form}, status=400)


@signed_in
@GET_POST
def draft_page(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(
        messages_visible_to(request.user).select_related("request__campaign", "request__force"),
        pk=pk,
        direction=Direction.OUT,
    )
    foi_request = message.request
    if not may_change_campaign(request, foi_request.campaign):
        raise PermissionDenied("Only the campaign's team writes to the force or the regulator.")
    if message.state != State.DRAFT:
        messages.info(request, f"'{message.subject}' is no longer a draft: it was sent or queued.")
        return redirect("web:request", pk=foi_request.pk)
    initial = {"to": message.to_addresses, "subject": message.subject, "body": message.body_text}
    form = DraftForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        done = _save_or_send(request, message, form)
        if done is not None:
            return done
    context = {
        "message": message,
        "foi_request": foi_request,
        "campaign": foi_request.campaign,
        "form": form,
        "may_change": True,
        "by": {
            Letter.INTERNAL_REVIEW: foi_request.review_request_by,
            Letter.COMPLAINT: foi_request.complaint_by,
        }.get(message.letter),
    }
    return render(request, "web/draft.html", context, status=400 if form.errors else 200)


def _save_or_send(request: HttpRequest, message: Message, form: DraftForm) -> HttpResponse | None:
    data = form.cleaned_data
    sending = request.POST.get("action") == SEND
    try:
        with transaction.atomic():
            draft = draft_edit(
                message=message,
                user=request.user,
                subject=data["subject"],
                body=data["body"],
                to=data["to"],
            )
            if sending:
                draft_send(message=draft, user=request.user)
    except ValidationError as refused:
        form.add_service_errors(refused)
        return None
    if sending:
        messages.success(
            request,
            f"Queued to {draft.to_addresses}: {draft.get_letter_display()}. It is recorded on "
            "the request when the mail server accepts it.",
        )
        return redirect("web:request", pk=message.request_id)
    messages.success(request, "Draft saved.")
    return redirect("web:draft", pk=message.pk)
