"""Writes that span models. Every change of a request's status goes through `_append` (the
status machine, the event, the deadlines): `request_record_event` for an existing request, which
the admin, the API, the pages and the commands all call, and `campaign_send` for the new requests
of a campaign, written in bulk. Campaigns themselves (their periods, team and waves) are written
here too, so the pages and the API keep the same rules."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import AbstractBaseUser, Group, Permission
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.conflicts import Conflict
from core.dates import check_date_in_range
from requests_app import roles
from requests_app.deadlines import WorkingCalendar, compute_deadlines, timeline
from requests_app.models import (
    Campaign,
    CampaignPeriod,
    ExtraHoliday,
    FoiRequest,
    Force,
    RequestEvent,
)
from requests_app.selectors import working_calendar, working_calendars
from requests_app.status import TRANSITIONS, EventKind, Status, TransitionRefused, next_status

Period = tuple[dt.date, dt.date]
CAMPAIGN_FIELDS = ("title", "question", "published", "guernsey_eligibility_confirmed")


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


class EventAlreadyRecorded(Conflict):
    """The same event (kind, date, "until" and note) is already in the request's log: a form
    submitted twice, or two people keying the same letter. Nothing is written. A refusal like
    any other to the callers that catch ValidationError; the API answers it with 409."""

    def __init__(self, event: RequestEvent) -> None:
        self.event = event
        message = (
            f"Already recorded: {event.get_kind_display()} on {_day(event.on)}, with the same "
            "details. Nothing was written."
        )
        super().__init__({NON_FIELD_ERRORS: message})


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
    """The four role groups, and the admin role's model permissions; idempotent. Permissions
    given to a group in the admin since are kept."""
    for name in roles.ROLES:
        Group.objects.get_or_create(name=name)
    # Django creates an app's permissions once that app is migrated, and this runs after the
    # requests app, before the apps listed after it: create the missing ones now.
    for label in roles.ADMIN_APPS:
        create_permissions(apps.get_app_config(label), verbosity=0)
    staff = Permission.objects.filter(content_type__app_label__in=roles.ADMIN_APPS)
    Group.objects.get(name=roles.ADMIN).permissions.add(*staff)


def status_before_the_response(events: Iterable[RequestEvent]) -> str | None:
    """The status the standing response found (where withdrawing it leads), or None when no
    response stands: each withdrawal takes back the latest response before it."""
    found: list[str] = []
    for event in events:
        if event.kind == EventKind.RESPONSE:
            found.append(event.from_status)
        elif event.kind == EventKind.RESPONSE_WITHDRAWN and found:
            found.pop()
    return found[-1] if found else None


def _recompute(request: FoiRequest, calendar: WorkingCalendar, timeline) -> None:
    request.apply_deadlines(compute_deadlines(calendar, request.received_on, timeline))


def campaign_send(
    *, campaign: Campaign, forces: Sequence[Force], sent_on: dt.date, user: AbstractBaseUser
) -> list[FoiRequest]:
    """Create the campaign's request to each force and record its `sent` event, in one
    transaction with one insert per table (a campaign to all 46 forces is two statements, not
    46 locked round trips). Each new request takes the same path in memory as
    `request_record_event` (`_append`: the status machine's draft -> sent, the event, the
    deadlines from the engine); only the writing is batched, because a request that does not
    exist yet has no row to lock and no log to check the event against."""
    _check_not_archived(campaign)
    _check_not_sent_yet(campaign, forces)
    check_date_in_range(sent_on, "sent_on")
    _check_not_future(sent_on, "sent_on")
    calendars = working_calendars()
    sent = []
    for force in forces:
        request = FoiRequest(campaign=campaign, force=force, status=Status.DRAFT)
        _start_clock(request, sent_on=sent_on, received_on=sent_on)
        event = RequestEvent(kind=EventKind.SENT, on=sent_on, created_by=user)
        _append(request, event, calendars[force.regime], earlier=[])
        sent.append((request, event))
    try:
        with transaction.atomic():
            created = FoiRequest.objects.bulk_create([request for request, _ in sent])
            for request, event in sent:
                event.request = request
            RequestEvent.objects.bulk_create([event for _, event in sent])
    except IntegrityError as race:
        # Someone sent the campaign to one of these forces between the check above and now.
        raise Conflict(
            {"forces": "This campaign was sent to one of these forces a moment ago; reload it."}
        ) from race
    return created


def campaign_archive(*, campaign: Campaign, reason: str, user: AbstractBaseUser) -> Campaign:
    """Archive a campaign instead of deleting it (its requests' event logs are protected). Each
    request still open is ended through its own log, withdrawn if the force has not answered and
    closed if it has, so no clock runs and no reminder is owed; the campaign, its requests and
    their logs stay, and it is sent to no more forces."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the campaign is archived."})
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.archived_at is not None:
            archived = f"{locked.archived_at:%Y-%m-%d}"
            raise Conflict({"campaign": f"This campaign was archived already, on {archived}."})
        for request in locked.requests.order_by("pk"):
            ending = _ending_for(request.status)
            if ending is not None:
                request_record_event(
                    request=request,
                    kind=ending,
                    on=timezone.localdate(),
                    user=user,
                    note=f"Campaign archived: {reason}",
                )
        locked.archived_at, locked.archive_reason = timezone.now(), reason
        locked.save(update_fields=["archived_at", "archive_reason"])
    return locked


