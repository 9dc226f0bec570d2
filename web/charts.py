"""Bar charts drawn as SVG by the templates: the geometry is worked out here, so a template only
places rectangles and text. Every chart is also given as a table beside it (its text
alternative).

Each row is a label on a line of its own, over a bar: at a phone's width the chart is drawn near
its own size, so its text stays readable (a label beside the bar made the drawing too wide to
fit, and scaled it down to text of about 7 px), and a long label is never cut off at the left.
A bar is solid up to what is certain (the low end of the interval), a light box reaches the high
end the suppressed cells allow, and a tick marks the midpoint estimate: a group whose cells were
all suppressed is never drawn as nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from responses_app.shares import count_text, percent_text

WIDTH = 400
BAR_AREA = 300
VALUE_X = BAR_AREA + 8
ROW_HEIGHT = 44
LABEL_BASELINE = 15
BAR_TOP = 21
BAR_HEIGHT = 14
TOP = 4
# At the chart's 14-unit text, about this many characters fit across it.
LABEL_CHARS = 50
EN_DASH = "\u2013"


@dataclass
class Bar:
    label: str
    value_text: str
    y: float
    low_width: float
    high_width: float
    midpoint_x: float
    highlight: bool = False

    @property
    def short_label(self) -> str:
        if len(self.label) <= LABEL_CHARS:
            return self.label
        return self.label[: LABEL_CHARS - 1].rstrip() + "…"

    @property
    def label_y(self) -> float:
        return self.y + LABEL_BASELINE

    @property
    def bar_y(self) -> float:
        return self.y + BAR_TOP

    @property
    def value_y(self) -> float:
        return self.y + BAR_TOP + BAR_HEIGHT - 2

    @property
    def has_range(self) -> bool:
        return self.high_width - self.low_width >= 0.5

    @property
    def range_width(self) -> float:
        return self.high_width - self.low_width

    @property
    def tick_top(self) -> float:
        return self.bar_y - 3

    @property
    def tick_bottom(self) -> float:
        return self.bar_y + BAR_HEIGHT + 3


@dataclass
class Chart:
    bars: list[Bar]
    width: int = WIDTH
    value_x: int = VALUE_X
    bar_height: int = BAR_HEIGHT

    @property
    def height(self) -> int:
        return TOP * 2 + ROW_HEIGHT * max(len(self.bars), 1)


def _width(fraction: Fraction | Decimal | float) -> float:
    return float(max(0, min(1, fraction)) * BAR_AREA)


def _bar(index: int, label: str, text: str, low, high, midpoint, **extra) -> Bar:
    return Bar(
        label,
        text,
        TOP + index * ROW_HEIGHT,
        _width(low),
        _width(high),
        _width(midpoint),
        **extra,
    )


def _short_range(low_text: str, high_text: str, unit: str = "") -> str:
    """'51.0-52.1%' or '1-4' (with an en dash): a range short enough for the space after a
    bar."""
    if low_text == high_text:
        return low_text + unit
    return f"{low_text}{EN_DASH}{high_text}{unit}"


def share_chart(groups: list, highlight: str | None = None) -> Chart:
    """Shares of the recorded-platform total, each an interval with its midpoint."""
    bars = []
    for index, group in enumerate(groups):
        share = group.share
        text = "n/a"
        if share.low is not None:
            low, high = (percent_text(end).removesuffix("%") for end in (share.low, share.high))
            text = _short_range(low, high, "%")
        bars.append(
            _bar(
                index,
                group.name,
                text,
                share.low or 0,
                share.high or 0,
                share.midpoint or 0,
                highlight=highlight is not None and group.slug == highlight,
            )
        )
    return Chart(bars)


def count_chart(groups: list) -> Chart:
    """Counts per group, scaled to the largest upper end."""
    top = max((group.counts.high for group in groups), default=0) or 1
    bars = []
    for index, group in enumerate(groups):
        counts = group.counts
        text = _short_range(count_text(counts.low), count_text(counts.high))
        bars.append(
            _bar(
                index,
                group.name,
                text,
                Fraction(counts.low, top),
                Fraction(counts.high, top),
                counts.midpoint / top,
            )
        )
    return Chart(bars)


def coverage_chart(rows: list[dict], asked: int) -> Chart:
    """How many of the forces asked fall in each coverage category."""
    whole = asked or 1
    bars = []
    for index, row in enumerate(rows):
        part = Fraction(row["count"], whole)
        bars.append(_bar(index, row["name"], f"{row['count']} of {asked}", part, part, part))
    return Chart(bars)
