"""Forces across campaigns: every force with how well it answered the requests the user may see,
and one force's page with its record campaign by campaign. Both read the compliance report (the
API's `?force=`), so a consumer reads only published campaigns' requests, as everywhere."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from requests_app.models import Force
from requests_app.selectors import working_calendars
from responses_app.selectors import ForceCompliance, compliance_by_force, compliance_report
from web.compliance_rows import NONE, days_text, page_rows, share_text, totals

BY_NAME, MOST_IN_TIME, FEWEST_IN_TIME = "name", "in-time", "late"


class ForceOrder(forms.Form):
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[
            (BY_NAME, "Name"),
            (MOST_IN_TIME, "Answered in time, best first"),
            (FEWEST_IN_TIME, "Answered in time, worst first"),
        ],
        error_messages={
            "invalid_choice": "Sort by name, in-time or late; '%(value)s' is not one of them."
        },
    )


@dataclass(frozen=True)
class ForceLine:
    name: str
    slug: str
    requests: str
    in_time: str
    median: str
    overdue: str
    share: Decimal | None  # to sort by


def force_line(item: ForceCompliance) -> ForceLine:
    force, summary = item.force, item.summary
    if summary is None:
        return ForceLine(force.name, force.slug, "0", NONE, NONE, NONE, None)
    return ForceLine(
        name=force.name,
        slug=force.slug,
        requests=f"{summary.requests:,}",
        in_time=share_text(summary.in_time),
        median=days_text(summary.working_days.median),
        overdue=str(summary.overdue),
        share=summary.in_time.share,
    )


def ordered(lines: list[ForceLine], sort: str) -> list[ForceLine]:
    """By share (ties by name), forces with nothing judged yet last whichever way; or by name."""
    if sort in (MOST_IN_TIME, FEWEST_IN_TIME):
        sign = -1 if sort == MOST_IN_TIME else 1
        return sorted(lines, key=lambda line: (line.share is None, sign * (line.share or 0)))
    return lines  # the selector lists forces by name; sorted() keeps that order among ties


def forces_index(request: HttpRequest) -> HttpResponse:
    order = ForceOrder(request.GET)
    valid = order.is_valid()
    sort = (order.cleaned_data.get("sort") if valid else "") or BY_NAME
    today = timezone.localdate()
    items = compliance_by_force(user=request.user, today=today)
    context = {
        "order": order,
        "sort": sort,
        "lines": ordered([force_line(item) for item in items], sort),
        "asked": sum(item.summary is not None for item in items),
        "today": today,
    }
    return render(request, "web/forces.html", context, status=200 if valid else 400)


def force_page(request: HttpRequest, slug: str) -> HttpResponse:
    force = get_object_or_404(Force, slug=slug)
    report = compliance_report(user=request.user, today=timezone.localdate(), force=force)
    context = {
        "force": force,
        "report": report,
        "rows": page_rows(report, working_calendars()),
        "totals": totals(report.total),
    }
    return render(request, "web/force.html", context)
