"""The synthetic load: bulk inserts (COPY on PostgreSQL, multi-row INSERT on SQLite), from a
seeded random generator, so that two runs build the same data.

Figures: one campaign a year for ten years, each sent to 46 forces and answered; every answer
gives 20 platforms x 10 offences x 12 months (1,104,000 cells at most). The cells are laid out
so that any prefix covers every force and year, which lets the growth runs add rows to the same
tables (10k, then 100k, then 1M) instead of seeding three databases.

Requests for the reminder sweep: campaigns of 46 forces sent over the 140 days before the sweep
day, in mixed states (sent, extended, under review, answered), plus a few closed ones that the
sweep must never read. Their deadlines come from the deadline engine, as the services would set.
The services themselves are not used: they are correct and slow, and what is measured here is
reading, not writing.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import DatabaseError, connection, models, transaction
from django.test import Client
from django.utils import timezone

from requests_app import roles
from requests_app.deadlines import TimelineEvent, compute_deadlines
from requests_app.models import Campaign, FoiRequest, Force
from requests_app.selectors import working_calendars
from requests_app.status import EventKind, Status
from responses_app.importing.lookups import ReferenceMaps
from responses_app.models import (
    DatasetRelease,
    Figure,
    FoiResponse,
    OffenceCategory,
    Platform,
    PlatformScope,
)
from responses_app.values import parse_value

SWEEP_DAY = dt.date(2026, 6, 1)
FIRST_YEAR = 2015
YEARS = 10
FORCES = 46
PLATFORMS = 20
OFFENCES = 10
MONTHS = 12
CELLS = PLATFORMS * OFFENCES * MONTHS
MAX_FIGURES = YEARS * FORCES * CELLS
CHUNK = 20_000

# What forces write, with how often: mostly counts, some suppressed, zeros, and 'not held'.
RAW_VALUES = (
    [str(n) for n in range(1, 200)] * 4 + ["*"] * 60 + ["<5"] * 20 + ["0"] * 60 + ["not held"] * 20
)


@dataclass
class Cast:
    owner: object  # owns the ten campaigns with figures
    staff: object
    owner_session: str  # a signed-in session's key: the API's session authentication
    staff_session: str


def truncate_all() -> None:
    """Empty every table the seed fills (reference lists and the force register stay)."""
    tables = [
        "responses_app_releaserow",
        "responses_app_datasetrelease",
        "responses_app_historicalfigure",
        "responses_app_figure",
        "responses_app_document",
        "responses_app_historicalfoiresponse",
        "responses_app_foiresponse",
        "requests_app_reminder",
        "requests_app_reminderdigest",
        "requests_app_requestevent",
        "requests_app_foirequest",
        "requests_app_campaign_collaborators",
        "requests_app_campaign",
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")
    get_user_model().objects.filter(username__startswith="bench-").delete()


def analyze() -> None:
    """Settle the new rows as a live database would have: statistics for the planner and, on
    PostgreSQL, a vacuum, which the autovacuum would otherwise start in the middle of the
    measurements (a million fresh rows qualify), then a checkpoint, so that the pages the vacuum
    dirtied are not written out during the next measurement."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("ANALYZE")
            return
        cursor.execute("VACUUM ANALYZE")
        try:
            with transaction.atomic():
                cursor.execute("CHECKPOINT")
        except DatabaseError:
            pass  # a role without the right to checkpoint: the measurement is only noisier


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[tuple]) -> int:
    """Insert plain tuples, bypassing model instances: COPY on PostgreSQL, executemany on
    SQLite. Returns how many rows went in."""
    columns = [model._meta.get_field(name).column for name in fields]
    table = model._meta.db_table
    count = 0
    # One transaction: in autocommit every row would wait for its own commit.
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
        batch: list[tuple] = []
        for row in rows:
            batch.append(row)
            if len(batch) == CHUNK:
                cursor.executemany(sql, batch)
                count, batch = count + len(batch), []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def cast_create() -> Cast:
    User = get_user_model()
    owner = User.objects.create(username="bench-owner", email="bench-owner@example.org")
    owner.groups.add(Group.objects.get(name=roles.RESEARCHER))
    staff = User.objects.create(
        username="bench-staff", email="bench-staff@example.org", is_staff=True, is_superuser=True
    )
    staff.groups.add(Group.objects.get(name=roles.ADMIN))
    return Cast(owner, staff, _session_for(owner), _session_for(staff))


