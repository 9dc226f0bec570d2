"""The reminder sweep over the seeded open requests, on the fixed sweep day: a dry run, the first
sweep (which claims everything owed) and a second (which finds it all claimed). Each starts from
an empty reminder log; nothing is emailed (the digests are left pending)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.seed import SWEEP_DAY
from requests_app import reminders
from requests_app.models import Reminder, ReminderDigest


@dataclass
class SweepFigures:
    requests: int  # open requests the sweep could have to read
    dry_run: float
    dry_run_queries: int
    first: float
    first_queries: int
    claimed: int
    second: float
    second_queries: int
    second_claimed: int


def _run(function):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - started
    return elapsed, len(queries), result


def reminder_log_empty() -> None:
    Reminder.objects.all().delete()
    ReminderDigest.objects.all().delete()


def measure(open_requests: int) -> SweepFigures:
    reminder_log_empty()
    dry, dry_queries, _ = _run(lambda: reminders.reminders_due(today=SWEEP_DAY))
    first, first_queries, result = _run(lambda: reminders.reminders_sweep(today=SWEEP_DAY))
    second, second_queries, again = _run(lambda: reminders.reminders_sweep(today=SWEEP_DAY))
    return SweepFigures(
        open_requests,
        dry,
        dry_queries,
        first,
        first_queries,
        result.claimed,
        second,
        second_queries,
        again.claimed,
    )
