"""Recording a response from its request, the response's page, attaching a document and a second
person's check of a figure: each through the services, each refusal beside its field with
nothing written (no row, no event, no file)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from requests_app.models import Force
from requests_app.services import campaign_send
from requests_app.status import Status
from responses_app.models import Document, Figure, FoiResponse
from tests.responses_app.sheets import csv_bytes, xlsx_bytes
from tests.web.conftest import SENT_ON
from tests.web.entry.conftest import files_in, key, queries_of, written

WIDE = [["Platform", "Oct 19 - Mar 20"], ["Instagram", 14], ["Snapchat", "*"]]
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"


def xlsx(name: str = "kent-answer.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, xlsx_bytes(WIDE))


def error_beside(html: str, name: str) -> str:
    found = re.search(rf'<span class="error" id="{name}-error" role="alert">(.*?)</span>', html)
    return found.group(1) if found else ""


def record(client, request_pk: int, **fields):
    body = {"received_on": "2021-02-12", "outcome": "granted", **fields}
    return client.post(f"/requests/{request_pk}/response/", body)


def test_the_request_page_links_to_recording_its_response(kent, browser_for, data_entry):
    html = browser_for(data_entry).get(f"/requests/{kent.pk}/").content.decode()
    assert f'href="/requests/{kent.pk}/response/">Record the response</a>' in html


def test_a_clerk_records_a_response_with_its_exemptions_and_documents(
    kent, browser_for, data_entry, documents_folder
):
    """Kent partly granted on Fri 12 Feb 2021, citing s.30 and s.40(2), with the spreadsheet and
    the covering letter: one response, one 'response' event, two documents, two files."""
    client = browser_for(data_entry)
    answer = record(
        client,
        kent.pk,
        outcome="partly_granted",
        exemptions=["s40(2)", "s30"],
        other_exemptions="s.31(1)(a) in the letter",
        caveats="Figures from a keyword search of crime reports.",
        documents=[xlsx(), SimpleUploadedFile("letter.pdf", PDF)],
    )
    response = FoiResponse.objects.get()
    assert (answer.status_code, answer["Location"]) == (302, f"/responses/{response.pk}/")
    assert (response.received_on, response.outcome, response.exemptions) == (
        dt.date(2021, 2, 12),
        "partly_granted",
        ["s40(2)", "s30"],
    )
    assert (response.entered_by, response.caveats) == (
        data_entry,
        "Figures from a keyword search of crime reports.",
    )
    names = list(response.documents.values_list("original_name", "content_type", "uploaded_by"))
    assert names == [
        (
            "kent-answer.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            data_entry.pk,
        ),
        ("letter.pdf", "application/pdf", data_entry.pk),
    ]
    assert len(files_in(documents_folder)) == 2
    kent.refresh_from_db()
    assert kent.status == Status.RESPONDED
    assert list(kent.events.values_list("kind", "on", "created_by")) == [
        ("sent", SENT_ON, kent.campaign.owner_id),
        ("response", dt.date(2021, 2, 12), data_entry.pk),
    ]
    page = client.get(answer["Location"]).content.decode()
    assert "Recorded the response of 12 Feb 2021: Partly granted, 2 documents." in page
    letter = response.documents.get(original_name="letter.pdf")
    download = re.search(r'<a href="([^"]+)">letter.pdf</a>', page).group(1)
    assert download == f"/api/v1/documents/{letter.pk}/download/"
    assert b"".join(client.get(download).streaming_content) == PDF
    exemptions = re.search(r'<dd id="exemptions">(.*?)</dd>', page).group(1)
    assert exemptions == (
        "s.40(2) personal information; s.30 investigations and proceedings; "
        "s.31(1)(a) in the letter"
    )


def test_the_exemptions_offered_are_the_pick_list_of_the_forces_regime(
    campaign, owner, browser_for, data_entry
):
    forces = Force.objects.filter(slug__in=["kent", "jersey", "guernsey"])
    sent = {
        r.force.slug: r
        for r in campaign_send(campaign=campaign, forces=forces, sent_on=SENT_ON, user=owner)
    }
    client = browser_for(data_entry)

    def offered(slug: str) -> list[str]:
        html = client.get(f"/requests/{sent[slug].pk}/response/").content.decode()
        return re.findall(r'name="exemptions" value="([^"]+)"', html)

    assert offered("kent") == [
        "s12",
        "s14",
        "s21",
        "s23(5)",
        "s24(2)",
        "s30",
        "s31",
        "s38",
        "s40(2)",
    ]
    assert offered("jersey") == ["art3", "art16", "art23", "art38", "art42"]
    guernsey = client.get(f"/requests/{sent['guernsey'].pk}/response/").content.decode()
    assert offered("guernsey") == []
    assert "has no pick-list here: write the exemptions as the force cited them." in guernsey


EXECUTABLE = b"MZ\x90\x00 an executable, not a zip"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"received_on": "2021-03-02"}, "received_on", "2021-03-02 is in the future"),
        (
            {"received_on": "2021-01-15"},
            "received_on",
            "The event is dated 2021-01-15, before the request was sent on 2021-01-18.",
        ),
        ({"received_on": ""}, "received_on", "This field is required."),
        ({"received_on": "12 February"}, "received_on", "Enter a valid date."),
        ({"outcome": "lost"}, "outcome", "Select a valid choice. lost is not one of"),
        (
            {"exemptions": ["art16"]},
            "exemptions",
            "Select a valid choice. art16 is not one of the available choices.",
        ),
        (
            {"documents": [SimpleUploadedFile("figures.xlsx", EXECUTABLE)]},
            "documents",
            "figures.xlsx: This file is not a PDF, XLSX, XLS, ODS, CSV, TXT or DOCX file.",
        ),
        (
            {"documents": [xlsx(), SimpleUploadedFile("empty.csv", b"")]},
            "documents",
            "empty.csv: The file is empty.",
        ),
        (
            {"documents": [SimpleUploadedFile("letter.docx", PDF)]},
            "documents",
            "letter.docx: The name ends in &#x27;.docx&#x27; but the file is a .pdf file",
        ),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_writes_nothing(
    kent, browser_for, data_entry, documents_folder, fields, field, message
):
    before = written(documents_folder)
    answer = record(browser_for(data_entry), kent.pk, **fields)
    assert answer.status_code == 400
    assert message in error_beside(answer.content.decode(), field)
    assert written(documents_folder) == before
    kent.refresh_from_db()
    assert kent.status == Status.SENT


def test_a_request_already_answered_takes_no_second_response(
    kent_response, kent, browser_for, data_entry, documents_folder
):
    client = browser_for(data_entry)
    html = client.get(f"/requests/{kent.pk}/response/").content.decode()
    assert "a response cannot be recorded now." in html
    assert "Record the response</a>" not in client.get(f"/requests/{kent.pk}/").content.decode()
    before = written(documents_folder)
    answer = record(client, kent.pk, documents=[xlsx()])
    assert answer.status_code == 400
    assert (
        "&#x27;Response received&#x27; cannot be recorded while the request is "
        "&#x27;responded&#x27;" in answer.content.decode()
    )
    assert written(documents_folder) == before


def test_the_response_page_shows_the_documents_and_what_each_figure_means(
    kent_response, browser_for, data_entry, second_clerk
):
    for raw, platform in (("14", "instagram"), ("*", "snapchat"), ("not held", None)):
        key(kent_response, data_entry, raw, platform)
    html = browser_for(second_clerk).get(f"/responses/{kent_response.pk}/").content.decode()
    rows = re.findall(
        r'<th scope="row">([^<]+)</th>\s*<td>[^<]*</td>\s*<td>[^<]*</td>\s*'
        r'<td class="raw">([^<]+)</td>\s*<td>([^<]+)</td>',
        html,
    )
    assert rows == [
        ("Instagram", "14", "14"),
        ("Snapchat", "*", "1 to 4"),
        ("Platform not recorded", "not held", "Not held"),
    ]
    assert html.count(">Confirm ") == 3


def test_the_response_page_costs_the_same_queries_for_one_figure_or_many(
    kent_response, browser_for, data_entry, second_clerk
):
    client = browser_for(second_clerk)
    url = f"/responses/{kent_response.pk}/"
    key(kent_response, data_entry, "3", "instagram")
    one = queries_of(client, url)
    for platform in ("snapchat", "whatsapp", "tiktok", "kik", "discord"):
        key(kent_response, data_entry, "5", platform)
    assert queries_of(client, url) == one


def check(client, figure: Figure, action: str, raw: str = "", reason: str = ""):
    body = {f"figure-{figure.pk}-action": action, f"figure-{figure.pk}-raw": raw}
    body[f"figure-{figure.pk}-reason"] = reason
    return client.post(f"/figures/{figure.pk}/check/?page=1", body)


def test_a_second_clerk_confirms_a_figure(kent_response, browser_for, data_entry, second_clerk):
    figure = key(kent_response, data_entry, "14")
    answer = check(browser_for(second_clerk), figure, "confirm")
    assert answer["Location"] == f"/responses/{kent_response.pk}/?page=1#figure-{figure.pk}"
    figure.refresh_from_db()
    assert (figure.verified, figure.verified_by, figure.disputed) == (True, second_clerk, False)


def test_keying_the_same_interval_confirms_and_another_value_disputes(
    kent_response, browser_for, data_entry, second_clerk
):
    """'<5' and '1-4' are both suppressed 1..4, so they agree; '15' is not 14."""
    suppressed = key(kent_response, data_entry, "1-4", "snapchat")
    exact = key(kent_response, data_entry, "14", "instagram")
    client = browser_for(second_clerk)
    assert check(client, suppressed, "key", "<5").status_code == 302
    assert check(client, exact, "key", " 15 ").status_code == 302
    suppressed.refresh_from_db()
    exact.refresh_from_db()
    assert (suppressed.verified, suppressed.verified_by, suppressed.raw) == (
        True,
        second_clerk,
        "1-4",
    )
    assert (exact.verified, exact.disputed, exact.raw, exact.disputed_raw, exact.disputed_by) == (
        False,
        True,
        "14",
        "15",
        second_clerk,
    )
    page = client.get(f"/responses/{kent_response.pk}/").content.decode()
    assert "Disputed: data_entry keyed 14, second_clerk keyed 15" in page


def test_a_disputed_figure_is_corrected_and_then_needs_a_second_person(
    kent_response, browser_for, data_entry, second_clerk
):
    figure = key(kent_response, data_entry, "14")
    check(browser_for(second_clerk), figure, "key", "15")
    answer = check(browser_for(data_entry), figure, "correct", "15", "Misread the scan")
    assert answer.status_code == 302
    figure.refresh_from_db()
    assert figure.history.first().history_change_reason == "Misread the scan"
    assert (figure.raw, figure.low, figure.entered_by, figure.verified, figure.disputed) == (
        "15",
        15,
        data_entry,
        False,
        False,
    )
    check(browser_for(second_clerk), figure, "confirm")
    figure.refresh_from_db()
    assert (figure.verified, figure.verified_by) == (True, second_clerk)


@pytest.mark.parametrize(
    ("action", "raw", "where", "message"),
    [
        ("confirm", "", "", "You entered this figure; a second person must confirm it."),
        ("key", "14", "-raw", "You already entered this figure; a second person must confirm it."),
    ],
)
def test_the_person_who_keyed_a_figure_cannot_verify_it(
    kent_response, browser_for, data_entry, documents_folder, action, raw, where, message
):
    figure = key(kent_response, data_entry, "14")
    before = written(documents_folder)
    answer = check(browser_for(data_entry), figure, action, raw)
    assert answer.status_code == 400
    assert message in error_beside(answer.content.decode(), f"figure-{figure.pk}{where}")
    assert written(documents_folder) == before


@pytest.mark.parametrize(
    ("action", "raw", "message"),
    [
        ("key", "", "Key the value as the force wrote it (12, 0, *, &lt;5...)."),
        ("key", "-3", "&#x27;-3&#x27; is negative"),
        ("correct", "1.5", "&#x27;1.5&#x27; is not a figure; give a whole number"),
        ("correct", "=SUM(A1:A3)", "=SUM(A1:A3)"),
    ],
)
def test_a_value_that_is_not_a_figure_is_refused_beside_it(
    kent_response, browser_for, data_entry, second_clerk, documents_folder, action, raw, message
):
    figure = key(kent_response, data_entry, "14")
    check(browser_for(second_clerk), figure, "key", "15")  # disputed, so it can be corrected
    before = written(documents_folder)
    answer = check(browser_for(second_clerk), figure, action, raw)
    assert answer.status_code == 400
    assert message in error_beside(answer.content.decode(), f"figure-{figure.pk}-raw")
    assert written(documents_folder) == before


def test_a_document_is_attached_to_a_response_and_a_bad_one_is_refused(
    kent_response, browser_for, data_entry, documents_folder
):
    client = browser_for(data_entry)
    url = f"/responses/{kent_response.pk}/documents/"
    before = written(documents_folder)
    refused = client.post(url, {"file": SimpleUploadedFile("figures.xlsx", EXECUTABLE)})
    assert refused.status_code == 400
    assert "figures.xlsx: This file is not a PDF" in error_beside(refused.content.decode(), "file")
    assert written(documents_folder) == before
    attached = client.post(url, {"file": SimpleUploadedFile("kent.csv", csv_bytes([["a"]]))})
    assert attached["Location"] == f"/responses/{kent_response.pk}/"
    assert list(Document.objects.values_list("original_name", flat=True)) == ["kent.csv"]
    assert len(files_in(documents_folder)) == 1


def test_an_unknown_check_is_refused_beside_the_figure(
    kent_response, browser_for, data_entry, second_clerk, documents_folder
):
    figure = key(kent_response, data_entry, "14")
    before = written(documents_folder)
    answer = check(browser_for(second_clerk), figure, "shred")
    assert answer.status_code == 400
    assert "Select a valid choice. shred is not one of the available choices." in error_beside(
        answer.content.decode(), f"figure-{figure.pk}"
    )
    assert written(documents_folder) == before
