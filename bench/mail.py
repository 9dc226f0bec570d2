"""Mail: the inbound filing rate with a 100 KB attachment, and the time to queue a send to all
46 forces (issue 13's targets: at least 50 messages a second on PostgreSQL; under a second).

Filing: each of MESSAGES requests has its own reply address, and gets one reply from its
force's FOI address with a 100 KB CSV attached. Each reply is filed by `message_file`, the one
path behind `receive_email` and the IMAP fetch: parsed, matched by its reply address, written
in one transaction with its attachment checked (type from the bytes, size, hidden content) and
stored as a document. The rate is the messages over the time to file them all, one by one, as
a mail server's pipe delivers them (after WARMUP unmeasured ones). On PostgreSQL the same is
measured again with PARALLEL deliveries at once (processes forked from this one, each with
its own connection), as a mail server runs several pipes; SQLite takes one writer at a time.

Queueing: `campaign_send_by_email` to the 46 forces: the drafts, the 46 letters rendered and
inserted, the commit, and one task per letter handed to the broker after it. The broker is
kombu's in-memory transport, so nothing is sent and no other worker sees the tasks; with
Redis the hand-over adds one round trip a letter on loopback. The median of REPEAT sends, each
of a new campaign.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import statistics
import tempfile
import time
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from django.core.files.storage import FileSystemStorage
from django.db import connection, connections, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.report import Report, seconds
from correspondence.addresses import force_address, our_reference, reply_address
from correspondence.models import Attachment, ForceContact, Message, RequestMailbox, State
from correspondence.services.filing import message_file
from correspondence.services.sending import campaign_send_by_email, mailboxes_open
from foitracker.celery import app
from requests_app.models import Campaign, FoiRequest, Force
from requests_app.services import campaign_send
from responses_app.models import Document

MESSAGES = 200
WARMUP = 10
REPEAT = 5
PARALLEL = (2, 4)  # deliveries at once
ATTACHMENT_BYTES = 100_000
TARGET_FILING_RATE = 50.0  # messages a second
TARGET_QUEUE_SECONDS = 1.0
MAIL = {
    "REPLY_ADDRESS": "foi+{token}@replies.example.org",
    "CORRESPONDENCE_FROM_EMAIL": "foi@tracker.example.org",
    "MAIL_REFERENCE_PREFIX": "FT",
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
}


@dataclass
class MailFigures:
    messages: int
    filing_total: float
    filing_median: float
    filing_queries: int  # for one message
    attachments_kept: int
    forces: int
    queue_median: float
    queue_runs: list[float]
    queue_queries: int  # for one send
    parallel: list[tuple[int, int, float]]  # (deliveries at once, messages, seconds)

    @property
    def filing_rate(self) -> float:
        return self.messages / self.filing_total


def csv_attachment(size: int = ATTACHMENT_BYTES) -> bytes:
    """A force's answer as a CSV of about `size` bytes."""
    rows = ["month,platform,offence,count"]
    month = 0
    while sum(len(row) + 1 for row in rows) < size:
        rows.append(f"2025-{month % 12 + 1:02d},Platform {month % 20},Offence {month % 10},{month}")
        month += 1
    return ("\n".join(rows) + "\n").encode()


def reply(request: FoiRequest, token: str, attachment: bytes) -> bytes:
    message = EmailMessage()
    message["From"] = f"{request.force.name} <{force_address(request.force)}>"
    message["To"] = reply_address(token)
    message["Subject"] = f"RE: Freedom of Information request [{our_reference(request.pk)}]"
    message["Date"] = format_datetime(timezone.now())
    message["Message-ID"] = make_msgid(f"bench{request.pk}", domain="force.example.org")
    message.set_content("Please find our answer attached.\n\nInformation Rights Unit\n")
    message.add_attachment(attachment, maintype="text", subtype="csv", filename="answer.csv")
    return message.as_bytes()


def _empty() -> None:
    """Start from no mail (the seed's truncation leaves these tables alone on SQLite)."""
    Attachment.objects.all().delete()
    Message.objects.all().delete()
    RequestMailbox.objects.all().delete()


def _requests_to_answer(owner, count: int) -> list[FoiRequest]:
    """Enough campaigns sent (recorded, not emailed) to the 46 forces for `count` requests."""
    forces = list(Force.objects.select_related("contact").order_by("slug"))
    sent_on = timezone.localdate() - dt.timedelta(days=7)
    requests: list[FoiRequest] = []
    while len(requests) < count:
        campaign = Campaign.objects.create(
            owner=owner,
            title=f"Mail bench {len(requests)}",
            question="How many offences were recorded, by platform?",
            period_start=dt.date(2025, 1, 1),
            period_end=dt.date(2025, 12, 31),
            requester_name="Bench Researcher",
            guernsey_eligibility_confirmed=True,
        )
        requests += campaign_send(campaign=campaign, forces=forces, sent_on=sent_on, user=owner)
    chosen = [r for r in requests if force_address(r.force)][:count]
    return list(
        FoiRequest.objects.select_related("force__contact").filter(pk__in=[r.pk for r in chosen])
    )


def _file_all(raws: list[bytes]) -> tuple[float, list[float], int]:
    runs = []
    with CaptureQueriesContext(connection) as captured:
        message_file(raw=raws[0])
    queries = len(captured)
    started = time.perf_counter()
    for raw in raws[1:]:
        began = time.perf_counter()
        message_file(raw=raw)
        runs.append(time.perf_counter() - began)
    total = time.perf_counter() - started
    return total, runs, queries


def _replies(owner, count: int) -> list[bytes]:
    requests = _requests_to_answer(owner, count)
    tokens = mailboxes_open(requests)
    attachment = csv_attachment()
    return [reply(request, tokens[request.pk], attachment) for request in requests]


