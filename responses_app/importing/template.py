"""The downloadable template of the long format, and the rule every exported cell follows."""

from __future__ import annotations

import csv
import io

from responses_app.importing.shapes import LONG_COLUMNS

EXAMPLE_ROWS = [
    ["2019-10-01", "2020-03-31", "child-sexual-offences", "Instagram", "12", "instances", ""],
    ["2019-10-01", "2020-03-31", "child-sexual-offences", "WhatsApp", "<5", "instances", ""],
    ["2019-10-01", "2020-03-31", "child-sexual-offences", "not recorded", "40", "instances", ""],
    ["2019-10-01", "2020-03-31", "child-sexual-offences", "total", "55", "instances", "As stated"],
]

# A spreadsheet program runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> str:
    """A cell as text that a spreadsheet program shows as data, never runs as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


def long_template_csv() -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(LONG_COLUMNS)
    for row in EXAMPLE_ROWS:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return buffer.getvalue()
