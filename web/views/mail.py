"""What a person does with a message, from the request page or the unmatched-mail page:
classify a reply into the status machine's event, discard a message with a reason, resend a
letter that failed or came back, and file an unmatched message on one of the team's requests.
Each goes through the correspondence services the API uses; rules of who may do what are the
API's (correspondence/api.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from correspondence import selectors
from correspondence.models import Direction, Message, State
from correspondence.services.actions import message_assign, message_classify, message_discard
from correspondence.services.sending import letter_resend
from requests_app.models import FoiRequest
from requests_app.selectors import campaigns_editable_by
from requests_app.status import OWED_BY_THE_FORCE
from web.access import signed_in, to_change_or_refuse
from web.mail_forms import AssignForm, ClassifyForm, DiscardForm
from web.templatetags import mail as mail_filters
from web.views.requests import request_page_render

ROWS = 50


def sorts_mail(request: HttpRequest) -> bool:
    return mail_filters.sorts_mail(request.user)


def _team_mail(request: HttpRequest) -> QuerySet[Message]:
    editable = campaigns_editable_by(request.user).values("pk")
    return Message.objects.filter(request__campaign__in=editable)


def _message(request: HttpRequest, pk: int, writable: QuerySet[Message]) -> Message:
    """404 when the user may not see the message, 403 when they may not do this to it."""
    visible = selectors.messages_visible_to(request.user)
    return to_change_or_refuse(visible, writable, pk)


def _handled_already(request: HttpRequest, pk: int, *states: str) -> HttpResponse | None:
    """A form sent twice (a double click, a second person): the message was already dealt
    with, so say so and show where it is now, as the request page does for an event."""
    message = get_object_or_404(selectors.messages_visible_to(request.user), pk=pk)
    if message.state in states:
        return None
    messages.info(
        request,
        f"'{message}' is already {message.get_state_display().lower()}: nothing was written.",
    )
    return _back(message) if message.request_id else redirect("web:unmatched")


def _request_of(message: Message) -> FoiRequest:
    return FoiRequest.objects.select_related("campaign", "force__contact").get(
        pk=message.request_id
    )


def _back(message: Message) -> HttpResponse:
    if message.request_id is None:
        return redirect("web:unmatched")
    url = reverse("web:request", args=[message.request_id])
    return redirect(f"{url}#message-{message.pk}")


@signed_in
@require_POST
def classify(request: HttpRequest, pk: int) -> HttpResponse:
    if handled := _handled_already(request, pk, State.TO_CLASSIFY):
        return handled
    message = _message(request, pk, selectors.messages_writable_by(request.user))
    foi_request = _request_of(message)
    form = ClassifyForm(request.POST, message=message, foi_request=foi_request)
    if form.is_valid():
        try:
            done = message_classify(message=message, user=request.user, **form.service_arguments())
        except ValidationError as refused:
            form.add_service_errors(refused)
        else:
            label = done.event.get_kind_display() if done.event else "Filed"
            messages.success(request, f"Recorded from the force's message: {label}.")
            return _back(message)
    return request_page_render(request, foi_request, mail_forms={message.pk: form}, status=400)


@signed_in
@require_POST
def discard(request: HttpRequest, pk: int) -> HttpResponse:
    if not sorts_mail(request):
        raise PermissionDenied("Only researchers and staff discard mail.")
    if handled := _handled_already(request, pk, State.UNMATCHED, State.TO_CLASSIFY):
        return handled
    writable = selectors.unmatched_visible_to(request.user) | _team_mail(request)
    message = _message(request, pk, writable)
    form = DiscardForm(request.POST, message=message)
    if form.is_valid():
        try:
            message_discard(message=message, reason=form.cleaned_data["reason"], user=request.user)
        except ValidationError as refused:
            form.add_service_errors(refused)
        else:
            messages.success(request, f"Discarded '{message}'. It stays on record.")
            return _back(message)
    if message.request_id:
        return request_page_render(
            request, _request_of(message), mail_forms={message.pk: form}, status=400
        )
    return unmatched_render(request, bound={message.pk: form}, status=400)


@signed_in
@require_POST
def resend(request: HttpRequest, pk: int) -> HttpResponse:
    message = _message(request, pk, _team_mail(request).filter(direction=Direction.OUT))
    if message.resends.exists():
        # A double click, or a second person: the letter went again once already.
        messages.info(request, "This letter was already sent again: nothing was written.")
        return _back(message)
    try:
        copy = letter_resend(message=message, user=request.user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return request_page_render(request, _request_of(message), status=400)
    messages.success(request, f"Queued again, to {copy.to_addresses}.")
    return _back(message)


@signed_in
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    if not sorts_mail(request):
        raise PermissionDenied("Only researchers and staff file unmatched mail.")
    if handled := _handled_already(request, pk, State.UNMATCHED):
        return handled
    message = _message(request, pk, selectors.unmatched_visible_to(request.user))
    form = AssignForm(
        request.POST, message=message, requests=selectors.requests_for_filing(request.user)
    )
    if form.is_valid():
        chosen = form.cleaned_data["request"]
        try:
            message_assign(message=message, request=chosen, user=request.user)
        except ValidationError as refused:
            form.add_service_errors(refused)
        else:
            messages.success(request, f"Filed '{message}' on {chosen.force.name}'s request.")
            return redirect("web:unmatched")
    return unmatched_render(request, bound={message.pk: form}, status=400)


@signed_in
@require_safe
def unmatched(request: HttpRequest) -> HttpResponse:
    if not sorts_mail(request):
        raise PermissionDenied("Only researchers and staff sort unmatched mail.")
    return unmatched_render(request)


def unmatched_render(request: HttpRequest, *, bound: dict | None = None, status: int = 200):
    """Newest first; three queries however many messages (the messages, their attachments,
    the requests to choose from) and one count."""
    bound = bound or {}
    listed = selectors.unmatched_list(request.user)
    shown = list(listed[:ROWS])
    requests = list(selectors.requests_for_filing(request.user).order_by("campaign_id", "force"))
    choices = [("", "Choose the request")] + [(r.pk, _label(r)) for r in requests]
    rows = []
    for message in shown:
        assign_form = bound.get(message.pk)
        if not isinstance(assign_form, AssignForm):
            assign_form = AssignForm(message=message, requests=FoiRequest.objects.none())
        assign_form.fields["request"].choices = choices
        open_to_force = [
            r for r in requests if r.force_id == message.force_id and r.status in OWED_BY_THE_FORCE
        ]
        assign_form.propose(open_to_force)
        discard_form = bound.get(message.pk)
        if not isinstance(discard_form, DiscardForm):
            discard_form = DiscardForm(message=message)
        rows.append({"message": message, "assign": assign_form, "discard": discard_form})
    context = {"rows": rows, "count": listed.count(), "limit": ROWS}
    return render(request, "web/unmatched.html", context, status=status)


def _label(foi_request: FoiRequest) -> str:
    return (
        f"{foi_request.force.name}: {foi_request.campaign.title} "
        f"({foi_request.get_status_display().lower()}, request {foi_request.pk})"
    )
