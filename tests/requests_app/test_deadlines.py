"""The deadline engine, checked against dates counted by hand.

Every expected date below was counted on a printed calendar (Python's `calendar` module) with the
holiday lists of the `holidays` package 0.109; none was produced by calling the engine. "WD n" in
a comment means "the nth working day after the date of receipt (or of the event)". Where many
random spans are checked, the engine is compared with a day-by-day walk over the library's
holidays, written in this file.

Holidays that matter here, beyond weekends:
- FOIA (union of England, Wales, Scotland and Northern Ireland):
  2024: 6 May, 27 May.
  2025: 1-2 Jan, 17 Mar, 18 and 21 Apr, 5 May, 26 May, 14 Jul (Boyne observed), 4 Aug (Scotland),
        25 Aug, 1 Dec (St Andrew's observed), 25-26 Dec.
  2026: 1-2 Jan, 17 Mar (NI), 3 and 6 Apr, 4 May, 25 May, 15 Jun (Scotland one-off), 13 Jul
        (Boyne observed), 3 Aug (Scotland), 31 Aug, 30 Nov (St Andrew's), 25 and 28 Dec.
  2027: 1 Jan, 4 Jan (Scotland, 2 Jan observed).
- Jersey: 2024: 6 May, 9 May (Liberation Day), 27 May, 15 Jul (royal visit).
  2025: 1 Jan, 18 and 21 Apr, 5 May, 9 May, 26 May, 25 Aug, 25-26 Dec.
  2026: 1 Jan, 3 and 6 Apr, 4 May, 9 May (a Saturday, no substitute), 25 May, 31 Aug,
        25 and 28 Dec.  2027: 1 Jan.
- Guernsey: as Jersey, except the 2024 royal visit fell on 16 Jul.
"""

import datetime as dt
import sys
from collections.abc import Callable
from functools import cache
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from requests_app.deadlines import (
    FOIA_2000,
    GUERNSEY_2021,
    JERSEY_2011,
    DateOutsideCalendar,
    Deadlines,
    TimelineEvent,
    WorkingCalendar,
    compute_deadlines,
    supported_range,
)

ALL_REGIMES = [FOIA_2000, JERSEY_2011, GUERNSEY_2021]


