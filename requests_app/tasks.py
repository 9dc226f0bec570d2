"""Thin Celery tasks: each takes ids (or nothing), calls one function, and is safe to run twice.
The rules and the claims are in requests_app/reminders/."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnavailable

from requests_app import reminders
from requests_app.reminders.digests import MAX_ATTEMPTS, SEND_ERRORS


@shared_task(
    acks_late=True,  # idempotent: the digest row is taken before the mail goes out
    autoretry_for=SEND_ERRORS,
    retry_backoff=30,  # 30 s, 1 min, 2 min... with jitter, capped below
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    # The row counts attempts and gives up itself; the extra retry lets it record the failure.
    max_retries=MAX_ATTEMPTS,
    soft_time_limit=90,
    time_limit=120,
    ignore_result=True,
)
def send_reminder_digest(digest_id: int) -> None:
    """Send one person's digest; returns quietly when it is gone or already sent."""
    reminders.digest_send(digest_id=digest_id)


def queue_digest(digest_id: int) -> None:
    send_reminder_digest.delay(digest_id)


@shared_task(
    acks_late=True,  # idempotent: a second sweep claims nothing the first one claimed
    autoretry_for=(BrokerUnavailable,),
    retry_backoff=60,
    retry_backoff_max=15 * 60,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=14 * 60,
    time_limit=15 * 60,
    ignore_result=True,
)
def sweep_reminders() -> None:
    """Claim today's reminders and queue every digest that is waiting, after the commit."""
    reminders.reminders_sweep(today=timezone.localdate(), send=queue_digest)
