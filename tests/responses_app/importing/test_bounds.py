"""Crafted files are refused for a named limit before they cost real work (issue 15): each test
builds the file, asserts the refusal names the limit or the problem, that the cells visited stay
bounded (counted by the reader's budget, not timed) and that peak memory stays under 100 MB."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest

from responses_app.importing.grid import FileRefused, Limits, column_letters
from responses_app.importing.readers import read_workbook
from tests.responses_app.answers import builders

SHEET_PART = "xl/worksheets/sheet1.xml"
MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
PEAK_BYTES = 100 * 1024 * 1024


def crafted_xlsx(sheet_xml: str) -> bytes:
    base = builders.xlsx({"Sheet1": [["Platform", "2019/20"], ["Instagram", 1]]})
    return builders.replace_part(base, SHEET_PART, sheet_xml.encode())


def refusal(content: bytes, limits: Limits | None = None) -> FileRefused:
    tracemalloc.start()
    try:
        with pytest.raises(FileRefused) as refused:
            read_workbook(content, limits=limits)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < PEAK_BYTES
    return refused.value


def test_it_refuses_a_declared_dimension_beyond_the_limits_before_reading_a_row():
    content = crafted_xlsx(
        f'<worksheet {MAIN}><dimension ref="A1:XFD1048576"/><sheetData>'
        '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    refused = refusal(content)
    assert refused.problem == "Row 1,048,576 is beyond the limit of 10,000 rows a sheet."
    assert refused.sheet == "Sheet1"
    assert refused.cells_visited == 0


def test_it_refuses_a_single_row_far_down_the_sheet_without_padding_the_rows_above():
    """No dimension at all: the row number itself is checked as it streams past; the one cell
    counted is that row's <c>."""
    content = crafted_xlsx(
        f'<worksheet {MAIN}><sheetData><row r="1048576"><c r="A1048576"><v>1</v></c></row>'
        "</sheetData></worksheet>"
    )
    refused = refusal(content)
    assert refused.problem == "Row 1,048,576 is beyond the limit of 10,000 rows a sheet."
    assert refused.cells_visited == 1


def test_it_refuses_a_column_range_no_spreadsheet_has_without_expanding_it():
    content = crafted_xlsx(
        f'<worksheet {MAIN}><cols><col min="20" max="30000000" hidden="1"/></cols>'
        "<sheetData/></worksheet>"
    )
    refused = refusal(content)
    assert refused.problem == (
        "The sheet declares columns 20 to 30,000,000; a spreadsheet has columns 1 to 16,384 "
        "(A to XFD)."
    )
    assert refused.cells_visited == 1


