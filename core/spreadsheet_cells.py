"""Cells written to a file that people open in a spreadsheet program."""

from __future__ import annotations

# A spreadsheet program runs a cell that starts with one of these as a formula, so a value such
# as `=HYPERLINK(...)` typed into a force's answer would run on the reader's machine (CSV
# injection, OWASP). A leading apostrophe makes the program show the text as it is.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """The value as a spreadsheet program shows it and never runs it; non-text is unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
