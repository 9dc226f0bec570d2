from __future__ import annotations

import django_filters

from requests_app.filters import IdFilter
from requests_app.models import Force
from responses_app.models import (
    Figure,
    FoiResponse,
    OffenceCategory,
    Outcome,
    Platform,
    PlatformOwner,
    PlatformScope,
    Unit,
)
from responses_app.values import ValueStatus


def _by_slug(model, field_name: str, kind: str) -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        queryset=model.objects.all(),
        to_field_name="slug",
        help_text=f"A {kind} slug.",
        error_messages={"invalid_choice": f"No {kind} has that slug; see /api/v1/{kind}s/."},
    )


class FoiResponseFilter(django_filters.FilterSet):
    campaign = IdFilter(field_name="request__campaign_id")
    force = _by_slug(Force, "request__force", "force")
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices)

    class Meta:
        model = FoiResponse
        fields = ["campaign", "force", "outcome"]


class FigureFilter(django_filters.FilterSet):
    response = IdFilter(field_name="response_id")
    campaign = IdFilter(field_name="response__request__campaign_id")
    force = _by_slug(Force, "response__request__force", "force")
    platform = _by_slug(Platform, "platform", "platform")
    owner = _by_slug(PlatformOwner, "owner", "owner")
    offence = _by_slug(OffenceCategory, "offence", "offence")
    platform_scope = django_filters.ChoiceFilter(choices=PlatformScope.choices)
    unit = django_filters.ChoiceFilter(choices=Unit.choices)
    status = django_filters.ChoiceFilter(choices=ValueStatus.choices)
    period_from = django_filters.DateFilter(
        field_name="period_start", lookup_expr="gte", help_text="Periods starting on or after."
    )
    period_to = django_filters.DateFilter(
        field_name="period_end", lookup_expr="lte", help_text="Periods ending on or before."
    )
    verified = django_filters.BooleanFilter()
    disputed = django_filters.BooleanFilter(help_text="Two people keyed different values.")

    class Meta:
        model = Figure
        fields = [
            "response",
            "campaign",
            "force",
            "platform",
            "owner",
            "offence",
            "platform_scope",
            "unit",
            "status",
            "period_start",
            "period_end",
            "period_from",
            "period_to",
            "verified",
            "disputed",
        ]
