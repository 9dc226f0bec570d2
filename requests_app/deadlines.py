"""The deadline engine: every legal date the tracker shows comes from here.

Each regime has a working-day calendar and a set of clocks. The request's due dates are a pure
function of (regime, date of receipt, event timeline, extra holidays), so they can be recomputed
at any time and never need patching by hand. Rules and sources: docs/deadlines.md.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache, cached_property
from typing import TypeVar
from zoneinfo import ZoneInfo

import holidays

FOIA_2000 = "foia-2000"
JERSEY_2011 = "foi-jersey-2011"
GUERNSEY_2021 = "guernsey-foi-code-2021"

REGIME_CHOICES = [
    (FOIA_2000, "Freedom of Information Act 2000"),
    (JERSEY_2011, "Freedom of Information (Jersey) Law 2011"),
    (GUERNSEY_2021, "Guernsey Freedom of Information Code 2021"),
]

# FOIA s.10(6): a bank holiday "in any part of the United Kingdom" is not a working day, so an
# English force also stops for Scotland-only and Northern Ireland-only days (ICO LTT47). Asking
# the library for plain "GB" would drop Easter Monday and the August bank holiday.
_CALENDARS: dict[str, list[tuple[str, str | None]]] = {
    FOIA_2000: [("GB", "ENG"), ("GB", "WLS"), ("GB", "SCT"), ("GB", "NIR")],
    JERSEY_2011: [("JE", None)],
    GUERNSEY_2021: [("GG", None)],
}

RESPONSE_WORKING_DAYS = 20  # FOIA s.10(1); the Jersey and Guernsey targets are also 20.
EXTENSION_CEILING_WORKING_DAYS = 20  # ICO: a public-interest extension adds at most 20 more.
JERSEY_LIMIT_WORKING_DAYS = 65  # Jersey Misc. Provisions Regs 2014, reg 2: the statutory limit.
REVIEW_WORKING_DAYS = 20  # ICO guide: an internal review within 20 working days...
REVIEW_CEILING_WORKING_DAYS = 40  # ...and 40 in exceptional cases.
REVIEW_ASK_WITHIN_WORKING_DAYS = 40  # ICO: ask for a review within 40 working days of the answer.
COMPLAINT_WINDOW = dt.timedelta(weeks=6)  # ICO: complain within 6 weeks of the final answer.

# Days are counted in UK local dates in every regime: Jersey and Guernsey keep UK time.
UK_TIME = ZoneInfo("Europe/London")


class DateOutsideCalendar(ValueError):
    """A date outside the years the holiday library covers for a regime: there a holiday cannot
    be told from a working day, so the engine refuses rather than count a wrong date."""


@cache
def supported_range(regime: str) -> tuple[dt.date, dt.date]:
    """The first and last day of the years that every holiday calendar of `regime` covers."""
    if regime not in _CALENDARS:
        raise ValueError(f"unknown legal regime {regime!r}")
    covered = [holidays.country_holidays(c, subdiv=s) for c, s in _CALENDARS[regime]]
    first_year = max(calendar.start_year for calendar in covered)
    last_year = min(calendar.end_year for calendar in covered)
    return dt.date(first_year, 1, 1), dt.date(last_year, 12, 31)


@cache
def _weekday_holidays(regime: str) -> tuple[int, ...]:
    """Day ordinals of the regime's statutory holidays over its whole range, sorted. Those on a
    weekend are left out: they are already not working days, and must not be taken off twice."""
    first, last = supported_range(regime)
    years = range(first.year, last.year + 1)
    days: set[dt.date] = set()
    for country, subdiv in _CALENDARS[regime]:
        days.update(holidays.country_holidays(country, subdiv=subdiv, years=years).keys())
    return tuple(sorted(day.toordinal() for day in days if day.weekday() < 5))


def local_date(moment: dt.date, what: str = "date") -> dt.date:
    """The UK date of a date or datetime. A datetime must become a date before it meets the
    holidays: it equals none of them, so Christmas counted as a working day (issue 15). An aware
    one is read in UK time; a naive one is taken to be in UK time already."""
    if isinstance(moment, dt.datetime):
        if moment.utcoffset() is not None:
            moment = moment.astimezone(UK_TIME)
        return moment.date()
    if not isinstance(moment, dt.date):
        raise TypeError(f"{what} must be a date, not {moment!r}")
    return moment


def _weekdays_through(ordinal: int) -> int:
    """Mondays to Fridays from day ordinal 1 (1 Jan of year 1, a Monday) up to `ordinal`."""
    weeks, rest = divmod(ordinal, 7)
    return 5 * weeks + min(rest, 5)


class WorkingCalendar:
    """Working days of one regime: not a weekend, not a public holiday, not an extra holiday.

    Counting never walks the days (issue 15: one date of 9999-12-31 took seconds a request).
    The working days up to a day are its weekdays, found by arithmetic, less the weekday holidays
    up to it, found by bisecting one sorted list; so a span of a century costs what a week does,
    and the Nth working day after a date is a bisection over that count. Every day given must
    lie in `supported_range(regime)`; any other is refused with DateOutsideCalendar. A datetime
    is read as its UK date (local_date); what is not a date at all is refused with TypeError.
    """

    def __init__(self, regime: str, extra_holidays: Iterable[dt.date] = ()) -> None:
        if regime not in _CALENDARS:
            raise ValueError(f"unknown legal regime {regime!r}")
        self.regime = regime
        self.extra_holidays = frozenset(
            local_date(day, "an extra holiday") for day in extra_holidays
        )

    @cached_property
    def _closed_weekdays(self) -> tuple[int, ...]:
        """Ordinals of the weekdays that are holidays, statutory or extra, sorted. Built on first
        use, not in __init__: a module may make a calendar at import time."""
        statutory = _weekday_holidays(self.regime)
        extra = {day.toordinal() for day in self.extra_holidays if day.weekday() < 5}
        if not extra:
            return statutory
        return tuple(sorted(extra.union(statutory)))

    def day_of(self, day: dt.date, what: str = "date") -> dt.date:
        """The local date of `day` (see local_date), checked to lie in the range this calendar
        can count; `what` names it in the error."""
        day = local_date(day, what)
        first, last = supported_range(self.regime)
        if not first <= day <= last:
            raise DateOutsideCalendar(
                f"{what} {day.isoformat()} is outside the {self.regime} calendar, which counts "
                f"working days from {first.isoformat()} to {last.isoformat()} only"
            )
        return day

    def is_working_day(self, day: dt.date) -> bool:
        day = self.day_of(day)
        if day.weekday() >= 5:
            return False
        closed, ordinal = self._closed_weekdays, day.toordinal()
        position = bisect_left(closed, ordinal)
        return position == len(closed) or closed[position] != ordinal

    def add_working_days(self, start: dt.date, count: int) -> dt.date:
        """The `count`th working day after `start`; `start` itself never counts (LTT47)."""
        start = self.day_of(start, "start")
        if count <= 0:
            return start
        target = self._working_days_through(start.toordinal()) + count
        last = supported_range(self.regime)[1]
        if self._working_days_through(last.toordinal()) < target:
            raise DateOutsideCalendar(
                f"{count} working days after {start.isoformat()} run past "
                f"{last.isoformat()}, the last day the {self.regime} calendar counts"
            )
        # The first day whose running count reaches the target is the day sought.
        days = range(start.toordinal() + 1, last.toordinal() + 1)
        found = days[bisect_left(days, target, key=self._working_days_through)]
        return dt.date.fromordinal(found)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        start, end = self.day_of(start, "start"), self.day_of(end, "end")
        return self._working_days_through(end.toordinal()) - self._working_days_through(
            start.toordinal()
        )

    def _working_days_through(self, ordinal: int) -> int:
        """Working days from day ordinal 1 up to `ordinal`, as if the range's holidays were the
        only ones ever: meaningless alone, exact as the difference of two days in the range."""
        return _weekdays_through(ordinal) - bisect_right(self._closed_weekdays, ordinal)


@dataclass(frozen=True)
class TimelineEvent:
    """What the engine needs of an event: its kind, its date and, for an extension, its date."""

    kind: str
    on: dt.date
    until: dt.date | None = None


# Anything with a `kind`: a logged event, or the engine's own TimelineEvent.
E = TypeVar("E")


def standing_events(events: Iterable[E]) -> list[E]:
    """The logged events (anything with a `kind`), in the order given, without the responses
    that were withdrawn and their withdrawals: a withdrawn response never happened for the clocks
    or the reports (no review or complaint window runs from it). Each withdrawal takes back the
    latest response before it."""
    standing: list[E] = []
    for event in events:
        if event.kind == "response_withdrawn":
            latest = max(i for i, e in enumerate(standing) if e.kind == "response")
            del standing[latest]
            continue
        standing.append(event)
    return standing


def timeline(events: Iterable) -> list[TimelineEvent]:
    """What the engine reads of logged events (anything with `kind`, `on` and `until`), in the
    order given: the one conversion from the event log to the engine."""
    return [TimelineEvent(kind=e.kind, on=e.on, until=e.until) for e in standing_events(events)]


@dataclass
class Deadlines:
    due_on: dt.date | None = None
    extended_due_on: dt.date | None = None
    extension_limit_on: dt.date | None = None
    statutory_limit_on: dt.date | None = None
    review_request_by: dt.date | None = None
    review_due_on: dt.date | None = None
    review_limit_on: dt.date | None = None
    complaint_by: dt.date | None = None


class _Clock:
    """Replays a timeline; each method is one event kind's effect on the clocks."""

    def __init__(self, calendar: WorkingCalendar, received_on: dt.date) -> None:
        self.calendar = calendar
        self.deadlines = Deadlines()
        self._start(received_on)

    def _start(self, received_on: dt.date) -> None:
        # The answer clock: the working days used so far, counted from `counting_since` while it
        # runs; a fee notice stops it (`fee_notice_on`) until the fee is paid.
        self.counting_since = received_on
        self.working_days_used = 0
        self.fee_notice_on: dt.date | None = None
        self.deadlines.due_on = self.calendar.add_working_days(received_on, RESPONSE_WORKING_DAYS)
        if self.calendar.regime == JERSEY_2011:
            self.deadlines.statutory_limit_on = self.calendar.add_working_days(
                received_on, JERSEY_LIMIT_WORKING_DAYS
            )

    def clarification_requested(self, event: TimelineEvent) -> None:
        # s.1(3): nothing is due until the clarification arrives.
        self.deadlines.due_on = None
        self.deadlines.statutory_limit_on = None

    def clarification_received(self, event: TimelineEvent) -> None:
        # s.1(3) with s.10(6)(b): the 20 working days run again from the day it is received.
        self._start(event.on)

    def fee_notice(self, event: TimelineEvent) -> None:
        # s.10(2): the working days from the day a notice is given to the day the fee arrives are
        # disregarded, for each notice, so the days used before this one are banked; those of an
        # earlier pause never count (issue 15). A notice repeated while unpaid changes nothing.
        if self.fee_notice_on is not None:
            return
        self.working_days_used += self._working_days_before(event.on)
        self.fee_notice_on = event.on
        self.deadlines.due_on = None

    def fee_paid(self, event: TimelineEvent) -> None:
        # s.10(2) again: the day the fee is received is the last one disregarded.
        if self.fee_notice_on is None:
            return
        self.fee_notice_on = None
        self.counting_since = event.on
        remaining = max(RESPONSE_WORKING_DAYS - self.working_days_used, 0)
        self.deadlines.due_on = self.calendar.add_working_days(event.on, remaining)

    def _working_days_before(self, day: dt.date) -> int:
        """Working days after `counting_since` and before `day` (the first day disregarded).
        A notice given on the day of receipt has used none: the day of receipt never counts."""
        if day <= self.counting_since:
            return 0
        counted = self.calendar.working_days_between(self.counting_since, day)
        return counted - self.calendar.is_working_day(day)

    def extension(self, event: TimelineEvent) -> None:
        # s.10(3) and s.17(2): the authority names an estimate; the ICO expects no more than
        # 20 working days beyond the normal deadline.
        base = self.deadlines.due_on or event.on
        limit = self.calendar.add_working_days(base, EXTENSION_CEILING_WORKING_DAYS)
        self.deadlines.extension_limit_on = limit
        self.deadlines.extended_due_on = event.until or limit

    def response(self, event: TimelineEvent) -> None:
        self.deadlines.review_request_by = self.calendar.add_working_days(
            event.on, REVIEW_ASK_WITHIN_WORKING_DAYS
        )
        self.deadlines.complaint_by = event.on + COMPLAINT_WINDOW

    def internal_review_requested(self, event: TimelineEvent) -> None:
        self.deadlines.review_due_on = self.calendar.add_working_days(event.on, REVIEW_WORKING_DAYS)
        self.deadlines.review_limit_on = self.calendar.add_working_days(
            event.on, REVIEW_CEILING_WORKING_DAYS
        )
        self.deadlines.complaint_by = None

    def internal_review_response(self, event: TimelineEvent) -> None:
        # The review outcome is the final answer: the complaint window runs from it.
        self.deadlines.complaint_by = event.on + COMPLAINT_WINDOW


