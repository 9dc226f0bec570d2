import io
import zipfile

import pytest

from responses_app import services
from responses_app.importing.reading import ImportRefused
from responses_app.importing.shapes import Layout
from responses_app.models import Document, Figure
from tests.responses_app.sheets import LONG_HEADER, csv_bytes, long_row, xlsx_bytes


@pytest.fixture
def run(response, data_entry):
    def run_import(content: bytes, layout: Layout | None = None, *, name="figures.csv", **kw):
        return services.figures_import(
            response=response,
            content=content,
            name=name,
            layout=layout or Layout(),
            user=data_entry,
            **kw,
        )

    return run_import


def refusal(run, content, layout=None, **kw) -> list[tuple]:
    before = (Figure.objects.count(), Document.objects.count())
    with pytest.raises(ImportRefused) as refused:
        run(content, layout, **kw)
    assert (Figure.objects.count(), Document.objects.count()) == before
    return [(e.row, e.column, e.message) for e in refused.value.errors]


def test_it_imports_the_long_format_with_provenance_and_history(run, data_entry):
    content = csv_bytes(
        [
            LONG_HEADER,
            long_row("insta", "12"),
            long_row("FB Messenger", "<5", note="as written"),
            long_row("not recorded", "n/a"),
            long_row("Total", "1,234", unit="offences"),
        ]
    )
    result = run(content)
    assert result.created == 4
    figures = Figure.objects.order_by("id")
    assert [
        (
            f.platform_id and f.platform.slug,
            f.platform_scope,
            f.raw,
            f.status,
            f.low,
            f.high,
            f.unit,
            f.cell,
        )
        for f in figures
    ] == [
        ("instagram", "named", "12", "reported", 12, 12, "instances", "E2"),
        ("facebook-messenger", "named", "<5", "suppressed", 1, 4, "instances", "E3"),
        (None, "not_recorded", "n/a", "not_held", None, None, "instances", "E4"),
        (None, "all_platforms", "1,234", "reported", 1234, 1234, "offences", "E5"),
    ]
    assert {f.document_id for f in figures} == {result.document.pk}
    assert result.document.original_name == "figures.csv"
    assert [f.owner and f.owner.slug for f in figures] == ["meta", "meta", None, None]
    assert figures[1].note == "as written"
    assert Figure.history.filter(history_type="+", history_user=data_entry).count() == 4


def test_it_shows_what_a_dry_run_would_create_and_writes_nothing(run):
    result = run(csv_bytes([LONG_HEADER, long_row("IG", "3")]), dry_run=True)
    assert [(d.raw, d.low, d.cell) for d in result.drafts] == [("3", 3, "E2")]
    assert (Figure.objects.count(), Document.objects.count()) == (0, 0)


def test_it_lists_every_bad_row_with_its_column_and_writes_nothing(run, enter):
    enter("12", "whatsapp")  # already in the database
    content = csv_bytes(
        [
            LONG_HEADER,
            long_row("Instagram", "-3"),
            long_row("Instagram", "lots", offence="indecent-image-offences"),
            long_row("Snapchat", "4", start="2020-03-31", end="2019-10-01"),
            long_row("Instagramm", "4"),
            long_row("Snapchat", "4", offence="burglary"),
            long_row("TikTok", "4"),
            long_row("Tik Tok", "5"),
            long_row("WhatsApp", "12"),
            long_row("Discord", "4", start="31/13/2019"),
            long_row("Discord", "4", unit="people"),
        ]
    )
    errors = refusal(run, content)
    assert errors == [
        (2, "E", "'-3' is negative; a count cannot be below zero."),
        (
            3,
            "E",
            "'lots' is not a figure; give a whole number (12, 1,234, 0), '*', '<5', "
            "'fewer than 5', '1-4', 'not held', 'n/a', 'refused', 'exempt' or 'not recorded'.",
        ),
        (4, "B", "The period ends (2019-10-01) before it starts (2020-03-31)."),
        (
            5,
            "D",
            "Unknown platform 'Instagramm'. Closest known: 'Instagram', 'Insta gram', 'insta'.",
        ),
        (6, "C", "Unknown offence 'burglary'."),
        (8, "E", "The same figure is already in row 7 of the file."),
        (9, "E", "This response already has this figure; correct it instead."),
        (10, "A", "'31/13/2019' is not a date; write 2019-10-01 or 01/10/2019."),
        (11, "F", "Unknown unit 'people'; use one of: instances, offences, victims."),
    ]


