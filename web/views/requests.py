"""One request: its timeline, its responses with their documents and figures, a form for each
event the status machine allows now, and re-asking the force a narrowed question."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format

from requests_app.models import FoiRequest
from requests_app.selectors import (
    extension_ceiling,
    request_re_ask,
    request_timeline,
    working_calendar,
)
from requests_app.services import EventAlreadyRecorded, request_reask, request_record_event
from requests_app.status import kinds_allowed
from responses_app.models import Outcome
from responses_app.selectors import request_responses
from web.access import (
    GET_POST,
    may_change_campaign,
    may_record_events,
    posted,
    request_to_read,
    signed_in,
)
from web.forms import NOT_ON_THE_PAGE, EventForm, ReaskForm
from web.thread import thread_entries
from web.views.letters import letters_to_draft
from web.views.responses import response_may_be_recorded


@signed_in
@GET_POST
def request_page(request: HttpRequest, pk: int) -> HttpResponse:
    foi_request = request_to_read(request, pk)
    writable = may_record_events(request, foi_request)
    if request.method == "POST" and not writable:
        raise PermissionDenied("Your role does not allow changes to this request.")
    forms = _event_forms(request, foi_request) if writable else []
    submitted = next((form for form in forms if form.is_bound), None)
    if submitted is not None and submitted.is_valid() and _record(request, foi_request, submitted):
        return redirect("web:request", pk=foi_request.pk)
    if request.method == "POST" and submitted is None:
        messages.error(request, "That event cannot be recorded now: choose one of those below.")
    status = 400 if request.method == "POST" else 200
    return request_page_render(
        request, foi_request, event_forms=forms, submitted=submitted, status=status
    )


def request_page_render(
    request: HttpRequest,
    foi_request: FoiRequest,
    *,
    event_forms: list[EventForm] | None = None,
    submitted: EventForm | None = None,
    mail_forms: dict[int, Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The page, with the forms given (bound, showing their errors) in place of fresh ones:
    the correspondence's actions post elsewhere and show their errors here."""
    writable = may_record_events(request, foi_request)
    may_change = may_change_campaign(request, foi_request.campaign)
    if event_forms is None:
        event_forms = _event_forms(request, foi_request) if writable else []
    responses = list(request_responses(foi_request))
    re_ask = request_re_ask(foi_request)
    today = timezone.localdate()
    context = {
        "foi_request": foi_request,
        "campaign": foi_request.campaign,
        "forms": event_forms,
        "submitted": submitted,
        "timeline": request_timeline(foi_request),
        "responses": responses,
        "response_allowed": writable and response_may_be_recorded(foi_request),
        "overdue": foi_request.is_overdue(today),
        "working_days_left": foi_request.working_days_left(
            today, working_calendar(foi_request.force.regime)
        ),
        "re_ask": re_ask,
        "may_reask": re_ask is None and _may_reask(request, foi_request, responses),
        "may_change": may_change,
        "thread": thread_entries(
            foi_request, may_classify=writable, may_send=may_change, bound=mail_forms
        ),
        "drafts": letters_to_draft(foi_request, mail_forms) if may_change else [],
    }
    return render(request, "web/request.html", context, status=status)


def _event_forms(request: HttpRequest, foi_request: FoiRequest) -> list[EventForm]:
    """A form for each kind the status machine allows now (the one posted is bound)."""
    today = timezone.localdate()
    calendar = working_calendar(foi_request.force.regime)
    posted_kind = request.POST.get("kind") if request.method == "POST" else None
    ceiling = extension_ceiling(foi_request, on=today, calendar=calendar)
    return [
        EventForm(
            request.POST if kind == posted_kind else None, kind=kind, today=today, ceiling=ceiling
        )
        for kind in kinds_allowed(foi_request.status)
        if kind not in NOT_ON_THE_PAGE
    ]


def _record(request: HttpRequest, foi_request: FoiRequest, form: EventForm) -> bool:
    data = form.cleaned_data
    try:
        event = request_record_event(
            request=foi_request,
            kind=form.kind,
            on=data["on"],
            until=data.get("until"),
            note=data["note"],
            user=request.user,
        )
    except EventAlreadyRecorded as repeated:
        # A form sent twice (a double click, a reload): say so, and show the page as it is.
        messages.info(request, repeated.messages[0])
        return True
    except ValidationError as refused:
        form.add_service_errors(refused)
        return False
    due = foi_request.current_due_on
    messages.success(
        request,
        f"Recorded: {event.get_kind_display()} on {date_format(event.on, 'j M Y')}. "
        + (
            f"The answer is now due {date_format(due, 'j M Y')}."
            if due
            else "No clock is running now."
        ),
    )
    return True


def _may_reask(request: HttpRequest, foi_request: FoiRequest, responses) -> bool:
    """Offered after a refusal to the campaign's team (once per request: the caller checks)."""
    refused = bool(responses) and responses[-1].outcome == Outcome.REFUSED
    return refused and may_change_campaign(request, foi_request.campaign)


@signed_in
@GET_POST
def reask(request: HttpRequest, pk: int) -> HttpResponse:
    foi_request = request_to_read(request, pk)
    if not may_change_campaign(request, foi_request.campaign):
        raise PermissionDenied("Only the campaign's team re-asks a force.")
    initial = {"question": foi_request.asked(), "sent_on": timezone.localdate()}
    form = ReaskForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            child = request_reask(request=foi_request, user=request.user, **form.cleaned_data)
        except ValidationError as refused:
            for field, problems in refused.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, f"Re-asked {foi_request.force.name} the narrowed question.")
            return redirect("web:request", pk=child.pk)
    context = {
        "foi_request": foi_request,
        "campaign": foi_request.campaign,
        "form": form,
        "may_change": True,
    }
    return render(request, "web/reask.html", context, status=400 if form.errors else 200)
