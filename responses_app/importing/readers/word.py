"""Tables in a Word document (.docx) through python-docx. Each table is a sheet named
'Table 1', 'Table 2'... in document order, its cells referenced R1C1 (row 3, column 4 of that
table), and the paragraphs around it kept beside it, since a Word answer writes its legend and
footnotes there. Merged cells are read from the XML (gridSpan, vMerge) with their declared
widths checked, because python-docx would repeat a cell once a grid column it claims to span."""

from __future__ import annotations

import io
import zipfile

import docx
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from responses_app.importing.grid import DOCUMENT, Budget, FileRefused, Sheet, Span, Workbook

TEXT_KEPT = 20  # paragraphs kept below a table (its notes); three above it (its title)


def read_docx(content: bytes, archive: zipfile.ZipFile, budget: Budget) -> Workbook:
    for entry in archive.infolist():
        if entry.file_size > budget.limits.document_xml_bytes:
            raise FileRefused(
                f"The part '{entry.filename}' would unpack to {entry.file_size:,} bytes, over "
                f"the limit of {budget.limits.document_xml_bytes:,} for a document's XML."
            )
    try:
        document = docx.Document(io.BytesIO(content))
    except Exception as error:  # python-docx raises several kinds for a damaged package
        raise FileRefused(f"The Word document cannot be opened ({error}).") from error
    workbook = Workbook(format="docx")
    paragraphs: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            text = block.text.strip()
            if text:
                paragraphs.append(text)
                if workbook.sheets and len(workbook.sheets[-1].text_below) < TEXT_KEPT:
                    workbook.sheets[-1].text_below.append(text)
            continue
        if len(workbook.sheets) >= budget.limits.sheets:
            raise FileRefused(f"The document has more than {budget.limits.sheets} tables.")
        sheet = Sheet(name=f"Table {len(workbook.sheets) + 1}", style=DOCUMENT)
        sheet.text_above = paragraphs[-3:]
        paragraphs = []
        _read_table(block, sheet, budget)
        workbook.sheets.append(sheet)
    return workbook


def _read_table(table: Table, sheet: Sheet, budget: Budget) -> None:
    open_down: dict[int, int] = {}  # grid column -> index in sheet.merged of a vertical merge
    for row, tr in enumerate(table._tbl.tr_lst, start=1):
        budget.check_row(row, sheet=sheet.name)
        budget.visit(sheet=sheet.name)
        column = 1 + (tr.grid_before or 0)
        for tc in tr.tc_lst:
            budget.visit(sheet=sheet.name)
            span = tc.grid_span or 1
            budget.check_column(column + span - 1, sheet=sheet.name)
            if tc.vMerge == "continue" and column in open_down:
                stretched = sheet.merged[open_down[column]]
                sheet.merged[open_down[column]] = Span(
                    stretched.top, stretched.left, row, stretched.right
                )
            else:
                open_down.pop(column, None)
                text = _Cell(tc, table).text.strip()
                if text:
                    sheet.put(row, column, text)
                if span > 1 or tc.vMerge == "restart":
                    sheet.merged.append(Span(row, column, row, column + span - 1))
                    if tc.vMerge == "restart":
                        open_down[column] = len(sheet.merged) - 1
            column += span