def _ending_for(status: str) -> str | None:
    """The event that ends a request in this status: withdrawn before an answer, closed after."""
    for kind in (EventKind.WITHDRAWN, EventKind.CLOSED):
        allowed_from, _ = TRANSITIONS[kind]
        if status in allowed_from:
            return kind
    return None


def _check_not_archived(campaign: Campaign) -> None:
    if campaign.archived_at is not None:
        raise ValidationError(
            {"campaign": f"This campaign was archived on {campaign.archived_at:%Y-%m-%d}."}
        )


def campaign_drafts_create(*, campaign: Campaign, forces: Sequence[Force]) -> list[FoiRequest]:
    """The campaign's request to each force as a draft, in one insert: for a letter that is
    sent later (by email, where the `sent` event waits for the force's mail server)."""
    _check_not_archived(campaign)
    _check_not_sent_yet(campaign, forces)
    drafts = [FoiRequest(campaign=campaign, force=force, status=Status.DRAFT) for force in forces]
    try:
        with transaction.atomic():
            return FoiRequest.objects.bulk_create(drafts)
    except IntegrityError as race:
        raise Conflict(
            {"forces": "This campaign was sent to one of these forces a moment ago; reload it."}
        ) from race


def _check_not_sent_yet(campaign: Campaign, forces: Sequence[Force]) -> None:
    already = set(campaign.requests.filter(force__in=forces).values_list("force__slug", flat=True))
    if already:
        raise Conflict(
            {"forces": f"This campaign was already sent to: {', '.join(sorted(already))}."}
        )


def _append(
    request: FoiRequest, event: RequestEvent, calendar: WorkingCalendar, *, earlier
) -> None:
    """Apply an event to a request in memory: the status the status machine leads to, and the
    deadlines the engine computes from the whole timeline. The callers write both."""
    earlier = list(earlier)
    event.from_status = request.status
    event.to_status = next_status(
        request.status, event.kind, before_the_response=status_before_the_response(earlier)
    )
    request.status = event.to_status
    _recompute(request, calendar, timeline([*earlier, event]))


def request_create(
    *,
    campaign: Campaign,
    force: Force,
    user: AbstractBaseUser,
    reference: str = "",
    sent_on: dt.date | None = None,
    received_on: dt.date | None = None,
) -> FoiRequest:
    """A single request: a draft without `sent_on`, or already sent with a `sent` event. A
    second request to the same force is a Conflict, whether it comes after the first or races
    it (two identical submissions at once: the unique constraint lets one in)."""
    _check_not_archived(campaign)
    request_dates_check(sent_on=sent_on, received_on=received_on)
    if campaign.requests.filter(force=force).exists():
        raise _already_asked(force)
    request = FoiRequest(campaign=campaign, force=force, reference=reference)
    try:
        with transaction.atomic():
            # Uniqueness is the check above and the database's: full_clean would report the
            # constraint against no field, and as a 400 to the loser of a race.
            request.full_clean(exclude=["status", "campaign"])
            request.save()
            if sent_on is not None:
                request_record_event(
                    request=request,
                    kind=EventKind.SENT,
                    on=sent_on,
                    user=user,
                    received_on=received_on,
                )
    except IntegrityError:
        # Read after the rollback: a failed statement leaves PostgreSQL's transaction unusable.
        if campaign.requests.filter(force=force).exists():
            raise _already_asked(force) from None
        raise
    return request


def _already_asked(force: Force) -> Conflict:
    return Conflict({"force": f"This campaign already has a request to {force.slug}."})