def _session_for(user) -> str:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _month(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def figure_campaigns_create(cast: Cast) -> list[FoiResponse]:
    """Ten yearly campaigns to 46 forces, every request answered; returns the 460 responses in
    the order the figure cells use (year, then force)."""
    forces = list(Force.objects.order_by("slug"))[:FORCES]
    calendars = working_calendars()
    campaigns = Campaign.objects.bulk_create(
        Campaign(
            title=f"Online offences by platform, {FIRST_YEAR + n}",
            question="How many offences were recorded, by platform, month and offence?",
            period_start=dt.date(FIRST_YEAR + n, 1, 1),
            period_end=dt.date(FIRST_YEAR + n, 12, 31),
            owner=cast.owner,
            published=n % 2 == 0,
        )
        for n in range(YEARS)
    )
    requests = []
    for campaign in campaigns:
        sent_on = dt.date(campaign.period_end.year + 1, 1, 12)
        answered_on = sent_on + dt.timedelta(days=21)
        for force in forces:
            request = FoiRequest(
                campaign=campaign,
                force=force,
                sent_on=sent_on,
                received_on=sent_on,
                status=Status.RESPONDED,
            )
            timeline = [TimelineEvent(EventKind.RESPONSE, answered_on)]
            request.apply_deadlines(compute_deadlines(calendars[force.regime], sent_on, timeline))
            requests.append(request)
    requests = FoiRequest.objects.bulk_create(requests)
    responses = FoiResponse.objects.bulk_create(
        FoiResponse(
            request=request,
            received_on=request.sent_on + dt.timedelta(days=21),
            outcome="granted",
            entered_by=cast.owner,
        )
        for request in requests
    )
    # Two frozen releases (without rows) so that the releases list has something to list.
    DatasetRelease.objects.bulk_create(
        DatasetRelease(
            campaign=campaigns[n], number=1, name="First", coverage={}, created_by=cast.owner
        )
        for n in range(2)
    )
    return responses


FIGURE_FIELDS = [
    "response",
    "period_start",
    "period_end",
    "offence",
    "platform",
    "platform_scope",
    "owner",
    "unit",
    "raw",
    "status",
    "low",
    "high",
    "note",
    "sheet",
    "cell",
    "entered_by",
    "entered_at",
    "verified",
    "verified_by",
    "disputed",
    "disputed_raw",
]


def figures_insert(responses: list[FoiResponse], cast: Cast, start: int, stop: int) -> int:
    """Insert figure number `start` up to `stop` of the layout (see the module's docstring)."""
    stop = min(stop, MAX_FIGURES)
    if stop <= start:
        return 0
    platforms = list(Platform.objects.order_by("slug").values_list("pk", flat=True))[:PLATFORMS]
    offences = list(OffenceCategory.objects.order_by("slug").values_list("pk", flat=True))
    offences = offences[:OFFENCES]
    maps = ReferenceMaps.load()
    parsed = {raw: parse_value(raw) for raw in set(RAW_VALUES)}
    now = timezone.now()
    owner_id, staff_id = cast.owner.pk, cast.staff.pk
    # A million rows ask the same few hundred questions.
    months = functools.lru_cache(maxsize=None)(_month)
    owner_of = functools.lru_cache(maxsize=None)(maps.owner_id)

    def rows() -> Iterator[tuple]:
        rng = random.Random(start)
        for number in range(start, stop):
            cell, slot = divmod(number, len(responses))
            response = responses[slot]
            platform_index = cell % PLATFORMS
            offence_index = (cell // PLATFORMS) % OFFENCES
            month = cell // (PLATFORMS * OFFENCES) + 1
            period = months(response.request.campaign.period_start.year, month)
            # The last platform slot is 'not recorded' for every other offence.
            named = not (platform_index == PLATFORMS - 1 and offence_index % 2 == 0)
            platform = platforms[platform_index] if named else None
            raw = rng.choice(RAW_VALUES)
            value = parsed[raw]
            verified = rng.random() < 0.5
            yield (
                response.pk,
                *period,
                offences[offence_index],
                platform,
                PlatformScope.NAMED if named else PlatformScope.NOT_RECORDED,
                owner_of(platform, period[0]) if named else None,
                "instances",
                raw,
                value.status,
                value.low,
                value.high,
                "",
                "Figures",
                f"C{cell + 2}",
                owner_id,
                now,
                verified,
                staff_id if verified else None,
                False,
                "",
            )

    for response in responses:
        response.request  # noqa: B018 (loaded once here, not once per figure)
    return insert_rows(Figure, FIGURE_FIELDS, rows())


def figures_responses() -> list[FoiResponse]:
    """The responses of the figure campaigns, in the layout's order (after a re-run too)."""
    return list(
        FoiResponse.objects.select_related("request__campaign")
        .filter(request__campaign__owner__username="bench-owner")
        .order_by("request__campaign__period_start", "request__force__slug")
    )


# Each sweep request's state, by its number modulo 20: mostly answers awaited.
STATE_MIX = [Status.SENT] * 14 + [Status.EXTENDED] * 2 + [Status.REVIEW_REQUESTED, Status.RESPONDED]
STATE_MIX += [Status.RESPONDED, Status.CLOSED]
OPEN_SHARE = sum(s != Status.CLOSED for s in STATE_MIX) / len(STATE_MIX)

REQUEST_FIELDS = [
    "campaign",
    "force",
    "reference",
    "sent_on",
    "received_on",
    "status",
    "due_on",
    "extended_due_on",
    "extension_limit_on",
    "statutory_limit_on",
    "review_request_by",
    "review_due_on",
    "review_limit_on",
    "complaint_by",
    "current_due_on",
    "created_at",
    "updated_at",
    "question",  # a re-ask's own question; the column has no default, so COPY must name it
]


def _timeline(status: str, sent_on: dt.date) -> list[TimelineEvent]:
    if status == Status.EXTENDED:
        return [TimelineEvent(EventKind.EXTENSION, sent_on + dt.timedelta(days=20))]
    answered = [TimelineEvent(EventKind.RESPONSE, sent_on + dt.timedelta(days=14))]
    if status == Status.REVIEW_REQUESTED:
        return [
            *answered,
            TimelineEvent(EventKind.INTERNAL_REVIEW_REQUESTED, sent_on + dt.timedelta(days=20)),
        ]
    return answered if status in (Status.RESPONDED, Status.CLOSED) else []


def sweep_requests_insert(start: int, stop: int) -> int:
    """Requests number `start` up to `stop` (counting closed ones), 46 to a campaign, each
    campaign with its own owner and one collaborator (both receive reminders)."""
    if stop <= start:
        return 0
    first_campaign, last_campaign = start // FORCES, -(-stop // FORCES)
    User = get_user_model()
    existing = Campaign.objects.filter(title__startswith="Sweep ").count()
    new_campaigns = range(max(first_campaign, existing), last_campaign)
    users = User.objects.bulk_create(
        User(username=f"bench-{n}", email=f"bench-{n}@example.org") for n in new_campaigns
    )
    campaigns = Campaign.objects.bulk_create(
        Campaign(
            title=f"Sweep {n}",
            question="How many?",
            period_start=dt.date(2025, 1, 1),
            period_end=dt.date(2025, 12, 31),
            owner=users[i],
        )
        for i, n in enumerate(new_campaigns)
    )
    Campaign.collaborators.through.objects.bulk_create(
        Campaign.collaborators.through(campaign=c, user=users[(i + 1) % len(users)])
        for i, c in enumerate(campaigns)
    )
    by_number = list(
        Campaign.objects.filter(title__startswith="Sweep ")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    forces = list(Force.objects.order_by("slug"))[:FORCES]
    calendars = working_calendars()
    cache: dict[tuple, FoiRequest] = {}
    now = timezone.now()

    def rows() -> Iterator[tuple]:
        for number in range(start, stop):
            campaign_number, force_index = divmod(number, FORCES)
            force = forces[force_index]
            status = STATE_MIX[number % len(STATE_MIX)]
            # Sent on each of the 140 days before the sweep day: some not yet due, some due
            # soon, most overdue.
            sent_on = SWEEP_DAY - dt.timedelta(days=30 + campaign_number % 140)
            key = (force.regime, sent_on, status)
            if key not in cache:
                request = FoiRequest(status=status)
                timeline = _timeline(status, sent_on)
                request.apply_deadlines(
                    compute_deadlines(calendars[force.regime], sent_on, timeline)
                )
                cache[key] = request
            clocks = cache[key]
            yield (
                by_number[campaign_number],
                force.pk,
                "",
                sent_on,
                sent_on,
                status,
                *(getattr(clocks, name) for name in REQUEST_FIELDS[6:15]),
                now,
                now,
                "",
            )

    return insert_rows(FoiRequest, REQUEST_FIELDS, rows())
