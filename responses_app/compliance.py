"""How well each force answers: the compliance report's rules as pure functions of a request's
event log, replayed through the deadline engine. Nothing here reads the database, so every number
can be checked against dates counted by hand. The rules and their sources: docs/compliance.md.

- In time: the first response on or before the 20th working day after receipt, as the engine
  counts it (a clarification restarts the 20 days, s.1(3); a fees notice pauses them, s.10(2)).
  A response given while the clock was stopped was in time: nothing was due.
- Working days to answer: the 20 days less those the engine still had left on the day of the
  answer, so the count follows the engine's restart and pause rules and cannot drift from them.
- An extension is proper when its s.17 notice came by the 20th working day and its estimate
  (s.17(2)) kept to the ceiling: the ICO's further 20 working days, or Jersey's statutory 65
  working days after receipt. In extended time: in time, or a proper extension answered by its
  estimate.
- A request not answered yet is judged once its date has passed (today, or the day it was
  withdrawn); until then it counts in no share.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from requests_app.deadlines import (
    JERSEY_2011,
    RESPONSE_WORKING_DAYS,
    Deadlines,
    WorkingCalendar,
    compute_deadlines,
    timeline,
)
from requests_app.models import Campaign, Force, ReviewOutcome
from requests_app.status import EventKind
from responses_app.models import EXEMPTIONS, Outcome
from responses_app.shares import share_rounded

# Answers that withhold something under an exemption, in full or in part (s.17 refusal notices).
WITHHOLDING = (Outcome.REFUSED, Outcome.PARTLY_GRANTED, Outcome.NEITHER_CONFIRM_NOR_DENY)
# Events that stop the 20-day clock: s.1(3) clarification, s.10(2) fees notice.
CLOCK_STOPS = (EventKind.CLARIFICATION_REQUESTED, EventKind.FEE_NOTICE)
NOT_RECORDED = "not_recorded"
EXEMPTION_LABELS = {code: label for codes in EXEMPTIONS.values() for code, label in codes.items()}
REVIEW_OUTCOME_LABELS = {
    **dict(ReviewOutcome.choices),
    NOT_RECORDED: "Not recorded (see the event's note)",
}


class LoggedEvent(Protocol):
    """What the report reads of a logged event (a RequestEvent, or a stand-in in tests)."""

    kind: str
    on: dt.date
    until: dt.date | None
    review_outcome: str
    note: str


@dataclass(frozen=True)
class Answer:
    """The force's first response as data entry recorded it."""

    outcome: str
    exemptions: tuple[str, ...] = ()
    other_exemptions: str = ""

    @property
    def outcome_label(self) -> str:
        return dict(Outcome.choices).get(self.outcome, self.outcome)

    @property
    def labelled_exemptions(self) -> list[tuple[str, str]]:
        return [(code, EXEMPTION_LABELS.get(code, code)) for code in self.exemptions]


@dataclass(frozen=True)
class Extension:
    notice_on: dt.date
    estimate: dt.date | None  # the last estimate the force gave; None if none was recorded
    ceiling: dt.date
    notice_in_time: bool
    estimate_within_ceiling: bool
    kept_to_ceiling: bool | None  # answered by the ceiling; None while it may still be

    @property
    def proper(self) -> bool:
        return self.notice_in_time and self.estimate_within_ceiling


@dataclass(frozen=True)
class Review:
    requested_on: dt.date
    due_on: dt.date | None
    answered_on: dt.date | None
    outcome: str  # a ReviewOutcome, or "" for a review logged before outcomes were kept
    note: str
    answered_in_time: bool | None

    @property
    def outcome_label(self) -> str:
        if self.answered_on is None:
            return ""
        return REVIEW_OUTCOME_LABELS[self.outcome or NOT_RECORDED]


@dataclass(frozen=True)
class RequestCompliance:
    received_on: dt.date
    due_on: dt.date | None  # the 20th working day as it stood at the answer (or now)
    answered_on: dt.date | None
    working_days: int | None
    in_time: bool | None
    in_extended_time: bool | None
    extension: Extension | None
    answer: Answer | None
    review: Review | None
    overdue: bool