def request_dates_check(*, sent_on: dt.date | None, received_on: dt.date | None) -> None:
    """Raise ValidationError unless a new request may have these dates. Forms call it to show
    errors beside their fields; the errors name the caller's fields, not the `sent` event's."""
    if received_on is not None and sent_on is None:
        raise ValidationError({"received_on": "A request cannot be received before it is sent."})
    for field, day in (("sent_on", sent_on), ("received_on", received_on)):
        if day is not None:
            check_date_in_range(day, field)
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
    review_outcome: str = "",
) -> RequestEvent:
    """Record what happened to a request: the one path for every status change. Validates the
    event against the status machine and the timeline, appends it to the log and recomputes the
    stored deadlines, all in one transaction; on any error nothing is written."""
    with transaction.atomic():
        # Lock the row: two people recording events at once must not both pass the status check.
        locked = FoiRequest.objects.select_for_update().select_related("force").get(pk=request.pk)
        # Checked under the lock, before the status machine: a repeat of an event that moved
        # the status would otherwise be refused with a message about the new status.
        repeated = locked.events.filter(
            kind=kind, on=on, until=until, note=note, review_outcome=review_outcome
        ).first()
        if repeated is not None:
            raise EventAlreadyRecorded(repeated)
        event_check(locked, kind=kind, on=on, until=until, review_outcome=review_outcome)
        if kind == EventKind.SENT:
            _start_clock(locked, sent_on=on, received_on=received_on or on)
        event = RequestEvent(
            request=locked,
            kind=kind,
            on=on,
            until=until,
            review_outcome=review_outcome,
            note=note,
            created_by=user,
        )
        earlier = locked.events.order_by("on", "id")
        _append(locked, event, working_calendar(locked.force.regime), earlier=earlier)
        event.full_clean(exclude=["request", "created_by"])
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


def event_check(
    request: FoiRequest,
    *,
    kind: str,
    on: dt.date,
    until: dt.date | None,
    review_outcome: str = "",
) -> str:
    """Raise ValidationError unless the event may be recorded now; return the status it leads to.
    Forms call it to show errors beside their fields; the service calls it again under a lock."""
    try:
        before = None
        if kind == EventKind.RESPONSE_WITHDRAWN:
            before = status_before_the_response(request.events.order_by("on", "id"))
        to_status = next_status(request.status, kind, before_the_response=before)
    except TransitionRefused as refused:
        raise ValidationError({"kind": str(refused)}) from refused
    _check_event_dates(request, kind=kind, on=on, until=until)
    if review_outcome and kind != EventKind.INTERNAL_REVIEW_RESPONSE:
        raise ValidationError(
            {"review_outcome": "Only the answer to an internal review takes an outcome."}
        )
    return to_status


def _check_event_dates(request: FoiRequest, *, kind: str, on: dt.date, until: dt.date | None):
    check_date_in_range(on, "on")
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
    if until is not None:
        _check_estimate(until)


def _check_estimate(until: dt.date) -> None:
    """A force's estimate for an extended answer lies within a year: the ICO expects no more than
    20 working days beyond the due date (FOIA s.10(3) "such time as is reasonable"), and no
    regime here allows an open-ended wait."""
    check_date_in_range(until, "until")
    horizon = _a_year_after(timezone.localdate())
    if until > horizon:
        raise ValidationError(
            {"until": f"{until} is more than a year away (after {horizon}); check the date."}
        )


def _a_year_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


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
        _recompute(request, calendar, timeline(events))
        changed.append(request)
    FoiRequest.objects.bulk_update(changed, FoiRequest.DEADLINE_FIELDS, batch_size=500)
    return len(changed)


def requests_record_event(
    *,
    requests: Sequence[FoiRequest],
    kind: str,
    on: dt.date,
    user: AbstractBaseUser,
    note: str = "",
    until: dt.date | None = None,
) -> list[RequestEvent]:
    """Record one event on several requests (the acknowledgements that came in today), each
    through `request_record_event`, all or nothing: if the status machine or the timeline
    refuses any of them, nothing is written and every refusal is listed with its force."""
    if not requests:
        raise ValidationError({"requests": "Select at least one force."})
    refusals, events = [], []
    with transaction.atomic():
        for request in requests:
            try:
                events.append(
                    request_record_event(
                        request=request, kind=kind, on=on, until=until, note=note, user=user
                    )
                )
            except ValidationError as refused:
                refusals.append(f"{request.force.name}: {' '.join(refused.messages)}")
        if refusals:
            # Raised inside the block, so the events already recorded above are rolled back.
            raise ValidationError({"requests": refusals})
    return events


def request_reask(
    *, request: FoiRequest, question: str, sent_on: dt.date, user: AbstractBaseUser
) -> FoiRequest:
    """Ask the same force a narrowed question after its answer (say, a s.12 cost refusal): a new
    request of the same campaign linked to `request`, sent on `sent_on` with its own clock."""
    question = question.strip()
    with transaction.atomic():
        parent = (
            FoiRequest.objects.select_for_update().select_related("campaign").get(pk=request.pk)
        )
        _check_reask(parent, question=question, sent_on=sent_on)
        child = FoiRequest(
            campaign=parent.campaign, force_id=parent.force_id, parent=parent, question=question
        )
        child.full_clean(exclude=["status"])
        child.save()
        request_record_event(request=child, kind=EventKind.SENT, on=sent_on, user=user)
    return child


