"""Importing figures from the page, from the file the force sent: the preview draws the table with
each cell marked by how it was read and writes nothing (no figure, no document, no file); the
questions are form choices and any change gives a new preview; the confirmation imports exactly
the reading previewed or nothing.

Kent's answer (received 12 Feb 2021), two half-years, headings as the force wrote them:

    Platform    | Oct 19 - Mar 20 | Apr 20 - Sep 20
    Instagram   | 14              | *
    Snapchat    | 0               | 6
    Not known   | 3               | not held

Six cells, so six figures: Instagram 14 and 1..4 (suppressed, Kent's threshold 5), Snapchat 0 and
6, and the rows without a platform: 3 and 'not held'.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F

from requests_app.models import CampaignPeriod
from responses_app import services
from responses_app.models import Document, Figure, PlatformAlias
from tests.responses_app.sheets import xlsx_bytes
from tests.web.entry.conftest import files_in, key, written

WIDE = [
    ["Platform", "Oct 19 - Mar 20", "Apr 20 - Sep 20"],
    ["Instagram", 14, "*"],
    ["Snapchat", 0, 6],
    ["Not known", 3, "not held"],
]
HINTS = {"offence": "child-sexual-offences", "unit": "instances"}
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


@pytest.fixture(autouse=True)
def two_half_years(campaign):
    CampaignPeriod.objects.filter(campaign=campaign).delete()
    CampaignPeriod.objects.create(
        campaign=campaign, start=dt.date(2019, 10, 1), end=dt.date(2020, 3, 31)
    )
    CampaignPeriod.objects.create(
        campaign=campaign, start=dt.date(2020, 4, 1), end=dt.date(2020, 9, 30)
    )


@functools.cache
def answer_file() -> bytes:
    # Built once: a workbook saved twice differs in its timestamps, so in its SHA-256.
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


def confirming(html: str, **more) -> dict:
    return {"previewed": token_of(html), "action": "confirm", **more}


def cell_kinds(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-ref="([A-Z]+\d+)" data-kind="(\w+)"', html))


def test_the_form_starts_at_the_latest_readable_document_of_the_response(
    attached, client, kent_response
):
    html = client.get(url(kent_response)).content.decode()
    assert f'<option value="{attached.pk}" selected>kent-answer.xlsx</option>' in html


def test_a_preview_draws_the_table_writes_nothing_and_the_confirmation_imports_exactly_it(
    attached, client, kent_response, data_entry, documents_folder
):
    before = written(documents_folder)
    preview = client.post(url(kent_response), {"document": attached.pk, **HINTS})
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "Preview of kent-answer.xlsx: 6 figures read" in html
    assert cell_kinds(html) == {
        "A1": "header", "B1": "header", "C1": "header",
        "A2": "label", "B2": "exact", "C2": "interval",
        "A3": "label", "B3": "zero", "C3": "exact",
        "A4": "label", "B4": "exact", "C4": "not_held",
    }  # fmt: skip
    assert 'title="C2: interval' in html
    assert [row[:3] + row[4:6] for row in preview_rows(html)] == [
        (cell, platform, period, raw, means) for cell, platform, period, raw, means in PREVIEWED
    ]
    assert written(documents_folder) == before

    confirm = client.post(url(kent_response), confirming(html))
    assert confirm["Location"] == f"/responses/{kent_response.pk}/"
    assert imported() == IMPORTED
    assert set(Figure.objects.values_list("document", "entered_by", "sheet")) == {
        (attached.pk, data_entry.pk, "Figures")
    }
    # The document was attached already: no second copy.
    assert Document.objects.count() == 1 and len(files_in(documents_folder)) == 1
    page = client.get(confirm["Location"]).content.decode()
    assert "Imported 6 figures from kent-answer.xlsx." in page


def test_the_same_file_uploaded_when_already_attached_is_one_document(
    attached, client, kent_response, documents_folder
):
    with attached.file.open("rb") as stored:
        content = stored.read()
    upload = SimpleUploadedFile("copy of kent-answer.xlsx", content)
    html = client.post(url(kent_response), {"file": upload, **HINTS}).content.decode()
    same = SimpleUploadedFile("copy of kent-answer.xlsx", content)
    assert client.post(url(kent_response), confirming(html, file=same)).status_code == 302
    assert list(Document.objects.all()) == [attached]
    assert set(Figure.objects.values_list("document", flat=True)) == {attached.pk}
    assert len(files_in(documents_folder)) == 1


def test_an_uploaded_file_is_chosen_again_to_confirm_and_must_be_the_same(
    kent_response, client, documents_folder
):
    before = written(documents_folder)
    upload = SimpleUploadedFile("kent-answer.xlsx", answer_file())
    html = client.post(url(kent_response), {"file": upload, **HINTS}).content.decode()
    assert "Preview of kent-answer.xlsx: 6 figures read" in html
    assert "Choose kent-answer.xlsx again" in html
    assert written(documents_folder) == before

    missing = client.post(url(kent_response), confirming(html))
    assert missing.status_code == 400
    assert "Choose the file you previewed again: it was not kept." in missing.content.decode()
    other = SimpleUploadedFile("kent-answer.xlsx", xlsx_bytes([*WIDE[:3], ["Not known", 4, 0]]))
    different = client.post(url(kent_response), confirming(html, file=other))
    assert different.status_code == 400
    assert "This is not the file you previewed." in different.content.decode()
    assert written(documents_folder) == before

    same = SimpleUploadedFile("kent-answer.xlsx", answer_file())
    assert client.post(url(kent_response), confirming(html, file=same)).status_code == 302
    document = Document.objects.get()
    assert (document.original_name, document.response) == ("kent-answer.xlsx", kent_response)
    assert imported() == IMPORTED
    assert set(Figure.objects.values_list("document", flat=True)) == {document.pk}
    assert len(files_in(documents_folder)) == 1


def test_the_confirmation_reads_the_hints_from_the_preview_not_from_the_form(
    attached, client, kent_response
):
    html = client.post(url(kent_response), {"document": attached.pk, **HINTS}).content.decode()
    changed = confirming(html, offence="indecent-image-offences", sheet="Other")
    assert client.post(url(kent_response), changed).status_code == 302
    assert set(Figure.objects.values_list("offence__slug", flat=True)) == {"child-sexual-offences"}


@pytest.mark.parametrize("tamper", ["drop a character", "another person"])
def test_a_changed_or_borrowed_preview_is_refused(
    attached, client, kent_response, browser_for, second_clerk, documents_folder, tamper
):
    html = client.post(url(kent_response), {"document": attached.pk, **HINTS}).content.decode()
    token = token_of(html)
    before = written(documents_folder)
    if tamper == "drop a character":
        answer = client.post(url(kent_response), {"previewed": token[:-1], "action": "confirm"})
        message = "This preview has expired or was changed: preview it again."
    else:
        answer = browser_for(second_clerk).post(url(kent_response), confirming(html))
        message = "This preview was for another response or person."
    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert written(documents_folder) == before


def test_a_figure_keyed_since_the_preview_refuses_the_whole_import(
    attached, client, kent_response, second_clerk, documents_folder
):
    html = client.post(url(kent_response), {"document": attached.pk, **HINTS}).content.decode()
    key(kent_response, second_clerk, "14", "instagram")
    before = written(documents_folder)
    answer = client.post(url(kent_response), confirming(html))
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "The file now reads differently from the preview you confirmed" in page
    assert "Nothing can be imported: 1 problem" in page
    assert "B2: This response already has this figure; correct it instead." in page
    assert "Import 6 figures" not in page
    assert written(documents_folder) == before


def test_questions_are_choices_and_a_changed_choice_gives_a_new_preview(
    client, kent_response, documents_folder
):
    """'Yubo' is no platform in the lists: the preview asks, offers no import, and marks its
    cells; choosing 'skip' gives a new preview of six figures; confirming with the choice
    changed to 'other platform' imports nothing and previews eight; confirmed as previewed,
    eight figures, and 'yubo' is kept as the other platform's alias."""
    content = xlsx_bytes([*WIDE, ["Yubo", 2, 1]])
    attached = services.document_attach(
        response=kent_response, name="kent.xlsx", content=content, user=None
    )
    asked = client.post(url(kent_response), {"document": attached.pk, **HINTS}).content.decode()
    assert "&#x27;Yubo&#x27; is not a known platform or offence." in asked
    assert "(Sheet &#x27;Figures&#x27;, A5)" in asked
    assert 'name="decision:label:yubo"' in asked
    assert 'value="platform:instagram">Instagram</option>' in asked
    assert 'value="confirm"' not in asked
    assert cell_kinds(asked)["B5"] == "question"

    skipped = client.post(
        url(kent_response),
        {"previewed": token_of(asked), "action": "preview", "decision:label:yubo": "skip"},
    ).content.decode()
    assert "Preview of kent.xlsx: 6 figures read" in skipped
    assert '<option value="skip" selected>' in skipped
    assert "Import 6 figures from kent.xlsx" in skipped

    changed = client.post(
        url(kent_response), confirming(skipped, **{"decision:label:yubo": "other_platform"})
    )
    assert changed.status_code == 200
    assert "Preview of kent.xlsx: 8 figures read" in changed.content.decode()
    assert not Figure.objects.exists()

    done = client.post(url(kent_response), confirming(changed.content.decode()))
    assert done.status_code == 302
    assert Figure.objects.count() == 8
    assert PlatformAlias.objects.get(name="yubo").platform.slug == "other"


def test_no_document_and_no_upload_is_refused_beside_the_upload(
    attached, client, kent_response, documents_folder
):
    before = written(documents_folder)
    answer = client.post(url(kent_response), {"document": "", **HINTS})
    assert answer.status_code == 400
    beside = re.search(r'id="file-error" role="alert">(.*?)</span>', answer.content.decode())
    assert beside and "Choose a document of the response, or upload a file." in beside.group(1)
    assert written(documents_folder) == before


def test_a_file_that_is_not_a_table_is_refused_naming_why(kent_response, client, documents_folder):
    before = written(documents_folder)
    text = SimpleUploadedFile("kent.csv", b"Dear requester,\nWe hold no information.\n")
    answer = client.post(url(kent_response), {"file": text, **HINTS})
    assert answer.status_code == 400
    assert "No table of figures was found in the file." in answer.content.decode()
    assert written(documents_folder) == before
