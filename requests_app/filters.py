from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from requests_app.deadlines import REGIME_CHOICES
from requests_app.models import FoiRequest, Force
from requests_app.status import Status


class IdFilter(django_filters.NumberFilter):
    """An id: a whole number that fits the database's ids, else a 400. A plain NumberFilter takes
    any decimal, and `campaign=1e200` reached the query and failed there (a 500)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class ForceFilter(django_filters.FilterSet):
    country = django_filters.CharFilter(help_text="Country, e.g. 'Wales' (exact).")
    regime = django_filters.ChoiceFilter(choices=REGIME_CHOICES)

    class Meta:
        model = Force
        fields = ["country", "regime"]


class FoiRequestFilter(django_filters.FilterSet):
    campaign = IdFilter(field_name="campaign_id")
    force = django_filters.ModelChoiceFilter(
        queryset=Force.objects.all(),
        to_field_name="slug",
        help_text="A force slug.",
        error_messages={"invalid_choice": "No force has that slug; see /api/v1/forces/."},
    )
    status = django_filters.ChoiceFilter(choices=Status.choices)
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", help_text="Requests whose running clock has passed."
    )

    class Meta:
        model = FoiRequest
        fields = ["campaign", "force", "status", "overdue"]

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        today = timezone.localdate()
        return queryset.overdue(today) if value else queryset.not_overdue(today)