def day(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


def event(kind: str, on: str, until: str | None = None) -> TimelineEvent:
    return TimelineEvent(kind=kind, on=day(on), until=day(until) if until else None)


def deadlines_for(regime: str, received: str | None, *events: TimelineEvent) -> Deadlines:
    received_on = day(received) if received else None
    return compute_deadlines(WorkingCalendar(regime), received_on, events)


# --------------------------------------------------------------------------------------------
# The 20-working-day response deadline (due_on), regime by regime
# --------------------------------------------------------------------------------------------

RESPONSE_DEADLINES = [
    # The worked examples of foi-law.md.
    # Mon 1 Dec 2025 (itself St Andrew's observed for FOIA; receipt day never counts anyway):
    # 2-24 Dec are WD 1-17, 25-26 Dec skipped, 29-31 Dec are WD 18-20. Same in every regime.
    pytest.param(FOIA_2000, "2025-12-01", "2025-12-31", id="worked-example-2025-12-01-foia"),
    pytest.param(JERSEY_2011, "2025-12-01", "2025-12-31", id="worked-example-2025-12-01-jersey"),
    pytest.param(
        GUERNSEY_2021, "2025-12-01", "2025-12-31", id="worked-example-2025-12-01-guernsey"
    ),
    # Mon 14 Apr 2025: Good Friday 18 Apr, Easter Monday 21 Apr and 5 May skipped everywhere;
    # the islands also skip Liberation Day (Fri 9 May), so their day 20 is one later.
    pytest.param(FOIA_2000, "2025-04-14", "2025-05-15", id="worked-example-2025-04-14-foia"),
    pytest.param(JERSEY_2011, "2025-04-14", "2025-05-16", id="worked-example-2025-04-14-jersey"),
    pytest.param(
        GUERNSEY_2021, "2025-04-14", "2025-05-16", id="worked-example-2025-04-14-guernsey"
    ),
    # Wed 1 Jul 2026: FOIA skips Mon 13 Jul (NI, Battle of the Boyne observed); the islands don't.
    pytest.param(FOIA_2000, "2026-07-01", "2026-07-30", id="worked-example-2026-07-01-foia"),
    pytest.param(JERSEY_2011, "2026-07-01", "2026-07-29", id="worked-example-2026-07-01-jersey"),
    pytest.param(
        GUERNSEY_2021, "2026-07-01", "2026-07-29", id="worked-example-2026-07-01-guernsey"
    ),
    # Christmas and New Year.
    # Mon 15 Dec 2025: WD 1-7 are 16-24 Dec; 25-26 Dec skipped; 29-31 Dec are WD 8-10; 1 Jan
    # skipped everywhere, and Fri 2 Jan (Scotland) too for FOIA, so the islands finish a day early.
    pytest.param(FOIA_2000, "2025-12-15", "2026-01-16", id="christmas-2025-foia"),
    pytest.param(JERSEY_2011, "2025-12-15", "2026-01-15", id="christmas-2025-jersey"),
    pytest.param(GUERNSEY_2021, "2025-12-15", "2026-01-15", id="christmas-2025-guernsey"),
    # Mon 14 Dec 2026: WD 1-8 are 15-24 Dec; Fri 25 Dec and Mon 28 Dec (Boxing Day observed)
    # skipped; 29-31 Dec are WD 9-11; Fri 1 Jan 2027 skipped everywhere, and for FOIA also Mon
    # 4 Jan 2027 (Scotland's 2 Jan falls on a Saturday and is observed on the Monday).
    pytest.param(FOIA_2000, "2026-12-14", "2027-01-15", id="christmas-2026-foia"),
    pytest.param(JERSEY_2011, "2026-12-14", "2027-01-14", id="christmas-2026-jersey"),
    pytest.param(GUERNSEY_2021, "2026-12-14", "2027-01-14", id="christmas-2026-guernsey"),
    # Scotland-only holidays stop an English force's FOIA clock (s.10(6): "any part of the UK").
    # Mon 16 Nov 2026: FOIA skips Mon 30 Nov (St Andrew's Day), so WD 20 is Tue 15 Dec.
    pytest.param(FOIA_2000, "2026-11-16", "2026-12-15", id="st-andrews-day-2026-foia"),
    pytest.param(JERSEY_2011, "2026-11-16", "2026-12-14", id="st-andrews-day-2026-jersey"),
    # Mon 20 Jul 2026: FOIA skips Mon 3 Aug (Scotland's summer bank holiday, first Monday of
    # August); 31 Aug is beyond day 20.
    pytest.param(FOIA_2000, "2026-07-20", "2026-08-18", id="scottish-august-2026-foia"),
    pytest.param(JERSEY_2011, "2026-07-20", "2026-08-17", id="scottish-august-2026-jersey"),
    # Mon 1 Jun 2026: FOIA skips Mon 15 Jun (Scotland's one-off World Cup holiday).
    pytest.param(FOIA_2000, "2026-06-01", "2026-06-30", id="scottish-one-off-2026-foia"),
    pytest.param(JERSEY_2011, "2026-06-01", "2026-06-29", id="scottish-one-off-2026-jersey"),
    # Northern Ireland-only: Mon 2 Mar 2026; FOIA skips Tue 17 Mar (St Patrick's Day).
    pytest.param(FOIA_2000, "2026-03-02", "2026-03-31", id="st-patricks-day-2026-foia"),
    pytest.param(JERSEY_2011, "2026-03-02", "2026-03-30", id="st-patricks-day-2026-jersey"),
    pytest.param(GUERNSEY_2021, "2026-03-02", "2026-03-30", id="st-patricks-day-2026-guernsey"),
    # Liberation Day on a weekday: Mon 22 Apr 2024; everyone skips Mon 6 May, and the islands
    # also skip Thu 9 May 2024, so they finish a day after the UK.
    pytest.param(FOIA_2000, "2024-04-22", "2024-05-21", id="liberation-day-2024-foia"),
    pytest.param(JERSEY_2011, "2024-04-22", "2024-05-22", id="liberation-day-2024-jersey"),
    pytest.param(GUERNSEY_2021, "2024-04-22", "2024-05-22", id="liberation-day-2024-guernsey"),
    # Liberation Day on a Saturday (9 May 2026): the library gives no substitute weekday, so the
    # islands match the UK. Mon 27 Apr 2026: 4 May and 25 May skipped everywhere.
    pytest.param(FOIA_2000, "2026-04-27", "2026-05-27", id="liberation-day-saturday-2026-foia"),
    pytest.param(JERSEY_2011, "2026-04-27", "2026-05-27", id="liberation-day-saturday-2026-jersey"),
    pytest.param(
        GUERNSEY_2021, "2026-04-27", "2026-05-27", id="liberation-day-saturday-2026-guernsey"
    ),
    # Received at a weekend: day 1 is the next working day, Mon 9 Jun 2025, exactly as for a
    # Friday receipt; WD 20 is Fri 4 Jul 2025 (no holidays in June 2025 in any regime).
    pytest.param(FOIA_2000, "2025-06-06", "2025-07-04", id="received-friday-foia"),
    pytest.param(FOIA_2000, "2025-06-07", "2025-07-04", id="received-saturday-foia"),
    pytest.param(FOIA_2000, "2025-06-08", "2025-07-04", id="received-sunday-foia"),
    pytest.param(JERSEY_2011, "2025-06-07", "2025-07-04", id="received-saturday-jersey"),
    pytest.param(GUERNSEY_2021, "2025-06-07", "2025-07-04", id="received-saturday-guernsey"),
    # ...whereas a Monday receipt starts counting on the Tuesday, one working day later.
    pytest.param(FOIA_2000, "2025-06-09", "2025-07-07", id="received-monday-foia"),
    # Received on a bank holiday: Mon 25 Aug 2025 (all regimes); day 1 is Tue 26 Aug, the same
    # day 1 as for a receipt on Fri 22 Aug, so both give Mon 22 Sep.
    pytest.param(FOIA_2000, "2025-08-25", "2025-09-22", id="received-bank-holiday-foia"),
    pytest.param(JERSEY_2011, "2025-08-25", "2025-09-22", id="received-bank-holiday-jersey"),
    pytest.param(GUERNSEY_2021, "2025-08-25", "2025-09-22", id="received-bank-holiday-guernsey"),
    pytest.param(FOIA_2000, "2025-08-22", "2025-09-22", id="received-friday-before-bank-holiday"),
    # Received on Good Friday 3 Apr 2026: Easter Monday is skipped too, so day 1 is Tue 7 Apr;
    # Mon 4 May is skipped later on, giving Tue 5 May in every regime.
    pytest.param(FOIA_2000, "2026-04-03", "2026-05-05", id="received-good-friday-foia"),
    pytest.param(JERSEY_2011, "2026-04-03", "2026-05-05", id="received-good-friday-jersey"),
    pytest.param(GUERNSEY_2021, "2026-04-03", "2026-05-05", id="received-good-friday-guernsey"),
    # Received on a Northern Ireland-only holiday (Tue 17 Mar 2026): FOIA day 1 is Wed 18 Mar,
    # which is also the islands' day 1, so all agree on Thu 16 Apr (3 and 6 Apr skipped).
    pytest.param(FOIA_2000, "2026-03-17", "2026-04-16", id="received-st-patricks-day-foia"),
    pytest.param(JERSEY_2011, "2026-03-17", "2026-04-16", id="received-st-patricks-day-jersey"),
]


@pytest.mark.parametrize(("regime", "received", "expected_due"), RESPONSE_DEADLINES)
def test_the_response_is_due_on_the_twentieth_working_day_after_receipt(
    regime, received, expected_due
):
    assert deadlines_for(regime, received).due_on == day(expected_due)


@pytest.mark.parametrize(("regime", "received", "expected_due"), RESPONSE_DEADLINES)
def test_the_hand_counted_due_date_is_twenty_working_days_after_receipt(
    regime, received, expected_due
):
    # A cross-check of the hand counting from the other direction.
    calendar = WorkingCalendar(regime)
    assert calendar.working_days_between(day(received), day(expected_due)) == 20
    assert calendar.is_working_day(day(expected_due))


@pytest.mark.parametrize(
    ("received", "english_force_due", "jersey_due"),
    [
        pytest.param("2025-12-15", "2026-01-16", "2026-01-15", id="scotland-2-january-2026"),
        pytest.param("2026-11-16", "2026-12-15", "2026-12-14", id="scotland-st-andrews-day-2026"),
        pytest.param("2026-07-20", "2026-08-18", "2026-08-17", id="scotland-august-bank-holiday"),
        pytest.param("2026-03-02", "2026-03-31", "2026-03-30", id="northern-ireland-st-patricks"),
        pytest.param("2026-07-01", "2026-07-30", "2026-07-29", id="northern-ireland-boyne-2026"),
    ],
)
def test_foia_counts_scottish_and_northern_irish_holidays_so_an_english_force_answers_later(
    received, english_force_due, jersey_due
):
    foia = deadlines_for(FOIA_2000, received).due_on
    jersey = deadlines_for(JERSEY_2011, received).due_on
    assert (foia, jersey) == (day(english_force_due), day(jersey_due))
    assert foia > jersey


# --------------------------------------------------------------------------------------------
# WorkingCalendar
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("regime", "date", "expected"),
    [
        pytest.param(FOIA_2000, "2026-03-04", True, id="ordinary-wednesday-foia"),
        pytest.param(JERSEY_2011, "2026-03-04", True, id="ordinary-wednesday-jersey"),
        pytest.param(GUERNSEY_2021, "2026-03-04", True, id="ordinary-wednesday-guernsey"),
        pytest.param(FOIA_2000, "2026-03-07", False, id="saturday-foia"),
        pytest.param(JERSEY_2011, "2026-03-08", False, id="sunday-jersey"),
        pytest.param(FOIA_2000, "2026-12-25", False, id="christmas-foia"),
        pytest.param(JERSEY_2011, "2026-12-28", False, id="boxing-day-substitute-jersey"),
        pytest.param(GUERNSEY_2021, "2026-12-28", False, id="boxing-day-substitute-guernsey"),
        # England's Easter Monday is not a Scottish holiday, but the union keeps it.
        pytest.param(FOIA_2000, "2025-04-21", False, id="easter-monday-foia"),
        pytest.param(FOIA_2000, "2026-01-02", False, id="scotland-2-january-foia"),
        pytest.param(JERSEY_2011, "2026-01-02", True, id="scotland-2-january-jersey"),
        pytest.param(FOIA_2000, "2025-08-04", False, id="scotland-august-foia"),
        pytest.param(JERSEY_2011, "2025-08-04", True, id="scotland-august-jersey"),
        pytest.param(FOIA_2000, "2026-11-30", False, id="st-andrews-day-foia"),
        pytest.param(GUERNSEY_2021, "2026-11-30", True, id="st-andrews-day-guernsey"),
        pytest.param(FOIA_2000, "2026-03-17", False, id="st-patricks-day-foia"),
        pytest.param(JERSEY_2011, "2026-03-17", True, id="st-patricks-day-jersey"),
        pytest.param(FOIA_2000, "2026-07-13", False, id="boyne-observed-foia"),
        pytest.param(GUERNSEY_2021, "2026-07-13", True, id="boyne-observed-guernsey"),
        pytest.param(FOIA_2000, "2025-05-09", True, id="liberation-day-foia"),
        pytest.param(JERSEY_2011, "2025-05-09", False, id="liberation-day-jersey"),
        pytest.param(GUERNSEY_2021, "2025-05-09", False, id="liberation-day-guernsey"),
        # The 2024 royal visit: a one-off holiday on different days in each island.
        pytest.param(JERSEY_2011, "2024-07-15", False, id="royal-visit-jersey"),
        pytest.param(GUERNSEY_2021, "2024-07-15", True, id="royal-visit-not-guernsey"),
        pytest.param(GUERNSEY_2021, "2024-07-16", False, id="royal-visit-guernsey"),
        pytest.param(JERSEY_2011, "2024-07-16", True, id="royal-visit-not-jersey"),
    ],
)
def test_it_knows_which_days_are_working_days(regime, date, expected):
    assert WorkingCalendar(regime).is_working_day(day(date)) is expected


