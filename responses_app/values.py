"""The value parser: a figure as the force wrote it becomes a status and an interval.

Pure and table-tested; every spelling it accepts is listed in docs/figures.md. A suppressed cell
is a number between 1 and the force's threshold minus one: not zero and not missing, so totals
built from it are intervals.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from django.db import models


class ValueStatus(models.TextChoices):
    REPORTED = "reported", "Reported"
    ZERO = "zero", "Zero"
    SUPPRESSED = "suppressed", "Suppressed (small number)"
    NOT_HELD = "not_held", "Not held"
    REFUSED = "refused", "Refused"
    NOT_RECORDED = "not_recorded", "Not recorded"


class ValueRejected(ValueError):
    """Text that is not a figure; the message says why in plain words."""


@dataclass(frozen=True)
class ParsedValue:
    status: str
    low: int | None
    high: int | None


DEFAULT_THRESHOLD = 5

_NUMBER = re.compile(r"\d{1,3}(,\d{3})+|\d+")
_BELOW = re.compile(r"(<|fewer than|less than|under)\s*(\d+)")
_AT_MOST = re.compile(r"(<=|≤|at most|no more than)\s*(\d+)")
# Word processors turn '1-4' into an en dash and '-3' into a minus sign: both are read.
_RANGE = re.compile(r"(\d+)\s*(?:-|–|—|to)\s*(\d+)")  # noqa: RUF001
_NEGATIVE = re.compile(r"[-−]\s*\d")  # noqa: RUF001

SUPPRESSED_MARKS = {"*", "**", "***", "x", "suppressed", "redacted", "small number"}
NOT_HELD = {"n/a", "na", "not held", "info not held", "information not held", "nh"}
REFUSED = {"refused", "exempt", "withheld"}
NOT_RECORDED = {"not recorded", "unknown", "not known"}
ZERO = {"nil"}
# What an answer's legend can make a mark mean ('- = nil', '* = fewer than 5').
MARK_MEANINGS = ("zero", "suppressed", "not_held", "not_recorded", "refused")

ACCEPTED = (
    "a whole number (12, 1,234, 0), '*', '<5', 'fewer than 5', '1-4', 'not held', 'n/a', "
    "'refused', 'exempt' or 'not recorded'"
)


@functools.lru_cache(maxsize=4096, typed=True)
def parse_value(
    raw: object,
    *,
    threshold: int = DEFAULT_THRESHOLD,
    marks: tuple[tuple[str, str], ...] = (),
) -> ParsedValue:
    """Read one cell. `threshold` is the force's: '*' means 1..threshold-1. `marks` is the
    answer's own legend, (spelling, meaning) pairs with a meaning of MARK_MEANINGS, checked
    before the usual spellings ('-' is nil only where a legend or a person says so; '' is a
    blank cell).

    Cached (typed, so 1, 1.0 and True stay apart): a 100,000-row import repeats a few hundred
    spellings, and the answer is an immutable value."""
    if isinstance(raw, bool):
        raise ValueRejected(f"'{raw}' is not a figure; give {ACCEPTED}.")
    if isinstance(raw, int | float):
        return _from_number(raw)
    text = " ".join(str(raw if raw is not None else "").split()).casefold()
    for spelling, meaning in marks:
        if text == spelling.casefold():
            return _marked(meaning, raw, threshold)
    if not text:
        raise ValueRejected("The value is empty; write 0, 'not held' or another spelling.")
    if _NUMBER.fullmatch(text):
        return _counted(int(text.replace(",", "")))
    return _from_words(text, raw, threshold)


def _marked(meaning: str, raw: object, threshold: int) -> ParsedValue:
    if meaning == "zero":
        return ParsedValue(ValueStatus.ZERO, 0, 0)
    if meaning == "suppressed":
        return _from_words("*", raw, threshold)
    if meaning in ("not_held", "not_recorded", "refused"):
        return ParsedValue(ValueStatus(meaning), None, None)
    raise ValueRejected(f"A legend cannot make '{raw}' mean '{meaning}'.")


def _from_number(number: int | float) -> ParsedValue:
    # Spreadsheets hand over numbers as floats: 12.0 is 12, 12.5 is a mistake.
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueRejected("The value is not a number.")
    if int(number) != number:
        raise ValueRejected(f"{number} is not a whole number; figures are counts.")
    if number < 0:
        raise ValueRejected(f"{int(number)} is negative; a count cannot be below zero.")
    return _counted(int(number))


def _counted(number: int) -> ParsedValue:
    if number == 0:
        return ParsedValue(ValueStatus.ZERO, 0, 0)
    return ParsedValue(ValueStatus.REPORTED, number, number)


def _from_words(text: str, raw: object, threshold: int) -> ParsedValue:
    if _NEGATIVE.match(text):
        raise ValueRejected(f"'{raw}' is negative; a count cannot be below zero.")
    if text in SUPPRESSED_MARKS:
        if threshold < 2:
            raise ValueRejected(
                f"'{raw}' is suppressed, but this force's threshold is {threshold}."
            )
        return ParsedValue(ValueStatus.SUPPRESSED, 1, threshold - 1)
    if text in ZERO:
        return ParsedValue(ValueStatus.ZERO, 0, 0)
    if text in NOT_HELD:
        return ParsedValue(ValueStatus.NOT_HELD, None, None)
    if text in REFUSED:
        return ParsedValue(ValueStatus.REFUSED, None, None)
    if text in NOT_RECORDED:
        return ParsedValue(ValueStatus.NOT_RECORDED, None, None)
    return _from_bounds(text, raw)


def _from_bounds(text: str, raw: object) -> ParsedValue:
    """'<5', 'fewer than 5', '<=5', '1-4': the cell states its own bounds."""
    if match := _AT_MOST.fullmatch(text):
        return _suppressed(1, int(match.group(2)), raw)
    if match := _BELOW.fullmatch(text):
        return _suppressed(1, int(match.group(2)) - 1, raw)
    if match := _RANGE.fullmatch(text):
        return _suppressed(int(match.group(1)), int(match.group(2)), raw)
    raise ValueRejected(f"'{raw}' is not a figure; give {ACCEPTED}.")


def _suppressed(low: int, high: int, raw: object) -> ParsedValue:
    if high < low:
        raise ValueRejected(f"'{raw}' is an empty range: its upper bound is below its lower one.")
    return ParsedValue(ValueStatus.SUPPRESSED, low, high)
