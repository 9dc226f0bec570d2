"""Campaigns: the home page of the user's campaigns and each campaign's board of forces."""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from requests_app.models import overdue_condition
from requests_app.selectors import campaigns_visible_to, working_calendars
from web.access import signed_in
from web.board import board_rows
from web.forms import BoardFilterForm


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