def test_it_rejects_an_unknown_regime():
    with pytest.raises(ValueError, match="unknown legal regime"):
        WorkingCalendar("foia-scotland-2002")


@pytest.mark.parametrize(
    ("regime", "start", "count", "expected"),
    [
        pytest.param(FOIA_2000, "2026-03-02", 0, "2026-03-02", id="zero-days-is-the-start"),
        pytest.param(FOIA_2000, "2026-03-02", 1, "2026-03-03", id="monday-plus-one"),
        pytest.param(FOIA_2000, "2026-03-06", 1, "2026-03-09", id="friday-plus-one-skips-weekend"),
        pytest.param(FOIA_2000, "2026-03-07", 1, "2026-03-09", id="saturday-plus-one"),
        # Mon 16 Mar 2026 + 1: Tue 17 Mar is St Patrick's Day for FOIA only.
        pytest.param(FOIA_2000, "2026-03-16", 1, "2026-03-18", id="skips-st-patricks-foia"),
        pytest.param(JERSEY_2011, "2026-03-16", 1, "2026-03-17", id="st-patricks-jersey"),
        # Thu 24 Dec 2025 + 1: 25-26 Dec holidays, 27-28 Dec weekend.
        pytest.param(FOIA_2000, "2025-12-24", 1, "2025-12-29", id="christmas-eve-plus-one"),
        # Wed 31 Dec 2025 + 1, across the year: 1 Jan everywhere, 2 Jan in Scotland.
        pytest.param(FOIA_2000, "2025-12-31", 1, "2026-01-05", id="new-year-foia"),
        pytest.param(JERSEY_2011, "2025-12-31", 1, "2026-01-02", id="new-year-jersey"),
        # Mon 2 Mar 2026 + 5: one calendar week when no holiday intervenes.
        pytest.param(GUERNSEY_2021, "2026-03-02", 5, "2026-03-09", id="five-days-is-a-week"),
    ],
)
def test_add_working_days_never_counts_the_start_day(regime, start, count, expected):
    assert WorkingCalendar(regime).add_working_days(day(start), count) == day(expected)


@pytest.mark.parametrize(
    ("regime", "start", "end", "expected"),
    [
        pytest.param(FOIA_2000, "2026-03-04", "2026-03-04", 0, id="same-day-is-zero"),
        pytest.param(FOIA_2000, "2026-03-07", "2026-03-08", 0, id="across-a-weekend-is-zero"),
        pytest.param(FOIA_2000, "2026-03-06", "2026-03-09", 1, id="friday-to-monday"),
        pytest.param(FOIA_2000, "2026-03-02", "2026-03-06", 4, id="monday-to-friday"),
        pytest.param(FOIA_2000, "2026-03-06", "2026-03-02", -4, id="backwards-is-negative"),
        pytest.param(FOIA_2000, "2026-03-07", "2026-03-02", -4, id="backwards-from-saturday"),
        # 17-20 Mar 2026: St Patrick's Day on the 17th is a holiday for FOIA only.
        pytest.param(FOIA_2000, "2026-03-16", "2026-03-20", 3, id="st-patricks-foia"),
        pytest.param(JERSEY_2011, "2026-03-16", "2026-03-20", 4, id="st-patricks-jersey"),
        # (24 Dec 2025, 5 Jan 2026]: working are 29, 30, 31 Dec and 5 Jan, plus 2 Jan in Jersey.
        pytest.param(FOIA_2000, "2025-12-24", "2026-01-05", 4, id="christmas-foia"),
        pytest.param(JERSEY_2011, "2025-12-24", "2026-01-05", 5, id="christmas-jersey"),
        pytest.param(JERSEY_2011, "2026-01-05", "2025-12-24", -5, id="christmas-backwards"),
    ],
)
def test_working_days_between_counts_the_end_but_not_the_start(regime, start, end, expected):
    assert WorkingCalendar(regime).working_days_between(day(start), day(end)) == expected


