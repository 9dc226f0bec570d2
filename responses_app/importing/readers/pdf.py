"""Tables in a PDF with a text layer, through pdfplumber: each ruled table found is a sheet
named 'Page 2, table 1', its cells referenced R1C1, with the lines above and below it on the page
kept beside it (its title, legend and footnotes). A PDF with no text on any page is an image of
a table: `ScannedDocument`, which sends the clerk to manual entry."""

from __future__ import annotations

import io

import pdfplumber

from responses_app.importing.grid import (
    DOCUMENT,
    Budget,
    FileRefused,
    ScannedDocument,
    Sheet,
    Span,
    Workbook,
)


def read_pdf(content: bytes, budget: Budget) -> Workbook:
    try:
        document = pdfplumber.open(io.BytesIO(content))
        pages = document.pages
    except Exception as error:  # pdfminer raises many kinds on a damaged file
        raise FileRefused("The PDF cannot be opened: it is damaged or truncated.") from error
    with document:
        if len(pages) > budget.limits.pages:
            raise FileRefused(
                f"The PDF has {len(pages)} pages, over the limit of {budget.limits.pages} for an "
                "answer file."
            )
        workbook = Workbook(format="pdf")
        with_text = 0
        for number, page in enumerate(pages, start=1):
            budget.visit(len(page.chars) // 10 + 1)
            if page.chars:
                with_text += 1
                try:
                    _read_page(page, number, workbook, budget)
                except FileRefused:
                    raise
                except Exception as error:  # pdfminer raises many kinds on a damaged page
                    raise FileRefused(
                        f"Page {number} of the PDF cannot be read: it is damaged."
                    ) from error
            page.close()
        if not with_text:
            raise ScannedDocument(len(pages))
    return workbook


def _read_page(page, number: int, workbook: Workbook, budget: Budget) -> None:
    for index, table in enumerate(page.find_tables(), start=1):
        sheet = Sheet(name=f"Page {number}, table {index}", style=DOCUMENT)
        top, bottom = table.bbox[1], table.bbox[3]
        sheet.text_above = _lines(page, 0, top)[-3:]
        sheet.text_below = _lines(page, bottom, page.height)[:20]
        for row, cells in enumerate(table.extract(), start=1):
            budget.check_row(row, sheet=sheet.name)
            budget.visit(len(cells) + 1, sheet=sheet.name)
            _read_row(cells, row, sheet, budget)
        workbook.sheets.append(sheet)


def _read_row(cells: list, row: int, sheet: Sheet, budget: Budget) -> None:
    # pdfplumber gives None for the grid positions a wider cell covers: a merged cell.
    start = None
    for column, text in enumerate([*cells, ""], start=1):
        if text is None:
            continue
        if start is not None and column - start > 1 and column <= len(cells) + 1:
            sheet.merged.append(Span(row, start, row, column - 1))
        start = column
        if column <= len(cells) and text.strip():
            budget.check_column(column, sheet=sheet.name)
            sheet.put(row, column, " ".join(text.split()))


def _lines(page, top: float, bottom: float) -> list[str]:
    if bottom - top < 1:
        return []
    region = page.crop((0, max(top, 0), page.width, min(bottom, page.height)))
    text = region.extract_text() or ""
    return [line.strip() for line in text.splitlines() if line.strip()]
