"""Bar charts drawn as SVG by the templates: the geometry is worked out here, so a template only
places rectangles and text. Every chart is also given as a table beside it (its text
alternative)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

LABEL_WIDTH = 250
BAR_AREA = 300
VALUE_WIDTH = 120
ROW_HEIGHT = 26
BAR_HEIGHT = 16
TOP = 6


@dataclass
class Bar:
    label: str
    value_text: str
    y: float
    width: float
    # The interval that suppressed cells leave: a line from low_x to high_x (equal when none).
    low_x: float
    high_x: float
    highlight: bool = False

    @property
    def text_y(self) -> float:
        return self.y + BAR_HEIGHT - 3

    @property
    def mid_y(self) -> float:
        return self.y + BAR_HEIGHT / 2

    @property
    def has_interval(self) -> bool:
        return self.high_x - self.low_x >= 0.5


@dataclass
class Chart:
    bars: list[Bar]
    label_width: int = LABEL_WIDTH
    bar_area: int = BAR_AREA

    @property
    def width(self) -> int:
        return LABEL_WIDTH + BAR_AREA + VALUE_WIDTH

    @property
    def height(self) -> int:
        return TOP * 2 + ROW_HEIGHT * max(len(self.bars), 1)

    @property
    def value_x(self) -> int:
        return LABEL_WIDTH + BAR_AREA + 8

    @property
    def axis_x(self) -> int:
        return LABEL_WIDTH


def percent(value: Decimal | float | None, places: int = 1) -> str:
    if value is None:
        return "n/a"
    return f"{float(value) * 100:.{places}f}%"


def _bar(index: int, label: str, text: str, fractions: tuple[float, float, float], **extra) -> Bar:
    point, low, high = (max(0.0, min(1.0, f)) * BAR_AREA for f in fractions)
    return Bar(
        label, text, TOP + index * ROW_HEIGHT, point, LABEL_WIDTH + low, LABEL_WIDTH + high, **extra
    )


def share_chart(groups: list[dict], highlight: str | None = None) -> Chart:
    """Shares of the recorded-platform total: the bar is the point share, the line its
    interval. `groups` are the aggregate's groups as the API gives them."""
    bars = []
    for index, group in enumerate(groups):
        fractions = tuple(float(group[k] or 0) for k in ("share", "share_low", "share_high"))
        bars.append(
            _bar(
                index,
                group["name"],
                percent(group["share"]),
                fractions,
                highlight=group["slug"] == highlight,
            )
        )
    return Chart(bars)


def count_chart(groups: list[dict]) -> Chart:
    """Counts per group, scaled to the largest upper bound."""
    top = max((group["high"] for group in groups), default=0) or 1
    bars = []
    for index, group in enumerate(groups):
        fractions = (group["reported"] / top, group["low"] / top, group["high"] / top)
        bars.append(_bar(index, group["name"], f"{group['reported']:,}", fractions))
    return Chart(bars)


def coverage_chart(rows: list[dict], asked: int) -> Chart:
    """How many of the forces asked fall in each coverage category."""
    whole = asked or 1
    bars = [
        _bar(index, row["name"], f"{row['count']} of {asked}", (row["count"] / whole,) * 3)
        for index, row in enumerate(rows)
    ]
    return Chart(bars)
