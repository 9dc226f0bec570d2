"""OpenDocument spreadsheets (LibreOffice's .ods) through odfpy. Repetition is how the format
says "the same again": LibreOffice itself ends every sheet with a row repeated a million times.
Empty repeats only move the row or column counter; a filled cell is expanded one cell at a time
within the budget, so no declared count turns into work the limits did not allow."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from odf.namespaces import OFFICENS, TABLENS
from odf.opendocument import load
from odf.teletype import extractText

from responses_app.importing.grid import Budget, FileRefused, Sheet, Span, Workbook

STYLENS = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
ROW_CONTAINERS = {"table-header-rows", "table-row-group", "table-rows"}
COLUMN_CONTAINERS = {"table-header-columns", "table-column-group", "table-columns"}
HIDDEN = {"collapse", "filter"}


def read_ods(content: bytes, archive: zipfile.ZipFile, budget: Budget) -> Workbook:
    for entry in archive.infolist():
        if entry.file_size > budget.limits.document_xml_bytes:
            raise FileRefused(
                f"The part '{entry.filename}' would unpack to {entry.file_size:,} bytes, over "
                f"the limit of {budget.limits.document_xml_bytes:,} for a spreadsheet's XML."
            )
    try:
        document = load(io.BytesIO(content))
    except Exception as error:  # odfpy raises several kinds for a damaged package
        raise FileRefused(f"The OpenDocument spreadsheet cannot be opened ({error}).") from error
    hidden_styles = _hidden_table_styles(document)
    tables = [n for n in document.spreadsheet.childNodes if _name(n) == "table"]
    if len(tables) > budget.limits.sheets:
        raise FileRefused(f"The workbook has more than {budget.limits.sheets} sheets.")
    workbook = Workbook(format="ods")
    for table in tables:
        name = _attribute(table, TABLENS, "name")
        sheet = Sheet(name=name, hidden=_attribute(table, TABLENS, "style-name") in hidden_styles)
        _columns(table, sheet, budget)
        _rows(table, sheet, budget)
        workbook.sheets.append(sheet)
    return workbook


def _name(node) -> str:
    qname = getattr(node, "qname", None)
    return qname[1] if qname else ""


def _attribute(node, namespace: str, name: str) -> str:
    return node.attributes.get((namespace, name), "")


def _repeat(node, name: str) -> int:
    text = _attribute(node, TABLENS, name) or "1"
    if not text.isdigit() or len(text) > 9:
        raise FileRefused(f"The spreadsheet's XML has '{text[:20]}' as a repeat count.")
    return max(int(text), 1)


def _hidden_table_styles(document) -> set[str]:
    hidden = set()
    for style in document.automaticstyles.childNodes:
        for properties in style.childNodes:
            if _name(properties) == "table-properties" and (
                _attribute(properties, TABLENS, "display") == "false"
            ):
                hidden.add(_attribute(style, STYLENS, "name"))
    return hidden


def _flatten(node, wanted: str, containers: set[str]):
    for child in node.childNodes:
        name = _name(child)
        if name == wanted:
            yield child
        elif name in containers:
            yield from _flatten(child, wanted, containers)


def _columns(table, sheet: Sheet, budget: Budget) -> None:
    column = 1
    for element in _flatten(table, "table-column", COLUMN_CONTAINERS):
        budget.visit(sheet=sheet.name)
        count = _repeat(element, "number-columns-repeated")
        if _attribute(element, TABLENS, "visibility") in HIDDEN:
            sheet.hidden_columns.append((column, column + count - 1))
        column += count


def _rows(table, sheet: Sheet, budget: Budget) -> None:
    row = 1
    for element in _flatten(table, "table-row", ROW_CONTAINERS):
        budget.visit(sheet=sheet.name)
        count = _repeat(element, "number-rows-repeated")
        cells = [c for c in element.childNodes if _name(c) in ("table-cell", "covered-table-cell")]
        filled = any(_name(c) == "table-cell" and _filled(c) for c in cells)
        if filled:
            budget.check_row(row + count - 1, sheet=sheet.name)
            for offset in range(count):
                budget.check_row(row + offset, sheet=sheet.name)
                _row_cells(cells, row + offset, sheet, budget)
        if _attribute(element, TABLENS, "visibility") in HIDDEN and (filled or count < 1000):
            sheet.hidden_rows.update(range(row, row + count))
        row += count


def _filled(cell) -> bool:
    return bool(_attribute(cell, OFFICENS, "value-type")) or bool(extractText(cell).strip())


def _row_cells(cells, row: int, sheet: Sheet, budget: Budget) -> None:
    column = 1
    for cell in cells:
        count = _repeat(cell, "number-columns-repeated")
        if _name(cell) == "table-cell" and _filled(cell):
            budget.check_column(column + count - 1, sheet=sheet.name)
            for offset in range(count):
                budget.visit(sheet=sheet.name)
                budget.check_column(column + offset, sheet=sheet.name)
                _cell(cell, row, column + offset, sheet)
        else:
            budget.visit(sheet=sheet.name)
        column += count


def _cell(cell, row: int, column: int, sheet: Sheet) -> None:
    kind = _attribute(cell, OFFICENS, "value-type")
    text = extractText(cell)
    value = None
    if kind in ("float", "currency", "percentage"):
        number = float(_attribute(cell, OFFICENS, "value") or "nan")
        if number == number:
            value = int(number) if number.is_integer() else number
            if not text.strip():
                text = f"{number * 100:g}%" if kind == "percentage" else str(value)
    elif kind == "date":
        stamp = _attribute(cell, OFFICENS, "date-value")
        try:
            value = dt.date.fromisoformat(stamp[:10])
        except ValueError:
            value = None
    formula = _attribute(cell, TABLENS, "formula")
    sheet.put(row, column, text, value, formula)
    across = _repeat(cell, "number-columns-spanned")
    down = _repeat(cell, "number-rows-spanned")
    if across > 1 or down > 1:
        sheet.merged.append(Span(row, column, row + down - 1, column + across - 1))
