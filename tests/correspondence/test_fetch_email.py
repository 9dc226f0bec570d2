"""The IMAP way in, against a real Dovecot on loopback: `fetch_email` and the beat task file
what waits in the mailbox once each, mark it filed on the server only after the commit, and
survive the server stopping mid-fetch and a worker dying between the commit and the mark.

The campaign went by email on Mon 2 Mar 2026; the replies reached the mailbox on Tue 3 Mar
(their INTERNALDATE) and are read on Thu 5 Mar."""

from __future__ import annotations

import datetime as dt
import imaplib
import io

import pytest
import time_machine
from django.core.management import call_command

from correspondence import mailbox, tasks
from correspondence.models import Message, State
from correspondence.services import filing
from requests_app.models import RequestEvent
from tests.correspondence import corpus
from tests.correspondence.conftest import at

FILED = "$FoiFiled"


@pytest.fixture
def read_later():
    with time_machine.travel(at("2026-03-05", 9), tick=False):
        yield


def delivered(server, *messages: bytes) -> None:
    """Put messages in the inbox as the mail server did on Tue 3 Mar, 08:30 UTC."""
    client = server.client()
    try:
        for raw in messages:
            arrived = imaplib.Time2Internaldate(dt.datetime(2026, 3, 3, 8, 30, tzinfo=dt.UTC))
            assert client.append("INBOX", None, arrived, raw)[0] == "OK"
    finally:
        client.logout()


@pytest.fixture
def three(sent_by_email):
    """An acknowledgement, an answer with files, and the same answer delivered twice."""
    kent = sent_by_email.requests["kent"]
    token = sent_by_email.token("kent")
    answer = corpus.answer_with_files(token, kent.pk)
    return [corpus.acknowledgement(token, kent.pk), answer, answer]


def test_fetch_email_files_each_message_once_and_marks_it_filed(
    imap_server, sent_by_email, three, read_later
):
    delivered(imap_server, *three)
    out = io.StringIO()
    call_command("fetch_email", stdout=out)
    assert out.getvalue() == "Filed 2, already filed 1, left for the next run 0.\n"
    assert imap_server.flags() == {1: FILED, 2: FILED, 3: FILED}
    kent = sent_by_email.requests["kent"]
    ack = Message.objects.get(classification="acknowledgement")
    # Acknowledged on the day the message reached the mailbox, not the day it was read.
    assert (ack.received_at, ack.event.on) == (
        dt.datetime(2026, 3, 3, 8, 30, tzinfo=dt.UTC),
        dt.date(2026, 3, 3),
    )
    assert Message.objects.get(classification="reply").attachments.count() == 3

    again = io.StringIO()
    call_command("fetch_email", stdout=again)
    assert again.getvalue() == "Filed 0, already filed 0, left for the next run 0.\n"
    assert RequestEvent.objects.filter(request=kent, kind="acknowledged").count() == 1


def test_the_beat_task_reads_the_mailbox(imap_server, sent_by_email, three, read_later):
    delivered(imap_server, *three)
    tasks.fetch_mail.delay()
    assert Message.objects.filter(direction="in").count() == 2
    assert set(imap_server.flags().values()) == {FILED}


def test_the_server_stopping_mid_fetch_loses_nothing_and_files_nothing_twice(
    imap_server, sent_by_email, three, read_later, monkeypatch
):
    delivered(imap_server, *three)
    real = filing.message_file

    def file_then_stop_the_server(**kwargs):
        filed = real(**kwargs)
        imap_server.crash()  # committed, and the server dies before the message is marked
        return filed

    monkeypatch.setattr(mailbox, "message_file", file_then_stop_the_server)
    with pytest.raises((imaplib.IMAP4.error, OSError)):
        mailbox.mailbox_fetch()
    assert Message.objects.filter(direction="in").count() == 1

    imap_server.start()
    monkeypatch.setattr(mailbox, "message_file", real)
    fetched = mailbox.mailbox_fetch()
    assert (fetched.filed, fetched.duplicates) == (1, 2)
    assert Message.objects.filter(direction="in").count() == 2
    assert set(imap_server.flags().values()) == {FILED}


