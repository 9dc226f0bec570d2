"""What reading an answer file produces, as plain data for the preview page, the API and the
confirm step: per sheet and table, every cell with its reference and how it was read, the
proposed figures, the totals checks, the notes, the warnings and the open questions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field

from responses_app.importing.periods import Period

# How a cell was read, for the preview's grid.
EXACT = "exact"
INTERVAL = "interval"
ZERO = "zero"
NOT_HELD = "not_held"
NOT_RECORDED = "not_recorded"
REFUSED = "refused"
SKIPPED = "skipped"
TOTAL = "total"
HEADER = "header"
LABEL = "label"
NOTE = "note"
QUESTION = "question"

READ = "read"
SCANNED = "scanned"


@dataclass(frozen=True)
class Hints:
    """What the caller says about the file. `decisions` answers questions by their key;
    `periods` maps a heading (its text as written, or its cell reference) to a period, and is
    refused where it contradicts a heading that reads by itself."""

    sheets: tuple[str, ...] = ()
    offence: str = ""
    period: Period | None = None
    unit: str = "instances"
    periods: Mapping[str, Period] = field(default_factory=dict)
    decisions: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Problem:
    """Why a reading cannot go ahead, naming the sheet and cells."""

    message: str
    sheet: str = ""
    cells: tuple[str, ...] = ()


class AnswerRefused(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems[0].message if problems else "The file cannot be read.")
        self.problems = problems


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass
class Question:
    """Something only a person can decide. Answer it with `Hints.decisions[key] = value`, the
    value one of `choices` (or, where `any_of` names 'platform' or 'offence', 'platform:<key>'
    or 'offence:<key>' for any key of that list)."""

    key: str
    kind: str
    sheet: str
    cells: list[str]
    text: str
    choices: tuple[Choice, ...]
    any_of: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProposedFigure:
    period_start: dt.date
    period_end: dt.date
    platform: str  # the platform's key, or "" for a scope
    platform_scope: str  # named, not_recorded or all_platforms
    offence: str
    unit: str
    raw: str
    status: str
    low: int | None
    high: int | None
    sheet: str
    cell: str
    note: str = ""

    def key(self) -> tuple:
        return (self.period_start, self.period_end, self.offence, self.platform,
                self.platform_scope, self.unit)  # fmt: skip

    def as_row(self) -> tuple:
        return (*self.key(), self.raw, self.status, self.low, self.high, self.sheet, self.cell,
                self.note)  # fmt: skip


@dataclass(frozen=True)
class TotalCheck:
    """A stated total against the interval sum of its parts; an open top (None) when a part
    has no interval (not held, refused, undecided)."""

    sheet: str
    cell: str
    label: str
    stated_low: int | None
    stated_high: int | None
    parts_low: int
    parts_high: int | None
    parts: tuple[str, ...]

    def as_row(self) -> tuple:
        return (self.sheet, self.cell, self.label, self.stated_low, self.stated_high,
                self.parts_low, self.parts_high, self.parts)  # fmt: skip

    @property
    def agrees(self) -> bool:
        if self.stated_low is None:
            return True
        below = self.parts_high is None or self.stated_low <= self.parts_high
        above = self.stated_high is None or self.parts_low <= self.stated_high
        return below and above


@dataclass(frozen=True)
class CellReading:
    ref: str
    row: int
    column: int
    text: str
    kind: str
    detail: str = ""


@dataclass
class TableReading:
    sheet: str
    number: int
    region: str
    orientation: str
    cells: list[CellReading] = field(default_factory=list)
    figures: list[ProposedFigure] = field(default_factory=list)
    totals: list[TotalCheck] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class SheetReading:
    name: str
    hidden: bool
    verdict: str  # tables, text (a cover letter), empty, hidden (not read), not chosen
    tables: list[TableReading] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Reading:
    filename: str
    format: str
    sha256: str
    outcome: str = READ
    sheets: list[SheetReading] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    digest: str = ""

    @property
    def figures(self) -> list[ProposedFigure]:
        return [f for s in self.sheets for t in s.tables for f in t.figures]

    @property
    def ready(self) -> bool:
        """Nothing left to decide: the confirm step may import the figures."""
        return self.outcome == READ and not self.questions and not self.problems

    def as_dict(self) -> dict:
        data = asdict(self)
        data["ready"] = self.ready
        return data