PROCLAIMED = day("2026-03-04")  # a made-up one-off holiday, proclaimed for Wed 4 Mar 2026


@pytest.mark.parametrize(
    ("regime", "extra", "expected_due"),
    [
        # Received Mon 2 Mar 2026; without it: FOIA Tue 31 Mar, the islands Mon 30 Mar.
        pytest.param(FOIA_2000, [PROCLAIMED], "2026-04-01", id="foia-one-day-later"),
        pytest.param(JERSEY_2011, [PROCLAIMED], "2026-03-31", id="jersey-one-day-later"),
        pytest.param(GUERNSEY_2021, [PROCLAIMED], "2026-03-31", id="guernsey-one-day-later"),
        # Proclaimed for a Saturday, or after the deadline: nothing changes.
        pytest.param(FOIA_2000, [day("2026-03-07")], "2026-03-31", id="on-a-saturday-no-effect"),
        pytest.param(FOIA_2000, [day("2026-04-01")], "2026-03-31", id="after-deadline-no-effect"),
        # Two proclaimed days: 4 and 5 Mar push the FOIA deadline to Thu 2 Apr.
        pytest.param(
            FOIA_2000, [PROCLAIMED, day("2026-03-05")], "2026-04-02", id="two-days-two-later"
        ),
    ],
)
def test_an_extra_proclaimed_holiday_pushes_the_deadline(regime, extra, expected_due):
    calendar = WorkingCalendar(regime, extra_holidays=extra)
    assert compute_deadlines(calendar, day("2026-03-02"), []).due_on == day(expected_due)


def test_an_extra_holiday_is_not_a_working_day():
    calendar = WorkingCalendar(JERSEY_2011, extra_holidays=[PROCLAIMED])
    assert not calendar.is_working_day(PROCLAIMED)
    assert WorkingCalendar(JERSEY_2011).is_working_day(PROCLAIMED)


# --------------------------------------------------------------------------------------------
# The calendar's range, and counting without walking the days (issue 15)
# --------------------------------------------------------------------------------------------
# The years the `holidays` package 0.109 covers for every calendar of a regime: the UK from
# 1872, Guernsey from 1909, Jersey from 1952, all to 2100 (docs/deadlines.md says the same).
SUPPORTED = {
    FOIA_2000: (day("1872-01-01"), day("2100-12-31")),
    JERSEY_2011: (day("1952-01-01"), day("2100-12-31")),
    GUERNSEY_2021: (day("1909-01-01"), day("2100-12-31")),
}


def test_each_regime_counts_over_the_years_its_holiday_library_covers():
    assert {regime: supported_range(regime) for regime in ALL_REGIMES} == SUPPORTED


@pytest.mark.parametrize(
    ("regime", "outside"),
    [
        pytest.param(FOIA_2000, "1871-12-31", id="foia-the-day-before"),
        pytest.param(FOIA_2000, "2101-01-01", id="foia-the-day-after"),
        pytest.param(FOIA_2000, "0001-01-01", id="year-one"),
        pytest.param(FOIA_2000, "9999-12-31", id="the-end-of-time"),
        # 31 Dec 1951 is an ordinary Monday for FOIA, but before Jersey's holidays begin.
        pytest.param(JERSEY_2011, "1951-12-31", id="jersey-the-day-before"),
        pytest.param(GUERNSEY_2021, "1908-12-31", id="guernsey-the-day-before"),
    ],
)
def test_a_date_outside_the_calendar_is_refused_by_name(regime, outside):
    calendar = WorkingCalendar(regime)
    inside, refused = day("2026-03-02"), day(outside)
    attempts = [
        lambda: calendar.is_working_day(refused),
        lambda: calendar.add_working_days(refused, 20),
        lambda: calendar.working_days_between(inside, refused),
        lambda: calendar.working_days_between(refused, inside),
    ]
    for attempt in attempts:
        with pytest.raises(DateOutsideCalendar, match=f"{outside} is outside the {regime}"):
            attempt()


def test_a_refused_date_is_a_value_error_that_names_the_range():
    with pytest.raises(ValueError, match="from 1952-01-01 to 2100-12-31 only"):
        WorkingCalendar(JERSEY_2011).is_working_day(day("1951-12-31"))
    assert WorkingCalendar(FOIA_2000).is_working_day(day("1951-12-31")) is True


def test_the_first_and_last_days_of_the_range_are_counted():
    """FOIA's range opens on Mon 1 Jan 1872, a holiday (Scotland's New Year's Day), as is Tue
    2 Jan (Scotland's New Year Holiday), so day 1 is Wed 3 Jan 1872. It closes on Fri 31 Dec
    2100: Christmas and Boxing Day fall on Sat 25 and Sun 26 and are observed on Mon 27 and
    Tue 28, so after Mon 20 Dec 2100 come 21-24 Dec (WD 1-4) and 29-31 Dec (WD 5-7). An eighth
    working day would be in 2101, whose holidays the library does not know."""
    foia = WorkingCalendar(FOIA_2000)
    assert foia.is_working_day(day("1872-01-01")) is False
    assert foia.add_working_days(day("1872-01-01"), 1) == day("1872-01-03")
    assert foia.add_working_days(day("2100-12-20"), 7) == day("2100-12-31")
    assert foia.working_days_between(day("2100-12-20"), day("2100-12-31")) == 7
    with pytest.raises(DateOutsideCalendar, match="8 working days after 2100-12-20 run past"):
        foia.add_working_days(day("2100-12-20"), 8)


def test_an_extension_until_the_end_of_time_is_refused_by_name():
    with pytest.raises(DateOutsideCalendar, match="the extension's until 9999-12-31 is outside"):
        deadlines_for(FOIA_2000, "2026-03-02", event("extension", "2026-03-27", "9999-12-31"))