def test_it_reads_csv_in_windows_1252_and_with_a_byte_order_mark(run):
    cp1252 = csv_bytes([LONG_HEADER, long_row("Instagram", "3", note="Kent’s note")], "cp1252")  # noqa: RUF001
    run(cp1252)
    bom = b"\xef\xbb\xbf" + csv_bytes([LONG_HEADER, long_row("Snapchat", "4")])
    run(bom, name="bom.csv")
    assert list(Figure.objects.order_by("id").values_list("note", "raw")) == [
        ("Kent’s note", "3"),  # noqa: RUF001
        ("", "4"),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"\r\n\r\n", "The file has no rows: is it empty?"),
        (csv_bytes([LONG_HEADER]), "The file has a header but no figures."),
        (b"%PDF-1.7\n...", "This is a PDF: key its figures by hand, or import a CSV or XLSX."),
        (b"PK\x03\x04 truncated", "The file is damaged or truncated (not a valid zip)."),
    ],
)
def test_it_refuses_an_empty_or_unreadable_file(run, content, message):
    assert refusal(run, content) == [(None, "file", message)]


def test_it_refuses_a_csv_cut_off_inside_a_quoted_cell(run):
    content = csv_bytes([LONG_HEADER, long_row("Instagram", "3")]) + b'2019-10-01,"2020-03'
    errors = refusal(run, content)
    assert errors[-1][:2] == (3, "")
    assert "truncated" in errors[-1][2]


def test_it_refuses_a_header_without_the_long_formats_columns(run):
    errors = refusal(run, csv_bytes([["period", "platform", "value"], ["x", "y", "1"]]))
    assert errors == [
        (1, "", "The header row lacks: period_start, period_end, offence."),
        (
            1,
            "A",
            "'period' is not a column of the long format (period_start, period_end, offence, "
            "platform, value, unit, note).",
        ),
    ]


def test_it_refuses_a_file_over_the_limit(run, settings):
    settings.DOCUMENT_MAX_BYTES = 100
    content = csv_bytes([LONG_HEADER, long_row("Instagram", "3"), long_row("Kik", "3")])
    assert refusal(run, content) == [
        (None, "file", f"The file is {len(content)} bytes, over the limit of 100 bytes."),
    ]


def test_it_refuses_a_zip_bomb_before_inflating_it(run, settings):
    settings.DOCUMENT_MAX_UNCOMPRESSED_BYTES = 1_000_000
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "spreadsheetml.sheet.main+xml")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 5_000_000)
    assert len(buffer.getvalue()) < 20_000
    errors = refusal(run, buffer.getvalue(), name="bomb.xlsx")
    assert errors == [
        (
            None,
            "file",
            "The file would unpack to 5.0 MB in 2 parts, over the limit "
            "of 1.0 MB: it is refused as a possible zip bomb.",
        )
    ]


def test_it_refuses_a_word_document_posing_as_a_spreadsheet(run):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
    errors = refusal(run, buffer.getvalue(), name="figures.xlsx")
    assert errors == [
        (None, "file", "This file is not an XLSX spreadsheet (a Word document or other zip?).")
    ]


def test_it_reports_hidden_rows_hidden_columns_and_formulas(run):
    def hide(workbook):
        sheet = workbook.active
        sheet.row_dimensions[3].hidden = True
        sheet.column_dimensions["D"].hidden = True

    content = xlsx_bytes(
        [LONG_HEADER, long_row("Instagram", "=2*7"), long_row("Snapchat", 3)], build=hide
    )
    errors = refusal(run, content, name="kent.xlsx")
    assert errors == [
        (1, "D", "This column is hidden and holds data; unhide or delete it."),
        (2, "E", "This cell holds a formula (=2*7); paste its value instead."),
        (3, "", "This row is hidden in the spreadsheet; unhide or delete it."),
    ]


def test_it_reports_hidden_sheets_it_did_not_read(run):
    def add_hidden(workbook):
        hidden = workbook.create_sheet("Working")
        hidden.append(["personal data"])
        hidden.sheet_state = "hidden"

    content = xlsx_bytes([LONG_HEADER, long_row("Instagram", 1)], build=add_hidden)
    result = run(content, name="kent.xlsx")
    assert result.created == 1
    assert result.warnings == [
        "Sheet 'Working' is hidden and was not read; import it by name if it holds figures."
    ]


def test_it_refuses_a_figure_already_imported(run):
    content = csv_bytes([LONG_HEADER, long_row("Instagram", "3")])
    run(content)
    with pytest.raises(ImportRefused, match="already has this figure"):
        run(content)
    assert Figure.objects.count() == 1


def test_it_looks_up_the_reference_lists_in_a_constant_number_of_queries(
    run, django_assert_max_num_queries
):
    small = csv_bytes([LONG_HEADER, long_row("Instagram", "3")])
    rows = [LONG_HEADER] + [
        long_row(p, str(n), start=f"20{10 + n % 9}-01-01", end=f"20{10 + n % 9}-12-31", offence=o)
        for n, (p, o) in enumerate(
            (p, o)
            for p in ("Instagram", "Kik", "Skype", "Discord", "Signal")
            for o in ("21", "22B", "17A", "19C", "23")
        )
    ]
    with django_assert_max_num_queries(12) as few:
        run(small, dry_run=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        run(csv_bytes(rows), dry_run=True)
