"""Events: the one path of every change of a request's status. `event_apply` runs the status
machine, builds the event and recomputes the deadlines in memory; `request_record_event` does it
under the request's lock for an existing request (the admin, the API, the pages and the commands
all call it), and campaign_send does it for new requests written in bulk."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.conflicts import Conflict
from core.dates import check_date_in_range
from requests_app.deadlines import WorkingCalendar, compute_deadlines, timeline
from requests_app.models import (
    Campaign,
    FoiRequest,
    Force,
    RequestEvent,
)
from requests_app.selectors import working_calendar
from requests_app.status import EventKind, TransitionRefused, next_status


def day_text(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


class EventAlreadyRecorded(Conflict):
    """The same event (kind, date, "until" and note) is already in the request's log: a form
    submitted twice, or two people keying the same letter. Nothing is written. A refusal like
    any other to the callers that catch ValidationError; the API answers it with 409."""

    def __init__(self, event: RequestEvent) -> None:
        self.event = event
        message = (
            f"Already recorded: {event.get_kind_display()} on {day_text(event.on)}, with the same "
            "details. Nothing was written."
        )
        super().__init__({NON_FIELD_ERRORS: message})


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


def deadlines_recompute(request: FoiRequest, calendar: WorkingCalendar, timeline) -> None:
    request.apply_deadlines(compute_deadlines(calendar, request.received_on, timeline))


def event_apply(
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
    deadlines_recompute(request, calendar, timeline([*earlier, event]))


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
    check_not_archived(campaign)
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
        check_not_future(sent_on, "sent_on")
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
            clock_start(locked, sent_on=on, received_on=received_on or on)
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
        event_apply(locked, event, working_calendar(locked.force.regime), earlier=earlier)
        event.full_clean(exclude=["request", "created_by"])
        event.save()
        locked.save()
    request.refresh_from_db()
    return event


def clock_start(request: FoiRequest, *, sent_on: dt.date, received_on: dt.date) -> None:
    _check_receipt(sent_on=sent_on, received_on=received_on)
    request.sent_on, request.received_on = sent_on, received_on


def _check_receipt(*, sent_on: dt.date, received_on: dt.date) -> None:
    if received_on < sent_on:
        message = f"The date of receipt ({received_on}) is before it was sent ({sent_on})."
        raise ValidationError({"received_on": message})
    check_not_future(received_on, "received_on")


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
    check_not_future(on, "on")
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


def check_not_future(day: dt.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: f"{day} is in the future; record events once they happen."})


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
            {"sent_on": f"A re-ask follows the answer: send it on or after {day_text(last.on)}."}
        )
    check_not_future(sent_on, "sent_on")


def check_not_archived(campaign: Campaign) -> None:
    if campaign.archived_at is not None:
        raise ValidationError(
            {"campaign": f"This campaign was archived on {campaign.archived_at:%Y-%m-%d}."}
        )
