"""Importing figures from the page: the preview writes nothing (no figure, no document, no file),
and the confirmation imports exactly what was previewed or nothing.

Kent's answer (received 12 Feb 2021) is the wide table forces send, two half-years:

    Platform    | Oct 19 - Mar 20 | Apr 20 - Sep 20
    Instagram   | 14              | *
    Snapchat    | 0               | 6
    Not known   | 3               | not held

Six cells, so six figures: Instagram 14 and 1..4 (suppressed, Kent's threshold 5), Snapchat 0 and
6, and the rows without a platform: 3 and 'not held'.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F

from responses_app import services
from responses_app.models import Document, Figure
from tests.responses_app.sheets import LONG_HEADER, csv_bytes, long_row, xlsx_bytes
from tests.web.entry.conftest import files_in, key, written

H1, H2 = "2019-10-01/2020-03-31", "2020-04-01/2020-09-30"
WIDE = [
    ["Platform", "Oct 19 - Mar 20", "Apr 20 - Sep 20"],
    ["Instagram", 14, "*"],
    ["Snapchat", 0, 6],
    ["Not known", 3, "not held"],
]
LAYOUT = {
    "shape": "wide",
    "columns_are": "period",
    "columns": f"{H1}, {H2}",
    "offence": "child-sexual-offences",
    "unit": "instances",
}
PREVIEWED = [
    ("Figures!B2", "Instagram", "1 Oct 2019 \N{EN DASH} 31 Mar 2020", "14", "14"),
    ("Figures!C2", "Instagram", "1 Apr 2020 \N{EN DASH} 30 Sep 2020", "*", "1 to 4"),
    ("Figures!B3", "Snapchat", "1 Oct 2019 \N{EN DASH} 31 Mar 2020", "0", "0"),
    ("Figures!C3", "Snapchat", "1 Apr 2020 \N{EN DASH} 30 Sep 2020", "6", "6"),
    ("Figures!B4", "Platform not recorded", "1 Oct 2019 \N{EN DASH} 31 Mar 2020", "3", "3"),
    (
        "Figures!C4",
        "Platform not recorded",
        "1 Apr 2020 \N{EN DASH} 30 Sep 2020",
        "not held",
        "Not held",
    ),
]
IMPORTED = [
    ("instagram", dt.date(2019, 10, 1), "14", 14, 14, "B2"),
    ("instagram", dt.date(2020, 4, 1), "*", 1, 4, "C2"),
    ("snapchat", dt.date(2019, 10, 1), "0", 0, 0, "B3"),
    ("snapchat", dt.date(2020, 4, 1), "6", 6, 6, "C3"),
    (None, dt.date(2019, 10, 1), "3", 3, 3, "B4"),
    (None, dt.date(2020, 4, 1), "not held", None, None, "C4"),
]


def answer_file() -> bytes:
    return xlsx_bytes(WIDE)


@pytest.fixture
def attached(kent_response, data_entry) -> Document:
    return services.document_attach(
        response=kent_response, name="kent-answer.xlsx", content=answer_file(), user=data_entry
    )


@pytest.fixture
def client(browser_for, data_entry):
    return browser_for(data_entry)


def url(response) -> str:
    return f"/responses/{response.pk}/import/"


def preview_rows(html: str) -> list[tuple[str, ...]]:
    table = html.split('class="data preview"')[1].split("</table>")[0]
    rows = re.findall(r"<tr><td>(.*?)</td></tr>", table.split("<tbody>")[1], flags=re.S)
    return [tuple(re.sub(r"<[^>]+>", "|", row).replace("||", "|").split("|")) for row in rows]


def imported() -> list[tuple]:
    return list(
        Figure.objects.order_by(
            F("platform__slug").asc(nulls_last=True), "period_start", "id"
        ).values_list("platform__slug", "period_start", "raw", "low", "high", "cell")
    )


def token_of(html: str) -> str:
    return re.search(r'name="previewed" value="([^"]+)"', html).group(1)


def test_the_form_starts_at_the_latest_spreadsheet_of_the_response(attached, client, kent_response):
    html = client.get(url(kent_response)).content.decode()
    assert f'<option value="{attached.pk}" selected>kent-answer.xlsx</option>' in html


def test_a_preview_writes_nothing_and_the_confirmation_imports_exactly_it(
    attached, client, kent_response, data_entry, documents_folder
):
    before = written(documents_folder)
    preview = client.post(url(kent_response), {"document": attached.pk, **LAYOUT})
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "Preview: 6 figures would be created" in html
    assert [row[:3] + row[4:6] for row in preview_rows(html)] == [
        (cell, platform, period, raw, means) for cell, platform, period, raw, means in PREVIEWED
    ]
    assert written(documents_folder) == before

    confirm = client.post(url(kent_response), {"previewed": token_of(html)})
    assert confirm["Location"] == f"/responses/{kent_response.pk}/"
    assert imported() == IMPORTED
    assert set(Figure.objects.values_list("document", "entered_by", "sheet")) == {
        (attached.pk, data_entry.pk, "Figures")
    }
    # The document was attached already: no second copy.
    assert Document.objects.count() == 1 and len(files_in(documents_folder)) == 1
    page = client.get(confirm["Location"]).content.decode()
    assert "Imported 6 figures from kent-answer.xlsx." in page


def test_an_uploaded_file_is_chosen_again_to_confirm_and_must_be_the_same(
    kent_response, client, documents_folder
):
    before = written(documents_folder)
    upload = SimpleUploadedFile("kent-answer.xlsx", answer_file())
    html = client.post(url(kent_response), {"file": upload, **LAYOUT}).content.decode()
    assert "Preview: 6 figures would be created" in html
    assert "Choose kent-answer.xlsx again" in html
    assert written(documents_folder) == before
    token = token_of(html)

    missing = client.post(url(kent_response), {"previewed": token})
    assert missing.status_code == 400
    assert "Choose the file you previewed again: it was not kept." in missing.content.decode()
    other = SimpleUploadedFile("kent-answer.xlsx", xlsx_bytes([*WIDE[:3], ["Not known", 4, 0]]))
    different = client.post(url(kent_response), {"previewed": token, "file": other})
    assert different.status_code == 400
    assert "This is not the file you previewed." in different.content.decode()
    assert written(documents_folder) == before

    same = SimpleUploadedFile("kent-answer.xlsx", answer_file())
    assert client.post(url(kent_response), {"previewed": token, "file": same}).status_code == 302
    document = Document.objects.get()
    assert (document.original_name, document.response) == ("kent-answer.xlsx", kent_response)
    assert imported() == IMPORTED
    assert set(Figure.objects.values_list("document", flat=True)) == {document.pk}
    assert len(files_in(documents_folder)) == 1


def test_the_confirmation_reads_the_layout_from_the_preview_not_from_the_form(
    attached, client, kent_response
):
    html = client.post(url(kent_response), {"document": attached.pk, **LAYOUT}).content.decode()
    changed = {**LAYOUT, "columns": f"{H1}, skip", "previewed": token_of(html)}
    assert client.post(url(kent_response), changed).status_code == 302
    assert Figure.objects.count() == 6


@pytest.mark.parametrize("tamper", ["drop a character", "another person"])
def test_a_changed_or_borrowed_preview_is_refused(
    attached, client, kent_response, browser_for, second_clerk, documents_folder, tamper
):
    html = client.post(url(kent_response), {"document": attached.pk, **LAYOUT}).content.decode()
    token = token_of(html)
    before = written(documents_folder)
    if tamper == "drop a character":
        answer = client.post(url(kent_response), {"previewed": token[:-1]})
        message = "This preview has expired or was changed: preview it again."
    else:
        answer = browser_for(second_clerk).post(url(kent_response), {"previewed": token})
        message = "This preview was for another response or person."
    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert written(documents_folder) == before


def test_a_figure_keyed_since_the_preview_refuses_the_whole_import(
    attached, client, kent_response, second_clerk, documents_folder
):
    html = client.post(url(kent_response), {"document": attached.pk, **LAYOUT}).content.decode()
    key(kent_response, second_clerk, "14", "instagram")
    before = written(documents_folder)
    answer = client.post(url(kent_response), {"previewed": token_of(html)})
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "Nothing can be imported: 1 problem" in page
    assert "This response already has this figure; correct it instead." in page
    assert written(documents_folder) == before


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"columns": H1}, "columns", "The table has 2 value columns (B to C) but 1 meanings"),
        ({"columns": ""}, "columns", "Say what each value column holds, separated by commas."),
        ({"offence": ""}, "offence", "Choose the offence every column counts."),
        (
            {"columns_are": "offence", "columns": "22B, 21"},
            "period_start",
            "Give the period every column counts.",
        ),
        ({"document": ""}, "file", "Choose a document of the response, or upload a file."),
    ],
)
def test_a_layout_that_does_not_fit_is_refused_beside_its_field(
    attached, client, kent_response, documents_folder, fields, field, message
):
    before = written(documents_folder)
    answer = client.post(url(kent_response), {"document": attached.pk, **LAYOUT, **fields})
    assert answer.status_code == 400
    beside = re.search(rf'id="{field}-error" role="alert">(.*?)</span>', answer.content.decode())
    assert beside and message in beside.group(1)
    assert written(documents_folder) == before


def test_bad_rows_are_listed_by_row_and_column(kent_response, client, documents_folder):
    content = csv_bytes([LONG_HEADER, long_row("IG", "-2"), long_row("Myspace", "4")])
    upload = SimpleUploadedFile("kent.csv", content)
    before = written(documents_folder)
    answer = client.post(url(kent_response), {"file": upload, "shape": "long", "unit": "instances"})
    assert answer.status_code == 400
    table = answer.content.decode().split('class="data problems"')[1].split("</table>")[0]
    problems = re.findall(r"<tr><td>(\d+)</td><td>([A-Z]+)</td><td>([^<]+)</td></tr>", table)
    assert [(row, column) for row, column, _ in problems] == [("2", "E"), ("3", "D")]
    assert problems[0][2].startswith("&#x27;-2&#x27; is negative")
    assert problems[1][2].startswith("Unknown platform &#x27;Myspace&#x27;")
    assert written(documents_folder) == before


def test_a_file_that_is_not_a_table_is_refused_beside_the_upload(
    kent_response, client, documents_folder
):
    before = written(documents_folder)
    pdf = SimpleUploadedFile("kent.pdf", b"%PDF-1.7\n%%EOF\n")
    answer = client.post(url(kent_response), {"file": pdf, **LAYOUT})
    assert answer.status_code == 400
    assert (
        'id="file-error" role="alert">This is a PDF: key its figures by hand, or import a CSV or '
        "XLSX.</span>" in answer.content.decode()
    )
    assert written(documents_folder) == before
