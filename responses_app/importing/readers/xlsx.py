"""XLSX: openpyxl opens the package (sheet list and states, shared strings, styles); each sheet's
XML is then streamed here, once, because read-only openpyxl neither exposes hidden rows, hidden
columns and merged cells nor bounds its own work: asked for the rows of a sheet whose
`<dimension>` says A1:XFD1048576 it pads out a billion empty cells. Here every declaration is
checked against the limits before it is believed, and only the cells actually present are
visited."""

from __future__ import annotations

import datetime as dt
import io
import re
import xml.etree.ElementTree as ElementTree
import zipfile

import openpyxl
from openpyxl.utils.datetime import from_excel

from responses_app.importing.grid import (
    EXCEL_MAX_COLUMNS,
    EXCEL_MAX_ROWS,
    Budget,
    FileRefused,
    Sheet,
    Span,
    Workbook,
    column_number,
)

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})")
PERCENT_FORMATS = {9, 10}


def read_xlsx(content: bytes, archive: zipfile.ZipFile, budget: Budget) -> Workbook:
    _check_part_sizes(archive, budget)
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged package
        raise FileRefused(
            f"The spreadsheet cannot be opened: damaged or truncated ({error})."
        ) from error
    if len(book.worksheets) > budget.limits.sheets:
        raise FileRefused(f"The workbook has more than {budget.limits.sheets} sheets.")
    styles = _Styles(book)
    workbook = Workbook(format="xlsx")
    for worksheet in book.worksheets:
        sheet = Sheet(name=worksheet.title, hidden=worksheet.sheet_state != "visible")
        # `_worksheet_path` is where openpyxl found the sheet's XML in the package.
        try:
            with archive.open(worksheet._worksheet_path) as source:
                _stream_sheet(source, sheet, book.shared_strings, styles, budget)
        except ElementTree.ParseError as error:
            raise FileRefused(
                f"The sheet's XML is damaged ({error}).", sheet=worksheet.title
            ) from error
        workbook.sheets.append(sheet)
    return workbook


def _check_part_sizes(archive: zipfile.ZipFile, budget: Budget) -> None:
    for entry in archive.infolist():
        if entry.file_size > budget.limits.part_bytes:
            raise FileRefused(
                f"The part '{entry.filename}' would unpack to {entry.file_size:,} bytes, over the "
                f"limit of {budget.limits.part_bytes:,} for one part of an answer file."
            )


class _Styles:
    """Which cell styles show a number as a date or as a percentage."""

    def __init__(self, book) -> None:
        self.dates = set(book._date_formats)
        self.epoch = book.epoch
        self.percents = set()
        custom = {n: f for n, f in enumerate(book._number_formats, start=164)}
        for index, style in enumerate(book._cell_styles):
            number_format = style.numFmtId
            if number_format in PERCENT_FORMATS or "%" in custom.get(number_format, ""):
                self.percents.add(index)


def _stream_sheet(source, sheet: Sheet, strings: list, styles: _Styles, budget: Budget) -> None:
    for _, element in ElementTree.iterparse(source):
        tag = element.tag
        if tag == f"{NS}c":
            # Counted as it arrives (a crafted row can hold millions), read with its row.
            budget.visit(sheet=sheet.name)
            continue
        if tag == f"{NS}row":
            _row(element, sheet, strings, styles, budget)
            element.clear()
        elif tag == f"{NS}dimension":
            _dimension(element.get("ref", ""), sheet, budget)
        elif tag == f"{NS}col":
            _column_declaration(element, sheet, budget)
        elif tag == f"{NS}mergeCell":
            sheet.merged.append(_span(element.get("ref", ""), sheet, budget))
            budget.visit(sheet=sheet.name)


def _dimension(ref: str, sheet: Sheet, budget: Budget) -> None:
    """The extent the sheet declares: believed only as far as the limits allow."""
    span = _span(ref, sheet, budget)
    budget.check_row(span.bottom, sheet=sheet.name)
    budget.check_column(span.right, sheet=sheet.name)


def _column_declaration(element, sheet: Sheet, budget: Budget) -> None:
    budget.visit(sheet=sheet.name)
    low, high = _number(element.get("min"), "col min"), _number(element.get("max"), "col max")
    if not 1 <= low <= high <= EXCEL_MAX_COLUMNS:
        raise FileRefused(
            f"The sheet declares columns {low:,} to {high:,}; a spreadsheet has columns 1 to "
            f"{EXCEL_MAX_COLUMNS:,} (A to XFD).",
            sheet=sheet.name,
        )
    # Hiding every column right of the table is common formatting: kept as a range, never
    # expanded into one entry a column.
    if element.get("hidden") in ("1", "true"):
        sheet.hidden_columns.append((low, high))