def _index(events: Sequence[LoggedEvent], kind: str) -> int | None:
    return next((i for i, event in enumerate(events) if event.kind == kind), None)


def request_compliance(
    *,
    calendar: WorkingCalendar,
    received_on: dt.date,
    events: Sequence[LoggedEvent],
    answer: Answer | None,
    overdue: bool,
    today: dt.date,
) -> RequestCompliance:
    """One request's record: its events in log order (date, then id)."""
    answered_at = _index(events, EventKind.RESPONSE)
    before = events if answered_at is None else events[:answered_at]
    answered_on = None if answered_at is None else events[answered_at].on
    withdrawn_at = _index(events, EventKind.WITHDRAWN)
    # An unanswered request is judged on the day it was withdrawn, if it was, or today.
    judged_on = answered_on or (events[withdrawn_at].on if withdrawn_at is not None else today)
    clocks = compute_deadlines(calendar, received_on, timeline(before))
    in_time = _in_time(clocks.due_on, answered_on, judged_on)
    extension = _extension(calendar, received_on, before, clocks, answered_on, judged_on)
    working_days = None
    if answered_on is not None:
        working_days = _working_days_used(calendar, received_on, before, clocks.due_on, answered_on)
    return RequestCompliance(
        received_on=received_on,
        due_on=clocks.due_on,
        answered_on=answered_on,
        working_days=working_days,
        in_time=in_time,
        in_extended_time=_in_extended_time(in_time, extension, answered_on, judged_on),
        extension=extension,
        answer=answer,
        review=_review(calendar, received_on, events, today),
        overdue=overdue,
    )


def _in_time(
    due_on: dt.date | None, answered_on: dt.date | None, judged_on: dt.date
) -> bool | None:
    if answered_on is not None:
        return due_on is None or answered_on <= due_on
    if due_on is not None and due_on < judged_on:
        return False
    return None


def _working_days_used(
    calendar: WorkingCalendar,
    received_on: dt.date,
    before: Sequence[LoggedEvent],
    due_on: dt.date | None,
    answered_on: dt.date,
) -> int | None:
    """The 20 days less those the engine still had left on the day of the answer (negative
    left, so more than 20 used, when it was late)."""
    if due_on is not None:
        return RESPONSE_WORKING_DAYS - calendar.working_days_between(answered_on, due_on)
    # Answered while the clock was stopped: the days it had run up to the day before it stopped.
    stops = [i for i, event in enumerate(before) if event.kind in CLOCK_STOPS]
    if not stops:
        return None
    stopped_at = stops[-1]
    running = compute_deadlines(calendar, received_on, timeline(before[:stopped_at])).due_on
    if running is None:
        return None
    last_running_day = before[stopped_at].on - dt.timedelta(days=1)
    return max(RESPONSE_WORKING_DAYS - calendar.working_days_between(last_running_day, running), 0)


def extension_ceiling(calendar: WorkingCalendar, clocks: Deadlines) -> dt.date:
    """The latest an extended answer may come: Jersey's statutory limit of 65 working days after
    receipt (Misc. Provisions Regs 2014, reg 2); elsewhere the ICO's further 20 working days
    after the 20th (FOIA s.10(3) guidance; applied to the Guernsey Code as well)."""
    if calendar.regime == JERSEY_2011 and clocks.statutory_limit_on is not None:
        return clocks.statutory_limit_on
    # The engine sets the limit at every extension, and this is asked only after one.
    assert clocks.extension_limit_on is not None
    return clocks.extension_limit_on


def _extension(
    calendar: WorkingCalendar,
    received_on: dt.date,
    before: Sequence[LoggedEvent],
    clocks: Deadlines,
    answered_on: dt.date | None,
    judged_on: dt.date,
) -> Extension | None:
    notices = [i for i, event in enumerate(before) if event.kind == EventKind.EXTENSION]
    if not notices:
        return None
    first = before[notices[0]]
    # s.17(1) and (2): the notice is itself due by the 20th working day as it then stood.
    due_then = compute_deadlines(calendar, received_on, timeline(before[: notices[0]])).due_on
    estimate = before[notices[-1]].until
    ceiling = extension_ceiling(calendar, clocks)
    if answered_on is not None:
        kept: bool | None = answered_on <= ceiling
    else:
        kept = False if ceiling < judged_on else None
    return Extension(
        notice_on=first.on,
        estimate=estimate,
        ceiling=ceiling,
        notice_in_time=due_then is None or first.on <= due_then,
        estimate_within_ceiling=estimate is not None and estimate <= ceiling,
        kept_to_ceiling=kept,
    )


