"""The old binary .xls (BIFF) through xlrd, with formatting read so that hidden rows and
columns, merged cells and date cells are known. The format caps a sheet at 65,536 rows and 256
columns; the limits are checked on what xlrd reports before a cell is visited. xlrd hands over
the values a formula last computed and cannot tell a formula from a typed value."""

from __future__ import annotations

import xlrd

from responses_app.importing.grid import Budget, FileRefused, Sheet, Span, Workbook


def read_xls(content: bytes, budget: Budget) -> Workbook:
    try:
        book = xlrd.open_workbook(file_contents=content, formatting_info=True, on_demand=True)
    except Exception as error:  # xlrd raises several kinds for a damaged or encrypted file
        raise FileRefused(f"The .xls workbook cannot be opened ({error}).") from error
    if book.nsheets > budget.limits.sheets:
        raise FileRefused(f"The workbook has more than {budget.limits.sheets} sheets.")
    workbook = Workbook(format="xls")
    percent_styles = _percent_styles(book)
    for index in range(book.nsheets):
        source = book.sheet_by_index(index)
        sheet = Sheet(name=source.name, hidden=source.visibility != 0)
        budget.check_row(source.nrows, sheet=sheet.name)
        budget.check_column(source.ncols, sheet=sheet.name)
        sheet.hidden_rows = {r + 1 for r, info in source.rowinfo_map.items() if info.hidden}
        sheet.hidden_columns = [
            (c + 1, c + 1) for c, info in source.colinfo_map.items() if info.hidden
        ]
        for top, bottom, left, right in source.merged_cells:
            sheet.merged.append(Span(top + 1, left + 1, bottom, right))
        for row in range(source.nrows):
            budget.visit(source.row_len(row) + 1, sheet=sheet.name)
            for column in range(source.row_len(row)):
                _cell(source, row, column, sheet, book, percent_styles)
        book.unload_sheet(index)
        workbook.sheets.append(sheet)
    return workbook


def _percent_styles(book) -> set[int]:
    styles = set()
    for index, xf in enumerate(book.xf_list):
        number_format = book.format_map.get(xf.format_key)
        if number_format is not None and "%" in number_format.format_str:
            styles.add(index)
    return styles


def _cell(source, row: int, column: int, sheet: Sheet, book, percent_styles: set[int]) -> None:
    kind = source.cell_type(row, column)
    raw = source.cell_value(row, column)
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return
    if kind == xlrd.XL_CELL_TEXT:
        if raw.strip():
            sheet.put(row + 1, column + 1, raw)
        return
    if kind == xlrd.XL_CELL_DATE:
        moment = xlrd.xldate.xldate_as_datetime(raw, book.datemode)
        day = moment.date() if (moment.hour, moment.minute, moment.second) == (0, 0, 0) else moment
        sheet.put(row + 1, column + 1, day.isoformat(), day)
        return
    if kind == xlrd.XL_CELL_NUMBER:
        value = int(raw) if float(raw).is_integer() else raw
        text = str(value)
        if source.cell_xf_index(row, column) in percent_styles:
            text = f"{raw * 100:g}%"
        sheet.put(row + 1, column + 1, text, value)
        return
    if kind == xlrd.XL_CELL_BOOLEAN:
        sheet.put(row + 1, column + 1, "TRUE" if raw else "FALSE")
        return
    sheet.put(row + 1, column + 1, xlrd.error_text_from_code.get(raw, "#ERROR"))
