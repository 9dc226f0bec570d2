"""The services behind the data-entry pages: a response recorded with its documents all or
nothing, and an import that must match its preview. A rollback takes back rows, not files, so
each refusal is also checked in the documents folder."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import ValidationError

from requests_app.status import Status
from responses_app import services
from responses_app.importing.reading import ImportRefused
from responses_app.importing.shapes import Layout
from responses_app.models import Document, Figure, FoiResponse
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


def import_previewed(response, user, *, content=TABLE, count=2, document=None):
    return services.figures_import_previewed(
        response=response,
        content=content,
        name="figures.csv",
        layout=Layout(),
        user=user,
        sha256=hashlib.sha256(TABLE).hexdigest(),
        count=count,
        document=document,
    )


def test_a_previewed_import_attaches_the_file_once_and_imports_it(
    response, data_entry, document_files
):
    result = import_previewed(response, data_entry)
    document = Document.objects.get()
    assert (result.created, result.document, document.original_name) == (2, document, "figures.csv")
    assert list(Figure.objects.values_list("raw", "document", "cell")) == [
        ("12", document.pk, "E2"),
        ("*", document.pk, "E3"),
    ]
    assert len(files(document_files)) == 1


@pytest.mark.parametrize(
    ("content", "count", "message"),
    [
        (TABLE + b"\r\n", 2, "This is not the file you previewed."),
        (TABLE, 3, "The file now reads as 2 figures, not 3: preview it again."),
    ],
)
def test_an_import_that_differs_from_its_preview_writes_nothing(
    response, data_entry, document_files, content, count, message
):
    with pytest.raises(ImportRefused) as refused:
        import_previewed(response, data_entry, content=content, count=count)
    assert [e.message for e in refused.value.errors] == [message]
    assert (Figure.objects.count(), Document.objects.count()) == (0, 0)
    assert files(document_files) == []


def test_an_already_attached_document_is_kept_when_its_import_is_refused(
    response, data_entry, document_files
):
    document = services.document_attach(
        response=response, name="figures.csv", content=TABLE, user=data_entry
    )
    with pytest.raises(ImportRefused):
        import_previewed(response, data_entry, count=3, document=document)
    assert list(Document.objects.all()) == [document]
    assert len(files(document_files)) == 1
    assert not Figure.objects.exists()
