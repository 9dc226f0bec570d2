"""The long format (the project's template, for bulk imports), turned into checked figure
drafts: one figure per row, columns period_start, period_end, offence, platform, value, unit,
note. A force's own table is read by `importing.answers` instead. Formats: docs/figures.md.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from core.dates import date_out_of_range
from responses_app.importing.lookups import ReferenceMaps, UnknownName, normalise
from responses_app.importing.reading import RowError, Sheet, column_letter
from responses_app.models import Figure, Unit
from responses_app.values import ValueRejected, parse_value

LONG_COLUMNS = ["period_start", "period_end", "offence", "platform", "value", "unit", "note"]
LONG_REQUIRED = ["period_start", "period_end", "offence", "platform", "value"]
SKIP = "skip"


@dataclass
class Layout:
    """How to read a long-format file: its default unit and the sheet of an XLSX."""

    shape: str = "long"
    unit: str = Unit.INSTANCES
    sheet: str = ""


@dataclass(slots=True)
class FigureDraft:
    row: int
    period_start: dt.date
    period_end: dt.date
    offence_id: int
    platform_id: int | None
    platform_scope: str
    unit: str
    raw: str
    status: str
    low: int | None
    high: int | None
    note: str
    sheet: str
    cell: str
    owner_id: int | None = None

    def key(self) -> tuple:
        """The figure's cell, as `Figure.cell_columns()` reads it from a stored figure."""
        return tuple(getattr(self, column) for column in Figure.cell_columns())


class RowProblem(ValueError):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column


def read_drafts(
    sheet: Sheet, layout: Layout, maps: ReferenceMaps, threshold: int
) -> Iterator[FigureDraft | RowError]:
    rows = ((n, v) for n, v in sheet.rows if any(_filled(x) for x in v))
    first = next(rows, None)
    if first is None:
        yield RowError(None, "file", "The file has no rows: is it empty?")
        return
    yield from _long(first, rows, sheet.name, layout, maps, threshold)


def _filled(value: object) -> bool:
    return value is not None and str(value).strip() != ""


def _long(header, rows, sheet_name, layout, maps, threshold):
    number, names = header
    columns: dict[str, int] = {}
    for index, name in enumerate(names):
        key = normalise(name).replace(" ", "_")
        if not _filled(name):
            continue
        if key not in LONG_COLUMNS:
            yield RowError(
                number,
                column_letter(index),
                f"'{name}' is not a column of the long format ({', '.join(LONG_COLUMNS)}).",
            )
        elif key in columns:
            yield RowError(number, column_letter(index), f"The column '{key}' appears twice.")
        else:
            columns[key] = index
    missing = [name for name in LONG_REQUIRED if name not in columns]
    if missing:
        yield RowError(number, "", f"The header row lacks: {', '.join(missing)}.")
        return
    letters = {name: column_letter(index) for name, index in columns.items()}
    for number, values in rows:
        try:
            yield _long_row(number, values, columns, letters, sheet_name, maps, threshold, layout)
        except RowProblem as problem:
            yield RowError(number, problem.column, str(problem))


def _long_row(number, values, columns, letters, sheet_name, maps, threshold, layout):
    # Runs once per row of a file of up to hundreds of thousands: no closures, few calls.
    cells = {name: values[i] if i < len(values) else None for name, i in columns.items()}
    start = _date(cells["period_start"], letters["period_start"])
    end = _date(cells["period_end"], letters["period_end"])
    if end < start:
        raise RowProblem(
            letters["period_end"], f"The period ends ({end}) before it starts ({start})."
        )
    offence = _lookup(maps.offence, cells["offence"], letters["offence"])
    scope, platform = _lookup(maps.platform, cells["platform"], letters["platform"])
    unit = _unit(cells.get("unit"), letters.get("unit", ""), layout.unit)
    note = str(cells.get("note") or "").strip()
    if len(note) > 500:
        raise RowProblem(letters["note"], "The note is longer than 500 characters.")
    return _draft(
        number,
        start,
        end,
        offence.pk,
        platform,
        scope,
        unit,
        cells["value"],
        (sheet_name, letters["value"]),
        threshold,
        note,
    )


def _draft(number, start, end, offence_id, platform, scope, unit, raw, where, threshold, note=""):
    sheet_name, letter = where
    try:
        parsed = parse_value(raw, threshold=threshold)
    except ValueRejected as rejected:
        raise RowProblem(letter, str(rejected)) from rejected
    text = _raw_text(raw)
    if len(text) > 100:
        raise RowProblem(letter, "The value is longer than 100 characters.")
    return FigureDraft(
        row=number,
        period_start=start,
        period_end=end,
        offence_id=offence_id,
        platform_id=platform.pk if platform else None,
        platform_scope=scope,
        unit=unit,
        raw=text,
        status=parsed.status,
        low=parsed.low,
        high=parsed.high,
        note=note,
        sheet=sheet_name,
        cell=f"{letter}{number}",
    )


def _raw_text(raw: object) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def _lookup(find, name, letter):
    try:
        return find(name)
    except UnknownName as unknown:
        raise RowProblem(letter, str(unknown)) from unknown


def _unit(value: object, letter: str, default: str) -> str:
    key = normalise(value)
    if not key:
        return default
    if key in Unit.values:
        return key
    raise RowProblem(letter, f"Unknown unit '{value}'; use one of: {', '.join(Unit.values)}.")


_UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


@functools.lru_cache(maxsize=4096, typed=True)
def parse_date(value: object) -> dt.date:
    """ISO dates (2019-10-01), UK day-first dates (01/10/2019) and spreadsheet date cells."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    if match := _UK_DATE.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
        return dt.date(year, month, day)
    return dt.date.fromisoformat(text)


def _date(value: object, letter: str) -> dt.date:
    try:
        day = parse_date(value)
    except (ValueError, TypeError) as error:
        if not _filled(value):
            raise RowProblem(letter, "The date is empty.") from error
        raise RowProblem(
            letter, f"'{value}' is not a date; write 2019-10-01 or 01/10/2019."
        ) from error
    if problem := date_out_of_range(day):
        raise RowProblem(letter, problem)
    return day
