"""Data entry's to-do page: answers whose figures are still to be entered, replies by email
whose spreadsheets no figure was entered from yet, and figures waiting for a second person,
across the campaigns the user may edit. Each list is one query (and one
count) however many rows there are; it shows the oldest first, so work done drops off the top."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from correspondence.selectors import requests_with_spreadsheets_to_enter
from responses_app import selectors
from web.access import signed_in

ROWS = 100


@signed_in
@require_safe
def to_do(request: HttpRequest) -> HttpResponse:
    user = request.user
    writable = selectors.responses_writable_by(user)
    awaiting = selectors.responses_awaiting_figures(writable)
    work = selectors.figure_work_by_response(selectors.figures_writable_by(user), user=user)
    work_rows = list(work[:ROWS])
    responses = writable.in_bulk([row["response"] for row in work_rows])
    sheets = requests_with_spreadsheets_to_enter(user).select_related("force", "campaign")
    context = {
        "sheets": sheets[:ROWS],
        "sheets_count": sheets.count(),
        "awaiting": awaiting[:ROWS],
        "awaiting_count": awaiting.count(),
        "checks": [
            {**row, "response": responses[row["response"]]}
            for row in work_rows
            if row["response"] in responses  # unless deleted between the two queries
        ],
        "checks_count": work.count(),
        "rows": ROWS,
    }
    return render(request, "web/entry/to_do.html", context)