def _in_extended_time(
    in_time: bool | None,
    extension: Extension | None,
    answered_on: dt.date | None,
    judged_on: dt.date,
) -> bool | None:
    if in_time is not False:
        return in_time
    if extension is None or not extension.proper:
        return False
    if answered_on is not None:
        return answered_on <= extension.estimate
    return False if extension.estimate < judged_on else None


def _review(
    calendar: WorkingCalendar, received_on: dt.date, events: Sequence[LoggedEvent], today: dt.date
) -> Review | None:
    asked_at = _index(events, EventKind.INTERNAL_REVIEW_REQUESTED)
    if asked_at is None:
        return None
    answered_at = _index(events, EventKind.INTERNAL_REVIEW_RESPONSE)
    before = events if answered_at is None else events[:answered_at]
    due_on = compute_deadlines(calendar, received_on, timeline(before)).review_due_on
    answer = None if answered_at is None else events[answered_at]
    if answer is not None:
        in_time: bool | None = due_on is None or answer.on <= due_on
    else:
        in_time = False if due_on is not None and due_on < today else None
    return Review(
        requested_on=events[asked_at].on,
        due_on=due_on,
        answered_on=None if answer is None else answer.on,
        outcome="" if answer is None else answer.review_outcome,
        note="" if answer is None else answer.note,
        answered_in_time=in_time,
    )


# --------------------------------------------------------------------------------------------
# Totals
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    count: int
    of: int

    @property
    def share(self) -> Decimal | None:
        """By the one rounding rule of every share the product shows (responses_app.shares)."""
        return share_rounded(self.count, self.of)


def share_of(judgements: Iterable[bool | None]) -> Share:
    """True among the requests judged (True or False); the undecided (None) are left out."""
    decided = [judgement for judgement in judgements if judgement is not None]
    return Share(count=sum(decided), of=len(decided))


