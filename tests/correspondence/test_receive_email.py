"""`receive_email`, a mail server's pipe: .eml files on standard input are filed once; when the
database cannot be reached the command exits 75 (EX_TEMPFAIL) and writes nothing, so the mail
server keeps the message and its next try files it."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError, connection

from correspondence.models import Attachment, Message
from correspondence.services import filing
from responses_app.models import Document
from tests.correspondence import corpus
from tests.correspondence.conftest import free_port

MANAGE = Path(settings.BASE_DIR) / "manage.py"


def pipe(monkeypatch, eml: Path) -> str:
    """Run the command as the mail server does, with the file on standard input."""
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(eml.read_bytes())))
    out = io.StringIO()
    call_command("receive_email", stdout=out)
    return out.getvalue()


def eml(folder: Path, name: str, raw: bytes) -> Path:
    path = folder / name
    path.write_bytes(raw)
    return path


def test_eml_files_on_standard_input_are_filed_once(sent_by_email, next_day, tmp_path, monkeypatch):
    kent = sent_by_email.requests["kent"]
    answer = eml(tmp_path, "answer.eml", corpus.answer_with_files(sent_by_email.token("kent"), 1))
    ack = eml(tmp_path, "ack.eml", corpus.acknowledgement(sent_by_email.token("kent"), kent.pk))

    first = pipe(monkeypatch, answer)
    message = Message.objects.get(direction="in")
    assert first == f"Message {message.pk}: waiting for a person to classify.\n"
    assert pipe(monkeypatch, answer) == f"Message {message.pk}: already filed.\n"
    assert pipe(monkeypatch, ack).endswith(": filed.\n")
    assert Message.objects.filter(direction="in").count() == 2
    assert Document.objects.count() == 2


def test_a_database_failure_mid_filing_exits_75_and_writes_nothing(
    sent_by_email, next_day, tmp_path, monkeypatch
):
    answer = eml(tmp_path, "answer.eml", corpus.answer_with_files(sent_by_email.token("kent"), 1))
    keep = filing._attachments_keep

    def connection_lost(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    # The message row is written, then the database goes away while its files are kept.
    monkeypatch.setattr(filing, "_attachments_keep", connection_lost)
    with pytest.raises(CommandError) as failed:
        pipe(monkeypatch, answer)
    assert failed.value.returncode == 75
    assert str(failed.value) == (
        "The database cannot be reached (OperationalError); the mail server keeps the message "
        "and tries again."
    )
    assert not Message.objects.filter(direction="in").exists()
    assert not Attachment.objects.exists()

    monkeypatch.setattr(filing, "_attachments_keep", keep)  # the mail server's next try
    assert pipe(monkeypatch, answer).endswith(": waiting for a person to classify.\n")
    assert Attachment.objects.count() == 3


def test_an_empty_pipe_is_refused_as_bad_data(db, monkeypatch, tmp_path):
    with pytest.raises(CommandError) as refused:
        pipe(monkeypatch, eml(tmp_path, "empty.eml", b"\n"))
    assert refused.value.returncode == 65


def test_an_oversized_message_is_read_to_the_end_and_filed_with_its_headers(
    sent_by_email, next_day, tmp_path, monkeypatch, settings
):
    settings.MAIL_MAX_BYTES = 50_000
    raw = corpus.oversized(sent_by_email.token("kent"), 3_000_000)
    stdin = io.BytesIO(raw)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(stdin))
    call_command("receive_email", stdout=io.StringIO())
    assert stdin.tell() == len(raw)  # the mail server sees the whole message taken
    message = Message.objects.get(direction="in")
    assert (message.too_large, message.size, message.subject) == (
        True,
        len(raw),
        "Our response (large attachment)",
    )


def run_manage(raw: bytes, database_url: str, **env: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, **env}
    return subprocess.run(
        [sys.executable, str(MANAGE), "receive_email"],
        input=raw,
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_with_the_database_down_the_real_command_exits_75(db, tmp_path):
    """A separate process, as the mail server starts it, against a PostgreSQL port where
    nothing listens."""
    down = f"postgres://postgres@127.0.0.1:{free_port()}/foi_mail"
    done = run_manage(corpus.without_message_id("abcdefgh"), down)
    assert done.returncode == 75, done.stderr[-500:]
    assert b"The database cannot be reached (OperationalError)" in done.stderr


@pytest.mark.django_db(transaction=True)
def test_the_real_command_files_into_postgresql(postgres, tmp_path):
    """The whole pipe in its own process, committing to the test database."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    raw = corpus.from_another_kent_address()
    first = run_manage(raw, url, MEDIA_ROOT=str(tmp_path))
    again = run_manage(raw, url, MEDIA_ROOT=str(tmp_path))
    assert (first.returncode, again.returncode) == (0, 0), first.stderr[-500:]
    assert again.stdout.decode().endswith(": already filed.\n")
    message = Message.objects.get()
    assert (message.state, message.from_address) == (
        "unmatched",
        "John Smith <john.smith@kent.police.uk>",
    )
