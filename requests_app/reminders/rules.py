"""Which reminder each clock of a request owes on a given day: the policy, read as stages.

A clock is one stored date of a request (the answer's due date, the extension's estimate, the
review's due date, the last day to complain...). Each stage of a clock fires on a day counted in
working days from that date. On any day a clock owes only the LATEST of its stages that has
fired, so a sweep that missed days sends the one reminder that is still true ("overdue") and not
the stale ones ("due in 3 working days", "due today") with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache, reduce
from operator import or_

from django.db.models import Q

from requests_app.deadlines import WorkingCalendar
from requests_app.models import ReminderKind, ReminderPolicy
from requests_app.status import RUNNING_CLOCKS, Status

K = ReminderKind

# How a stage's day is found from its clock's date.
BEFORE = "before"  # on any day from `n` working days before the date up to the date itself
AFTER = "after"  # from the `n`th working day after the date (0: the date itself)


@dataclass(frozen=True)
class Stage:
    kind: str
    clock: str  # a date field of FoiRequest, or `clarification_asked_on`
    rule: str
    days: int | str  # a number, or the name of the ReminderPolicy field that holds it

    def working_days(self, policy: ReminderPolicy) -> int:
        return self.days if isinstance(self.days, int) else getattr(policy, self.days)

    def fires(
        self, today: dt.date, date: dt.date, calendar: CountingCalendar, policy: ReminderPolicy
    ) -> bool:
        n = self.working_days(policy)
        if self.rule == BEFORE:
            # "At most n working days left" is "before the (n+1)th working day after today".
            return today <= date < calendar.add_working_days(today, n + 1)
        return today >= calendar.add_working_days(date, n)


ANSWER = RUNNING_CLOCKS[Status.SENT].deadline
EXTENDED_ANSWER = RUNNING_CLOCKS[Status.EXTENDED].deadline
REVIEW = RUNNING_CLOCKS[Status.REVIEW_REQUESTED].deadline
# Not stored on the request: the sweep reads it from the log, for the few requests that wait.
CLARIFICATION_ASKED = "clarification_asked_on"

ANSWER_DUE = [
    Stage(K.DUE_SOON, ANSWER, BEFORE, "due_soon_working_days"),
    Stage(K.DUE_TODAY, ANSWER, AFTER, 0),
    Stage(K.OVERDUE, ANSWER, AFTER, 1),
    # ICO: 20 working days past the deadline is when it expects a complaint about a late answer.
    Stage(K.VERY_OVERDUE, ANSWER, AFTER, "very_overdue_working_days"),
]

# The stages of each status, in the order they fire. Statuses that are missing owe nothing:
# draft, fee notice (the clock is paused until the fee is paid), complaint (the regulator has
# it), closed and withdrawn. An answered request owes only the complaint window.
STAGES: dict[str, list[Stage]] = {
    Status.SENT: ANSWER_DUE,
    Status.EXTENDED: [
        Stage(K.DUE_SOON, EXTENDED_ANSWER, BEFORE, "due_soon_working_days"),
        Stage(K.DUE_TODAY, EXTENDED_ANSWER, AFTER, 0),
        Stage(K.EXTENSION_PASSED, EXTENDED_ANSWER, AFTER, 1),
        # Last, so that it wins when the force's estimate lies beyond the ICO's ceiling.
        Stage(K.EXTENSION_CEILING_PASSED, "extension_limit_on", AFTER, 1),
    ],
    Status.AWAITING_CLARIFICATION: [
        Stage(
            K.CLARIFICATION_UNANSWERED,
            CLARIFICATION_ASKED,
            AFTER,
            "clarification_working_days",
        ),
    ],
    Status.REVIEW_REQUESTED: [
        Stage(K.REVIEW_OVERDUE, REVIEW, AFTER, 1),
        Stage(K.REVIEW_VERY_OVERDUE, "review_limit_on", AFTER, 1),
    ],
    Status.RESPONDED: [
        Stage(K.COMPLAINT_CLOSING, "complaint_by", BEFORE, "complaint_closing_working_days"),
    ],
    Status.REVIEW_ANSWERED: [
        Stage(K.COMPLAINT_CLOSING, "complaint_by", BEFORE, "complaint_closing_working_days"),
    ],
}


# Every clock a stage reads: what the sweep reads of each request.
CLOCKS = sorted({stage.clock for stages in STAGES.values() for stage in stages})


class CountingCalendar:
    """A regime's calendar that remembers its counts: a sweep asks the same few questions (a
    campaign's requests share their dates) for thousands of requests."""

    def __init__(self, calendar: WorkingCalendar) -> None:
        self.add_working_days = lru_cache(maxsize=None)(calendar.add_working_days)


def reminder_owed(
    *,
    status: str,
    clocks: Mapping[str, dt.date | None],
    today: dt.date,
    calendar: CountingCalendar,
    policy: ReminderPolicy,
) -> tuple[str, dt.date] | None:
    """The (kind, clock date) a request in `status` owes today, or None."""
    owed = None
    for stage in STAGES.get(status, ()):
        date = clocks.get(stage.clock)
        if date is not None and stage.fires(today, date, calendar, policy):
            owed = (stage.kind, date)
    return owed


def horizon(
    today: dt.date, working_days: int, calendars: Mapping[str, CountingCalendar]
) -> dt.date:
    """A date before which every clock that is within `working_days` of today falls, in every
    regime: the sweep's SQL filter, made exact afterwards by `reminder_owed`."""
    return max(c.add_working_days(today, working_days + 1) for c in calendars.values())


def may_owe(
    *, today: dt.date, policy: ReminderPolicy, calendars: Mapping[str, CountingCalendar]
) -> Q:
    """The requests that may owe a reminder today, read off the stages: a superset in SQL,
    narrowed by the dates on the row and made exact by `reminder_owed`. Statuses without stages
    (closed, withdrawn, draft, paused) are never read."""
    by_status = []
    for status, stages in STAGES.items():
        windows = [_window(stage, today, policy, calendars) for stage in stages]
        # A stage whose clock is not on the row (a clarification's date) cannot narrow its status.
        dates = Q() if None in windows else reduce(or_, windows)
        by_status.append(Q(status=status) & dates)
    return reduce(or_, by_status)


def _window(
    stage: Stage, today: dt.date, policy: ReminderPolicy, calendars: Mapping[str, CountingCalendar]
) -> Q | None:
    if stage.clock == CLARIFICATION_ASKED:
        return None
    if stage.rule == BEFORE:
        until = horizon(today, stage.working_days(policy), calendars)
        return Q(**{f"{stage.clock}__gte": today, f"{stage.clock}__lt": until})
    # An AFTER stage fires on or after its date, never before it.
    return Q(**{f"{stage.clock}__lte": today})
