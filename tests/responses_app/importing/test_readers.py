"""Each reader fills the same grid: sheet names and hidden flags, cells at their original
references with the text as written and the typed value where the format has one, hidden rows
and columns, merged ranges and formulas."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from responses_app.documents import content_type_of, office_package_type
from responses_app.importing.grid import FileRefused, ScannedDocument, Span
from responses_app.importing.readers import read_workbook
from tests.responses_app.answers import builders

EN_DASH = "\u2013"  # Windows-1252 has it (0x96); an encoding that lost it would fail here
ROWS = [["Platform", "2019/20"], ["Instagram", 12], ["Kik", "*"]]


def cells(sheet) -> list[tuple]:
    return [(c.ref, c.text, c.value) for _, c in sorted(sheet.cells.items())]


def test_xlsx_gives_sheets_cells_hidden_parts_merges_and_formulas():
    def build(workbook):
        data = workbook["Data"]
        data.merge_cells("A5:B5")
        data["A5"] = "Source: RMS"
        data["B2"].number_format = "0"
        data["C3"] = "=B2*2"
        data.row_dimensions[3].hidden = True
        data.column_dimensions["C"].hidden = True
        data["D1"] = dt.datetime(2022, 4, 1)
        workbook["Old"].sheet_state = "hidden"

    content = builders.xlsx({"Data": ROWS, "Old": [["x"]]}, build=build, cached={(0, "C3"): 24})
    book = read_workbook(content)
    data, old = book.sheets
    assert (book.format, data.name, data.hidden, old.name, old.hidden) == (
        "xlsx", "Data", False, "Old", True,
    )  # fmt: skip
    assert cells(data) == [
        ("A1", "Platform", None),
        ("B1", "2019/20", None),
        ("D1", "2022-04-01", dt.date(2022, 4, 1)),
        ("A2", "Instagram", None),
        ("B2", "12", 12),
        ("A3", "Kik", None),
        ("B3", "*", None),
        ("C3", "24", 24),
        ("A5", "Source: RMS", None),
    ]
    assert data.get(3, 3).formula == "=B2*2"
    assert (data.hidden_rows, data.hidden_columns, data.merged) == (
        {3}, [(3, 3)], [Span(5, 1, 5, 2)],
    )  # fmt: skip


def test_xls_gives_the_same_grid():
    content = builders.xls(
        {"Data": ROWS, "Old": [["x"]]},
        hidden_rows=[("Data", 3)],
        hidden_sheets=["Old"],
        merges=[("Data", 5, 5, 1, 2, "Source: RMS")],
    )
    book = read_workbook(content)
    data, old = book.sheets
    assert (book.format, data.hidden, old.hidden) == ("xls", False, True)
    assert cells(data) == [
        ("A1", "Platform", None),
        ("B1", "2019/20", None),
        ("A2", "Instagram", None),
        ("B2", "12", 12),
        ("A3", "Kik", None),
        ("B3", "*", None),
        ("A5", "Source: RMS", None),
    ]
    assert (data.hidden_rows, data.merged) == ({3}, [Span(5, 1, 5, 2)])


def test_ods_gives_the_same_grid_skipping_repeated_empty_rows():
    content = builders.ods(
        {"Data": [*ROWS, [], ["Source: RMS", None]], "Old": [["x"]]},
        spans=[("Data", 5, 1, 1, 2)],
        hidden_sheets=["Old"],
    )
    book = read_workbook(content)
    data, old = book.sheets
    assert (book.format, data.hidden, old.hidden) == ("ods", False, True)
    assert cells(data) == [
        ("A1", "Platform", None),
        ("B1", "2019/20", None),
        ("A2", "Instagram", None),
        ("B2", "12", 12),
        ("A3", "Kik", None),
        ("B3", "*", None),
        ("A5", "Source: RMS", None),
    ]
    assert data.merged == [Span(5, 1, 5, 2)]


@pytest.mark.parametrize(
    ("encode", "delimiter"),
    [
        (lambda text: text.encode("utf-8"), ","),
        (lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"), ";"),
        (lambda text: text.encode("utf-16"), "\t"),
        (lambda text: text.encode("cp1252"), ","),
    ],
    ids=["utf-8", "utf-8 with BOM, semicolons", "utf-16 unicode text", "windows-1252"],
)
def test_csv_in_every_encoding_and_delimiter_gives_the_same_grid(encode, delimiter):
    heading = f"Oct 19 {EN_DASH} Mar 20"
    text = builders.csv_text([["Platform", heading], ["Instagram", "12"]], delimiter=delimiter)
    book = read_workbook(encode(text))
    assert book.format == "csv"
    assert cells(book.sheets[0]) == [
        ("A1", "Platform", None),
        ("B1", heading, None),
        ("A2", "Instagram", None),
        ("B2", "12", None),
    ]


def test_docx_tables_are_sheets_with_row_and_column_references_and_their_paragraphs():
    content = builders.docx(
        ["Our reference 123/20"], [["Platform", "2019/20", None], ["Instagram", "12", "3"]],
        ["* = fewer than 5"], merges=[(1, 2, 3)],
    )  # fmt: skip
    sheet = read_workbook(content).sheets[0]
    assert sheet.name == "Table 1"
    assert cells(sheet) == [
        ("R1C1", "Platform", None),
        ("R1C2", "2019/20", None),
        ("R2C1", "Instagram", None),
        ("R2C2", "12", None),
        ("R2C3", "3", None),
    ]
    assert sheet.merged == [Span(1, 2, 1, 3)]
    assert (sheet.text_above, sheet.text_below) == (["Our reference 123/20"], ["* = fewer than 5"])


def test_pdf_tables_are_sheets_named_by_page_with_the_lines_around_them():
    content = builders.pdf(["Offences by platform"], ROWS, ["* = fewer than 5"])
    sheet = read_workbook(content).sheets[0]
    assert sheet.name == "Page 1, table 1"
    assert cells(sheet) == [
        ("R1C1", "Platform", None),
        ("R1C2", "2019/20", None),
        ("R2C1", "Instagram", None),
        ("R2C2", "12", None),
        ("R3C1", "Kik", None),
        ("R3C2", "*", None),
    ]
    assert (sheet.text_above, sheet.text_below) == (["Offences by platform"], ["* = fewer than 5"])


def test_a_pdf_without_text_is_scanned():
    with pytest.raises(ScannedDocument) as scanned:
        read_workbook(builders.scanned_pdf())
    assert scanned.value.pages == 1


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "The file is empty."),
        (b"PK\x03\x04 not a zip", "The file is damaged or truncated (not a valid zip)."),
        (b"%PDF-1.4 nothing else", "The PDF cannot be opened: it is damaged or truncated."),
    ],
)
def test_unreadable_files_are_refused_with_the_reason(content, problem):
    with pytest.raises(FileRefused) as refused:
        read_workbook(content)
    assert refused.value.problem == problem


def _package(content_types: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", content_types)
    return buffer.getvalue()


TYPES = '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">{}</Types>'
SHEET_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def test_a_macro_enabled_workbook_whose_comment_names_the_spreadsheet_type_is_refused():
    """The text search of old found 'spreadsheetml.sheet.main+xml' in the comment; parsed, the
    package declares a macro-enabled main part and a VBA project."""
    content = _package(
        TYPES.format(
            f"<!-- {SHEET_MAIN} -->"
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/>'
            '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
        )
    )
    message = (
        "This Office file holds macros (a macro-enabled workbook or document): save it as a "
        "plain .xlsx or .docx and upload that."
    )
    with pytest.raises(ValidationError) as refused:
        content_type_of(content, "figures.xlsx")
    assert refused.value.message_dict == {"file": [message]}
    with pytest.raises(FileRefused) as read_refused:
        read_workbook(content)
    assert read_refused.value.problem == message


def test_the_office_type_comes_from_the_declared_main_part():
    declared = f'<Override PartName="/xl/workbook.xml" ContentType="{SHEET_MAIN}"/>'
    assert office_package_type(TYPES.format(declared).encode()) == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    with pytest.raises(ValueError, match="not a PDF, XLSX, XLS, ODS, CSV, TXT or DOCX"):
        office_package_type(TYPES.format(f"<!-- {SHEET_MAIN} -->").encode())
