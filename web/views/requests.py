"""One request: its timeline, its responses and the form that records what happened."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from requests_app.selectors import (
    request_timeline,
    requests_visible_to,
    requests_writable_by,
    working_calendar,
)
from requests_app.services import request_record_event
from web.access import signed_in
from web.forms import EventForm
from web.views.responses import response_may_be_recorded


@signed_in
def request_page(request: HttpRequest, pk: int) -> HttpResponse:
    foi_request = get_object_or_404(requests_visible_to(request.user), pk=pk)
    writable = requests_writable_by(request.user).filter(pk=pk).exists()
    form = EventForm(request.POST or None)
    if request.method == "POST":
        if not writable:
            raise PermissionDenied("Your role does not allow changes to this request.")
        if form.is_valid() and _record(request, foi_request, form):
            return redirect("web:request", pk=foi_request.pk)
    today = timezone.localdate()
    context = {
        "foi_request": foi_request,
        "campaign": foi_request.campaign,
        "form": form if writable else None,
        "timeline": request_timeline(foi_request),
        "responses": foi_request.responses.order_by("received_on", "id"),
        "response_allowed": writable and response_may_be_recorded(foi_request),
        "overdue": foi_request.is_overdue(today),
        "working_days_left": foi_request.working_days_left(
            today, working_calendar(foi_request.force.regime)
        ),
    }
    return render(request, "web/request.html", context, status=400 if form.errors else 200)


def _record(request: HttpRequest, foi_request, form: EventForm) -> bool:
    data = form.cleaned_data
    try:
        event = request_record_event(
            request=foi_request,
            kind=data["kind"],
            on=data["on"],
            until=data["until"],
            note=data["note"],
            user=request.user,
        )
    except ValidationError as refused:
        form.add_service_errors(refused.message_dict)
        return False
    due = foi_request.current_due_on
    messages.success(
        request,
        f"Recorded: {event.get_kind_display()} on {event.on:%d %b %Y}. "
        + (f"The answer is now due {due:%d %b %Y}." if due else "No clock is running now."),
    )
    return True
