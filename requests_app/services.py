"""Writes that span models. Every change of a request's status goes through
`request_record_event`: the admin, the API and the commands all call it."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from requests_app import roles
from requests_app.deadlines import TimelineEvent, WorkingCalendar, compute_deadlines
from requests_app.models import Campaign, ExtraHoliday, FoiRequest, Force, RequestEvent
from requests_app.selectors import working_calendar, working_calendars
from requests_app.status import EventKind, Status, TransitionRefused, next_status

FORCE_REGISTER = Path(settings.BASE_DIR) / "fixtures" / "forces.csv"
FORCE_FIELDS = ["name", "country", "regime", "ons_code", "wdtk_slug", "foi_email", "territorial"]


def force_register_load(path: Path = FORCE_REGISTER) -> int:
    """Insert or update every force of the register in one statement; returns how many."""
    with path.open(newline="", encoding="utf-8") as register:
        forces = [
            Force(
                slug=row["slug"],
                territorial=row["territorial"] == "yes",
                **{field: row[field] for field in FORCE_FIELDS if field != "territorial"},
            )
            for row in csv.DictReader(register)
        ]
    Force.objects.bulk_create(
        forces, update_conflicts=True, unique_fields=["slug"], update_fields=FORCE_FIELDS
    )
    return len(forces)


def roles_create() -> None:
    """The four role groups; idempotent."""
    for name in roles.ROLES:
        Group.objects.get_or_create(name=name)


def _as_timeline(events: Iterable[RequestEvent]) -> list[TimelineEvent]:
    return [TimelineEvent(kind=e.kind, on=e.on, until=e.until) for e in events]


def _timeline(request: FoiRequest, extra: Iterable[RequestEvent] = ()) -> list[TimelineEvent]:
    events = [*request.events.order_by("on", "id"), *extra] if request.pk else list(extra)
    return _as_timeline(events)


def _recompute(request: FoiRequest, calendar: WorkingCalendar, timeline) -> None:
    request.apply_deadlines(compute_deadlines(calendar, request.received_on, timeline))


def campaign_send(
    *, campaign: Campaign, forces: Sequence[Force], sent_on: dt.date, user: AbstractBaseUser
) -> list[FoiRequest]:
    """Create the campaign's request to each force, already sent, in one transaction with one
    insert per table (a campaign to all 46 forces is one statement, not 46)."""
    _check_not_sent_yet(campaign, forces)
    _check_not_future(sent_on, "sent_on")
    calendars = working_calendars()
    requests = []
    for force in forces:
        request = FoiRequest(
            campaign=campaign, force=force, sent_on=sent_on, received_on=sent_on, status=Status.SENT
        )
        _recompute(request, calendars[force.regime], [])
        requests.append(request)
    try:
        with transaction.atomic():
            created = _requests_insert(requests, sent_on=sent_on, user=user)
    except IntegrityError as race:
        # Someone sent the campaign to one of these forces between the check above and now.
        raise ValidationError(
            {"forces": "This campaign was sent to one of these forces a moment ago; reload it."}
        ) from race
    return created


def campaign_drafts_create(*, campaign: Campaign, forces: Sequence[Force]) -> list[FoiRequest]:
    """The campaign's request to each force as a draft, in one insert: for a letter that is
    sent later (by email, where the `sent` event waits for the force's mail server)."""
    _check_not_sent_yet(campaign, forces)
    drafts = [FoiRequest(campaign=campaign, force=force, status=Status.DRAFT) for force in forces]
    try:
        with transaction.atomic():
            return FoiRequest.objects.bulk_create(drafts)
    except IntegrityError as race:
        raise ValidationError(
            {"forces": "This campaign was sent to one of these forces a moment ago; reload it."}
        ) from race


def _check_not_sent_yet(campaign: Campaign, forces: Sequence[Force]) -> None:
    already = set(campaign.requests.filter(force__in=forces).values_list("force__slug", flat=True))
    if already:
        raise ValidationError(
            {"forces": f"This campaign was already sent to: {', '.join(sorted(already))}."}
        )


def _requests_insert(
    requests: list[FoiRequest], *, sent_on: dt.date, user: AbstractBaseUser
) -> list[FoiRequest]:
    created = FoiRequest.objects.bulk_create(requests)
    RequestEvent.objects.bulk_create(
        RequestEvent(
            request=request,
            kind=EventKind.SENT,
            on=sent_on,
            from_status=Status.DRAFT,
            to_status=Status.SENT,
            created_by=user,
        )
        for request in created
    )
    return created


def request_create(
    *,
    campaign: Campaign,
    force: Force,
    user: AbstractBaseUser,
    reference: str = "",
    sent_on: dt.date | None = None,
    received_on: dt.date | None = None,
) -> FoiRequest:
    """A single request: a draft without `sent_on`, or already sent with a `sent` event."""
    request_dates_check(sent_on=sent_on, received_on=received_on)
    if campaign.requests.filter(force=force).exists():
        # full_clean would report the unique constraint against no field at all.
        raise ValidationError({"force": f"This campaign already has a request to {force.slug}."})
    request = FoiRequest(campaign=campaign, force=force, reference=reference)
    with transaction.atomic():
        request.full_clean(exclude=["status"])
        request.save()
        if sent_on is not None:
            request_record_event(
                request=request, kind=EventKind.SENT, on=sent_on, user=user, received_on=received_on
            )
    return request


def request_dates_check(*, sent_on: dt.date | None, received_on: dt.date | None) -> None:
    """Raise ValidationError unless a new request may have these dates. Forms call it to show
    errors beside their fields; the errors name the caller's fields, not the `sent` event's."""
    if received_on is not None and sent_on is None:
        raise ValidationError({"received_on": "A request cannot be received before it is sent."})
    if sent_on is not None:
        _check_not_future(sent_on, "sent_on")
        _check_receipt(sent_on=sent_on, received_on=received_on or sent_on)


def request_record_event(
    *,
    request: FoiRequest,
    kind: str,
    on: dt.date,
    user: AbstractBaseUser | None,
    note: str = "",
    until: dt.date | None = None,
    received_on: dt.date | None = None,
) -> RequestEvent:
    """Record what happened to a request: the one path for every status change. Validates the
    event against the status machine and the timeline, appends it to the log and recomputes the
    stored deadlines, all in one transaction; on any error nothing is written."""
    with transaction.atomic():
        # Lock the row: two people recording events at once must not both pass the status check.
        locked = FoiRequest.objects.select_for_update().select_related("force").get(pk=request.pk)
        to_status = event_check(locked, kind=kind, on=on, until=until)
        if kind == EventKind.SENT:
            _start_clock(locked, sent_on=on, received_on=received_on or on)
        event = RequestEvent(
            request=locked,
            kind=kind,
            on=on,
            until=until,
            note=note,
            from_status=locked.status,
            to_status=to_status,
            created_by=user,
        )
        event.full_clean(exclude=["request", "created_by"])
        locked.status = to_status
        _recompute(locked, working_calendar(locked.force.regime), _timeline(locked, [event]))
        event.save()
        locked.save()
    request.refresh_from_db()
    return event


def _start_clock(request: FoiRequest, *, sent_on: dt.date, received_on: dt.date) -> None:
    _check_receipt(sent_on=sent_on, received_on=received_on)
    request.sent_on, request.received_on = sent_on, received_on


def _check_receipt(*, sent_on: dt.date, received_on: dt.date) -> None:
    if received_on < sent_on:
        message = f"The date of receipt ({received_on}) is before it was sent ({sent_on})."
        raise ValidationError({"received_on": message})
    _check_not_future(received_on, "received_on")


def event_check(request: FoiRequest, *, kind: str, on: dt.date, until: dt.date | None) -> str:
    """Raise ValidationError unless the event may be recorded now; return the status it leads to.
    Forms call it to show errors beside their fields; the service calls it again under a lock."""
    try:
        to_status = next_status(request.status, kind)
    except TransitionRefused as refused:
        raise ValidationError({"kind": str(refused)}) from refused
    _check_event_dates(request, kind=kind, on=on, until=until)
    return to_status


def _check_event_dates(request: FoiRequest, *, kind: str, on: dt.date, until: dt.date | None):
    _check_not_future(on, "on")
    if request.sent_on is not None and on < request.sent_on:
        raise ValidationError(
            {"on": f"The event is dated {on}, before the request was sent on {request.sent_on}."}
        )
    last = request.events.order_by("-on", "-id").first()
    if last is not None and on < last.on:
        raise ValidationError(
            {
                "on": f"Events are recorded in order: the last one ({last.get_kind_display()}) is "
                f"dated {last.on}, after {on}."
            }
        )
    if until is not None and kind != EventKind.EXTENSION:
        raise ValidationError({"until": "Only an extension takes an 'until' date."})
    if until is not None and until <= on:
        raise ValidationError({"until": "The extension's estimated date must be after the event."})


def _check_not_future(day: dt.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: f"{day} is in the future; record events once they happen."})


