"""Sending a digest: once, when a worker dies at each point of the send, and when the mail
server refuses. Only SMTP is mocked; a killed worker is an exception that no handler catches."""

from __future__ import annotations

import datetime as dt
import smtplib
from contextlib import contextmanager
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from foitracker.celery import app as celery_app
from requests_app import reminders, tasks
from requests_app.models import Force, ReminderDigest
from requests_app.reminders.digests import HOLD, MAX_ATTEMPTS
from requests_app.services import campaign_send
from tests.factories import CampaignFactory
from tests.requests_app.reminder_helpers import day, morning, sent_request

SWEEP_DAY = day("2026-02-25")  # a request sent Mon 2 Feb 2026 is due soon (due Mon 2 Mar)
SEND_TIME = morning(SWEEP_DAY)


class WorkerKilled(BaseException):
    """A SIGKILL, as seen from inside the worker: nothing after it runs, no handler sees it."""


@contextmanager
def celery_settings(**values):
    before = {name: celery_app.conf[name] for name in values}
    celery_app.conf.update(values)
    try:
        yield
    finally:
        celery_app.conf.update(before)


@pytest.fixture(autouse=True)
def eager_tasks():
    """Tasks run in the test's thread, as on a laptop without Redis."""
    with celery_settings(task_always_eager=True):
        yield


@pytest.fixture
def digest(campaign, owner) -> ReminderDigest:
    campaign.collaborators.clear()
    sent_request(campaign, owner, day("2026-02-02"))
    with time_machine.travel(SEND_TIME, tick=False):
        result = reminders.reminders_sweep(today=SWEEP_DAY)
    (digest_id,) = result.digests
    return ReminderDigest.objects.get(pk=digest_id)


