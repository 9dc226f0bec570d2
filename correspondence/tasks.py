"""Thin Celery tasks: each takes ids (or nothing), calls one service, and is safe to run twice.
The claims and the rules are in correspondence/services/."""

from __future__ import annotations

import datetime as dt
import imaplib
import logging

from celery import shared_task
from django.conf import settings
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnavailable

from core.task_log import error_text
from correspondence.mailbox import mailbox_fetch
from correspondence.services import chasers, sending

logger = logging.getLogger(__name__)


@shared_task(
    acks_late=True,  # idempotent: the row is taken before the letter goes out
    autoretry_for=sending.SEND_ERRORS,
    retry_backoff=30,  # 30 s, 1 min, 2 min... with jitter, capped below
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    # The row counts attempts and gives up itself; the extra retry lets it record the failure.
    max_retries=settings.MAIL_SEND_ATTEMPTS,
    soft_time_limit=90,
    time_limit=120,
    ignore_result=True,
)
def send_letter(message_id: int) -> None:
    """Send one queued letter; returns quietly when it is gone or already sent."""
    sending.letter_send(message_id=message_id)


def queue_letters(schedule: list[tuple[int, dt.datetime]]) -> None:
    """One task per letter, due at its place in the queue. With the broker down the rows stay
    queued, and the sweep of waiting letters hands them out again."""
    try:
        for message_id, due in schedule:
            send_letter.apply_async((message_id,), eta=due)
    except BrokerUnavailable as error:
        logger.warning(
            "Letters not queued; the sweep of waiting letters will queue them",
            extra={"message_ids": [pk for pk, _ in schedule], "error": type(error).__name__},
        )


@shared_task(
    acks_late=True,
    autoretry_for=(BrokerUnavailable,),
    retry_backoff=60,
    max_retries=3,
    soft_time_limit=60,
    time_limit=90,
    ignore_result=True,
)
def send_waiting_letters() -> None:
    """Queue again the letters whose task was lost (a broker outage, a restart)."""
    sending.letters_requeue(now=timezone.now(), send=queue_letters)


@shared_task(
    acks_late=True,  # idempotent: a filed message is marked filed, and filed once anyway
    soft_time_limit=4 * 60,
    time_limit=5 * 60,
    ignore_result=True,
)
def fetch_mail() -> None:
    """File what waits in the IMAP mailbox; nothing to do without IMAP_URL. A mailbox that
    cannot be read is logged: the next poll, two minutes on, tries again."""
    if not settings.IMAP_URL:
        return
    try:
        mailbox_fetch()
    except (imaplib.IMAP4.error, OSError) as error:
        logger.warning("Mailbox not read", extra={"error": error_text(error)})


@shared_task(
    acks_late=True,  # idempotent: a deadline's chaser is a unique row
    autoretry_for=(BrokerUnavailable,),
    retry_backoff=60,
    max_retries=5,
    soft_time_limit=10 * 60,
    time_limit=11 * 60,
    ignore_result=True,
)
def sweep_chasers() -> None:
    """Claim today's chasers and queue them after the commit."""
    chasers.chasers_sweep(today=timezone.localdate())