def compute_deadlines(
    calendar: WorkingCalendar, received_on: dt.date | None, events: Iterable[TimelineEvent]
) -> Deadlines:
    """Every due date of a request, replayed from its date of receipt and its events in order.
    A date outside the calendar's range (a clock-moving event's, or a due date the clocks reach)
    raises DateOutsideCalendar."""
    if received_on is None:
        return Deadlines()
    clock = _Clock(calendar, calendar.day_of(received_on, "the date of receipt"))
    for event in events:
        effect = _EFFECTS.get(event.kind)
        if effect is not None:
            effect(clock, _on_calendar(calendar, event))
    return clock.deadlines


def _on_calendar(calendar: WorkingCalendar, event: TimelineEvent) -> TimelineEvent:
    """The event with its dates checked: `until` is stored as a due date and counted from later
    (working days left), so it must lie in the calendar's range as much as `on`."""
    on = calendar.day_of(event.on, f"the {event.kind} event's date")
    until = (
        None if event.until is None else calendar.day_of(event.until, f"the {event.kind}'s until")
    )
    return replace(event, on=on, until=until)


# Event kinds that move a clock; the others (acknowledged, complaint, closed...) only log.
_EFFECTS = {
    "clarification_requested": _Clock.clarification_requested,
    "clarification_received": _Clock.clarification_received,
    "fee_notice": _Clock.fee_notice,
    "fee_paid": _Clock.fee_paid,
    "extension": _Clock.extension,
    "response": _Clock.response,
    "internal_review_requested": _Clock.internal_review_requested,
    "internal_review_response": _Clock.internal_review_response,
}
