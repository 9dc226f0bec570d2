"""Campaigns: their question, periods, team and waves, and sending them to forces (each new
request through the same in-memory path as an event on an existing one, `event_apply`)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.answer_cache import data_changed
from core.conflicts import Conflict
from core.dates import check_date_in_range
from requests_app.models import (
    Campaign,
    CampaignPeriod,
    FoiRequest,
    Force,
    RequestEvent,
)
from requests_app.selectors import working_calendars
from requests_app.services.events import (
    check_not_archived,
    check_not_future,
    clock_start,
    day_text,
    event_apply,
    request_record_event,
)
from requests_app.status import TRANSITIONS, EventKind, Status

Period = tuple[dt.date, dt.date]

# A campaign's own settings, which its team changes: the question, publishing, Guernsey's
# eligibility, and the letters' signature and chasers (correspondence).
CAMPAIGN_FIELDS = (
    "title",
    "question",
    "published",
    "guernsey_eligibility_confirmed",
    "requester_name",
    "chase_by_email",
    "chase_after_working_days",
)


def campaign_send(
    *, campaign: Campaign, forces: Sequence[Force], sent_on: dt.date, user: AbstractBaseUser
) -> list[FoiRequest]:
    """Create the campaign's request to each force and record its `sent` event, in one
    transaction with one insert per table (a campaign to all 46 forces is two statements, not
    46 locked round trips). Each new request takes the same path in memory as
    `request_record_event` (`event_apply`: the status machine's draft -> sent, the event, the
    deadlines from the engine); only the writing is batched, because a request that does not
    exist yet has no row to lock and no log to check the event against."""
    check_not_archived(campaign)
    _check_not_sent_yet(campaign, forces)
    check_date_in_range(sent_on, "sent_on")
    check_not_future(sent_on, "sent_on")
    calendars = working_calendars()
    sent = []
    for force in forces:
        request = FoiRequest(campaign=campaign, force=force, status=Status.DRAFT)
        clock_start(request, sent_on=sent_on, received_on=sent_on)
        event = RequestEvent(kind=EventKind.SENT, on=sent_on, created_by=user)
        event_apply(request, event, calendars[force.regime], earlier=[])
        sent.append((request, event))
    try:
        with transaction.atomic():
            created = FoiRequest.objects.bulk_create([request for request, _ in sent])
            for request, event in sent:
                event.request = request
            RequestEvent.objects.bulk_create([event for _, event in sent])
            data_changed()  # bulk inserts send no signals
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


def campaign_drafts_create(*, campaign: Campaign, forces: Sequence[Force]) -> list[FoiRequest]:
    """The campaign's request to each force as a draft, in one insert: for a letter that is
    sent later (by email, where the `sent` event waits for the force's mail server)."""
    check_not_archived(campaign)
    _check_not_sent_yet(campaign, forces)
    drafts = [FoiRequest(campaign=campaign, force=force, status=Status.DRAFT) for force in forces]
    try:
        with transaction.atomic():
            data_changed()  # a bulk insert sends no signals
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


def campaign_create(
    *,
    owner: AbstractBaseUser,
    title: str,
    question: str,
    periods: Sequence[Period],
    collaborators: Iterable[AbstractBaseUser] = (),
    **settings,
) -> Campaign:
    """A new campaign with the periods its question asks about and its team; `settings` are
    any other of CAMPAIGN_FIELDS (published, the requester's name, the chasers...)."""
    _check_settings(settings, "campaign_create")
    campaign = Campaign(owner=owner, title=title, question=question, **settings)
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
    _check_settings(changes, "campaign_update")
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
                f"{day_text(campaign.period_end)}, the end of the wave it repeats."
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
                {
                    "periods": f"The period {day_text(start)} to {day_text(end)} ends before "
                    "it starts."
                }
            )
    for (_, end), (start, _) in itertools.pairwise(ordered):
        if start <= end:
            raise ValidationError(
                {
                    "periods": f"The periods overlap: one ends {day_text(end)}, the next starts "
                    f"{day_text(start)}."
                }
            )
    return ordered


def _check_settings(settings: dict, caller: str) -> None:
    unknown = set(settings) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise TypeError(f"{caller} cannot set {', '.join(sorted(unknown))}")


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