def test_it_keeps_hidden_columns_to_the_right_edge_as_one_range():
    """Hiding every column right of the table is ordinary formatting: read, not refused."""
    content = crafted_xlsx(
        f'<worksheet {MAIN}><cols><col min="3" max="16384" hidden="1"/></cols><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Platform</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    sheet = read_workbook(content).sheets[0]
    assert sheet.hidden_columns == [(3, 16384)]
    assert sheet.column_hidden(16384) and not sheet.column_hidden(2)


def test_it_refuses_a_hidden_row_without_its_number():
    content = crafted_xlsx(
        f'<worksheet {MAIN}><sheetData><row hidden="1"><c r="A1"><v>1</v></c></row>'
        "</sheetData></worksheet>"
    )
    refused = refusal(content)
    assert refused.problem.startswith("A row in the sheet's XML has no row number (no 'r')")
    assert refused.cells_visited == 1


def test_it_refuses_a_cell_whose_reference_names_another_row():
    content = crafted_xlsx(
        f'<worksheet {MAIN}><sheetData><row r="2"><c r="A7"><v>1</v></c></row>'
        "</sheetData></worksheet>"
    )
    assert refusal(content).problem == (
        "A cell in row 2 of the sheet's XML has the reference 'A7', which is not a cell of "
        "that row."
    )


def test_it_stops_counting_cells_at_the_limit():
    """A row of 5,000 cells against a limit of 1,000: refused at cell 1,001, never reading the
    other 3,999 (the row element itself is counted with its cells)."""
    cells = "".join(f'<c r="{_column(i)}1"><v>1</v></c>' for i in range(1, 5001))
    content = crafted_xlsx(f"<worksheet {MAIN}><sheetData><row r='1'>{cells}</row></sheetData>"
                           "</worksheet>")  # fmt: skip
    refused = refusal(content, Limits(cells=1000, columns=10_000))
    assert refused.problem == (
        "The file holds more than 1,000 cells, the limit for an answer file."
    )
    assert refused.cells_visited == 1001


def _column(number: int) -> str:
    return column_letters(number)


def test_it_refuses_a_csv_with_a_nul_byte_after_the_first_64_kb():
    content = b"Platform,2019/20\r\n" + b"Instagram,1\r\n" * 6000 + b"Kik,\x00\r\n"
    assert len(content) > 65536
    refused = refusal(content)
    assert refused.problem == (
        f"The file has a NUL byte at byte {len(content) - 3:,}: it is not a text CSV (is it a "
        "spreadsheet saved under a .csv name?)."
    )
    assert refused.cells_visited == 0


def test_it_refuses_a_csv_longer_than_the_row_limit_before_splitting_a_line():
    content = b"Platform,2019/20\r\n" + b"Instagram,1\r\n" * 10_001
    refused = refusal(content)
    assert refused.problem == "The file has more than 10,000 lines, the limit for an answer file."
    assert refused.cells_visited == 0


def test_it_refuses_a_line_of_a_million_delimiters_before_splitting_it():
    refused = refusal(b"Platform" + b"," * 1_000_000 + b"\r\n")
    assert refused.problem == (
        "The file holds more than 50,000 cells, the limit for an answer file."
    )
    assert refused.cells_visited == 0


def test_it_refuses_an_ods_cell_repeated_across_a_million_columns_without_repeating_it():
    """The cell in column 2 repeated 1,000,000 times would end in column 1,000,001, which is
    BDWGO (1,000,000 = ((((2*26 + 4)*26 + 23)*26 + 7)*26 + 15) - 1 in letters A=1..Z=26)."""
    content = builders.ods({"Sheet1": [["Platform", "2019/20"], ["Instagram", 1]]})
    source = zipfile.ZipFile(io.BytesIO(content))
    xml = source.read("content.xml").decode()
    crafted = xml.replace(
        '<table:table-cell office:value-type="float" office:value="1">',
        '<table:table-cell office:value-type="float" office:value="1" '
        'table:number-columns-repeated="1000000">',
    )
    assert crafted != xml
    refused = refusal(builders.replace_part(content, "content.xml", crafted.encode()))
    assert refused.problem == (
        "Column BDWGO (number 1,000,001) is beyond the limit of 200 columns a sheet."
    )
    assert refused.cells_visited < 10


def test_it_refuses_a_word_cell_spanning_thirty_million_columns():
    content = builders.docx([], [["Platform", "2019/20"], ["Instagram", "1"]], [])
    source = zipfile.ZipFile(io.BytesIO(content))
    xml = source.read("word/document.xml").decode()
    crafted = xml.replace("<w:tcPr>", '<w:tcPr><w:gridSpan w:val="30000000"/>', 1)
    assert crafted != xml
    refused = refusal(builders.replace_part(content, "word/document.xml", crafted.encode()))
    assert refused.problem.startswith("Column ")
    assert refused.problem.endswith("is beyond the limit of 200 columns a sheet.")
    assert refused.cells_visited < 10


def test_it_refuses_a_zip_bomb_from_the_sizes_it_declares():
    """Parts declared at 210 MB in all are refused unopened."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index in range(3):
            archive.writestr(f"part{index}.xml", b"\0" * 70_000_000)
    refused = refusal(buffer.getvalue())
    assert refused.problem == (
        "The file would unpack to 210,000,000 bytes in 3 parts, over the limit of "
        "200,000,000 bytes: refused as a possible zip bomb."
    )
