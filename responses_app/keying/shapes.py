"""The keying grid's shapes: its rows (platforms, then the two rows without one), its columns
(the campaign's periods), and a cell as keyed. Plain data: the page and the services share them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.formats import date_format

from responses_app.models import Figure, Platform, PlatformScope

# A cell is figured out from its row's platform or scope and its period; a stored figure is found
# by the same key (one query for the whole grid, then a dictionary).
CellKey = tuple[int | None, str, dt.date, dt.date]

# What a keyed cell's text may hold at most: the figure's `raw` column.
RAW_LENGTH = Figure._meta.get_field("raw").max_length


@dataclass(frozen=True)
class GridRow:
    platform: Platform | None
    platform_scope: str = PlatformScope.NAMED

    @property
    def key(self) -> str:
        # A slug holds no dot, so a scope's key never meets a platform's.
        return self.platform.slug if self.platform else f"scope.{self.platform_scope}"

    @property
    def label(self) -> str:
        return self.platform.name if self.platform else PlatformScope(self.platform_scope).label


@dataclass(frozen=True)
class GridPeriod:
    start: dt.date
    end: dt.date

    @property
    def key(self) -> str:
        return self.start.isoformat()  # a campaign has one period a start

    @property
    def label(self) -> str:
        return f"{date_format(self.start, 'j M Y')} to {date_format(self.end, 'j M Y')}"


@dataclass(frozen=True)
class Grid:
    rows: list[GridRow]
    periods: list[GridPeriod]

    @staticmethod
    def field_name(row: GridRow, period: GridPeriod) -> str:
        """The name of a cell's input on the page."""
        return f"cell-{row.key}-{period.key}"

    def names_by_key(self) -> dict[CellKey, str]:
        """Each cell's input name by the key of the figure that fills it."""
        return {
            GridCell(row, period, "").key: self.field_name(row, period)
            for row in self.rows
            for period in self.periods
        }

    def cells_from(self, data) -> list[GridCell]:
        """Every cell of the grid with the text `data` (a form's POST) holds for it; a cell the
        form does not carry is blank, as if left empty."""
        return [
            GridCell(row, period, str(data.get(self.field_name(row, period), "")).strip())
            for row in self.rows
            for period in self.periods
        ]


@dataclass(frozen=True)
class GridCell:
    """One cell as keyed: the text typed, '' for a cell left blank (not entered)."""

    row: GridRow
    period: GridPeriod
    raw: str

    @property
    def key(self) -> CellKey:
        platform_id = self.row.platform.pk if self.row.platform else None
        return (platform_id, self.row.platform_scope, self.period.start, self.period.end)

    @property
    def field_name(self) -> str:
        return Grid.field_name(self.row, self.period)

    @property
    def where(self) -> str:
        """The cell in plain words: 'Instagram, 1 Oct 2019 to 31 Mar 2020'."""
        return f"{self.row.label}, {self.period.label}"


def key_of(figure: Figure) -> CellKey:
    return (figure.platform_id, figure.platform_scope, figure.period_start, figure.period_end)


@dataclass(frozen=True)
class CellProblem:
    cell: GridCell
    message: str

    def __str__(self) -> str:
        return f"{self.cell.where}: {self.message}"


class GridRefused(ValidationError):
    """Nothing was written: every bad cell, named by platform and period, with the reason."""

    def __init__(self, problems: list[CellProblem]) -> None:
        super().__init__([str(problem) for problem in problems])
        self.problems = problems


@dataclass
class GridEntry:
    """What a first keying did: figures created, figures corrected, cells left as they were."""

    created: list[Figure]
    corrected: list[Figure]
    unchanged: int


@dataclass(frozen=True)
class KeyedAgain:
    """A cell of a second keying beside its first entry."""

    cell: GridCell
    first: str
    second: str


@dataclass
class GridVerification:
    """What a blind second keying found, cell by cell."""

    verified: list[KeyedAgain]
    disagreements: list[KeyedAgain]
    # Keyed only the second time (no first entry): they now wait for another person.
    added: list[GridCell]
    # Keyed the first time and left blank the second: they still wait for a second person.
    not_keyed: list[KeyedAgain]
