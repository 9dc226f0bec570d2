"""The downloadable template of the long format."""

from __future__ import annotations

import csv
import io

from core.spreadsheet_cells import spreadsheet_safe
from responses_app.importing.lookups import normalise
from responses_app.importing.reading import ImportRefused, open_sheet
from responses_app.importing.shapes import LONG_COLUMNS, LONG_REQUIRED

EXAMPLE_ROWS = [
    ["2019-10-01", "2020-03-31", "child-sexual-offences", "Instagram", "12", "instances", ""],
    ["2019-10-01", "2020-03-31", "child-sexual-offences", "WhatsApp", "<5", "instances", ""],
    ["2019-10-01", "2020-03-31", "child-sexual-offences", "not recorded", "40", "instances", ""],
    ["2019-10-01", "2020-03-31", "child-sexual-offences", "total", "55", "instances", "As stated"],
]


def long_template_csv() -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(LONG_COLUMNS)
    for row in EXAMPLE_ROWS:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return buffer.getvalue()


def is_long_template(content: bytes) -> bool:
    """Whether a CSV or XLSX starts with the long format's header (the template, filled in):
    such a file is imported row by row; any other file is read as a force's answer."""
    try:
        sheet = open_sheet(content)
        header = next((values for _, values in sheet.rows if any(values)), [])
    except (ImportRefused, StopIteration):
        return False
    names = {normalise(name).replace(" ", "_") for name in header if name is not None}
    return set(LONG_REQUIRED) <= names
