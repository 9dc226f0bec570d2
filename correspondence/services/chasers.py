"""Chasers: a polite letter to a force whose answer is overdue, once per deadline, for the
campaigns whose policy asks for them (`chase_by_email`, after `chase_after_working_days`).

Like the reminder sweep, it selects by what is owed on the day, not by "what became overdue
since the last run": a day it did not run is caught up by the next run. The claim is the
chaser's own Message row under a unique constraint (request, deadline), inserted with ON
CONFLICT DO NOTHING: a second run, or two at the same moment, cannot chase a deadline twice.
Only the letters this run won are queued. The clocks chased are the running one (the answer,
the extension's estimate, the internal review) and, for Jersey, the Law's 65-working-day limit.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db import transaction

from correspondence.addresses import force_address
from correspondence.models import Letter, Message
from correspondence.services.sending import letters_build, send_after_commit
from requests_app.deadlines import WorkingCalendar
from requests_app.models import FoiRequest
from requests_app.selectors import working_calendars
from requests_app.status import Status


@dataclass(frozen=True)
class ChaserDue:
    request: FoiRequest
    deadline: dt.date


def chasers_due(*, today: dt.date) -> list[ChaserDue]:
    """Every chaser owed today and not yet sent, oldest request first. Reads only."""
    calendars = working_calendars()
    # The partial index on running clocks narrows this to the overdue requests (only a status
    # that runs a clock has one: an answer, an extended answer or an internal review is owed).
    candidates = (
        FoiRequest.objects.overdue(today)
        .select_related("campaign", "force__contact")
        .filter(campaign__chase_by_email=True)
        .order_by("pk")
    )
    chased = set(
        Message.objects.filter(
            letter=Letter.CHASER, request__in=candidates.values("pk")
        ).values_list("request_id", "deadline")
    )
    due = []
    for request in candidates:
        deadline = chased_deadline(request, today, calendars[request.force.regime])
        if deadline and (request.pk, deadline) not in chased and force_address(request.force):
            due.append(ChaserDue(request, deadline))
    return due


def chased_deadline(
    request: FoiRequest, today: dt.date, calendar: WorkingCalendar
) -> dt.date | None:
    """The latest of the request's clocks that passed at least the campaign's number of working
    days ago: a sweep that missed days chases the latest duty, not each in turn."""
    clocks = [request.current_due_on]
    if request.status == Status.SENT and request.statutory_limit_on:
        clocks.append(request.statutory_limit_on)  # Jersey's 65 working days
    after = request.campaign.chase_after_working_days
    passed = [
        day
        for day in clocks
        if day is not None and calendar.working_days_between(day, today) >= after
    ]
    return max(passed, default=None)


@dataclass(frozen=True)
class ChaserSweep:
    claimed: int
    messages: list[int]


def chasers_sweep(*, today: dt.date) -> ChaserSweep:
    """Claim today's chasers and queue the ones this run won, after the commit."""
    due = chasers_due(today=today)
    if not due:
        return ChaserSweep(claimed=0, messages=[])
    batch = uuid.uuid4()
    with transaction.atomic():
        letters = letters_build(
            requests=[item.request for item in due],
            letter=Letter.CHASER,
            user=None,
            deadlines={item.request.pk: item.deadline for item in due},
        )
        for letter in letters:
            letter.batch = batch
        Message.objects.bulk_create(letters, ignore_conflicts=True)
        won = list(Message.objects.filter(batch=batch).order_by("not_before", "pk"))
        send_after_commit(won)
    return ChaserSweep(claimed=len(won), messages=[message.pk for message in won])