def measure_filing(owner) -> tuple[int, float, float, int, int]:
    raws = _replies(owner, MESSAGES + WARMUP + 1)
    for raw in raws[:WARMUP]:
        message_file(raw=raw)
    total, runs, queries = _file_all(raws[WARMUP:])
    kept = Attachment.objects.filter(document__isnull=False).count()
    filed = Message.objects.filter(state=State.TO_CLASSIFY).count()
    assert filed == len(raws), f"{filed} of {len(raws)} replies were matched"
    return len(runs), total, statistics.median(runs), queries, kept


def _file_share(raws: list[bytes]) -> int:
    for raw in raws:
        message_file(raw=raw)
    connection.close()
    return len(raws)


def measure_parallel(owner, processes: int) -> tuple[int, int, float]:
    """MESSAGES replies shared among `processes` forked workers; the pool is started before
    the clock, so the time is the filing's."""
    raws = _replies(owner, MESSAGES)
    before = Message.objects.count()
    # A forked process must not share the parent's database socket: each opens its own.
    connections.close_all()
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        pool.map(abs, range(processes))  # the workers are up
        started = time.perf_counter()
        filed = sum(pool.map(_file_share, [raws[n::processes] for n in range(processes)]))
        elapsed = time.perf_counter() - started
    assert Message.objects.count() - before == filed == len(raws)
    return processes, filed, elapsed


def _letter_addresses_complete(forces: list[Force]) -> None:
    """Jersey and Guernsey publish no FOI address in the register: give them one, as an admin
    would in the force contacts, so that all 46 get a letter."""
    for force in forces:
        if not force.foi_email:
            ForceContact.objects.update_or_create(
                force=force, defaults={"address": f"foi@{force.slug}.example.org"}
            )


def measure_queue(owner) -> tuple[int, float, list[float], int]:
    forces = list(Force.objects.order_by("slug"))
    _letter_addresses_complete(forces)
    runs, queries = [], 0
    for run in range(REPEAT + 1):  # the first is a warm-up
        campaign = Campaign.objects.create(
            owner=owner,
            title=f"Send bench {run}",
            question="How many offences were recorded, by platform?",
            period_start=dt.date(2025, 1, 1),
            period_end=dt.date(2025, 12, 31),
            requester_name="Bench Researcher",
            guernsey_eligibility_confirmed=True,
        )
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            # The tasks are handed over after the commit, inside the measured time.
            with transaction.atomic():
                drafts = campaign_send_by_email(campaign=campaign, forces=forces, user=owner)
            elapsed = time.perf_counter() - started
        assert len(drafts) == len(forces)
        if run:
            runs.append(elapsed)
            queries = len(captured)
    return len(forces), statistics.median(runs), runs, queries


def measure(cast) -> MailFigures:
    storage = Document._meta.get_field("file")
    saved_storage, saved_eager = storage.storage, app.conf.task_always_eager
    saved_broker = app.conf.broker_url
    with tempfile.TemporaryDirectory() as folder, override_settings(**MAIL):
        # Documents go to a folder of their own; tasks to the in-memory broker, never run.
        storage.storage = FileSystemStorage(location=folder)
        app.conf.task_always_eager = False
        app.conf.broker_url = "memory://"
        try:
            _empty()
            messages, total, median, queries, kept = measure_filing(cast.owner)
            parallel = (
                [measure_parallel(cast.owner, n) for n in PARALLEL]
                if connection.vendor == "postgresql"
                else []
            )
            forces, queue_median, queue_runs, queue_queries = measure_queue(cast.owner)
        finally:
            storage.storage, app.conf.task_always_eager = saved_storage, saved_eager
            app.conf.broker_url = saved_broker
            _empty()
    return MailFigures(
        messages,
        total,
        median,
        queries,
        kept,
        forces,
        queue_median,
        queue_runs,
        queue_queries,
        parallel,
    )


def report(report: Report, figures: MailFigures | None) -> None:
    if figures is None:
        report.target(f"inbound filing >= {TARGET_FILING_RATE:.0f} messages/s", "", None)
        report.target(f"queue a 46-force send < {TARGET_QUEUE_SECONDS:.0f} s", "", None)
        return
    report.table(
        "Mail: filing replies with a 100 KB attachment, and queueing a send",
        ["what", "count", "time", "rate", "median each", "queries"],
        [
            [
                "file a reply with a 100 KB CSV (parse, match, document)",
                f"{figures.messages} messages",
                seconds(figures.filing_total),
                f"{figures.filing_rate:.0f} messages/s",
                seconds(figures.filing_median),
                f"{figures.filing_queries} a message",
            ],
            *[
                [
                    f"the same, {processes} deliveries at once",
                    f"{filed} messages",
                    seconds(elapsed),
                    f"{filed / elapsed:.0f} messages/s",
                    "",
                    "",
                ]
                for processes, filed, elapsed in figures.parallel
            ],
            [
                "queue a send by email (drafts, letters, commit, tasks)",
                f"{figures.forces} forces",
                seconds(figures.queue_median),
                f"{figures.forces / figures.queue_median:.0f} letters/s",
                "",
                f"{figures.queue_queries} a send",
            ],
        ],
    )
    report.target(
        f"inbound filing >= {TARGET_FILING_RATE:.0f} messages/s with a 100 KB attachment",
        f"{figures.filing_rate:.0f} messages/s",
        figures.filing_rate >= TARGET_FILING_RATE,
    )
    report.target(
        f"queue a {figures.forces}-force send < {TARGET_QUEUE_SECONDS:.0f} s",
        seconds(figures.queue_median),
        figures.queue_median < TARGET_QUEUE_SECONDS,
    )
