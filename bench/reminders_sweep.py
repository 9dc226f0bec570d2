"""Benchmark: the reminder sweep over 100,000 open requests, on PostgreSQL.

    createdb foi_reminders_bench   # or let the script create it
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/foi_reminders_bench \\
        .venv/bin/python bench/reminders_sweep.py [--requests 100000]

The requests are bulk-inserted straight into the tables (not through the services, which would
take hours) with deadlines from the deadline engine. It times three runs on the same day: a dry
run, the first sweep (which claims everything owed) and a second sweep (which finds it all
claimed), and counts their queries. Nothing is emailed: the digests are left pending.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "foitracker.settings")

import django

TODAY = dt.date(2026, 6, 1)
FORCES_PER_CAMPAIGN = 46


def ensure_database() -> None:
    import psycopg

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database, e.g. .../foi_reminders_bench")
    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def populate(count: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from requests_app.deadlines import compute_deadlines
    from requests_app.models import Campaign, FoiRequest, Force
    from requests_app.selectors import working_calendars
    from requests_app.status import Status

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE requests_app_reminder, requests_app_reminderdigest, "
            "requests_app_foirequest, requests_app_campaign_collaborators, requests_app_campaign "
            "RESTART IDENTITY CASCADE"
        )
    User = get_user_model()
    User.objects.filter(username__startswith="bench-").delete()
    campaigns_needed = -(-count // FORCES_PER_CAMPAIGN)
    users = User.objects.bulk_create(
        User(username=f"bench-{n}", email=f"bench-{n}@example.org")
        for n in range(max(campaigns_needed // 2, 2))
    )
    campaigns = Campaign.objects.bulk_create(
        Campaign(
            title=f"Bench campaign {n}",
            question="How many?",
            period_start=dt.date(2025, 1, 1),
            period_end=dt.date(2025, 12, 31),
            owner=users[n % len(users)],
        )
        for n in range(campaigns_needed)
    )
    Campaign.collaborators.through.objects.bulk_create(
        Campaign.collaborators.through(campaign=c, user=users[(n + 1) % len(users)])
        for n, c in enumerate(campaigns)
    )
    forces = list(Force.objects.order_by("slug"))[:FORCES_PER_CAMPAIGN]
    calendars = working_calendars()
    cache = {}
    requests = []
    for n, campaign in enumerate(campaigns):
        # Campaigns sent on every day of the 140 days before TODAY: some not yet due, some due
        # soon, most overdue or very overdue.
        sent_on = TODAY - dt.timedelta(days=n % 140)
        for force in forces:
            if len(requests) == count:
                break
            key = (force.regime, sent_on)
            if key not in cache:
                cache[key] = compute_deadlines(calendars[force.regime], sent_on, [])
            request = FoiRequest(
                campaign=campaign,
                force=force,
                sent_on=sent_on,
                received_on=sent_on,
                status=Status.SENT,
            )
            request.apply_deadlines(cache[key])
            requests.append(request)
    FoiRequest.objects.bulk_create(requests, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(label: str, run) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        outcome = run()
        elapsed = time.perf_counter() - started
    print(f"{label}: {elapsed:.2f} s, {len(queries)} queries; {outcome}")


def _summary(result) -> str:
    return f"{result.claimed} reminders claimed, {len(result.digests)} digests waiting"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100_000)
    args = parser.parse_args()
    ensure_database()
    django.setup()
    from django.core.management import call_command

    from requests_app import reminders
    from requests_app.models import FoiRequest, Reminder, ReminderDigest

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    populate(args.requests)
    print(
        f"{FoiRequest.objects.count()} open requests inserted in "
        f"{time.perf_counter() - started:.1f} s; sweeping as of {TODAY}"
    )
    measure("dry run", lambda: f"{len(reminders.reminders_due(today=TODAY))} reminders owed")
    measure("first sweep", lambda: _summary(reminders.reminders_sweep(today=TODAY)))
    measure("second sweep", lambda: _summary(reminders.reminders_sweep(today=TODAY)))
    print(f"{Reminder.objects.count()} reminders in {ReminderDigest.objects.count()} digests")


if __name__ == "__main__":
    main()
