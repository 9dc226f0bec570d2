"""Failures the on-call must act on are logged with the task, the row and the error, never with
an address, a token or an email body; the project's own admin actions are in the admin history."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib

import pytest
from celery import shared_task
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client

from requests_app.models import ReminderDigest
from requests_app.reminders import digest_send
from tests.factories import UserFactory

REFUSAL = smtplib.SMTPRecipientsRefused({"alice@example.org": (550, b"5.1.1 alice@example.org")})


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise REFUSAL


@shared_task
def failing_task(digest_id: int) -> None:
    raise ConnectionRefusedError(f"could not reach smtp for bob@example.org (digest {digest_id})")


def records(caplog, name: str) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == name]


def test_a_failed_task_is_logged_with_its_name_id_row_and_error_without_addresses(caplog):
    with caplog.at_level(logging.ERROR, logger="foitracker.tasks"):
        result = failing_task.apply(args=[42], task_id="task-0001", throw=False)
    assert result.failed()
    [record] = records(caplog, "foitracker.tasks")
    assert record.getMessage() == "Task failed"
    assert (record.task, record.task_id, record.row_ids) == (
        "tests.core.test_operational_logs.failing_task",
        "task-0001",
        [42],
    )
    assert record.error == (
        "ConnectionRefusedError: could not reach smtp for <address> (digest 42)"
    )


@pytest.fixture
def digest(db):
    alice = UserFactory(username="alice", email="alice@example.org")
    return ReminderDigest.objects.create(
        recipient=alice, on=dt.date(2026, 3, 2), sweep="00000000-0000-0000-0000-000000000001"
    )


def test_a_refused_send_is_logged_with_the_digest_and_attempt_but_no_address(
    digest, settings, caplog
):
    settings.EMAIL_BACKEND = "tests.core.test_operational_logs.RefusingBackend"
    with (
        caplog.at_level(logging.WARNING, logger="requests_app.reminders.digests"),
        pytest.raises(smtplib.SMTPRecipientsRefused),
    ):
        digest_send(digest_id=digest.pk)
    [record] = records(caplog, "requests_app.reminders.digests")
    assert (record.levelname, record.getMessage()) == (
        "WARNING",
        "Reminder digest send failed; will retry",
    )
    assert (record.digest_id, record.attempt, record.final) == (digest.pk, 1, False)
    assert record.error == ("SMTPRecipientsRefused: {'<address>': (550, b'5.1.1 <address>')}")
    assert "example.org" not in str(vars(record))


def test_the_last_refused_attempt_is_logged_as_an_error(digest, settings, caplog):
    settings.EMAIL_BACKEND = "tests.core.test_operational_logs.RefusingBackend"
    ReminderDigest.objects.filter(pk=digest.pk).update(attempts=5)
    with caplog.at_level(logging.WARNING, logger="requests_app.reminders.digests"):
        assert digest_send(digest_id=digest.pk) is False
    [record] = records(caplog, "requests_app.reminders.digests")
    assert (record.levelname, record.getMessage(), record.attempt, record.final) == (
        "ERROR",
        "Reminder digest not sent",
        6,
        True,
    )


def test_sending_a_failed_digest_again_is_in_the_admin_history(digest, staff):
    ReminderDigest.objects.filter(pk=digest.pk).update(state=ReminderDigest.State.FAILED)
    sent = ReminderDigest.objects.create(
        recipient=digest.recipient,
        on=dt.date(2026, 3, 3),
        sweep=digest.sweep,
        state=ReminderDigest.State.SENT,
    )
    client = Client()
    client.force_login(staff)
    response = client.post(
        "/admin/requests_app/reminderdigest/",
        {"action": "send_again", "_selected_action": [digest.pk, sent.pk]},
    )
    assert response.status_code == 302
    assert ReminderDigest.objects.get(pk=digest.pk).state == ReminderDigest.State.PENDING
    # Only the digest that was failed was re-queued, and so logged.
    assert list(
        LogEntry.objects.values_list("user__username", "action_flag", "object_id", "change_message")
    ) == [("staff", CHANGE, str(digest.pk), "Queued to be sent again after failing.")]
