"""The one rounding rule, from exact fractions: half up to three decimal places.

0.52449 is 52,449/100,000: three places keep 0.524 and the rest, 0.00049, is below half of the
last place (0.0005), so 52.4%. 0.5245 is 5,245/10,000: the rest is exactly half, which goes up:
0.525, 52.5%. A float gets the second wrong (0.5245 is stored as 0.52449999...), and rounding to
four places first gets the first wrong (0.52449 -> 0.5245 -> 52.5%).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest

from responses_app.shares import (
    count_range_text,
    count_text,
    percent_text,
    plural,
    share_range_text,
    share_rounded,
)


@pytest.mark.parametrize(
    ("part", "whole", "share", "text"),
    [
        (52449, 100000, Decimal("0.524"), "52.4%"),
        (5245, 10000, Decimal("0.525"), "52.5%"),
        # The demo's exact cells, 4,971 of 9,477 = 0.524533...: 52.5%, as published.
        (4971, 9477, Decimal("0.525"), "52.5%"),
        (1, 16, Decimal("0.063"), "6.3%"),  # 0.0625: half up, not to even
        (0, 7, Decimal("0.000"), "0.0%"),
        (7, 7, Decimal("1.000"), "100.0%"),
        (Fraction(1, 3), 1, Decimal("0.333"), "33.3%"),
    ],
)
def test_a_share_is_rounded_once_half_up_from_the_exact_fraction(part, whole, share, text):
    assert share_rounded(part, whole) == share
    assert percent_text(share_rounded(part, whole)) == text


def test_the_traps_it_avoids_are_real():
    # A float: 0.5245 is stored as 0.52449999..., and its percentage rounds down.
    assert f"{0.5245 * 100:.1f}%" == "52.4%"
    # Rounding twice: 0.52449 to the API's old four places is 0.5245, whose percentage rounds up.
    four_places = Decimal("0.52449").quantize(Decimal("0.0001"), ROUND_HALF_UP)
    assert (four_places * 100).quantize(Decimal("0.1"), ROUND_HALF_UP) == Decimal("52.5")
    assert percent_text(share_rounded(52449, 100000)) == "52.4%"


def test_a_share_of_nothing_is_none_and_says_so():
    assert share_rounded(3, 0) is None
    assert percent_text(None) == "n/a"


@pytest.mark.parametrize(
    ("low", "high", "text"),
    [
        (Decimal("0.510"), Decimal("0.521"), "between 51.0% and 52.1%"),
        (Decimal("0.550"), Decimal("0.550"), "55.0%"),
    ],
)
def test_a_share_interval_is_written_between_its_ends(low, high, text):
    assert share_range_text(low, high) == text


@pytest.mark.parametrize(
    ("low", "high", "text"),
    [(9544, 9745, "between 9,544 and 9,745"), (1848, 1848, "1,848"), (1, 4, "between 1 and 4")],
)
def test_a_count_interval_is_written_between_its_ends_or_as_one_count(low, high, text):
    assert count_range_text(low, high) == text


def test_a_midpoint_keeps_its_half():
    assert (count_text(Fraction(19289, 2)), count_text(Fraction(20, 2)), count_text(3)) == (
        "9,644.5",
        "10",
        "3",
    )


def test_counts_of_one_are_singular():
    assert (plural(1, "force"), plural(3, "force"), plural(1200, "figure")) == (
        "1 force",
        "3 forces",
        "1,200 figures",
    )
