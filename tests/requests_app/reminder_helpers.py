"""What the reminder tests share: a sweep on a frozen day, and the log read back."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import time_machine
from django.core import mail

from requests_app import reminders
from requests_app.models import Force, Reminder
from requests_app.services import request_create, request_record_event

LONDON = zoneinfo.ZoneInfo("Europe/London")


def day(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


def morning(date: dt.date) -> dt.datetime:
    return dt.datetime.combine(date, dt.time(7, 0), tzinfo=LONDON)


def sweep_on(date: dt.date, capture) -> reminders.SweepResult:
    """The sweep as the hourly task runs it on `date`, sending each digest after the commit.
    `capture` is pytest-django's django_capture_on_commit_callbacks."""
    with time_machine.travel(morning(date), tick=False), capture(execute=True):
        return reminders.reminders_sweep(today=date, send=_send)


def _send(digest_id: int) -> None:
    reminders.digest_send(digest_id=digest_id)


def sent_request(campaign, owner, sent_on: dt.date, force: str = "kent"):
    with time_machine.travel(morning(sent_on), tick=False):
        return request_create(
            campaign=campaign, force=Force.objects.get(slug=force), user=owner, sent_on=sent_on
        )


def record(request, kind: str, on: dt.date, user, **extra) -> None:
    with time_machine.travel(morning(on), tick=False):
        request_record_event(request=request, kind=kind, on=on, user=user, **extra)


def log() -> set[tuple[str, str, dt.date]]:
    """Every reminder claimed so far, as (recipient, kind, clock date): for one request."""
    return {
        (r.recipient.username, r.kind, r.deadline)
        for r in Reminder.objects.select_related("recipient")
    }


def outbox_to() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)
