"""The one rounding rule for shares, and the words for a number that may be an interval.

A share is a fraction of two exact counts, rounded once, half up, to three decimal places (a
tenth of a percentage point): the API says 0.525, the pages 52.5%, and so do the method text and
the README. Both ways it went wrong before are ruled out by working on the exact fraction:
- from a float, 0.5245 is 0.52449999... and rounds to 52.4%;
- rounding twice (to four places for the API, then to one decimal of a percentage) turns
  0.52449 into 0.5245 and then 52.5%, where the fraction itself is 52.4%.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

PLACES = 3


def share_rounded(part: int | Fraction, whole: int | Fraction) -> Decimal | None:
    """part / whole, rounded half up to PLACES decimal places; None when there is no whole."""
    if whole <= 0:
        return None
    scaled = Fraction(part) / Fraction(whole) * 10**PLACES
    # Shares are never negative, so "half up" is the floor of the value plus a half.
    return Decimal(math.floor(scaled + Fraction(1, 2))).scaleb(-PLACES)


def percent_text(share: Decimal | None) -> str:
    """A rounded share as a percentage: 0.525 -> '52.5%' (exact: no second rounding)."""
    if share is None:
        return "n/a"
    return f"{share * 100:.{PLACES - 2}f}%"


def share_range_text(low: Decimal | None, high: Decimal | None) -> str:
    """'between 51.0% and 52.1%', or one percentage when the suppressed cells leave no room."""
    if low == high:
        return percent_text(low)
    return f"between {percent_text(low)} and {percent_text(high)}"


def count_text(value: int | Fraction | Decimal) -> str:
    """A count with thousands separators; a midpoint may end in a half: '4,985.5'."""
    exact = Fraction(value)
    if exact.denominator == 1:
        return f"{exact.numerator:,}"
    return f"{Decimal(exact.numerator) / Decimal(exact.denominator):,.1f}"


def count_range_text(low: int, high: int) -> str:
    """'between 9,544 and 9,745', or the one count when no cell was suppressed."""
    if low == high:
        return count_text(low)
    return f"between {count_text(low)} and {count_text(high)}"


def plural(count: int, word: str, words: str | None = None) -> str:
    """'1 force', '3 forces'."""
    return f"{count:,} {word if count == 1 else (words or word + 's')}"
