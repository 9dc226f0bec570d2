"""The grid every answer file is read into, whatever its format: a workbook of sheets, each a
sparse map of the cells the force filled, with the references a clerk can find in the original
(C7 in a spreadsheet; R3C4 of 'Table 2' in a Word document or of 'Page 1, table 1' in a PDF).

Nothing here touches the database. Readers fill it within `Limits`, counting every cell they
visit in a `Budget`, so a crafted file is refused for a named limit before it costs real work.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# The formats' own ceilings: anything declared beyond them is not a spreadsheet program's output.
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384

SPREADSHEET = "spreadsheet"  # references are A1 style
DOCUMENT = "document"  # references are R1C1 within a named table


class FileRefused(Exception):
    """The file cannot be read: `problem` says why in plain words, naming the limit, sheet or
    cell where there is one."""

    def __init__(self, problem: str, *, sheet: str = "", cell: str = "") -> None:
        super().__init__(problem)
        self.problem = problem
        self.sheet = sheet
        self.cell = cell
        self.cells_visited = 0  # set by the reader: how much work was done before refusing


class ScannedDocument(Exception):
    """A PDF with no text layer: an image of a table, which only a person can key."""

    def __init__(self, pages: int) -> None:
        super().__init__(f"The PDF has no text on any of its {pages} page(s): it is scanned.")
        self.pages = pages


@dataclass(frozen=True)
class Limits:
    """What an answer file may hold. Police answers are tables of tens of rows and columns;
    these caps are two orders of magnitude above that and keep the worst file to a few seconds
    of one worker. (Bulk long-format imports go through importing.reading, not these.)"""

    rows: int = 10_000
    columns: int = 200
    cells: int = 50_000
    sheets: int = 100
    pages: int = 50
    # Shared strings, a sheet's XML, a CSV's text: no single part larger than this is parsed.
    part_bytes: int = 50_000_000
    # Formats read into a whole tree in memory (ODS, DOCX) get a tighter cap on their XML.
    document_xml_bytes: int = 10_000_000


class Budget:
    """Counts the cells (and XML elements) a reader visits and refuses past the cap, so the work
    done on any file is bounded by the limits rather than by what the file declares."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.visited = 0

    def visit(self, count: int = 1, *, sheet: str = "") -> None:
        self.visited += count
        if self.visited > self.limits.cells:
            raise FileRefused(
                f"The file holds more than {self.limits.cells:,} cells, the limit for an "
                "answer file.",
                sheet=sheet,
            )

    def check_row(self, row: int, *, sheet: str) -> None:
        if row > self.limits.rows:
            raise FileRefused(
                f"Row {row:,} is beyond the limit of {self.limits.rows:,} rows a sheet.",
                sheet=sheet,
            )

    def check_column(self, column: int, *, sheet: str) -> None:
        if column > self.limits.columns:
            raise FileRefused(
                f"Column {column_letters(column)} (number {column:,}) is beyond the limit of "
                f"{self.limits.columns:,} columns a sheet.",
                sheet=sheet,
            )


def column_letters(column: int) -> str:
    """1 -> 'A', 28 -> 'AB'."""
    letters = ""
    while column > 0:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def column_number(letters: str) -> int:
    """'A' -> 1, 'AB' -> 28."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


Value = int | float | dt.date | dt.datetime | None


@dataclass(frozen=True, slots=True)
class Cell:
    """One filled cell: `text` as the force wrote it (what a person sees), `value` the number or
    date where the format stores one, `formula` the formula text when the cell holds one."""

    row: int
    column: int
    ref: str
    text: str
    value: Value = None
    formula: str = ""


@dataclass(frozen=True, slots=True)
class Span:
    """A rectangle of cells, inclusive: a merged range, or a table's region."""

    top: int
    left: int
    bottom: int
    right: int

    def covers(self, row: int, column: int) -> bool:
        return self.top <= row <= self.bottom and self.left <= column <= self.right


@dataclass
class Sheet:
    name: str
    style: str = SPREADSHEET
    hidden: bool = False
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    hidden_rows: set[int] = field(default_factory=set)
    # Hidden columns are kept as ranges: a file may hide every column to its right edge.
    hidden_columns: list[tuple[int, int]] = field(default_factory=list)
    merged: list[Span] = field(default_factory=list)
    # Text beside the grid in a document (the paragraphs around a Word table, the lines above
    # and below a PDF table): where the legend and footnotes of such answers are written.
    text_above: list[str] = field(default_factory=list)
    text_below: list[str] = field(default_factory=list)
    _by_row: dict[int, list[Cell]] | None = field(default=None, repr=False, compare=False)

    def ref(self, row: int, column: int) -> str:
        if self.style == SPREADSHEET:
            return f"{column_letters(column)}{row}"
        return f"R{row}C{column}"

    def put(self, row: int, column: int, text: str, value: Value = None, formula: str = "") -> None:
        self.cells[(row, column)] = Cell(row, column, self.ref(row, column), text, value, formula)
        self._by_row = None

    def row(self, row: int) -> list[Cell]:
        """The filled cells of a row, left to right (indexed once, on first use)."""
        if self._by_row is None:
            self._by_row = {}
            for (r, _), cell in sorted(self.cells.items()):
                self._by_row.setdefault(r, []).append(cell)
        return self._by_row.get(row, [])

    def row_text(self, row: int) -> str:
        return " ".join(cell.text.strip() for cell in self.row(row) if cell.text.strip())

    def get(self, row: int, column: int) -> Cell | None:
        return self.cells.get((row, column))

    def column_hidden(self, column: int) -> bool:
        return any(low <= column <= high for low, high in self.hidden_columns)

    def merged_at(self, row: int, column: int) -> Span | None:
        for span in self.merged:
            if span.covers(row, column):
                return span
        return None

    def rows(self) -> list[int]:
        self.row(0)
        return sorted(self._by_row or ())


@dataclass
class Workbook:
    """A file read into sheets; `format` is what its bytes proved it to be."""

    format: str
    sheets: list[Sheet] = field(default_factory=list)
    cells_visited: int = 0
