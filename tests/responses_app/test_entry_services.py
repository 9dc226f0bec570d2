"""The services behind the data-entry pages: a response recorded with its documents all or
nothing. A rollback takes back rows, not files, so each refusal is also checked in the documents
folder. (The import that must match its preview: tests/responses_app/answers.)"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from requests_app.status import Status
from responses_app import services
from responses_app.models import Document, FoiResponse
from tests.responses_app.conftest import RECEIVED_ON
from tests.responses_app.sheets import LONG_HEADER, csv_bytes, long_row

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"
# Two figures: Instagram 12 and Snapchat suppressed, Oct 2019 - Mar 2020.
TABLE = csv_bytes([LONG_HEADER, long_row("IG", "12"), long_row("Snap", "*")])


def files(folder) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_a_response_is_recorded_with_every_document(sent_request, data_entry, document_files):
    response = services.response_record_with_documents(
        request=sent_request,
        received_on=RECEIVED_ON,
        outcome="granted",
        user=data_entry,
        files=[("letter.pdf", PDF), ("figures.csv", TABLE)],
        caveats="Keyword search.",
    )
    assert list(response.documents.values_list("original_name", flat=True)) == [
        "letter.pdf",
        "figures.csv",
    ]
    assert (response.caveats, len(files(document_files))) == ("Keyword search.", 2)
    sent_request.refresh_from_db()
    assert sent_request.status == Status.RESPONDED


def test_a_refused_document_takes_back_the_response_and_the_files_already_written(
    sent_request, data_entry, document_files
):
    """The letter is stored first; the second file is refused; the letter's file goes too."""
    with pytest.raises(ValidationError, match="not a PDF, XLSX, XLS, ODS, CSV, TXT or DOCX file"):
        services.response_record_with_documents(
            request=sent_request,
            received_on=RECEIVED_ON,
            outcome="granted",
            user=data_entry,
            files=[("letter.pdf", PDF), ("figures.xlsx", b"MZ an executable")],
        )
    assert (FoiResponse.objects.count(), Document.objects.count()) == (0, 0)
    assert files(document_files) == []
    sent_request.refresh_from_db()
    assert (sent_request.status, sent_request.events.count()) == (Status.SENT, 1)