def test_a_request_received_in_year_one_is_refused_by_name():
    with pytest.raises(DateOutsideCalendar, match="the date of receipt 0001-01-01 is outside"):
        deadlines_for(FOIA_2000, "0001-01-01")


# The definition the engine must agree with, walked one day at a time, straight from the library
# one year at a time (as the engine did before issue 15). Slow, and so only for checking.
LIBRARY_CALENDARS = {
    FOIA_2000: [("GB", "ENG"), ("GB", "WLS"), ("GB", "SCT"), ("GB", "NIR")],
    JERSEY_2011: [("JE", None)],
    GUERNSEY_2021: [("GG", None)],
}


@cache
def library_holidays(regime: str, year: int) -> frozenset[dt.date]:
    return frozenset(
        holiday
        for country, subdiv in LIBRARY_CALENDARS[regime]
        for holiday in holidays.country_holidays(country, subdiv=subdiv, years=year)
    )


def walked_is_working_day(regime: str, date: dt.date, extra: frozenset[dt.date]) -> bool:
    return (
        date.weekday() < 5 and date not in extra and date not in library_holidays(regime, date.year)
    )


def walked_between(regime: str, start: dt.date, end: dt.date, extra: frozenset[dt.date]) -> int:
    if end < start:
        return -walked_between(regime, end, start, extra)
    days = (start + dt.timedelta(days=n) for n in range(1, (end - start).days + 1))
    return sum(walked_is_working_day(regime, date, extra) for date in days)


def walked_add(regime: str, start: dt.date, count: int, extra: frozenset[dt.date]) -> dt.date:
    date = start
    while count > 0:
        date += dt.timedelta(days=1)
        count -= walked_is_working_day(regime, date, extra)
    return date


@st.composite
def spans(draw: st.DrawFn) -> tuple[str, dt.date, dt.date, frozenset[dt.date]]:
    """A regime, a span of up to three years either way inside its range (often near an end of
    the range), and up to four extra holidays in or around the span."""
    regime = draw(st.sampled_from(ALL_REGIMES))
    first, last = SUPPORTED[regime]
    three_years = dt.timedelta(days=3 * 366)
    start = draw(
        st.dates(first, last)
        | st.dates(first, first + three_years)
        | st.dates(last - three_years, last)
    )
    end = start + dt.timedelta(days=draw(st.integers(-3 * 366, 3 * 366)))
    end = min(max(end, first), last)
    week = dt.timedelta(days=7)
    extra = draw(
        st.frozensets(st.dates(min(start, end) - week, max(start, end) + week), max_size=4)
    )
    return regime, start, end, extra


@settings(max_examples=300, deadline=None, database=None)
@given(spans())
def test_working_days_between_agrees_with_walking_the_days(span):
    regime, start, end, extra = span
    calendar = WorkingCalendar(regime, extra_holidays=extra)
    assert calendar.working_days_between(start, end) == walked_between(regime, start, end, extra)
    assert calendar.is_working_day(end) is walked_is_working_day(regime, end, extra)


@settings(max_examples=300, deadline=None, database=None)
@given(spans(), st.integers(min_value=-5, max_value=800))
def test_add_working_days_agrees_with_walking_the_days(span, count):
    regime, start, _, extra = span
    calendar = WorkingCalendar(regime, extra_holidays=extra)
    walked = walked_add(regime, start, count, extra)
    if walked > SUPPORTED[regime][1]:
        with pytest.raises(DateOutsideCalendar):
            calendar.add_working_days(start, count)
    else:
        assert calendar.add_working_days(start, count) == walked


@pytest.mark.parametrize("regime", ALL_REGIMES)
def test_every_year_of_the_range_has_the_working_days_of_a_walk(regime):
    first, last = SUPPORTED[regime]
    calendar = WorkingCalendar(regime)
    counted, walked = {}, {}
    for year in range(first.year, last.year + 1):
        new_year, new_years_eve = dt.date(year, 1, 1), dt.date(year, 12, 31)
        counted[year] = calendar.is_working_day(new_year) + calendar.working_days_between(
            new_year, new_years_eve
        )
        walked[year] = walked_is_working_day(regime, new_year, frozenset()) + walked_between(
            regime, new_year, new_years_eve, frozenset()
        )
    assert counted == walked


def calls_made(action: Callable[[], object]) -> int:
    """Function calls (Python and C) made while `action` runs: a count of work, not a time."""
    calls = 0

    def count(frame, event, arg) -> None:
        nonlocal calls
        calls += event in ("call", "c_call")

    sys.setprofile(count)
    try:
        action()
    finally:
        sys.setprofile(None)
    return calls


@pytest.fixture
def foia_calendar() -> WorkingCalendar:
    calendar = WorkingCalendar(FOIA_2000)
    calendar.is_working_day(day("2026-03-02"))  # the holiday list is built once per process
    return calendar


def test_counting_across_a_century_costs_what_counting_a_week_does(foia_calendar):
    """Walking 1990-2089 took 36,524 calls of is_working_day, each with calls of its own; the
    count is now a difference of two running counts, whatever the span."""
    century = calls_made(
        lambda: foia_calendar.working_days_between(day("1990-01-01"), day("2089-12-31"))
    )
    week = calls_made(
        lambda: foia_calendar.working_days_between(day("2026-03-02"), day("2026-03-09"))
    )
    assert century == week


def test_the_working_day_a_century_on_is_found_in_a_bounded_number_of_steps(foia_calendar):
    """25,000 working days after 1 Jan 1990 is in 2089. Walking took over 36,000 calls of
    is_working_day. The bisection halves the days left in the calendar (at most 83,564 for
    FOIA, so at most 17 halvings of about six calls each), whatever the count: both stay far
    under 200 calls, the count's size makes no difference."""
    century = calls_made(lambda: foia_calendar.add_working_days(day("1990-01-01"), 25_000))
    month = calls_made(lambda: foia_calendar.add_working_days(day("1990-01-01"), 20))
    assert century < 200
    assert month < 200


# --------------------------------------------------------------------------------------------
# A datetime is read as its date in UK local time (issue 15)
# --------------------------------------------------------------------------------------------
# Compared with the holidays (dates), a datetime equals none of them: Mon 15 Dec 2025 17:45 gave
# 2026-01-12 17:45, as if Christmas and New Year were working days, instead of Fri 16 Jan 2026
# (counted in the Christmas cases above).
LATE_ON_15_DECEMBER = dt.datetime(2025, 12, 15, 17, 45)


