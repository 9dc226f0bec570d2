"""How well each force answered a campaign: the compliance report (the API's, from the event log
through the deadline engine) as a page, readable by whoever reads the campaign's figures."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from requests_app.selectors import working_calendars
from responses_app.selectors import compliance_report
from web.access import campaign_to_read
from web.compliance_rows import page_rows, totals


def compliance(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_to_read(request, pk)
    report = compliance_report(user=request.user, today=timezone.localdate(), campaign=campaign)
    context = {
        "campaign": campaign,
        "report": report,
        "rows": page_rows(report, working_calendars()),
        "totals": totals(report.total),
    }
    return render(request, "web/compliance.html", context)
