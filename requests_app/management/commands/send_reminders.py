import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.dates import date_out_of_range
from requests_app import reminders
from requests_app.reminders.digests import SEND_ERRORS


def _date(value: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError as error:
        message = f"--date must be a date as YYYY-MM-DD, such as 2026-03-02, not {value!r}."
        raise CommandError(message) from error
    if problem := date_out_of_range(day):
        raise CommandError(f"--date: {problem}")
    return day


class Command(BaseCommand):
    help = (
        "Send today's deadline reminders now, without a worker: the same sweep as the hourly "
        "task, safe to run again (cron, or a laptop without Redis)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", help="Sweep as of this day (YYYY-MM-DD); default today.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what would be sent; write nothing."
        )

    def handle(self, *args, date: str | None, dry_run: bool, **options) -> None:
        today = _date(date) if date else timezone.localdate()
        if dry_run:
            self._print_due(today)
            return
        outcome = {"sent": 0, "not sent": 0}
        result = reminders.reminders_sweep(today=today)
        for digest_id in result.digests:
            self._send(digest_id, outcome)
        self.stdout.write(
            f"Reminders for {today}: {result.claimed} claimed; digests sent {outcome['sent']}, "
            f"not sent {outcome['not sent']}."
        )

    def _send(self, digest_id: int, outcome: dict) -> None:
        # Synchronous, so one refusing mail server costs one digest, not the rest of the run.
        try:
            sent = reminders.digest_send(digest_id=digest_id)
        except SEND_ERRORS as error:
            self.stderr.write(f"Digest {digest_id} not sent ({error}); the next run retries it.")
            sent = False
        outcome["sent" if sent else "not sent"] += 1

    def _print_due(self, today: dt.date) -> None:
        due = reminders.reminders_due(today=today)
        self.stdout.write(f"Dry run for {today}: {len(due)} reminders would be sent.")
        for item in sorted(due, key=lambda d: (d.recipient_email, d.campaign, d.force)):
            self.stdout.write(
                f"  {item.recipient_email}: {item.campaign} / {item.force}: {item.kind} "
                f"({item.deadline})"
            )