def test_a_datetime_counts_as_its_date():
    foia = WorkingCalendar(FOIA_2000)
    due = foia.add_working_days(LATE_ON_15_DECEMBER, 20)
    assert (type(due), due) == (dt.date, day("2026-01-16"))
    assert foia.is_working_day(dt.datetime(2025, 12, 25, 9, 0)) is False
    assert foia.working_days_between(LATE_ON_15_DECEMBER, dt.datetime(2026, 1, 16, 9, 0)) == 20
    assert foia.add_working_days(LATE_ON_15_DECEMBER, 0) == day("2025-12-15")


@pytest.mark.parametrize(
    ("moment", "local_day"),
    [
        # In British Summer Time, 23:30 UTC on Tue 30 Jun 2026 is 00:30 on Wed 1 Jul in London.
        pytest.param(dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC), "2026-07-01", id="bst"),
        # In winter London keeps UTC: the same hour stays on its day.
        pytest.param(dt.datetime(2025, 12, 15, 23, 30, tzinfo=dt.UTC), "2025-12-15", id="gmt"),
        # 01:00 on 16 Dec in India (UTC+5:30) is 19:30 on 15 Dec in London.
        pytest.param(
            dt.datetime(2025, 12, 16, 1, 0, tzinfo=ZoneInfo("Asia/Kolkata")),
            "2025-12-15",
            id="another-zone",
        ),
        # A naive datetime is taken to be UK local time already.
        pytest.param(dt.datetime(2026, 6, 30, 23, 30), "2026-06-30", id="naive"),
    ],
)
def test_an_aware_datetime_is_read_as_its_date_in_the_uk(moment, local_day):
    assert WorkingCalendar(FOIA_2000).day_of(moment) == day(local_day)


def test_an_aware_datetime_counts_from_its_uk_date():
    """23:30 UTC on Tue 30 Jun 2026 is received on Wed 1 Jul in London: due Thu 30 Jul 2026
    (the worked example above). Counted from 30 Jun it would be a working day earlier, 29 Jul."""
    received = dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC)
    assert WorkingCalendar(FOIA_2000).add_working_days(received, 20) == day("2026-07-30")


def test_an_extra_holiday_given_as_a_datetime_counts():
    calendar = WorkingCalendar(FOIA_2000, extra_holidays=[dt.datetime(2026, 3, 4, 0, 0)])
    assert calendar.is_working_day(PROCLAIMED) is False


def test_something_that_is_not_a_date_is_refused_by_name():
    with pytest.raises(TypeError, match="start must be a date, not '2025-12-15'"):
        WorkingCalendar(FOIA_2000).add_working_days("2025-12-15", 20)


def test_a_timeline_of_datetimes_gives_the_dates_of_a_timeline_of_dates():
    """Received Mon 15 Dec 2025 17:45: due Fri 16 Jan 2026. Extension asked on Wed 14 Jan until
    Fri 30 Jan 16:00: the ceiling is 20 WD after 16 Jan, 19 Jan-13 Feb with no holiday, Fri
    13 Feb. Answered Thu 29 Jan 10:00: review by 40 WD on, Fri 30 Jan (1), 2 Feb-13 Mar (31),
    Mon 16 Mar (32), St Patrick's Day skipped, 18-20 Mar (35), 23-27 Mar (40): Fri 27 Mar;
    complain by 29 Jan + 42 days (2 to 31 Jan, 28 in Feb, 12 in Mar): Thu 12 Mar 2026."""
    deadlines = compute_deadlines(
        WorkingCalendar(FOIA_2000),
        LATE_ON_15_DECEMBER,
        [
            TimelineEvent("extension", dt.datetime(2026, 1, 14, 9), dt.datetime(2026, 1, 30, 16)),
            TimelineEvent("response", dt.datetime(2026, 1, 29, 10)),
        ],
    )
    assert deadlines == Deadlines(
        due_on=day("2026-01-16"),
        extended_due_on=day("2026-01-30"),
        extension_limit_on=day("2026-02-13"),
        review_request_by=day("2026-03-27"),
        complaint_by=day("2026-03-12"),
    )
    assert {type(date) for date in vars(deadlines).values() if date is not None} == {dt.date}


# --------------------------------------------------------------------------------------------
# compute_deadlines: replaying a timeline
# --------------------------------------------------------------------------------------------
# Most cases use a request received on Mon 2 Mar 2026, due (WD 20) on Tue 31 Mar under FOIA
# (17 Mar skipped) and on Mon 30 Mar in the islands.


@pytest.mark.parametrize(
    ("regime", "expected"),
    [
        pytest.param(FOIA_2000, Deadlines(due_on=day("2026-03-31")), id="foia"),
        # Jersey's statutory outer limit, WD 65: 3 and 6 Apr, 4 May and 25 May skipped
        # (9 May is a Saturday), so WD 20 is 30 Mar, WD 42 is Fri 1 May, WD 60 is Fri 29 May and
        # WD 65 is Fri 5 Jun.
        pytest.param(
            JERSEY_2011,
            Deadlines(due_on=day("2026-03-30"), statutory_limit_on=day("2026-06-05")),
            id="jersey-has-a-65-day-limit",
        ),
        pytest.param(GUERNSEY_2021, Deadlines(due_on=day("2026-03-30")), id="guernsey"),
    ],
)
def test_with_no_events_only_the_response_deadline_is_set(regime, expected):
    assert deadlines_for(regime, "2026-03-02") == expected


@pytest.mark.parametrize("regime", ALL_REGIMES)
def test_without_a_date_of_receipt_nothing_is_due(regime):
    events = [event("response", "2026-03-20"), event("internal_review_requested", "2026-04-01")]
    assert deadlines_for(regime, None, *events) == Deadlines()


@pytest.mark.parametrize("regime", ALL_REGIMES)
@pytest.mark.parametrize("kind", ["acknowledged", "complaint", "closed", "some_future_kind"])
def test_events_that_move_no_clock_change_nothing(regime, kind):
    assert deadlines_for(regime, "2026-03-02", event(kind, "2026-03-10")) == deadlines_for(
        regime, "2026-03-02"
    )


@pytest.mark.parametrize("regime", [FOIA_2000, JERSEY_2011])
def test_nothing_is_due_while_awaiting_clarification(regime):
    deadlines = deadlines_for(regime, "2026-03-02", event("clarification_requested", "2026-03-04"))
    assert deadlines.due_on is None
    assert deadlines.statutory_limit_on is None


