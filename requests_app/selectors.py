"""Reads: who may see what, and the working calendars with their extra holidays."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from requests_app import roles
from requests_app.deadlines import (
    GUERNSEY_2021,
    REGIME_CHOICES,
    TimelineEvent,
    WorkingCalendar,
    compute_deadlines,
)
from requests_app.models import (
    Campaign,
    ExtraHoliday,
    FoiRequest,
    Force,
    RequestEvent,
    overdue_condition,
)
from requests_app.status import EventKind

User = AbstractBaseUser | AnonymousUser


def _team_parts(user: AbstractBaseUser, prefix: str = "") -> list[Q]:
    shared = Campaign.collaborators.through.objects.filter(user=user).values("campaign_id")
    return [Q(**{f"{prefix}owner": user}), Q(**{f"{prefix}pk__in": shared})]


def _team_q(user: AbstractBaseUser, prefix: str = "") -> Q:
    return reduce(or_, _team_parts(user, prefix))


def _visible_parts(user: User) -> list[Q]:
    """Who sees a campaign that is not everyone's to see: the rule, as parts joined by OR."""
    published = Q(published=True)
    # Anonymous callers reach only the reports a setting makes public, and only published data.
    return [*_team_parts(user), published] if user.is_authenticated else [published]


def campaigns_visible_to(user: User) -> QuerySet[Campaign]:
    """Staff and data entry see every campaign; others their team's and the published ones."""
    campaigns = Campaign.objects.select_related("owner").annotate(
        includes_guernsey=Exists(
            FoiRequest.objects.filter(campaign=OuterRef("pk"), force__regime=GUERNSEY_2021)
        )
    )
    return _visible(campaigns, user)


def campaign_rows_visible_to(user: User) -> QuerySet[Campaign]:
    """The same campaigns as bare rows, to check an id a report was asked for: the owner's
    join and the Guernsey subquery were half the time of a report answered from the cache."""
    return _visible(Campaign.objects.all(), user)


def _visible(campaigns: QuerySet[Campaign], user: User) -> QuerySet[Campaign]:
    if sees_every_campaign(user):
        return campaigns
    return campaigns.filter(reduce(or_, _visible_parts(user)))


def sees_every_campaign(user: User) -> bool:
    return user.is_authenticated and (user.is_staff or roles.has_role(user, roles.DATA_ENTRY))


def campaign_ids_visible_to(user: User) -> list[int] | None:
    """The ids of the campaigns the user may see, in order; None when that is every campaign,
    so that a report over everything filters on nothing (a scope subquery joined to a million
    figures cost more than the grouping itself)."""
    if sees_every_campaign(user):
        return None
    # One index probe a part (owner, collaborator, published), joined by UNION: as one filter
    # of ORs, PostgreSQL read every campaign to keep a few (4.5 ms of 22,894 for 10), on every
    # report a consumer or a researcher asks for, cached or not.
    parts = [
        Campaign.objects.filter(part).order_by().values_list("pk", flat=True)
        for part in _visible_parts(user)
    ]
    return sorted(parts[0].union(*parts[1:]))


def campaigns_editable_by(user: User) -> QuerySet[Campaign]:
    """Campaigns whose settings and requests the user may change: their team's (staff: all)."""
    campaigns = campaigns_visible_to(user)
    if user.is_staff:
        return campaigns
    if not roles.has_role(user, roles.RESEARCHER):
        return campaigns.none()
    return campaigns.filter(_team_q(user))


def requests_visible_to(user: User) -> QuerySet[FoiRequest]:
    visible = campaigns_visible_to(user).values("pk")
    return FoiRequest.objects.select_related("force", "campaign").filter(campaign__in=visible)


def requests_writable_by(user: User) -> QuerySet[FoiRequest]:
    """Requests whose log the user may add to: data entry records responses on any campaign."""
    if user.is_authenticated and roles.has_role(user, roles.DATA_ENTRY):
        return requests_visible_to(user)
    editable = campaigns_editable_by(user).values("pk")
    return FoiRequest.objects.select_related("force", "campaign").filter(campaign__in=editable)