def _row(element, sheet: Sheet, strings, styles, budget: Budget) -> int:
    # The schema lets `r` be left out (the row follows the previous one), but no spreadsheet
    # program does: a row or cell without its number is refused rather than numbered by guess.
    if element.get("r") is None:
        raise FileRefused(
            "A row in the sheet's XML has no row number (no 'r'): the file was not saved by a "
            "spreadsheet program. Open it in one, save it, and upload that.",
            sheet=sheet.name,
        )
    number = _number(element.get("r"), "row r")
    if not 1 <= number <= EXCEL_MAX_ROWS:
        raise FileRefused(f"The sheet has a row numbered {number:,}.", sheet=sheet.name)
    budget.check_row(number, sheet=sheet.name)
    budget.visit(sheet=sheet.name)
    if element.get("hidden") in ("1", "true"):
        sheet.hidden_rows.add(number)
    for cell in element.iter(f"{NS}c"):
        column = _cell_column(cell.get("r"), number, sheet)
        budget.check_column(column, sheet=sheet.name)
        _cell(cell, number, column, sheet, strings, styles)
    return number


def _cell_column(ref: str | None, row: int, sheet: Sheet) -> int:
    match = _REF.fullmatch(ref or "")
    if not match or int(match.group(2)) != row:
        raise FileRefused(
            f"A cell in row {row:,} of the sheet's XML has the reference '{(ref or '')[:20]}', "
            "which is not a cell of that row.",
            sheet=sheet.name,
        )
    return column_number(match.group(1))


def _cell(cell, row: int, column: int, sheet: Sheet, strings, styles) -> None:
    kind = cell.get("t", "n")
    formula = cell.findtext(f"{NS}f") or ""
    if cell.find(f"{NS}f") is not None and not formula:
        formula = "(shared formula)"
    raw = cell.findtext(f"{NS}v")
    if kind == "inlineStr":
        text = "".join(t.text or "" for t in cell.iter(f"{NS}t"))
        value = None
    elif raw is None:
        if not formula:
            return
        text, value = "", None
    else:
        text, value = _typed(kind, raw, int(cell.get("s", 0) or 0), strings, styles, sheet)
    if text.strip() or formula:
        sheet.put(row, column, text, value, f"={formula}" if formula else "")


def _typed(kind: str, raw: str, style: int, strings, styles: _Styles, sheet: Sheet):
    if kind == "s":
        index = _number(raw, "shared string")
        if index >= len(strings):
            raise FileRefused(f"A cell points at shared string {index:,}, which does not exist.")
        return str(strings[index] or ""), None
    if kind in ("str", "e"):
        return raw, None
    if kind == "b":
        return ("TRUE" if raw == "1" else "FALSE"), None
    try:
        number = float(raw)
    except ValueError:
        return raw, None
    if style in styles.dates:
        try:
            moment = from_excel(number, styles.epoch)
        except (OverflowError, ValueError):
            return raw, None
        day = moment.date() if moment.time() == dt.time(0) else moment
        return day.isoformat(), day
    value = int(number) if number.is_integer() else number
    if style in styles.percents:
        return f"{number * 100:g}%", value
    return str(value), value


def _span(ref: str, sheet: Sheet, budget: Budget) -> Span:
    first, _, last = ref.partition(":")
    corners = []
    for part in (first, last or first):
        match = _REF.fullmatch(part)
        if not match:
            raise FileRefused(f"The sheet declares the range '{ref[:30]}'.", sheet=sheet.name)
        corners.append((int(match.group(2)), column_number(match.group(1))))
    (top, left), (bottom, right) = corners
    if bottom > EXCEL_MAX_ROWS or right > EXCEL_MAX_COLUMNS or top > bottom or left > right:
        raise FileRefused(
            f"The sheet declares the range '{ref[:30]}', outside any spreadsheet.", sheet=sheet.name
        )
    budget.check_row(bottom, sheet=sheet.name)
    budget.check_column(right, sheet=sheet.name)
    return Span(top, left, bottom, right)


def _number(text: str | None, what: str) -> int:
    if text is None or not text.isdigit() or len(text) > 12:
        raise FileRefused(
            f"The sheet's XML has '{(text or '')[:20]}' where a number ({what}) belongs."
        )
    return int(text)
