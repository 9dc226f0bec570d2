"""Where the tables are on a sheet: title rows, header rows (two-level merged headers
flattened), the label column wherever it stands, data rows, spacer rows and the notes below.

The sheet is cut into blocks at blank rows. A block whose first rows are headings over value
columns starts a table; a block of data rows with no heading of its own (a Total row after a
spacer row) continues the table above; a block of text alone (a title, a legend, footnotes) is
kept as notes of the nearest table, or, with no table on the sheet, makes it a text sheet such as
a cover letter. Two headed blocks are two tables.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from responses_app.importing.grid import Cell, Sheet, Span
from responses_app.importing.labels import NOT_RECORDED_WORDS, normalise_label
from responses_app.values import ValueRejected, parse_value

MAX_HEADER_ROWS = 3
# Marks forces put in a value cell that no parser reads without a legend; still value cells.
BARE_MARKS = {"-", "–", "—", "..", ".", "~", "#", "n/k", "tbc", "no data"}  # noqa: RUF001
YEARS = range(1990, 2101)


@dataclass
class TableLayout:
    sheet: Sheet
    number: int
    title_rows: list[int] = field(default_factory=list)
    header_rows: list[int] = field(default_factory=list)
    data_rows: list[int] = field(default_factory=list)
    note_rows: list[int] = field(default_factory=list)
    label_column: int = 1
    value_columns: list[int] = field(default_factory=list)

    @property
    def region(self) -> Span:
        rows = self.title_rows + self.header_rows + self.data_rows + self.note_rows
        columns = [cell.column for row in set(rows) for cell in self.sheet.row(row)]
        return Span(min(rows), min(columns), max(rows), max(columns))

    def heading_parts(self, column: int) -> list[str]:
        """The column's heading, top row first; a merged or carried-over upper heading
        ('2019/20' over 'Q1 | Q2') is repeated over every column it stands for."""
        parts = []
        for level, row in enumerate(self.header_rows):
            text = _text_at(self.sheet, row, column)
            if not text and level < len(self.header_rows) - 1:
                text = self._carried(row, column)
            if text:
                parts.append(text)
        return parts

    def _carried(self, row: int, column: int) -> str:
        # An upper heading typed once over several columns without merging them.
        for left in range(column - 1, self.label_column, -1):
            text = _text_at(self.sheet, row, left)
            if text:
                return text
        return ""


@dataclass
class SheetLayout:
    sheet: Sheet
    tables: list[TableLayout] = field(default_factory=list)
    text_rows: list[int] = field(default_factory=list)  # rows of a sheet with no table

    @property
    def is_text(self) -> bool:
        return not self.tables and bool(self.text_rows)


def _text_at(sheet: Sheet, row: int, column: int) -> str:
    cell = sheet.get(row, column)
    if cell is None:
        span = sheet.merged_at(row, column)
        if span is not None:
            cell = sheet.get(span.top, span.left)
    return cell.text.strip() if cell else ""


def is_value(cell: Cell) -> bool:
    """Could this cell be a figure (or a mark standing for one)?"""
    if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
        return True
    text = " ".join(cell.text.split()).casefold()
    if text in BARE_MARKS or (text.endswith("%") and text[:-1].replace(".", "").isdigit()):
        return True
    try:
        parse_value(text)
    except ValueRejected:
        return False
    return True


def is_year(cell: Cell) -> bool:
    value = cell.value if cell.value is not None else cell.text.strip()
    try:
        return int(str(value)) in YEARS and str(value).strip().isdigit()
    except ValueError:
        return False


def find_tables(sheet: Sheet) -> SheetLayout:
    layout = SheetLayout(sheet)
    pending_text: list[int] = []
    for block in _blocks(sheet):
        if layout.tables and not pending_text and _continues(layout.tables[-1], block):
            layout.tables[-1].data_rows.extend(block)
            continue
        table = _table(sheet, block, len(layout.tables) + 1)
        if table is None:
            pending_text.extend(block)
            continue
        if layout.tables:
            pending_text = _split_notes(layout, pending_text, titled=bool(table.title_rows))
        table.title_rows = [*pending_text, *table.title_rows]
        pending_text = []
        layout.tables.append(table)
    if layout.tables:
        layout.tables[-1].note_rows.extend(pending_text)
    else:
        layout.text_rows = pending_text
    return layout


def _split_notes(layout: SheetLayout, rows: list[int], *, titled: bool) -> list[int]:
    """Text between two tables: the footnotes of the one above, except the last block, which
    is the title of the one below unless that table has a title of its own already."""
    if titled:
        layout.tables[-1].note_rows.extend(rows)
        return []
    if not rows:
        return []
    gaps = [i for i in range(1, len(rows)) if rows[i] - rows[i - 1] > 1]
    cut = gaps[-1] if gaps else 0
    layout.tables[-1].note_rows.extend(rows[:cut])
    return rows[cut:]


def _blocks(sheet: Sheet) -> list[list[int]]:
    blocks: list[list[int]] = []
    for row in sheet.rows():
        if blocks and row == blocks[-1][-1] + 1:
            blocks[-1].append(row)
        else:
            blocks.append([row])
    return blocks


def _row_cells(sheet: Sheet, row: int) -> list[Cell]:
    return sheet.row(row)


def _data_cells(sheet: Sheet, row: int) -> list[Cell]:
    """The value cells right of the row's label, or [] when the row is not a data row."""
    cells = _row_cells(sheet, row)
    if len(cells) < 2:
        return []
    label = cells[0]
    # 'Not known' is both a value mark and the label of the row with no platform recorded.
    is_label = normalise_label(label.text) in NOT_RECORDED_WORDS
    if is_value(label) and not is_year(label) and not is_label:
        return []
    values = [c for c in cells[1:] if is_value(c)]
    return values


