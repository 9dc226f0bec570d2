"""File the replies waiting in the IMAP mailbox now, as the beat task does every two minutes
(cron, or a laptop without a worker). Safe to run again: what is filed is marked filed."""

from __future__ import annotations

import imaplib

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from correspondence.mailbox import BATCH, mailbox_fetch


class Command(BaseCommand):
    help = "File the messages waiting in the IMAP mailbox (IMAP_URL), marking each filed."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--url", help="An IMAP URL other than IMAP_URL's.")
        parser.add_argument("--batch", type=int, default=BATCH, help="At most this many.")

    def handle(self, *args, url: str | None, batch: int, **options) -> None:
        if not (url or settings.IMAP_URL):
            raise CommandError("Set IMAP_URL (imaps://user:password@host/INBOX) or give --url.")
        try:
            fetched = mailbox_fetch(url=url, batch=batch)
        except (imaplib.IMAP4.error, OSError) as error:
            raise CommandError(
                f"The mailbox could not be read ({type(error).__name__}: {error}); what was "
                "filed before stays filed, the rest waits for the next run."
            ) from error
        self.stdout.write(
            f"Filed {fetched.filed}, already filed {fetched.duplicates}, "
            f"left for the next run {fetched.failed}."
        )
