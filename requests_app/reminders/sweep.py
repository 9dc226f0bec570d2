"""The sweep: find every reminder owed up to today, claim it in one transaction, then send.

It selects by what is owed on the day, not by "what became due since the last run", so a day
the sweep did not run is caught up by the next run, and a second run finds everything already
claimed. The claim is the unique Reminder row, inserted with ON CONFLICT DO NOTHING: two sweeps
at the same moment cannot both win the same reminder (healthchecks' sendalerts claims the same
way). The number of queries does not grow with the number of requests.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import Case, OuterRef, Q, QuerySet, Subquery, When
from django.utils import timezone

from core.db import server_bound_cursor
from requests_app.models import (
    Campaign,
    FoiRequest,
    Reminder,
    ReminderDigest,
    ReminderPolicy,
    RequestEvent,
    SweepRun,
)
from requests_app.reminders.digests import digests_waiting
from requests_app.reminders.rules import (
    CLARIFICATION_ASKED,
    CLOCKS,
    CountingCalendar,
    may_owe,
    reminder_owed,
)
from requests_app.selectors import working_calendars
from requests_app.status import EventKind, Status

BATCH_SIZE = 2000


class DueReminder(NamedTuple):
    """One reminder owed to one person. A tuple (a sweep makes hundreds of thousands) whose
    first four fields are the claim, so that sorting orders them as the claims are inserted."""

    request_id: int
    kind: str
    deadline: dt.date
    recipient_id: int
    # For people reading a dry run.
    recipient_email: str
    force: str
    campaign: str


@dataclass(frozen=True)
class SweepResult:
    claimed: int  # reminders claimed by this sweep
    digests: list[int]  # every digest waiting to be sent, this sweep's and any left over


def reminders_sweep(*, today: dt.date, send: Callable[[int], object] | None = None) -> SweepResult:
    """Claim today's reminders. Every digest then waiting (this sweep's, and any that a crash or
    a broker outage left behind) is handed to `send` once the claim is committed, or returned
    for the caller to send."""
    started_at = timezone.now()
    due = reminders_due(today=today)
    with transaction.atomic():
        claimed = reminders_claim(due=due, today=today)
        waiting = list(digests_waiting(timezone.now()).values_list("pk", flat=True))
        # Committed with the claim: /health/ reports the age of the last sweep that finished.
        SweepRun.objects.create(
            started_at=started_at,
            finished_at=timezone.now(),
            reminders=claimed,
            digests=len(waiting),
        )
        if send is not None:
            transaction.on_commit(lambda: _send_each(waiting, send))
    return SweepResult(claimed=claimed, digests=waiting)


def _send_each(digest_ids: Iterable[int], send: Callable[[int], object]) -> None:
    for digest_id in digest_ids:
        send(digest_id)


def reminders_due(*, today: dt.date) -> list[DueReminder]:
    """Every reminder owed today that nobody has claimed, for everyone who should receive it.
    Reads only. A person who already has today's digest gets their new items tomorrow: one
    email a day."""
    policy = ReminderPolicy.current()
    calendars = {regime: CountingCalendar(c) for regime, c in working_calendars().items()}
    candidates = _requests_with_clocks(today, policy, calendars)
    owed = {}
    rows = candidates.values(
        "id",
        "status",
        "campaign_id",
        "campaign__title",
        "force__regime",
        "force__name",
        *CLOCKS,
    )
    for row in rows.iterator(chunk_size=BATCH_SIZE):
        calendar = calendars[row["force__regime"]]
        found = reminder_owed(
            status=row["status"], clocks=row, today=today, calendar=calendar, policy=policy
        )
        if found is not None:
            labels = (row["force__name"], row["campaign__title"])
            owed[row["id"]] = (row["campaign_id"], *found, *labels)
    if not owed:
        return []
    return _address(owed, candidates, today)


def _address(owed: dict, candidates: QuerySet[FoiRequest], today: dt.date) -> list[DueReminder]:
    recipients = _recipients_by_campaign(candidates.values("campaign_id"))
    claimed = set(
        Reminder.objects.filter(request__in=candidates.values("pk")).values_list(
            "request_id", "kind", "deadline", "recipient_id"
        )
    )
    busy = set(ReminderDigest.objects.filter(on=today).values_list("recipient_id", flat=True))
    due = []
    for request_id, (campaign_id, kind, deadline, force, campaign) in owed.items():
        for user_id, email in recipients[campaign_id]:
            if user_id in busy or (request_id, kind, deadline, user_id) in claimed:
                continue
            due.append(DueReminder(request_id, kind, deadline, user_id, email, force, campaign))
    return due


def _requests_with_clocks(
    today: dt.date, policy: ReminderPolicy, calendars: dict[str, CountingCalendar]
) -> QuerySet[FoiRequest]:
    """The requests that may owe a reminder today (the stages' own superset, `may_owe`), with
    the date a clarification was asked for read from the log."""
    asked_on = RequestEvent.objects.filter(
        request=OuterRef("pk"), kind=EventKind.CLARIFICATION_REQUESTED
    ).order_by("-on", "-id")
    return FoiRequest.objects.filter(
        may_owe(today=today, policy=policy, calendars=calendars)
    ).annotate(
        # Only the few requests awaiting clarification pay for the look-up of its date.
        **{
            CLARIFICATION_ASKED: Case(
                When(
                    status=Status.AWAITING_CLARIFICATION,
                    then=Subquery(asked_on.values("on")[:1]),
                )
            )
        }
    )


def _recipients_by_campaign(campaign_ids: QuerySet) -> dict[int, list[tuple[int, str]]]:
    """Owners and collaborators who can and want to receive reminders, by campaign."""
    owners = Campaign.objects.filter(_wants("owner__"), pk__in=campaign_ids).values_list(
        "pk", "owner_id", "owner__email"
    )
    shared = Campaign.collaborators.through.objects.filter(
        _wants("user__"), campaign_id__in=campaign_ids
    ).values_list("campaign_id", "user_id", "user__email")
    recipients = defaultdict(list)
    for campaign_id, user_id, email in [*owners, *shared]:
        if (user_id, email) not in recipients[campaign_id]:
            recipients[campaign_id].append((user_id, email))
    return recipients


def _wants(prefix: str) -> Q:
    """Active, with an address, and not opted out (no preference row means yes)."""
    opted_out = Q(**{f"{prefix}reminder_preference__receives_reminders": False})
    return Q(**{f"{prefix}is_active": True, f"{prefix}email__gt": ""}) & ~opted_out


def reminders_claim(*, due: list[DueReminder], today: dt.date) -> int:
    """Claim the reminders in one digest per person; returns how many this sweep won.

    A digest row is inserted only where the person has none for the day, and a reminder only
    where nobody claimed it: both with ON CONFLICT DO NOTHING, so a sweep running at the same
    moment loses quietly instead of sending twice. The sweep id tells which rows we won."""
    sweep = uuid.uuid4()
    with transaction.atomic():
        # In a fixed order, so that two sweeps inserting at once wait for each other instead
        # of deadlocking.
        people = sorted({item.recipient_id for item in due})
        ReminderDigest.objects.bulk_create(
            [ReminderDigest(recipient_id=user_id, on=today, sweep=sweep) for user_id in people],
            ignore_conflicts=True,
            batch_size=BATCH_SIZE,
        )
        won = dict(
            ReminderDigest.objects.filter(on=today, sweep=sweep).values_list("recipient_id", "pk")
        )
        ours = [item for item in sorted(due) if item.recipient_id in won]
        _reminders_insert([(*item[:4], won[item.recipient_id]) for item in ours])
        claimed = Reminder.objects.filter(digest__sweep=sweep).count()
        # A digest whose every reminder another sweep won in the meantime is not sent.
        ReminderDigest.objects.filter(sweep=sweep, reminders__isnull=True).delete()
    return claimed


def _reminders_insert(rows: list[tuple]) -> None:
    """Insert (request, kind, deadline, recipient, digest) rows, skipping those already claimed.

    On PostgreSQL one INSERT ... SELECT FROM unnest(arrays): a first sweep over 100,000 open
    requests claims some 160,000 reminders, and building that many model instances and batched
    INSERTs took 40 of its 50 seconds (bench/, docs/BENCHMARKS.md)."""
    if connection.vendor != "postgresql":
        Reminder.objects.bulk_create(
            [
                Reminder(
                    request_id=request_id,
                    kind=kind,
                    deadline=deadline,
                    recipient_id=recipient_id,
                    digest_id=digest_id,
                )
                for request_id, kind, deadline, recipient_id, digest_id in rows
            ],
            ignore_conflicts=True,
            batch_size=BATCH_SIZE,
        )
        return
    if not rows:
        return
    names = ["request", "kind", "deadline", "recipient", "digest"]
    fields = [Reminder._meta.get_field(name) for name in names]
    columns = ", ".join(field.column for field in fields)
    arrays = ", ".join(f"%b::{field.db_type(connection)}[]" for field in fields)
    table = Reminder._meta.db_table
    with server_bound_cursor() as cursor:
        cursor.execute(
            # Table and column names come from the model; every value is a parameter.
            f"INSERT INTO {table} ({columns}, created_at) "
            f"SELECT *, %s FROM unnest({arrays}) ON CONFLICT DO NOTHING",
            [timezone.now(), *map(list, zip(*rows, strict=True))],
        )