def _is_heading_row(sheet: Sheet, row: int, next_row: int | None) -> bool:
    """Headings typed as year numbers (2019 | 2020) look like values: such a row is a header
    when the row under it holds data."""
    values = _data_cells(sheet, row)
    if not values:
        return False
    return all(is_year(c) for c in values) and next_row is not None


def _table(sheet: Sheet, block: list[int], number: int) -> TableLayout | None:
    first = None
    for index, row in enumerate(block):
        following = block[index + 1] if index + 1 < len(block) else None
        if _data_cells(sheet, row) and not _is_heading_row(sheet, row, following):
            first = index
            break
    if first is None:
        return None
    data = [r for r in block[first:] if _data_cells(sheet, r)]
    label_column = Counter(_row_cells(sheet, r)[0].column for r in data).most_common(1)[0][0]
    table = TableLayout(sheet, number, label_column=label_column)
    above = block[:first]
    # A header row has a heading over a value column; rows above the headers are titles.
    headers = [r for r in above if any(c.column > label_column for c in _row_cells(sheet, r))]
    headers = headers[-MAX_HEADER_ROWS:]
    table.header_rows = [r for r in above if headers and headers[0] <= r <= headers[-1]]
    table.title_rows = [r for r in above if not headers or r < headers[0]]
    data_rows = set(data)
    last = max(i for i, r in enumerate(block) if r in data_rows)
    # A row between the headings and the first figures ('Social media') belongs to the body.
    start = block.index(headers[-1]) + 1 if headers else first
    table.data_rows = block[start : last + 1]
    table.note_rows = block[last + 1 :]
    table.value_columns = _value_columns(table)
    return table


def _value_columns(table: TableLayout) -> list[int]:
    sheet = table.sheet
    columns = set()
    for row in table.header_rows + table.data_rows:
        for cell in _row_cells(sheet, row):
            if cell.column > table.label_column:
                columns.add(cell.column)
        for span in sheet.merged:
            if span.top <= row <= span.bottom and span.right > table.label_column:
                columns.update(range(max(span.left, table.label_column + 1), span.right + 1))
    return sorted(columns)


def _continues(table: TableLayout, block: list[int]) -> bool:
    """A block after a spacer row carries on the table above when the table has no notes yet
    and the block's rows are data rows labelled in the table's label column with their values
    under its headings (a Total row set apart by a blank row)."""
    if table.note_rows or not table.header_rows:
        return False
    sheet = table.sheet
    for row in block:
        cells = _row_cells(sheet, row)
        if not _data_cells(sheet, row) or cells[0].column != table.label_column:
            return False
        if any(c.column not in table.value_columns for c in cells[1:]):
            return False
    return True
