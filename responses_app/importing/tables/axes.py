"""What each row label and each column heading of a table means, and which way round the
table is: platforms go down the axis whose labels match the platform vocabulary (and the
'not recorded' row) more often; the other axis holds periods or offences, whichever its
headings read as more often."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from responses_app.importing.grid import Cell
from responses_app.importing.labels import (
    NOT_RECORDED,
    OFFENCE,
    PLATFORM,
    SKIP,
    SUBTOTAL,
    TOTAL,
    UNKNOWN,
    LabelMatcher,
    Match,
    normalise_label,
)
from responses_app.importing.periods import Heading, read_heading
from responses_app.importing.tables.layout import TableLayout

PERCENT_WORDS = ("%", "percent", "per cent", "proportion", "share of", "rate per")
TEXT_COLUMN_WORDS = ("note", "notes", "comment", "comments", "source", "caveat", "remarks")

PLATFORMS_DOWN = "platforms down"
PLATFORMS_ACROSS = "platforms across"


@dataclass
class Entry:
    """One row label or one column heading: where it is, what it says, what it means."""

    index: int  # the row or the column
    sheet: str
    ref: str
    text: str
    match: Match
    heading: Heading
    offence: str = ""  # an offence named in another part of a two-level heading
    percent: bool = False
    text_only: bool = False
    # A row inside a table with a label the lists do not know and nothing beside it: a
    # heading for the rows under it ('Social media'), drawn as a note and never asked about.
    section: bool = False

    @property
    def period(self):
        return self.heading.period

    @property
    def is_total(self) -> bool:
        return self.match.kind in (TOTAL, SUBTOTAL)


def label_key(text: str) -> str:
    return f"label:{normalise_label(text)}"


def row_entries(table: TableLayout, matcher: LabelMatcher, decisions) -> list[Entry]:
    entries = []
    for row in table.data_rows:
        cell = table.sheet.get(row, table.label_column)
        text = cell.text.strip() if cell else ""
        entry = Entry(
            index=row,
            sheet=table.sheet.name,
            ref=table.sheet.ref(row, table.label_column),
            text=text,
            match=matcher.match(text, decisions.get(label_key(text))) if text else Match(SKIP),
            heading=read_heading(_heading_value(cell)) if cell else read_heading(""),
        )
        beside = [c for c in table.sheet.row(row) if c.column > table.label_column]
        entry.section = entry.match.kind == UNKNOWN and not beside and entry.period is None
        entries.append(entry)
    return entries


def column_entries(table: TableLayout, matcher: LabelMatcher, decisions) -> list[Entry]:
    entries = []
    bottom = table.header_rows[-1] if table.header_rows else None
    for column in table.value_columns:
        parts = table.heading_parts(column)
        text = " ".join(parts)
        heading = read_heading(_column_heading_value(table, column, parts))
        match = matcher.match(text, decisions.get(label_key(text))) if text else Match(UNKNOWN)
        offence = ""
        if len(parts) > 1:
            for part in parts:
                part_match = matcher.match(part, decisions.get(label_key(part)))
                heading = heading if heading.period else _part_period(part, heading)
                if part_match.kind == OFFENCE:
                    offence = part_match.key
                elif match.kind == UNKNOWN and part_match.kind in (PLATFORM, TOTAL, NOT_RECORDED):
                    match = part_match
        entry = Entry(
            index=column,
            sheet=table.sheet.name,
            ref=table.sheet.ref(bottom, column) if bottom else table.sheet.ref(0, column),
            text=text,
            match=match,
            heading=heading,
            offence=offence,
        )
        entry.percent = _is_percent(table, column, text)
        entry.text_only = _is_text_column(table, column, text)
        entries.append(entry)
    return entries


def _heading_value(cell: Cell | None) -> object:
    if cell is not None and isinstance(cell.value, dt.date):
        return cell.value
    return cell.text if cell else ""


def _column_heading_value(table: TableLayout, column: int, parts: list[str]) -> object:
    if len(parts) == 1 and table.header_rows:
        cell = table.sheet.get(table.header_rows[-1], column)
        if cell is not None and isinstance(cell.value, dt.date):
            return cell.value
    return " ".join(parts)


def _part_period(part: str, current: Heading) -> Heading:
    heading = read_heading(part)
    return heading if heading.period else current


def _is_percent(table: TableLayout, column: int, text: str) -> bool:
    if any(word in text.casefold() for word in PERCENT_WORDS):
        return True
    cells = [table.sheet.get(r, column) for r in table.data_rows]
    filled = [c for c in cells if c is not None]
    with_sign = [c for c in filled if c.text.strip().endswith("%")]
    return bool(filled) and len(with_sign) * 2 >= len(filled)


def _is_text_column(table: TableLayout, column: int, text: str) -> bool:
    return normalise_label(text) in TEXT_COLUMN_WORDS


def orientation(rows: list[Entry], columns: list[Entry]) -> str | None:
    """PLATFORMS_DOWN, PLATFORMS_ACROSS, or None when neither axis names platforms and
    neither is plainly periods against labels."""
    row_platforms = sum(e.match.kind in (PLATFORM, NOT_RECORDED) for e in rows)
    column_platforms = sum(e.match.kind in (PLATFORM, NOT_RECORDED) for e in columns)
    if row_platforms or column_platforms:
        return PLATFORMS_DOWN if row_platforms >= column_platforms else PLATFORMS_ACROSS
    row_periods = sum(e.period is not None for e in rows)
    column_periods = sum(e.period is not None for e in columns)
    row_offences = sum(e.match.kind == OFFENCE for e in rows)
    column_offences = sum(e.match.kind == OFFENCE for e in columns)
    if column_periods + column_offences and not row_periods + row_offences:
        return PLATFORMS_DOWN
    if row_periods + row_offences and not column_periods + column_offences:
        return PLATFORMS_ACROSS
    # A list of labels beside one count column ('Number'): the labels are the platforms,
    # each asked about, and the count's period is the sheet's or the table's.
    counts = [e for e in columns if not (e.percent or e.text_only or e.is_total)]
    if len(counts) == 1 and len(rows) > 1:
        return PLATFORMS_DOWN
    return None