@pytest.fixture
def refusing_smtp(settings):
    """A mail server that refuses every message; `.side_effect` can be changed by the test."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    with mock.patch("django.core.mail.backends.smtp.smtplib.SMTP") as smtp:
        smtp.return_value.sendmail.side_effect = smtplib.SMTPDataError(554, b"Message refused")
        yield smtp.return_value.sendmail


def run_with_retries(digest: ReminderDigest) -> None:
    """The send task with Celery running each retry at once, in this thread (the countdowns
    are skipped; the real worker test waits for them)."""
    with celery_settings(task_eager_propagates=False):
        tasks.send_reminder_digest.apply(args=[digest.pk])


def send_at(when: dt.datetime, digest: ReminderDigest) -> bool:
    with time_machine.travel(when, tick=False):
        return reminders.digest_send(digest_id=digest.pk)


def test_a_worker_killed_before_the_mail_leaves_sends_it_once_on_redelivery(digest):
    with (
        mock.patch.object(mail.EmailMultiAlternatives, "send", side_effect=WorkerKilled),
        pytest.raises(WorkerKilled),
    ):
        send_at(SEND_TIME, digest)
    digest.refresh_from_db()
    assert (digest.state, len(mail.outbox)) == ("pending", 0)

    # Redelivered while the dead worker's hold lasts: left alone, not sent and not lost.
    assert send_at(SEND_TIME + HOLD - dt.timedelta(seconds=1), digest) is False
    # Once the hold has expired, the redelivered task sends it.
    assert send_at(SEND_TIME + HOLD + dt.timedelta(seconds=1), digest) is True
    assert send_at(SEND_TIME + 2 * HOLD + dt.timedelta(seconds=2), digest) is False

    digest.refresh_from_db()
    assert (digest.state, digest.attempts, len(mail.outbox)) == ("sent", 2, 1)


def test_a_worker_killed_after_the_send_but_before_marking_it_repeats_that_one_email(digest):
    """The price of never losing a reminder: the one place where a crash repeats an email."""
    with (
        mock.patch("requests_app.reminders.digests._mark_sent", side_effect=WorkerKilled),
        pytest.raises(WorkerKilled),
    ):
        send_at(SEND_TIME, digest)
    assert len(mail.outbox) == 1

    assert send_at(SEND_TIME + HOLD + dt.timedelta(seconds=1), digest) is True

    digest.refresh_from_db()
    assert (digest.state, len(mail.outbox)) == ("sent", 2)
    assert mail.outbox[0].body == mail.outbox[1].body


def test_the_next_sweep_requeues_a_digest_whose_task_was_lost(digest):
    with (
        mock.patch.object(mail.EmailMultiAlternatives, "send", side_effect=WorkerKilled),
        pytest.raises(WorkerKilled),
    ):
        send_at(SEND_TIME, digest)

    with time_machine.travel(SEND_TIME + dt.timedelta(hours=1), tick=False):
        result = reminders.reminders_sweep(today=SWEEP_DAY)

    assert (result.claimed, result.digests) == (0, [digest.pk])


def test_it_retries_a_refusing_mail_server_then_marks_the_digest_failed(digest, refusing_smtp):
    with time_machine.travel(SEND_TIME, tick=False):
        run_with_retries(digest)

    digest.refresh_from_db()
    assert refusing_smtp.call_count == MAX_ATTEMPTS
    assert (digest.state, digest.attempts, digest.sent_at) == ("failed", MAX_ATTEMPTS, None)
    assert digest.last_error == "Attempt 6: SMTPDataError: (554, b'Message refused')"
    # A failed digest is not sent again by the sweep; the admin can put it back.
    with time_machine.travel(SEND_TIME + dt.timedelta(hours=1), tick=False):
        assert reminders.reminders_sweep(today=SWEEP_DAY).digests == []


def test_a_mail_server_that_recovers_gets_the_digest_sent_once(digest, refusing_smtp):
    refusing_smtp.side_effect = [smtplib.SMTPServerDisconnected("gone"), OSError("reset"), {}]

    with time_machine.travel(SEND_TIME, tick=False):
        run_with_retries(digest)

    digest.refresh_from_db()
    assert (refusing_smtp.call_count, digest.state, digest.attempts) == (3, "sent", 3)
    assert digest.last_error == ""


def test_a_failed_digest_put_back_by_the_admin_goes_out_at_the_next_sweep(digest):
    ReminderDigest.objects.filter(pk=digest.pk).update(state="failed", attempts=MAX_ATTEMPTS)

    assert reminders.digests_retry(digests=ReminderDigest.objects.all()) == 1
    with time_machine.travel(SEND_TIME + dt.timedelta(hours=1), tick=False):
        result = reminders.reminders_sweep(today=SWEEP_DAY)
        for digest_id in result.digests:
            reminders.digest_send(digest_id=digest_id)

    digest.refresh_from_db()
    assert (digest.state, digest.attempts, len(mail.outbox)) == ("sent", 1, 1)


def test_the_send_task_returns_quietly_when_the_digest_is_gone(digest):
    digest.delete()

    tasks.send_reminder_digest.delay(digest.pk)

    assert mail.outbox == []


def test_the_tasks_take_json_ids_retry_with_backoff_and_are_acknowledged_late():
    send = tasks.send_reminder_digest
    assert celery_app.conf.task_serializer == "json"
    assert celery_app.conf.accept_content == ["json"]
    assert (send.acks_late, send.retry_jitter, send.retry_backoff, send.max_retries) == (
        True,
        True,
        30,
        MAX_ATTEMPTS,
    )
    assert (send.soft_time_limit, send.time_limit) == (90, 120)
    # The hold outlives the hard time limit: a worker still sending is never overtaken.
    assert dt.timedelta(seconds=send.time_limit) < HOLD
    assert tasks.sweep_reminders.acks_late is True


@pytest.mark.parametrize("forces", [3, 30])
def test_a_digest_is_built_and_sent_in_the_same_number_of_queries_for_3_or_30_items(owner, forces):
    campaign = CampaignFactory(owner=owner)
    with time_machine.travel(morning(day("2026-02-02")), tick=False):
        campaign_send(
            campaign=campaign,
            forces=list(Force.objects.order_by("slug")[:forces]),
            sent_on=day("2026-02-02"),
            user=owner,
        )
    with time_machine.travel(SEND_TIME, tick=False):
        (digest_id,) = reminders.reminders_sweep(today=SWEEP_DAY).digests
        with CaptureQueriesContext(connection) as queries:
            assert reminders.digest_send(digest_id=digest_id) is True

    assert mail.outbox[0].body.count("Answer due soon") == forces
    # Take the digest, read it with its person, read its reminders, mark it sent.
    assert len(queries) == 4