def _check_reask(parent: FoiRequest, *, question: str, sent_on: dt.date) -> None:
    if not parent.events.filter(kind=EventKind.RESPONSE).exists():
        raise ValidationError(
            {"question": "Only an answered request can be re-asked; wait for the force's answer."}
        )
    if FoiRequest.objects.filter(parent=parent).exists():
        raise ValidationError(
            {"question": "This request was already re-asked: re-ask the newer request instead."}
        )
    if not question:
        raise ValidationError({"question": "Write the narrowed question to send."})
    if question == parent.asked().strip():
        raise ValidationError(
            {"question": "This is the question the force already answered: narrow it first."}
        )
    last = parent.events.order_by("-on", "-id").first()
    if sent_on < last.on:
        raise ValidationError(
            {"sent_on": f"A re-ask follows the answer: send it on or after {_day(last.on)}."}
        )
    _check_not_future(sent_on, "sent_on")


def campaign_create(
    *,
    owner: AbstractBaseUser,
    title: str,
    question: str,
    periods: Sequence[Period],
    collaborators: Iterable[AbstractBaseUser] = (),
    published: bool = False,
    guernsey_eligibility_confirmed: bool = False,
) -> Campaign:
    """A new campaign with the periods its question asks about and its team."""
    campaign = Campaign(
        owner=owner,
        title=title,
        question=question,
        published=published,
        guernsey_eligibility_confirmed=guernsey_eligibility_confirmed,
    )
    return _campaign_save(campaign, user=owner, periods=periods, collaborators=collaborators)


def campaign_update(
    *,
    campaign: Campaign,
    user: AbstractBaseUser,
    periods: Sequence[Period] | None = None,
    collaborators: Iterable[AbstractBaseUser] | None = None,
    **changes,
) -> Campaign:
    """Change a campaign's settings (CAMPAIGN_FIELDS), periods or team; every change is kept in
    its history with the user who made it. Periods given replace the campaign's periods."""
    unknown = set(changes) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise TypeError(f"campaign_update cannot change {', '.join(sorted(unknown))}")
    for name, value in changes.items():
        setattr(campaign, name, value)
    return _campaign_save(campaign, user=user, periods=periods, collaborators=collaborators)


def campaign_repeat(
    *, campaign: Campaign, user: AbstractBaseUser, periods: Sequence[Period], title: str = ""
) -> Campaign:
    """The same question asked again for a later period: a new wave linked to `campaign`, with
    its owner, team and Guernsey eligibility, and nothing sent yet."""
    periods = campaign_periods_check(periods)
    if periods[0][0] <= campaign.period_end:
        raise ValidationError(
            {
                "periods": f"A new wave asks about a later period: start after "
                f"{_day(campaign.period_end)}, the end of the wave it repeats."
            }
        )
    wave = Campaign(
        owner=campaign.owner,
        title=title or campaign.next_wave_title(),
        question=campaign.question,
        guernsey_eligibility_confirmed=campaign.guernsey_eligibility_confirmed,
        previous_wave=campaign,
        first_wave_id=campaign.series_root_id(),
        wave=campaign.wave + 1,
    )
    team = campaign.collaborators.all()
    return _campaign_save(wave, user=user, periods=periods, collaborators=team)


def campaign_periods_check(periods: Sequence[Period]) -> list[Period]:
    """The periods in date order; raise ValidationError (field `periods`) unless there is at
    least one, each ends on or after its start, and none overlaps another."""
    ordered = sorted(periods)
    if not ordered:
        raise ValidationError({"periods": "Give at least one period the question asks about."})
    for start, end in ordered:
        if end < start:
            raise ValidationError(
                {"periods": f"The period {_day(start)} to {_day(end)} ends before it starts."}
            )
    for (_, end), (start, _) in itertools.pairwise(ordered):
        if start <= end:
            raise ValidationError(
                {
                    "periods": f"The periods overlap: one ends {_day(end)}, the next starts "
                    f"{_day(start)}."
                }
            )
    return ordered


def _campaign_save(
    campaign: Campaign,
    *,
    user: AbstractBaseUser,
    periods: Sequence[Period] | None,
    collaborators: Iterable[AbstractBaseUser] | None,
) -> Campaign:
    if periods is not None:
        periods = campaign_periods_check(periods)
        # The campaign's own period is the span of its periods: the one the lists show and
        # the database checks.
        campaign.period_start, campaign.period_end = periods[0][0], periods[-1][1]
    campaign._history_user = user
    with transaction.atomic():
        campaign.full_clean()
        campaign.save()
        if periods is not None:
            campaign.periods.all().delete()
            CampaignPeriod.objects.bulk_create(
                CampaignPeriod(campaign=campaign, start=start, end=end) for start, end in periods
            )
        if collaborators is not None:
            campaign.collaborators.set([u for u in collaborators if u.pk != campaign.owner_id])
    return campaign
