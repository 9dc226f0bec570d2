"""Chase the overdue answers of the campaigns that ask for it, now (the same sweep as the
morning task; cron, or a laptop without a worker). Safe to run again: a deadline is chased
once."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from correspondence.services.chasers import chasers_due, chasers_sweep


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        message = f"--date must be a date as YYYY-MM-DD, such as 2026-04-01, not {value!r}."
        raise CommandError(message) from error


class Command(BaseCommand):
    help = "Send today's chasers for overdue answers (queued at the sending rate)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", help="Sweep as of this day (YYYY-MM-DD); default today.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what would be sent; write nothing."
        )

    def handle(self, *args, date: str | None, dry_run: bool, **options) -> None:
        today = _date(date) if date else timezone.localdate()
        if dry_run:
            due = chasers_due(today=today)
            self.stdout.write(f"Dry run for {today}: {len(due)} chasers would be sent.")
            for item in due:
                request = item.request
                self.stdout.write(
                    f"  {request.campaign.title} / {request.force.name}: due {item.deadline}"
                )
            return
        swept = chasers_sweep(today=today)
        self.stdout.write(f"Chasers for {today}: {swept.claimed} queued.")
