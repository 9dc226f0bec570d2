"""For a mail server's pipe (Postfix `pipe`, Exim `pipe` transport): one message on standard
input, filed once. Exit codes are what the mail server acts on (sysexits.h): 0 filed or already
filed; 75 (EX_TEMPFAIL) when the database cannot be reached, so the mail server keeps the
message and tries again later. Nothing is lost either way."""

from __future__ import annotations

import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, InterfaceError, OperationalError

from correspondence.services.filing import message_file

EX_DATAERR = 65
EX_TEMPFAIL = 75
CHUNK = 1 << 20


def read_message(stream, limit: int) -> tuple[bytes, int]:
    """The message and its size, read to the end so the mail server sees it taken; past
    `limit` only the start is kept (the filing keeps the headers of an oversized message)."""
    kept, size = bytearray(), 0
    while chunk := stream.read(CHUNK):
        size += len(chunk)
        if len(kept) <= limit:
            kept += chunk
    return bytes(kept[: limit + 1]), size


class Command(BaseCommand):
    help = (
        "File one email message read from standard input (for a mail server's pipe). Exits 75 "
        "when the database cannot be reached, so the mail server retries."
    )

    def handle(self, *args, **options) -> None:
        raw, size = read_message(sys.stdin.buffer, settings.MAIL_MAX_BYTES)
        if not raw.strip():
            # A mis-configured pipe, not a message: the mail server returns it to its sender.
            raise CommandError("No message on standard input.", returncode=EX_DATAERR)
        try:
            filed = message_file(raw=raw, size=size)
        except (OperationalError, InterfaceError) as error:
            raise CommandError(
                f"The database cannot be reached ({type(error).__name__}); the mail server "
                "keeps the message and tries again.",
                returncode=EX_TEMPFAIL,
            ) from error
        except DatabaseError as error:
            # Any other database failure: better another try later than a lost message.
            raise CommandError(
                f"The message was not filed ({type(error).__name__}); try again later.",
                returncode=EX_TEMPFAIL,
            ) from error
        message = filed.message
        what = "already filed" if filed.duplicate else message.get_state_display().lower()
        self.stdout.write(f"Message {message.pk}: {what}.")