def holiday_add(*, regime: str, date: dt.date, name: str) -> ExtraHoliday:
    """Add a non-working day and move every running deadline of that regime accordingly."""
    holiday = ExtraHoliday(regime=regime, date=date, name=name)
    with transaction.atomic():
        holiday.full_clean()
        holiday.save()
        requests_recompute(regime=regime)
    return holiday


def requests_recompute(*, regime: str) -> int:
    """Recompute the stored deadlines of every open request of one regime from its timeline."""
    calendar = working_calendar(regime)
    open_requests = (
        FoiRequest.objects.filter(force__regime=regime, received_on__isnull=False)
        .exclude(status__in=[Status.CLOSED, Status.WITHDRAWN])
        .prefetch_related("events")
    )
    changed = []
    for request in open_requests:
        events = sorted(request.events.all(), key=lambda e: (e.on, e.id))
        _recompute(request, calendar, _as_timeline(events))
        changed.append(request)
    FoiRequest.objects.bulk_update(changed, DEADLINE_FIELDS, batch_size=500)
    return len(changed)


DEADLINE_FIELDS = [
    "due_on",
    "extended_due_on",
    "extension_limit_on",
    "statutory_limit_on",
    "review_request_by",
    "review_due_on",
    "review_limit_on",
    "complaint_by",
    "current_due_on",
]
