"""The board: every force of a campaign with its running clock and what to do next."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.formats import date_format

from correspondence.models import Letter, State
from requests_app.deadlines import WorkingCalendar
from requests_app.models import FoiRequest
from requests_app.status import RUNNING_CLOCKS, Status


@dataclass
class BoardRow:
    request: FoiRequest
    due_on: dt.date | None
    working_days_left: int | None
    overdue: bool
    next_action: str
    mail: str = ""  # how its latest letter by email fared
    mail_badge: str = ""  # "Undelivered" or "Not sent": someone must act


def _day(day: dt.date) -> str:
    return date_format(day, "j M Y")


def _waiting(request: FoiRequest, today: dt.date, what: str) -> str:
    due = request.current_due_on
    if due is None:
        return f"Wait for the {what}"
    if request.is_overdue(today):
        return f"Chase: the {what} was due {_day(due)}"
    return f"Wait for the {what}: due {_day(due)}"


def _after_answer(request: FoiRequest, today: dt.date) -> str:
    review_by = request.review_request_by
    if request.status == Status.RESPONDED and review_by and review_by >= today:
        return f"Consider an internal review by {_day(review_by)}"
    if request.complaint_by and request.complaint_by >= today:
        return f"Complaint window closes {_day(request.complaint_by)}"
    return "Close the request"


def delivery_mark(request: FoiRequest) -> tuple[str, str]:
    """The latest letter's fate (annotated by correspondence.selectors.requests_annotate_letters):
    returned with the mail server's reason, not sent, waiting, or accepted."""
    reason = getattr(request, "undelivered_reason", None)
    if getattr(request, "undelivered_at", None) is not None:
        return f"Returned: {reason or 'no reason given'}", "Undelivered"
    state = getattr(request, "letter_state", None)
    if not state:
        return "", ""
    kind = Letter(request.letter_kind).label
    return f"{kind}: {State(state).label.lower()}", "Not sent" if state == State.FAILED else ""


def next_action(request: FoiRequest, today: dt.date) -> str:
    """What the researcher should do now, from the status and the stored dates."""
    status = request.status
    if getattr(request, "undelivered_at", None) is not None:
        return "Correct the force's address, then resend the letter from the request's page"
    clock = RUNNING_CLOCKS.get(status)
    if clock is not None:
        return _waiting(request, today, clock.awaiting)
    if status in (Status.RESPONDED, Status.REVIEW_ANSWERED):
        return _after_answer(request, today)
    letter_state = getattr(request, "letter_state", None)
    if status == Status.DRAFT and letter_state == State.QUEUED:
        return "Wait for the letter to go out by email"
    if status == Status.DRAFT and letter_state == State.FAILED:
        return "Resend the letter from the request's page"
    return {
        Status.DRAFT: "Send the request",
        Status.AWAITING_CLARIFICATION: "Answer the force's clarification question",
        Status.FEE_NOTICE: "Pay the fee (the clock is paused)",
        Status.COMPLAINT: "Wait for the regulator's decision",
    }.get(status, "Nothing: the request is finished")


def board_rows(
    requests: QuerySet[FoiRequest], *, today: dt.date, calendars: dict[str, WorkingCalendar]
) -> list[BoardRow]:
    """One row per request (one query, with the forces); working days are counted in Python on
    each force's own calendar."""
    rows = []
    for request in requests.select_related("force").order_by("force__name"):
        calendar = calendars[request.force.regime]
        mail, mail_badge = delivery_mark(request)
        rows.append(
            BoardRow(
                mail=mail,
                mail_badge=mail_badge,
                request=request,
                due_on=request.current_due_on,
                working_days_left=request.working_days_left(today, calendar),
                overdue=request.is_overdue(today),
                next_action=next_action(request, today),
            )
        )
    return rows
