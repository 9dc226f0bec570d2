"""Reads: who may see what, and the working calendars with their extra holidays."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet

from requests_app import roles
from requests_app.deadlines import GUERNSEY_2021, REGIME_CHOICES, WorkingCalendar
from requests_app.models import Campaign, ExtraHoliday, FoiRequest, RequestEvent

User = AbstractBaseUser | AnonymousUser


def _team_q(user: AbstractBaseUser, prefix: str = "") -> Q:
    shared = Campaign.collaborators.through.objects.filter(user=user).values("campaign_id")
    return Q(**{f"{prefix}owner": user}) | Q(**{f"{prefix}pk__in": shared})


def campaigns_visible_to(user: User) -> QuerySet[Campaign]:
    """Staff and data entry see every campaign; others their team's and the published ones."""
    campaigns = Campaign.objects.select_related("owner").annotate(
        includes_guernsey=Exists(
            FoiRequest.objects.filter(campaign=OuterRef("pk"), force__regime=GUERNSEY_2021)
        )
    )
    if not user.is_authenticated:
        # Anonymous callers reach only the reports a setting makes public, and only published data.
        return campaigns.filter(published=True)
    if user.is_staff or roles.has_role(user, roles.DATA_ENTRY):
        return campaigns
    return campaigns.filter(_team_q(user) | Q(published=True))


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
