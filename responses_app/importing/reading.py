"""Rows out of a CSV or XLSX file, streamed, with everything a person should know about the file:
hidden sheets, hidden rows and columns, and formulas are reported, never silently read or
dropped."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from dataclasses import dataclass, field

import openpyxl
from django.core.exceptions import ValidationError
from openpyxl.utils import get_column_letter

from responses_app.documents import (
    OLE2_HEADER,
    XLSX,
    ZIP_HEADER,
    check_size,
    decode_text,
    office_package_type,
    open_zip,
)

SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@dataclass(frozen=True)
class RowError:
    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


class ImportRefused(Exception):
    """The file cannot be imported; `errors` lists every reason found, by row and column."""

    def __init__(self, errors: list[RowError]):
        super().__init__(errors[0].message if errors else "The import was refused.")
        self.errors = errors


@dataclass
class Sheet:
    """One table: `rows()` yields (row number, values); problems found while reading are
    appended to `errors`, things worth knowing to `warnings`."""

    name: str
    rows: Iterator[tuple[int, list]]
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def column_letter(index: int) -> str:
    """0 -> 'A'."""
    return get_column_letter(index + 1)


def open_sheet(content: bytes, *, sheet_name: str = "") -> Sheet:
    """The table to import: a CSV, or one sheet of an XLSX (the first visible one unless named)."""
    try:
        check_size(len(content))
    except ValidationError as error:
        raise ImportRefused([RowError(None, "file", error.messages[0])]) from error
    if content.startswith(ZIP_HEADER):
        return _xlsx_sheet(content, sheet_name)
    if content.startswith(OLE2_HEADER):
        raise _refused("This is an old-style .xls file: save it as XLSX or CSV and import that.")
    if content.startswith(b"%PDF"):
        raise _refused("This is a PDF: key its figures by hand, or import a CSV or XLSX.")
    if b"\x00" in content[:65536]:
        raise _refused("This file is neither a CSV nor an XLSX spreadsheet.")
    return _csv_sheet(content)


def _refused(message: str) -> ImportRefused:
    return ImportRefused([RowError(None, "file", message)])


def _csv_sheet(content: bytes) -> Sheet:
    try:
        text = decode_text(content)
    except UnicodeDecodeError as error:
        raise _refused("The CSV is neither UTF-8 nor Windows-1252 text.") from error
    sheet = Sheet(name="", rows=iter(()))
    sheet.rows = _csv_rows(text, sheet)
    return sheet


def _csv_rows(text: str, sheet: Sheet) -> Iterator[tuple[int, list]]:
    # strict: a file cut off inside a quoted cell is an error, not a shorter last row.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    number = 0
    try:
        for number, values in enumerate(reader, start=1):
            yield number, values
    except csv.Error as error:
        sheet.errors.append(
            RowError(number + 1, "", f"The CSV cannot be read here ({error}); is it truncated?")
        )


def _xlsx_sheet(content: bytes, sheet_name: str) -> Sheet:
    try:
        archive = open_zip(content)
        is_spreadsheet = office_package_type(archive.read("[Content_Types].xml")) == XLSX
    except ValidationError as error:
        raise _refused(error.messages[0]) from error
    except ValueError as error:
        raise _refused(str(error)) from error
    except (KeyError, OSError, EOFError) as error:
        raise _refused("This zip file is not an XLSX spreadsheet.") from error
    if not is_spreadsheet:
        raise _refused("This file is not an XLSX spreadsheet (a Word document or other zip?).")
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise _refused(
            f"The spreadsheet cannot be opened: damaged or truncated ({error})."
        ) from error
    worksheet, warnings = _choose_sheet(workbook, sheet_name)
    sheet = Sheet(name=worksheet.title, rows=iter(()), warnings=warnings)
    hidden_rows, hidden_columns = _hidden_rows_and_columns(archive, worksheet)
    sheet.rows = _xlsx_rows(worksheet, sheet, hidden_rows, hidden_columns)
    return sheet


def _choose_sheet(workbook, sheet_name: str):
    hidden = [ws.title for ws in workbook.worksheets if ws.sheet_state != "visible"]
    warnings = [
        f"Sheet '{title}' is hidden and was not read; import it by name if it holds figures."
        for title in hidden
        if title != sheet_name
    ]
    if sheet_name:
        if sheet_name not in workbook.sheetnames:
            names = ", ".join(f"'{name}'" for name in workbook.sheetnames)
            raise _refused(f"There is no sheet '{sheet_name}'; the sheets are: {names}.")
        if sheet_name in hidden:
            warnings.append(f"Sheet '{sheet_name}' is hidden; it was read because you named it.")
        return workbook[sheet_name], warnings
    visible = [ws for ws in workbook.worksheets if ws.sheet_state == "visible"]
    if not visible:
        raise _refused("Every sheet of this workbook is hidden: name the sheet to import.")
    others = [ws.title for ws in visible[1:]]
    if others:
        warnings.append(
            f"Only the first sheet, '{visible[0].title}', was read; also in the file: "
            + ", ".join(f"'{title}'" for title in others)
            + "."
        )
    return visible[0], warnings


def _hidden_rows_and_columns(archive, worksheet) -> tuple[set[int], set[int]]:
    """Read-only openpyxl does not expose row and column visibility, so stream the sheet's XML
    once more and collect it; `_worksheet_path` is where openpyxl found that XML."""
    rows: set[int] = set()
    columns: set[int] = set()
    with archive.open(worksheet._worksheet_path) as source:
        for _, element in ElementTree.iterparse(source):
            if element.tag == f"{SHEET_NS}row":
                if element.get("hidden") in ("1", "true"):
                    rows.add(int(element.get("r")))
                element.clear()  # keep memory flat on a large sheet
            elif element.tag == f"{SHEET_NS}col" and element.get("hidden") in ("1", "true"):
                columns.update(range(int(element.get("min")), int(element.get("max")) + 1))
    return rows, columns


def _xlsx_rows(worksheet, sheet: Sheet, hidden_rows: set[int], hidden_columns: set[int]):
    reported_columns: set[int] = set()
    for number, cells in enumerate(worksheet.iter_rows(min_row=1), start=1):
        values = [cell.value for cell in cells]
        filled = [i for i, value in enumerate(values) if value not in (None, "")]
        if not filled:
            continue
        if number in hidden_rows:
            sheet.errors.append(
                RowError(number, "", "This row is hidden in the spreadsheet; unhide or delete it.")
            )
        for index in filled:
            if index + 1 in hidden_columns and index not in reported_columns:
                reported_columns.add(index)
                sheet.errors.append(
                    RowError(
                        number,
                        column_letter(index),
                        "This column is hidden and holds data; unhide or delete it.",
                    )
                )
            if getattr(cells[index], "data_type", None) == "f":
                sheet.errors.append(
                    RowError(
                        number,
                        column_letter(index),
                        f"This cell holds a formula "
                        f"({str(values[index])[:40]}); paste its value instead.",
                    )
                )
        yield number, values
