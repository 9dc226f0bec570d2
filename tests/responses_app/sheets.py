"""Small CSV and XLSX files built in the test, as forces would send them."""

from __future__ import annotations

import csv
import io

import openpyxl

LONG_HEADER = ["period_start", "period_end", "offence", "platform", "value", "unit", "note"]


def csv_bytes(rows: list[list[object]], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list[object]], *, title: str = "Figures", build=None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    if build is not None:
        build(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def long_row(
    platform: str,
    value: object,
    *,
    offence="child-sexual-offences",
    start="2019-10-01",
    end="2020-03-31",
    unit="instances",
    note="",
):
    return [start, end, offence, platform, value, unit, note]
