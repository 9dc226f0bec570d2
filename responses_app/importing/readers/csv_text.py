"""CSV and Excel's "Unicode text": UTF-8 (with or without a byte-order mark), UTF-16 with its
byte-order mark (what Excel writes for "Unicode text", tab-separated), else Windows-1252; the
delimiter is sniffed from the first lines. References are A1 style, as a spreadsheet program
shows the file."""

from __future__ import annotations

import codecs
import csv
import io

from responses_app.importing.grid import Budget, FileRefused, Sheet, Workbook

DELIMITERS = ",;\t|"
SNIFF_CHARACTERS = 16_384


def decode_answer_text(content: bytes) -> str:
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError as error:
            raise FileRefused(
                f"The file starts as UTF-16 text but byte {error.start:,} is not UTF-16."
            ) from error
    if b"\x00" in content:
        position = content.index(b"\x00")
        raise FileRefused(
            f"The file has a NUL byte at byte {position:,}: it is not a text CSV (is it a "
            "spreadsheet saved under a .csv name?)."
        )
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError as error:
        raise FileRefused(
            f"The file is neither UTF-8, UTF-16 nor Windows-1252 text (byte {error.start:,})."
        ) from error


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines most consistently into more than one field;
    csv.Sniffer first, since it knows quoting, then a count when it gives up."""
    sample = text[:SNIFF_CHARACTERS]
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        pass
    lines = [line for line in sample.splitlines()[:20] if line.strip()]
    best, best_score = ",", 0
    for delimiter in DELIMITERS:
        counts = [line.count(delimiter) for line in lines]
        score = sum(counts) if counts and min(counts) > 0 else max(counts, default=0)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_csv(content: bytes, budget: Budget) -> Workbook:
    if len(content) > budget.limits.part_bytes:
        raise FileRefused(f"The text is over {budget.limits.part_bytes:,} bytes.")
    text = decode_answer_text(content)
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise FileRefused(f"Line {line:,} holds a NUL character: this is not a text table.")
    delimiter = sniff_delimiter(text)
    # Counted in C before any row is split: a line of ten million delimiters would otherwise
    # become a list of ten million fields before the budget saw it.
    if text.count(delimiter) > budget.limits.cells:
        raise FileRefused(
            f"The file holds more than {budget.limits.cells:,} cells, the limit for an answer file."
        )
    if text.count("\n") > budget.limits.rows:
        raise FileRefused(
            f"The file has more than {budget.limits.rows:,} lines, the limit for an answer file."
        )
    sheet = Sheet(name="")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    row = 0
    try:
        for row, fields in enumerate(reader, start=1):
            budget.check_row(row, sheet=sheet.name)
            budget.visit(len(fields) + 1, sheet=sheet.name)
            for column, field in enumerate(fields, start=1):
                if field.strip():
                    budget.check_column(column, sheet=sheet.name)
                    sheet.put(row, column, field)
    except csv.Error as error:
        raise FileRefused(
            f"Line {row + 1:,} cannot be read ({error}); is the file cut off?", cell=f"A{row + 1}"
        ) from error
    return Workbook(format="csv", sheets=[sheet])