def request_timeline(request: FoiRequest) -> QuerySet[RequestEvent]:
    return request.events.select_related("created_by").order_by("on", "id")


def working_calendars() -> dict[str, WorkingCalendar]:
    """One calendar per regime, with the admin's extra holidays, in one query."""
    extra = defaultdict(list)
    for regime, day in ExtraHoliday.objects.values_list("regime", "date"):
        extra[regime].append(day)
    return {regime: WorkingCalendar(regime, extra[regime]) for regime, _ in REGIME_CHOICES}


def working_calendar(regime: str) -> WorkingCalendar:
    days = ExtraHoliday.objects.filter(regime=regime).values_list("date", flat=True)
    return WorkingCalendar(regime, days)


def campaign_waves(campaign: Campaign) -> QuerySet[Campaign]:
    """Every wave of the campaign's series, first to last (itself included)."""
    root = campaign.series_root_id()
    return Campaign.objects.filter(Q(pk=root) | Q(first_wave_id=root)).order_by("wave", "pk")


def forces_to_choose(campaign: Campaign) -> QuerySet[Force]:
    """Every force, with the day this campaign was first sent to it (None: not asked yet)."""
    first = FoiRequest.objects.filter(campaign=campaign, force=OuterRef("pk"), parent=None)
    return Force.objects.annotate(asked_on=Subquery(first.values("sent_on")[:1])).order_by(
        "country", "name"
    )


def forces_asked(campaign: Campaign, forces: Iterable[Force]) -> set[str]:
    """The slugs of those `forces` the campaign was already sent to."""
    asked = campaign.requests.filter(force__in=forces)
    return set(asked.values_list("force__slug", flat=True))


def campaign_counts(campaign: Campaign, *, today: dt.date) -> dict[str, int]:
    """Forces asked and overdue (forces, not requests: a re-asked force counts once)."""
    return campaign.requests.aggregate(
        asked=Count("force", distinct=True),
        overdue=Count("force", distinct=True, filter=overdue_condition(today)),
    )


def request_re_ask(request: FoiRequest) -> FoiRequest | None:
    """The request that re-asked this one a narrowed question, if any."""
    return FoiRequest.objects.filter(parent=request).first()


def users_named(names: Iterable[str]) -> tuple[list[AbstractBaseUser], list[str]]:
    """Active users by username or email (either, ignoring case), and the names that match
    nobody; one query."""
    wanted = {name.strip().lower(): name.strip() for name in names if name.strip()}
    if not wanted:
        return [], []
    match = Q()
    for name in wanted:
        match |= Q(username__iexact=name) | Q(email__iexact=name)
    found = list(get_user_model().objects.filter(match, is_active=True).order_by("username"))
    known = {u.username.lower() for u in found} | {u.email.lower() for u in found if u.email}
    return found, [name for key, name in wanted.items() if key not in known]


def extension_ceiling(request: FoiRequest, *, on: dt.date, calendar: WorkingCalendar):
    """The date an extension recorded `on` without an "until" date runs to: the deadline
    engine's answer for the timeline with that extension added (the ICO ceiling)."""
    timeline = [TimelineEvent(e.kind, e.on, e.until) for e in request_timeline(request)]
    timeline.append(TimelineEvent(EventKind.EXTENSION, on))
    return compute_deadlines(calendar, request.received_on, timeline).extension_limit_on


HISTORY_SHOWN = 20


def campaign_history(campaign: Campaign) -> list[dict]:
    """The campaign's latest saved versions, newest first, with who saved each and which fields
    changed from the version before. Comparing the team costs a query a version, hence the
    cap: the page shows the latest HISTORY_SHOWN."""
    history = campaign.history.select_related("history_user").order_by("-history_id")
    versions = list(history[: HISTORY_SHOWN + 1])
    changes = []
    for newer, older in zip(versions, [*versions[1:], None], strict=True):
        changed = [] if older is None else newer.diff_against(older).changed_fields
        changes.append({"version": newer, "changed": changed})
    return changes[:HISTORY_SHOWN]
