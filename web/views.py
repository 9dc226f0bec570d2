"""The dashboard's pages. Every page reads through the selectors that scope the API (a campaign
outside the user's team is a 404), and the event form writes through the one service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from requests_app.models import overdue_condition
from requests_app.selectors import (
    campaigns_visible_to,
    request_timeline,
    requests_visible_to,
    requests_writable_by,
    working_calendar,
    working_calendars,
)
from requests_app.services import request_record_event
from web.board import board_rows
from web.charts import count_chart, coverage_chart, percent, share_chart
from web.figures import figures_summary
from web.forms import BoardFilterForm, EventForm

signed_in = login_required(login_url="web:login")


@signed_in
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    campaigns = campaigns_visible_to(request.user).annotate(
        forces=Count("requests"),
        overdue=Count("requests", filter=overdue_condition(today, through="requests__")),
    )
    return render(request, "web/home.html", {"campaigns": campaigns})


@signed_in
def board(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(campaigns_visible_to(request.user), pk=pk)
    today = timezone.localdate()
    filters = BoardFilterForm(request.GET)
    rows = board_rows(
        filters.filter(campaign.requests.all(), today), today=today, calendars=working_calendars()
    )
    counts = campaign.requests.aggregate(
        asked=Count("pk"), overdue=Count("pk", filter=overdue_condition(today))
    )
    context = {"campaign": campaign, "rows": rows, "filters": filters, "counts": counts}
    return render(request, "web/board.html", {**context, "today": today})


@signed_in
def figures(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(campaigns_visible_to(request.user), pk=pk)
    summary = figures_summary(user=request.user, campaign=campaign, today=timezone.localdate())
    headline = summary.headline
    context = {
        "campaign": campaign,
        "summary": summary,
        "headline": headline,
        "headline_share": percent(headline["share"], 0) if headline else None,
        "platform_chart": share_chart(summary.platforms),
        "owner_chart": share_chart(summary.owners, highlight=headline and headline["slug"]),
        "force_chart": count_chart(summary.forces),
        "coverage_chart": coverage_chart(summary.coverage, summary.asked),
        "dataset_url": f"{reverse('dataset')}?campaign={campaign.pk}",
    }
    return render(request, "web/figures.html", context)


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