class Killed(BaseException):
    """The worker's process dying: nothing after this point runs."""


def test_a_worker_killed_between_the_commit_and_the_mark_files_the_message_once(
    imap_server, sent_by_email, three, read_later, monkeypatch
):
    delivered(imap_server, three[0])

    def die(*args, **kwargs):
        raise Killed

    monkeypatch.setattr(mailbox, "mark_filed", die)
    with pytest.raises(Killed):
        mailbox.mailbox_fetch()
    assert imap_server.flags() == {1: ""}  # filed in the database, not marked on the server
    [ack] = Message.objects.filter(direction="in")
    assert ack.state == State.FILED

    monkeypatch.undo()
    fetched = mailbox.mailbox_fetch()
    assert (fetched.filed, fetched.duplicates) == (0, 1)
    assert imap_server.flags() == {1: FILED}
    assert list(Message.objects.filter(direction="in")) == [ack]
    kent = sent_by_email.requests["kent"]
    assert RequestEvent.objects.filter(request=kent, kind="acknowledged").count() == 1


def test_an_oversized_message_is_not_downloaded(
    imap_server, sent_by_email, read_later, settings, monkeypatch
):
    settings.MAIL_MAX_BYTES = 20_000
    raw = corpus.oversized(sent_by_email.token("kent"), 40_000)
    delivered(imap_server, raw)
    seen = []
    real = filing.message_file

    def record(**kwargs):
        seen.append(len(kwargs["raw"]))
        return real(**kwargs)

    monkeypatch.setattr(mailbox, "message_file", record)
    assert mailbox.mailbox_fetch().filed == 1
    message = Message.objects.get(direction="in")
    # The server counts the message with CRLF line ends, as it stores it.
    assert (message.too_large, message.size) == (True, len(raw.replace(b"\n", b"\r\n")))
    assert seen[0] < 1000  # the headers only


def test_a_filed_folder_takes_the_message_out_of_the_inbox(
    imap_server, sent_by_email, three, read_later, settings
):
    settings.IMAP_FILED_FOLDER = "Filed"
    client = imap_server.client()
    client.create("Filed")
    client.logout()
    delivered(imap_server, three[0])
    assert mailbox.mailbox_fetch().filed == 1
    client = imap_server.client()
    try:
        assert client.uid("SEARCH", None, "ALL")[1] == [b""]
        client.select("Filed")
        assert len(client.uid("SEARCH", None, "ALL")[1][0].split()) == 1
    finally:
        client.logout()


def test_a_message_the_filing_cannot_handle_is_left_for_the_next_poll(
    imap_server, sent_by_email, three, read_later, monkeypatch
):
    delivered(imap_server, three[0], three[1])
    real = filing.message_file

    def fail_on_the_answer(**kwargs):
        if b"answer-1234-26" in kwargs["raw"]:
            raise ValueError("a bug meets a message")
        return real(**kwargs)

    monkeypatch.setattr(mailbox, "message_file", fail_on_the_answer)
    fetched = mailbox.mailbox_fetch()
    assert (fetched.filed, fetched.failed) == (1, 1)
    assert imap_server.flags() == {1: FILED, 2: ""}


def test_an_imap_url_must_not_send_a_password_in_clear_to_another_machine():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        mailbox.imap_config("imap://foi:secret@mail.example.org/INBOX")
    config = mailbox.imap_config("imaps://foi%40example.org:p%2Fss@mail.example.org/Replies")
    assert (config.secure, config.host, config.port, config.user, config.password) == (
        True,
        "mail.example.org",
        993,
        "foi@example.org",
        "p/ss",
    )
    assert config.folder == "Replies"
