"""The compliance rules on plain timelines, without the database, for the cases the seven-force
campaign does not reach: an answer while the clock is stopped, a withdrawal, Jersey's 65-day
limit, an extension with a late notice or no estimate, and the percentile and rounding rules.

Dates counted on a printed calendar (Python's `calendar` module); holidays from the `holidays`
package. FOIA (the union of the UK calendars): Mon 1 Dec 2025, 25-26 Dec, 1-2 Jan 2026. Jersey:
25-26 Dec 2025 and 1 Jan 2026 only.

       November 2025           December 2025           January 2026          February 2026
    Mo Tu We Th Fr Sa Su    Mo Tu We Th Fr Sa Su    Mo Tu We Th Fr Sa Su    Mo Tu We Th Fr Sa Su
                    1  2     1  2  3  4  5  6  7              1  2  3  4                       1
     3  4  5  6  7  8  9     8  9 10 11 12 13 14     5  6  7  8  9 10 11     2  3  4  5  6  7  8
    10 11 12 13 14 15 16    15 16 17 18 19 20 21    12 13 14 15 16 17 18     9 10 11 12 13 14 15
    17 18 19 20 21 22 23    22 23 24 25 26 27 28    19 20 21 22 23 24 25    16 17 18 19 20 21 22
    24 25 26 27 28 29 30    29 30 31                26 27 28 29 30 31       23 24 25 26 27 28

Every request is received on Mon 3 Nov 2025. FOIA: 4-7 Nov are working days (WD) 1-4, 10-14 5-9,
17-21 10-14, 24-28 15-19, (1 Dec skipped) Tue 2 Dec 20. Jersey does not stop on 1 Dec: Mon 1 Dec
is its WD 20.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from requests_app.deadlines import FOIA_2000, JERSEY_2011, WorkingCalendar
from responses_app.compliance import (
    Answer,
    Share,
    percentile,
    request_compliance,
    share_of,
    summarise,
)

RECEIVED = dt.date(2025, 11, 3)
TODAY = dt.date(2026, 1, 20)


@dataclass(frozen=True)
class Logged:
    kind: str
    on: dt.date
    until: dt.date | None = None
    review_outcome: str = ""
    note: str = ""


def event(kind: str, on: str, until: str | None = None) -> Logged:
    return Logged(kind, dt.date.fromisoformat(on), dt.date.fromisoformat(until) if until else None)


def record(*events: Logged, regime: str = FOIA_2000, answer: Answer | None = None, today=TODAY):
    return request_compliance(
        calendar=WorkingCalendar(regime),
        received_on=RECEIVED,
        events=[Logged("sent", RECEIVED), *events],
        answer=answer,
        overdue=False,
        today=today,
    )


def test_an_answer_while_a_fee_is_unpaid_is_in_time_with_the_days_used_before_the_notice():
    # Fee notice Mon 10 Nov: 4-7 Nov (4 WD) used; refused Fri 21 Nov with the fee unpaid.
    answered = record(event("fee_notice", "2025-11-10"), event("response", "2025-11-21"))
    assert (answered.due_on, answered.in_time, answered.working_days) == (None, True, 4)


def test_an_answer_while_a_clarification_is_awaited_counts_the_days_before_the_request():
    # Clarification asked Thu 6 Nov: 4-5 Nov (2 WD) had run; answered Mon 1 Dec anyway.
    answered = record(
        event("clarification_requested", "2025-11-06"), event("response", "2025-12-01")
    )
    assert (answered.in_time, answered.in_extended_time, answered.working_days) == (True, True, 2)


def test_a_notice_on_the_day_of_receipt_has_used_no_days():
    answered = record(event("fee_notice", "2025-11-03"), event("response", "2025-11-05"))
    assert answered.working_days == 0


def test_an_unanswered_request_is_judged_once_its_date_has_passed():
    # Due Tue 2 Dec: on that day it is not late yet; the day after it is.
    assert record(today=dt.date(2025, 12, 2)).in_time is None
    assert record(today=dt.date(2025, 12, 3)).in_time is False


def test_a_withdrawn_request_is_judged_on_the_day_it_was_withdrawn():
    # Withdrawn Mon 1 Dec, before the 2 Dec due date: in no share. Withdrawn Wed 3 Dec: late.
    assert record(event("withdrawn", "2025-12-01")).in_time is None
    late = record(event("withdrawn", "2025-12-03"))
    assert (late.in_time, late.in_extended_time, late.answered_on) == (False, False, None)


def test_jerseys_ceiling_is_its_65_day_statutory_limit():
    """Jersey WD 20 is Mon 1 Dec; the ICO's 20 more would end Wed 31 Dec (2-5 Dec 1-4, 8-12 5-9,
    15-19 10-14, 22-24 15-17, 29-31 18-20). The Law's 65 WD after receipt: 1 Dec is 20, 2-5 Dec
    21-24, 8-12 25-29, 15-19 30-34, 22-24 35-37, 29-31 38-40, Fri 2 Jan 41, 5-9 Jan 42-46, 12-16
    47-51, 19-23 52-56, 26-30 57-61, 2-5 Feb 62-65: Thu 5 Feb 2026. An estimate of Fri 30 Jan is
    beyond the ICO's ceiling but within Jersey's, so the extension is proper there."""
    extended = record(
        event("extension", "2025-11-28", "2026-01-30"),
        event("response", "2026-01-29"),
        regime=JERSEY_2011,
    )
    assert extended.due_on == dt.date(2025, 12, 1)
    assert (extended.extension.ceiling, extended.extension.proper) == (dt.date(2026, 2, 5), True)
    assert (extended.in_time, extended.in_extended_time) == (False, True)
    # 1 Dec is WD 20; 2-5 Dec 21-24, 8-12 25-29, 15-19 30-34, 22-24 35-37, 29-31 38-40,
    # 2 Jan 41, 5-9 Jan 42-46, 12-16 47-51, 19-23 52-56, 26-29 Jan 57-60.
    assert extended.working_days == 60


def test_an_extension_noticed_after_the_due_date_is_not_proper():
    # Notice Wed 3 Dec, the day after the 2 Dec due date; estimate and answer within the ceiling.
    late_notice = record(
        event("extension", "2025-12-03", "2025-12-19"), event("response", "2025-12-18")
    )
    assert (late_notice.extension.notice_in_time, late_notice.extension.proper) == (False, False)
    assert (late_notice.in_extended_time, late_notice.extension.kept_to_ceiling) == (False, True)


def test_an_extension_without_an_estimate_is_not_proper():
    # s.17(2) asks for an estimate; none was recorded.
    no_estimate = record(event("extension", "2025-11-28"), event("response", "2025-12-10"))
    assert no_estimate.extension.estimate is None
    assert (no_estimate.extension.estimate_within_ceiling, no_estimate.in_extended_time) == (
        False,
        False,
    )


def test_a_proper_extension_still_running_is_in_no_share_until_its_estimate_passes():
    # Estimate Fri 19 Dec: on 19 Dec still undecided; on Mon 22 Dec late in both shares.
    events = (event("extension", "2025-11-28", "2025-12-19"),)
    waiting = record(*events, today=dt.date(2025, 12, 19))
    assert (waiting.in_time, waiting.in_extended_time, waiting.extension.kept_to_ceiling) == (
        False,
        None,
        None,
    )
    assert record(*events, today=dt.date(2025, 12, 22)).in_extended_time is False


def test_partly_granted_and_ncnd_answers_count_as_refusals_by_exemption():
    answers = [
        Answer("partly_granted", ("s31", "s40(2)")),
        Answer("neither_confirm_nor_deny", ("s23(5)",), "s.24(2) as well"),
        Answer("granted"),
        Answer("not_held"),
    ]
    total = summarise([record(answer=answer) for answer in answers])
    assert total.refusals.count == 2
    assert [(c.code, c.count) for c in total.refusals.by_exemption] == [
        ("s23(5)", 1),
        ("s31", 1),
        ("s40(2)", 1),
    ]
    assert total.refusals.other_exemptions == 1


@pytest.mark.parametrize(
    ("values", "fraction", "expected"),
    [
        ([], "0.5", None),
        ([7], "0.9", "7"),
        # Position (5 - 1) x 0.5 = 2: the middle value.
        ([30, 10, 20, 50, 40], "0.5", "30"),
        # Position (5 - 1) x 0.9 = 3.6: 40 + 0.6 x (50 - 40) = 46.
        ([30, 10, 20, 50, 40], "0.9", "46"),
        # Position (4 - 1) x 0.5 = 1.5: 2 + 0.5 x (3 - 2) = 2.5.
        ([1, 2, 3, 100], "0.5", "2.5"),
    ],
)
def test_percentiles_interpolate_between_the_nearest_ranks(values, fraction, expected):
    found = percentile(values, Decimal(fraction))
    assert found == (None if expected is None else Decimal(expected))


def test_shares_round_half_up_from_the_exact_fraction():
    # 1/16 = 0.0625 exactly: half up gives 0.063 (half to even would give 0.062).
    assert Share(1, 16).share == Decimal("0.063")
    assert Share(0, 0).share is None
    assert share_of([True, False, None, True]) == Share(2, 3)
