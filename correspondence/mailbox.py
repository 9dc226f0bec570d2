"""Reading the replies' IMAP mailbox (IMAP_URL), for the beat task and `fetch_email`.

By UID, one message at a time: fetched (without marking it seen), filed (committed), and only
then marked filed on the server: the keyword $FoiFiled, or a move to IMAP_FILED_FOLDER. A crash
or a server that goes away between the commit and the mark leaves the message unmarked; the
next poll reads it again and the filing finds it already filed (its fingerprint), so it is
filed once and marked then. A message over MAIL_MAX_BYTES is not downloaded: its headers are.
"""

from __future__ import annotations

import datetime as dt
import imaplib
import logging
import re
import time
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError
from imap_tools import BaseMailBox, MailBox, MailBoxUnencrypted

from correspondence.services.filing import message_file

logger = logging.getLogger(__name__)

LOOPBACK = ("127.0.0.1", "::1", "localhost")
SIZE = re.compile(rb"UID (\d+).*?RFC822\.SIZE (\d+)|RFC822\.SIZE (\d+).*?UID (\d+)")
BATCH = 200


@dataclass(frozen=True)
class ImapConfig:
    secure: bool
    host: str
    port: int
    user: str
    password: str
    folder: str


@dataclass
class Fetched:
    filed: int = 0
    duplicates: int = 0
    failed: int = 0


def imap_config(url: str) -> ImapConfig:
    """imaps://user:password@host[:port]/Folder; imap:// only for a server on this machine."""
    parts = urlsplit(url)
    if parts.scheme not in ("imap", "imaps") or not parts.hostname or not parts.username:
        raise ImproperlyConfigured(
            "IMAP_URL must look like imaps://user:password@host/INBOX (user and host required)."
        )
    if parts.scheme == "imap" and parts.hostname not in LOOPBACK:
        raise ImproperlyConfigured(
            "IMAP_URL: imap:// sends the password in clear; use imaps:// for a remote server."
        )
    secure = parts.scheme == "imaps"
    return ImapConfig(
        secure=secure,
        host=parts.hostname,
        port=parts.port or (993 if secure else 143),
        user=unquote(parts.username),
        password=unquote(parts.password or ""),
        folder=unquote(parts.path.lstrip("/")) or "INBOX",
    )


def _connect(config: ImapConfig) -> BaseMailBox:
    box_class = MailBox if config.secure else MailBoxUnencrypted
    box = box_class(config.host, config.port, timeout=settings.IMAP_TIMEOUT)
    return box.login(config.user, config.password, initial_folder=config.folder)


def mailbox_fetch(*, url: str | None = None, batch: int = BATCH) -> Fetched:
    """File up to `batch` messages not yet marked filed. IMAP and database errors propagate
    (the next poll carries on where this one stopped); a message the filing cannot handle is
    logged and left for the next poll, so one bad message does not hold up the rest."""
    config = imap_config(url or settings.IMAP_URL)
    fetched = Fetched()
    with _connect(config) as box:
        waiting = box.uids("ALL" if settings.IMAP_FILED_FOLDER else _unfiled())[:batch]
        for uid, size in _sizes(box, waiting):
            _file_one(box, uid, size, fetched)
    return fetched


def _unfiled() -> str:
    return f"UNDELETED UNKEYWORD {settings.IMAP_FILED_KEYWORD}"


def _sizes(box: BaseMailBox, uids: list[str]) -> list[tuple[str, int]]:
    """Each message's size, in one command, so an oversized one is not downloaded."""
    if not uids:
        return []
    status, data = box.client.uid("FETCH", ",".join(uids), "(UID RFC822.SIZE)")
    _check(status, data)
    sizes = {}
    for item in data:
        line = item[0] if isinstance(item, tuple) else item
        match = SIZE.search(line or b"")
        if match:
            uid, size = (match.group(1), match.group(2)) if match.group(1) else match.group(4, 3)
            sizes[uid.decode()] = int(size)
    return [(uid, sizes[uid]) for uid in uids if uid in sizes]


def _file_one(box: BaseMailBox, uid: str, size: int, fetched: Fetched) -> None:
    too_large = size > settings.MAIL_MAX_BYTES
    raw, received_at = _download(box, uid, headers_only=too_large)
    try:
        filed = message_file(raw=raw, received_at=received_at, size=size)
    except DatabaseError:
        raise
    except Exception:
        # A bug meeting a message it cannot handle: log it, leave it unmarked, go on.
        logger.exception("Message not filed; left in the mailbox", extra={"imap_uid": uid})
        fetched.failed += 1
        return
    mark_filed(box, uid)
    if filed.duplicate:
        fetched.duplicates += 1
    else:
        fetched.filed += 1


def _download(box: BaseMailBox, uid: str, *, headers_only: bool) -> tuple[bytes, dt.datetime]:
    part = "BODY.PEEK[HEADER]" if headers_only else "BODY.PEEK[]"
    status, data = box.client.uid("FETCH", uid, f"({part} INTERNALDATE)")
    _check(status, data)
    raw, envelope = b"", b""
    for item in data:
        if isinstance(item, tuple):
            envelope, raw = item[0], item[1]
    return raw, _internal_date(envelope)


def _internal_date(envelope: bytes) -> dt.datetime:
    """When the server received the message: the day a reply arrived, even if read later."""
    parsed = imaplib.Internaldate2tuple(envelope)
    if parsed is None:
        return dt.datetime.now(dt.UTC)
    return dt.datetime.fromtimestamp(time.mktime(parsed), tz=dt.UTC)


def mark_filed(box: BaseMailBox, uid: str) -> None:
    """After the commit, never before. STORE directly: imap-tools' flag() would also EXPUNGE,
    deleting whatever anyone else has marked deleted in the mailbox."""
    if settings.IMAP_FILED_FOLDER:
        box.move(uid, settings.IMAP_FILED_FOLDER)
        return
    status, data = box.client.uid("STORE", uid, "+FLAGS.SILENT", f"({settings.IMAP_FILED_KEYWORD})")
    _check(status, data)


def _check(status: str, data) -> None:
    if status != "OK":
        raise imaplib.IMAP4.error(f"IMAP server answered {status}: {data!r}"[:300])