def percentile(values: Sequence[int], fraction: Decimal) -> Decimal | None:
    """The 'inclusive' percentile: linear interpolation between the two nearest ranks, at rank
    1 + (n - 1) x fraction (Excel's PERCENTILE.INC, NumPy's default, Python's
    statistics.quantiles(method="inclusive")); at one half it is the median. Exact, in Decimal."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    below = int(position)
    above = ordered[min(below + 1, len(ordered) - 1)]
    return ordered[below] + (above - ordered[below]) * (position - below)


@dataclass(frozen=True)
class Count:
    code: str
    label: str
    count: int


@dataclass(frozen=True)
class WorkingDays:
    answers: int
    median: Decimal | None
    p90: Decimal | None


@dataclass(frozen=True)
class Extensions:
    count: int
    proper: int
    notice_late: int
    estimate_beyond_ceiling: int
    kept_to_ceiling: int
    missed_ceiling: int


@dataclass(frozen=True)
class Refusals:
    count: int
    by_exemption: list[Count]
    other_exemptions: int


@dataclass(frozen=True)
class Reviews:
    requested: int
    answered: int
    answered_in_time: int
    late: int
    outcomes: list[Count]


@dataclass(frozen=True)
class Summary:
    requests: int
    answered: int
    in_time: Share
    in_extended_time: Share
    working_days: WorkingDays
    extensions: Extensions
    outcomes: list[Count]
    refusals: Refusals
    reviews: Reviews
    overdue: int


def summarise(records: Sequence[RequestCompliance]) -> Summary:
    days = [r.working_days for r in records if r.working_days is not None]
    answers = [r.answer for r in records if r.answer is not None]
    return Summary(
        requests=len(records),
        answered=sum(r.answered_on is not None for r in records),
        in_time=share_of(r.in_time for r in records),
        in_extended_time=share_of(r.in_extended_time for r in records),
        working_days=WorkingDays(
            len(days), percentile(days, Decimal("0.5")), percentile(days, Decimal("0.9"))
        ),
        extensions=_extensions([r.extension for r in records if r.extension is not None]),
        outcomes=_counted(Counter(a.outcome for a in answers), dict(Outcome.choices)),
        refusals=_refusals(answers),
        reviews=_reviews([r.review for r in records if r.review is not None]),
        overdue=sum(r.overdue for r in records),
    )


def _counted(counts: Counter[str], labels: dict[str, str]) -> list[Count]:
    """Largest first, then by code, so a page and a program read the same order."""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [Count(code, labels.get(code, code), count) for code, count in ordered]


def _extensions(extensions: Sequence[Extension]) -> Extensions:
    return Extensions(
        count=len(extensions),
        proper=sum(e.proper for e in extensions),
        notice_late=sum(not e.notice_in_time for e in extensions),
        estimate_beyond_ceiling=sum(not e.estimate_within_ceiling for e in extensions),
        kept_to_ceiling=sum(e.kept_to_ceiling is True for e in extensions),
        missed_ceiling=sum(e.kept_to_ceiling is False for e in extensions),
    )


def _refusals(answers: Sequence[Answer]) -> Refusals:
    withholding = [a for a in answers if a.outcome in WITHHOLDING]
    cited = Counter(code for a in withholding for code in a.exemptions)
    return Refusals(
        count=len(withholding),
        by_exemption=_counted(cited, EXEMPTION_LABELS),
        other_exemptions=sum(bool(a.other_exemptions.strip()) for a in withholding),
    )


def _reviews(reviews: Sequence[Review]) -> Reviews:
    answered = [r for r in reviews if r.answered_on is not None]
    return Reviews(
        requested=len(reviews),
        answered=len(answered),
        answered_in_time=sum(r.answered_in_time is True for r in reviews),
        late=sum(r.answered_in_time is False for r in reviews),
        outcomes=_counted(
            Counter(r.outcome or NOT_RECORDED for r in answered), REVIEW_OUTCOME_LABELS
        ),
    )


# --------------------------------------------------------------------------------------------
# The report: one row a request, with the names a page shows, and the totals
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComplianceRow:
    request_id: int
    campaign_id: int
    campaign_title: str
    force_slug: str
    force_name: str
    regime: str
    status: str
    status_label: str
    record: RequestCompliance


def summarise_by_force(rows: Iterable[ComplianceRow]) -> dict[str, Summary]:
    """Each force's totals over the rows given (one campaign's or many), by force slug."""
    records: defaultdict[str, list[RequestCompliance]] = defaultdict(list)
    for row in rows:
        records[row.force_slug].append(row.record)
    return {slug: summarise(force_records) for slug, force_records in records.items()}


@dataclass(frozen=True)
class ComplianceReport:
    campaign: Campaign | None  # the campaign asked for, if one was
    force: Force | None  # the force asked for, if one was
    today: dt.date
    rows: list[ComplianceRow]
    total: Summary

    @property
    def method(self) -> str:
        return METHOD


METHOD = (
    "Computed from each request's event log through the deadline engine. In time: the first "
    "response on or before the 20th working day after receipt (FOIA s.10(1)), the 20 days "
    "running again from a clarification (s.1(3)) and pausing from a fees notice to the payment "
    "(s.10(2)); a response given while that clock was stopped is in time. A public-interest "
    "extension is proper when its notice came by the 20th working day (s.17(1)) and its "
    "estimate (s.17(2)) kept to the ceiling: 20 further working days (ICO guidance), or 65 "
    "working days after receipt in Jersey (Misc. Provisions Regs 2014, reg 2). In extended "
    "time: in time, or a proper extension answered by its estimate. A request not yet answered "
    "counts as late once its date has passed (today, or the day it was withdrawn) and in no "
    "share before then. Working days to answer: from the date of receipt (or the clarification) "
    "to the response, fee pauses left out; median and 90th percentile by linear interpolation "
    "between the nearest ranks (the 'inclusive' method). Refusals: responses refused in full, "
    "partly granted or neither confirming nor denying, by the exemptions they cite. Overdue: a "
    "clock (answer, extension or internal review) running past its date today."
)