@pytest.mark.parametrize(
    ("regime", "expected"),
    [
        # Clarification received Fri 20 Mar 2026; 20 WD from then, skipping 3 and 6 Apr (the
        # same in both regimes): Tue 21 Apr.
        pytest.param(FOIA_2000, Deadlines(due_on=day("2026-04-21")), id="foia"),
        # Jersey's 65 WD also restart: from 21 Apr (WD 20), 4 and 25 May skipped, 15 Jun is a
        # working day in Jersey, so WD 65 is Thu 25 Jun.
        pytest.param(
            JERSEY_2011,
            Deadlines(due_on=day("2026-04-21"), statutory_limit_on=day("2026-06-25")),
            id="jersey",
        ),
    ],
)
def test_the_clock_restarts_from_the_day_clarification_is_received(regime, expected):
    deadlines = deadlines_for(
        regime,
        "2026-03-02",
        event("clarification_requested", "2026-03-04"),
        event("clarification_received", "2026-03-20"),
    )
    assert deadlines == expected


@pytest.mark.parametrize("regime", ALL_REGIMES)
def test_nothing_is_due_while_a_fee_is_awaited(regime):
    deadlines = deadlines_for(regime, "2026-03-02", event("fee_notice", "2026-03-06"))
    assert deadlines.due_on is None


@pytest.mark.parametrize(
    ("regime", "notice", "paid", "expected_due"),
    [
        # Notice Fri 6 Mar: 3, 4 and 5 Mar are used (the notice day itself is disregarded), so
        # 17 WD remain, counted after the payment on Fri 20 Mar: 23 Mar is WD 1, 3 and 6 Apr
        # are skipped, Thu 16 Apr is WD 17. Same in Jersey (17 Mar falls in the pause anyway).
        pytest.param(FOIA_2000, "2026-03-06", "2026-03-20", "2026-04-16", id="foia-friday-notice"),
        pytest.param(
            JERSEY_2011, "2026-03-06", "2026-03-20", "2026-04-16", id="jersey-friday-notice"
        ),
        # Paid on Sat 21 Mar instead: counting still resumes on Mon 23 Mar.
        pytest.param(FOIA_2000, "2026-03-06", "2026-03-21", "2026-04-16", id="paid-on-saturday"),
        # Notice on Sat 7 Mar, a non-working day: 3-6 Mar used (4 WD), nothing of the weekend
        # to disregard; 16 remain after Wed 18 Mar: 19-20 Mar (2), 23-27 (7), 30-31 (9),
        # 1-2 Apr (11), 7-10 Apr (15), Mon 13 Apr (16).
        pytest.param(FOIA_2000, "2026-03-07", "2026-03-18", "2026-04-13", id="saturday-notice"),
        # Notice on Tue 17 Mar, St Patrick's Day (non-working for FOIA): 3-16 Mar used (10 WD);
        # 10 remain after Fri 20 Mar: 23-27 (5), 30-31 (7), 1-2 Apr (9), Tue 7 Apr (10).
        pytest.param(
            FOIA_2000, "2026-03-17", "2026-03-20", "2026-04-07", id="notice-on-a-bank-holiday"
        ),
        # Notice given on the day of receipt: no working day has been used (the day of receipt
        # never counts, and from then on the clock is paused), so all 20 WD run after payment
        # on Fri 20 Mar: Tue 21 Apr (as for the clarification case above).
        pytest.param(
            FOIA_2000, "2026-03-02", "2026-03-20", "2026-04-21", id="notice-on-day-of-receipt"
        ),
    ],
)
def test_working_days_from_fee_notice_to_payment_are_disregarded(
    regime, notice, paid, expected_due
):
    deadlines = deadlines_for(
        regime, "2026-03-02", event("fee_notice", notice), event("fee_paid", paid)
    )
    assert deadlines.due_on == day(expected_due)


@pytest.mark.parametrize("regime", ALL_REGIMES)
def test_each_fee_pause_is_disregarded_when_a_second_notice_is_given(regime):
    """Issue 15: the engine forgot the first pause and said Tue 7 Apr 2026.

    March 2026 on a printed calendar, received Mon 2 Mar. Used before the first notice (Fri
    6 Mar): 3, 4, 5 Mar (WD 1-3). Disregarded: 6-20 Mar, notice day to payment day (s.10(2)).
    Counting resumes: Mon 23 (4), Tue 24 (5). Disregarded again: the second notice on Wed 25 to
    its payment on Fri 27 Mar. Then Mon 30 (6), Tue 31 (7), Wed 1 Apr (8), Thu 2 (9), Good Friday
    3 Apr and Easter Monday 6 Apr skipped, 7-10 Apr (10-13), 13-17 Apr (14-18), Mon 20 (19),
    Tue 21 Apr (20). St Patrick's Day (FOIA only) falls in the first pause, and the islands have
    the same Easter, so every regime gives Tue 21 Apr 2026.
    """
    deadlines = deadlines_for(
        regime,
        "2026-03-02",
        event("fee_notice", "2026-03-06"),
        event("fee_paid", "2026-03-20"),
        event("fee_notice", "2026-03-25"),
        event("fee_paid", "2026-03-27"),
    )
    assert deadlines.due_on == day("2026-04-21")


def test_a_notice_repeated_before_payment_does_not_count_the_pause_as_used():
    """A second notice on Tue 10 Mar while the first (Fri 6 Mar) is unpaid: the clock is already
    paused, so the result is the single-notice case above: 3 WD used, 17 after Fri 20 Mar, Thu
    16 Apr 2026. Counting 6-9 Mar as used (6 and 9 Mar, 2 WD) would give Tue 14 Apr."""
    deadlines = deadlines_for(
        FOIA_2000,
        "2026-03-02",
        event("fee_notice", "2026-03-06"),
        event("fee_notice", "2026-03-10"),
        event("fee_paid", "2026-03-20"),
    )
    assert deadlines.due_on == day("2026-04-16")


def test_a_clarification_restarts_the_count_so_earlier_fee_days_are_forgotten():
    """Fee 6-20 Mar 2026 (3 WD used), then clarification asked Mon 23 Mar and received Wed 25
    Mar: the 20 WD run afresh from 25 Mar (s.1(3)). A new notice on Mon 30 Mar: 26 and 27 Mar are
    used (2 WD); paid Wed 1 Apr, 18 remain: Thu 2 Apr (1), 3 and 6 Apr skipped, 7-10 Apr (2-5),
    13-17 Apr (6-10), 20-24 Apr (11-15), Mon 27 (16), Tue 28 (17), Wed 29 Apr 2026 (18). Keeping
    the 3 days from before the restart would give Fri 24 Apr."""
    deadlines = deadlines_for(
        FOIA_2000,
        "2026-03-02",
        event("fee_notice", "2026-03-06"),
        event("fee_paid", "2026-03-20"),
        event("clarification_requested", "2026-03-23"),
        event("clarification_received", "2026-03-25"),
        event("fee_notice", "2026-03-30"),
        event("fee_paid", "2026-04-01"),
    )
    assert deadlines.due_on == day("2026-04-29")


