"""What filing a message costs the database, statement by statement, so that it cannot grow
back (issue 13's filing rate: the round trips to the database are most of a message's time),
and what a filing that fails half-way leaves behind: nothing, files included.

The campaign went by email to Kent, Essex and BTP; the mail arrives the next day. Inside a
test the filing's transaction is a savepoint of the test's own (BEGIN and COMMIT outside one).
"""

from __future__ import annotations

import pytest
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext

from correspondence.models import Message
from correspondence.services import filing
from correspondence.services.filing import message_file
from responses_app.models import Document
from tests.correspondence import corpus


def statements(captured: CaptureQueriesContext) -> list[str]:
    """Each statement's verb, with the table for an INSERT."""
    named = []
    for query in captured.captured_queries:
        words = query["sql"].split()
        verb = " ".join(words[:2]) if words[0] == "ROLLBACK" else words[0]
        named.append(f"INSERT {words[2].strip(chr(34))}" if verb == "INSERT" else verb)
    return named


def files(folder) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_an_answer_with_two_files_and_a_logo_is_filed_in_five_statements(sent_by_email, next_day):
    """The match by the reply address (one SELECT with the force, its contact and the
    campaign); the message; a document for the XLSX and one for the PDF (the logo is refused
    by the checks, which read bytes, not the database); the three attachment rows in one
    INSERT. No look-up for a copy already filed (the fingerprint's unique index refuses one at
    the message's INSERT) and no savepoint around each document."""
    kent = sent_by_email.requests["kent"]
    raw = corpus.answer_with_files(sent_by_email.token("kent"), kent.pk)
    with CaptureQueriesContext(connection) as captured:
        filed = message_file(raw=raw)
    assert not filed.duplicate and filed.message.request == kent
    assert statements(captured) == [
        "SAVEPOINT",
        "SELECT",
        "INSERT correspondence_message",
        "INSERT responses_app_document",
        "INSERT responses_app_document",
        "INSERT correspondence_attachment",
        "RELEASE",
    ]


def test_a_second_delivery_is_refused_by_the_index_and_answers_with_the_first(
    sent_by_email, next_day, document_files
):
    """The copy is parsed and matched again, refused at its INSERT, rolled back, and the
    message filed first is read: nothing else is written, no file either."""
    kent = sent_by_email.requests["kent"]
    raw = corpus.answer_with_files(sent_by_email.token("kent"), kent.pk)
    first = message_file(raw=raw)
    stored = files(document_files)
    with CaptureQueriesContext(connection) as captured:
        again = message_file(raw=raw)
    assert (again.duplicate, again.message.pk) == (True, first.message.pk)
    assert statements(captured) == [
        "SAVEPOINT",
        "SELECT",
        "INSERT correspondence_message",
        "ROLLBACK TO",
        "RELEASE",
        "SELECT",
    ]
    assert (Message.objects.filter(direction="in").count(), Document.objects.count()) == (1, 2)
    assert files(document_files) == stored and len(stored) == 2


def test_a_database_failing_after_the_files_were_written_leaves_no_file(
    sent_by_email, next_day, document_files, monkeypatch
):
    """The documents' files are written before their rows commit; when the database fails
    afterwards (here at the attachment rows), the rollback takes the files back too, and the
    mail server or the mailbox still has the message for the next try."""
    kent = sent_by_email.requests["kent"]
    keep = filing._attachments_keep

    def keep_then_fail(message, parsed):
        keep(message, parsed)
        assert len(files(document_files)) == 2  # the XLSX and the PDF were written
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(filing, "_attachments_keep", keep_then_fail)
    with pytest.raises(OperationalError):
        message_file(raw=corpus.answer_with_files(sent_by_email.token("kent"), kent.pk))
    assert files(document_files) == []
    assert (Message.objects.filter(direction="in").count(), Document.objects.count()) == (0, 0)


def test_on_postgresql_the_raw_message_is_kept_with_lz4_and_reads_back_the_same(
    postgres, sent_by_email, next_day
):
    """LZ4 costs the server a quarter of pglz's time on every message filed (migration 0002);
    the bytes are the same."""
    kent = sent_by_email.requests["kent"]
    raw = corpus.answer_with_files(sent_by_email.token("kent"), kent.pk)
    filed = message_file(raw=raw)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_column_compression(raw) FROM correspondence_message WHERE id = %s",
            [filed.message.pk],
        )
        assert cursor.fetchone() == ("lz4",)
    assert bytes(Message.objects.get(pk=filed.message.pk).raw) == raw
