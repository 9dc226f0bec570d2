"""Answer files built in the test, in every format forces send: small functions from rows (or
sheets of rows) to bytes. No binary file is committed."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import openpyxl


def xlsx(sheets: dict[str, list[list]], *, build=None, cached: dict | None = None) -> bytes:
    """Sheets by name, rows from row 1 (a row may start with None to begin further right).
    `build(workbook)` adds merges, hidden parts or formulas; `cached` gives the value a formula
    last showed, by (sheet index, ref), as a spreadsheet program writes it beside the formula."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    if build is not None:
        build(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    content = buffer.getvalue()
    return _with_cached_values(content, cached) if cached else content


def _with_cached_values(content: bytes, cached: dict) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            data = source.read(entry.filename)
            match = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", entry.filename)
            if match:
                text = data.decode()
                for (index, ref), value in cached.items():
                    if index == int(match.group(1)) - 1:
                        text = re.sub(
                            rf'(<c r="{ref}"[^>]*>)(<f>[^<]*</f>)(<v\s*/>|<v></v>)?',
                            rf"\1\2<v>{value}</v>",
                            text,
                        )
                data = text.encode()
            target.writestr(entry, data)
    return out.getvalue()


def replace_part(content: bytes, name: str, data: bytes) -> bytes:
    """The same package with one part's bytes replaced (a crafted sheet XML)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            target.writestr(entry, data if entry.filename == name else source.read(entry))
    return out.getvalue()


def csv_text(rows: list[list], *, delimiter: str = ",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def xls(sheets: dict[str, list[list]], *, hidden_rows=(), hidden_sheets=(), merges=()) -> bytes:
    """An old binary workbook. hidden_rows: (sheet, row number); merges: (sheet, top, bottom,
    left, right, text), numbered from 1."""
    import xlwt

    book = xlwt.Workbook()
    for name, rows in sheets.items():
        sheet = book.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r, c, value)
        for hidden_sheet, row in hidden_rows:
            if hidden_sheet == name:
                sheet.row(row - 1).hidden = True
        for merged_sheet, top, bottom, left, right, text in merges:
            if merged_sheet == name:
                sheet.write_merge(top - 1, bottom - 1, left - 1, right - 1, text)
        if name in hidden_sheets:
            sheet.visibility = 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def ods(sheets: dict[str, list[list]], *, spans=(), hidden_sheets=()) -> bytes:
    """An OpenDocument spreadsheet; spans: (sheet, row, column, rows, columns) merged cells."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style, TableProperties
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    hidden = Style(name="hiddentable", family="table")
    hidden.addElement(TableProperties(display="false"))
    document.automaticstyles.addElement(hidden)
    for name, rows in sheets.items():
        attributes = {"stylename": hidden} if name in hidden_sheets else {}
        table = Table(name=name, **attributes)
        covered = {
            (r, c)
            for s, top, left, down, across in spans
            if s == name
            for r in range(top, top + down)
            for c in range(left, left + across)
            if (r, c) != (top, left)
        }
        for r, row in enumerate(rows, start=1):
            table_row = TableRow()
            for c, value in enumerate(row, start=1):
                if (r, c) in covered:
                    table_row.addElement(CoveredTableCell())
                    continue
                span = next(((d, a) for s, t, lf, d, a in spans if (s, t, lf) == (name, r, c)),
                            None)  # fmt: skip
                extra = {}
                if span:
                    extra = {"numberrowsspanned": span[0], "numbercolumnsspanned": span[1]}
                if isinstance(value, int):
                    cell = TableCell(valuetype="float", value=value, **extra)
                    cell.addElement(P(text=str(value)))
                elif value is None:
                    cell = TableCell(**extra)
                else:
                    cell = TableCell(valuetype="string", **extra)
                    cell.addElement(P(text=str(value)))
                table_row.addElement(cell)
            table.addElement(table_row)
        document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def docx(before: list[str], rows: list[list], after: list[str], *, merges=()) -> bytes:
    """A Word answer: paragraphs, one table, paragraphs. merges: (row, left, right) within a
    row, numbered from 1."""
    import docx as python_docx

    document = python_docx.Document()
    for text in before:
        document.add_paragraph(text)
    table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                table.cell(r, c).text = str(value)
    for row, left, right in merges:
        table.cell(row - 1, left - 1).merge(table.cell(row - 1, right - 1))
    for text in after:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf(before: list[str], rows: list[list], after: list[str]) -> bytes:
    """A PDF with a text layer: lines of text, a ruled table, lines of text."""
    from fpdf import FPDF

    document = FPDF()
    document.add_page()
    document.set_font("Helvetica", size=10)
    for text in before:
        document.cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
    with document.table() as table:
        for row in rows:
            table_row = table.row()
            for value in row:
                table_row.cell("" if value is None else str(value))
    for text in after:
        document.cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
    return bytes(document.output())


def scanned_pdf() -> bytes:
    """A PDF whose only content is an image (a photographed table): no text layer."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (400, 200), "white")
    drawing = ImageDraw.Draw(image)
    for y in range(20, 200, 40):
        drawing.line((10, y, 390, y), fill="black")
    drawing.text((20, 30), "Instagram 12", fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    document = FPDF()
    document.add_page()
    document.image(io.BytesIO(buffer.getvalue()), x=10, y=10, w=180)
    return bytes(document.output())