@pytest.mark.parametrize(
    ("regime", "until", "expected_extended", "expected_limit"),
    [
        # FOIA due Tue 31 Mar; 20 WD more, skipping 3 and 6 Apr: Thu 30 Apr.
        pytest.param(FOIA_2000, "2026-04-20", "2026-04-20", "2026-04-30", id="foia-estimate"),
        pytest.param(FOIA_2000, None, "2026-04-30", "2026-04-30", id="foia-no-estimate"),
        # Jersey due Mon 30 Mar; 20 WD more: Wed 29 Apr.
        pytest.param(JERSEY_2011, "2026-04-20", "2026-04-20", "2026-04-29", id="jersey-estimate"),
        pytest.param(JERSEY_2011, None, "2026-04-29", "2026-04-29", id="jersey-no-estimate"),
    ],
)
def test_an_extension_is_capped_at_twenty_working_days_after_the_deadline(
    regime, until, expected_extended, expected_limit
):
    deadlines = deadlines_for(regime, "2026-03-02", event("extension", "2026-03-27", until))
    assert deadlines.extended_due_on == day(expected_extended)
    assert deadlines.extension_limit_on == day(expected_limit)
    # The original deadline stays on record.
    assert deadlines.due_on == deadlines_for(regime, "2026-03-02").due_on


@pytest.mark.parametrize(
    ("regime", "received", "responded", "review_request_by", "complaint_by"),
    [
        # Fri 20 Mar 2026 + 40 WD: 3 and 6 Apr and 4 May skipped, Wed 20 May (the same in every
        # regime: 9 May is a Saturday). Complaint: + 42 calendar days = Fri 1 May.
        pytest.param(FOIA_2000, "2026-03-02", "2026-03-20", "2026-05-20", "2026-05-01", id="foia"),
        pytest.param(
            JERSEY_2011, "2026-03-02", "2026-03-20", "2026-05-20", "2026-05-01", id="jersey"
        ),
        pytest.param(
            GUERNSEY_2021, "2026-03-02", "2026-03-20", "2026-05-20", "2026-05-01", id="guernsey"
        ),
        # Fri 19 Dec 2025 + 40 WD in FOIA: 22-24 Dec (3), 29-31 Dec (6), 5-9 Jan (11), after
        # skipping 25-26 Dec and 1-2 Jan; five more full weeks to Fri 13 Feb (36), then
        # 16-19 Feb: Thu 19 Feb 2026. Complaint: six weeks later, Fri 30 Jan 2026.
        pytest.param(
            FOIA_2000, "2025-12-01", "2025-12-19", "2026-02-19", "2026-01-30", id="foia-christmas"
        ),
        # Jersey works on Fri 2 Jan, so its WD 40 comes one day earlier: Wed 18 Feb 2026.
        pytest.param(
            JERSEY_2011,
            "2025-12-01",
            "2025-12-19",
            "2026-02-18",
            "2026-01-30",
            id="jersey-christmas",
        ),
    ],
)
def test_a_response_opens_the_review_and_complaint_windows(
    regime, received, responded, review_request_by, complaint_by
):
    deadlines = deadlines_for(regime, received, event("response", responded))
    assert deadlines.review_request_by == day(review_request_by)
    assert deadlines.complaint_by == day(complaint_by)


@pytest.mark.parametrize("regime", ALL_REGIMES)
def test_asking_for_an_internal_review_starts_the_review_clocks_and_shuts_the_complaint_window(
    regime,
):
    # Review asked for on Wed 1 Apr 2026. WD 20: 2 Apr (1), 3 and 6 Apr skipped, 7-10 Apr (5),
    # two full weeks to Fri 24 Apr (15), 27-30 Apr (19), Fri 1 May (20). WD 40: 4 May
    # skipped, 5-8 May (24), 11-22 May (34), 25 May skipped, 26-29 May (38), Tue 2 Jun (40).
    # Identical in every regime (Jersey's 9 May is a Saturday; FOIA's 15 Jun comes later).
    deadlines = deadlines_for(
        regime,
        "2026-03-02",
        event("response", "2026-03-20"),
        event("internal_review_requested", "2026-04-01"),
    )
    assert deadlines.review_due_on == day("2026-05-01")
    assert deadlines.review_limit_on == day("2026-06-02")
    assert deadlines.complaint_by is None
    assert deadlines.review_request_by == day("2026-05-20")  # still the one from the response


@pytest.mark.parametrize(
    ("regime", "due_on", "statutory_limit_on"),
    [
        pytest.param(FOIA_2000, "2026-03-31", None, id="foia"),
        pytest.param(JERSEY_2011, "2026-03-30", "2026-06-05", id="jersey"),
        pytest.param(GUERNSEY_2021, "2026-03-30", None, id="guernsey"),
    ],
)
def test_a_whole_timeline_replays_to_every_date(regime, due_on, statutory_limit_on):
    # Received Mon 2 Mar 2026; answered Fri 20 Mar (review by Wed 20 May); review asked for on
    # Wed 1 Apr (due Fri 1 May, at the latest Tue 2 Jun); review answered Fri 24 Apr, so the
    # complaint window closes six weeks later, on Fri 5 Jun. Logging events change nothing.
    deadlines = deadlines_for(
        regime,
        "2026-03-02",
        event("acknowledged", "2026-03-03"),
        event("response", "2026-03-20"),
        event("internal_review_requested", "2026-04-01"),
        event("internal_review_response", "2026-04-24"),
        event("closed", "2026-04-24"),
    )
    assert deadlines == Deadlines(
        due_on=day(due_on),
        statutory_limit_on=day(statutory_limit_on) if statutory_limit_on else None,
        review_request_by=day("2026-05-20"),
        review_due_on=day("2026-05-01"),
        review_limit_on=day("2026-06-02"),
        complaint_by=day("2026-06-05"),
    )


def test_the_complaint_window_runs_six_weeks_from_the_review_outcome():
    # Review outcome Mon 30 Nov 2026 (St Andrew's Day: calendar days ignore holidays), + 42 days:
    # Mon 11 Jan 2027.
    deadlines = deadlines_for(
        FOIA_2000,
        "2026-09-01",
        event("response", "2026-09-29"),
        event("internal_review_requested", "2026-10-15"),
        event("internal_review_response", "2026-11-30"),
    )
    assert deadlines.complaint_by == day("2027-01-11")
