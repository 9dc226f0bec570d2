"""Reads: who may see which responses, documents and figures; the verification queues; and stated
totals that disagree with the sum of their parts."""

from __future__ import annotations

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from requests_app.selectors import User, requests_visible_to, requests_writable_by
from responses_app.models import Document, Figure, FoiResponse, PlatformScope


def responses_visible_to(user: User) -> QuerySet[FoiResponse]:
    return FoiResponse.objects.select_related(
        "request__force", "request__campaign", "entered_by"
    ).filter(request__in=requests_visible_to(user).values("pk"))


def responses_writable_by(user: User) -> QuerySet[FoiResponse]:
    """Data entry and staff: any campaign; researchers: their team's campaigns."""
    return FoiResponse.objects.select_related(
        "request__force", "request__campaign", "entered_by"
    ).filter(request__in=requests_writable_by(user).values("pk"))


def documents_visible_to(user: User) -> QuerySet[Document]:
    return Document.objects.select_related("uploaded_by").filter(
        request__in=requests_visible_to(user).values("pk")
    )


def documents_writable_by(user: User) -> QuerySet[Document]:
    """Documents a figure may cite: those of requests the user may record answers on."""
    return Document.objects.filter(request__in=requests_writable_by(user).values("pk"))


def _with_relations(figures: QuerySet[Figure]) -> QuerySet[Figure]:
    return figures.select_related(
        "offence", "platform", "owner", "entered_by", "verified_by", "disputed_by", "document"
    )


def figures_visible_to(user: User) -> QuerySet[Figure]:
    return _with_relations(
        Figure.objects.filter(response__in=responses_visible_to(user).values("pk"))
    )


def figures_writable_by(user: User) -> QuerySet[Figure]:
    return _with_relations(
        Figure.objects.filter(response__in=responses_writable_by(user).values("pk"))
    )


def figures_awaiting_verification(figures: QuerySet[Figure]) -> QuerySet[Figure]:
    return figures.filter(verified=False, disputed=False)


def figures_disputed(figures: QuerySet[Figure]) -> QuerySet[Figure]:
    return figures.filter(disputed=True)


def _parts_of_total() -> QuerySet[Figure]:
    """The figures a stated total sums: same response, period, offence and unit, every row that
    is not itself a total (named platforms and the 'not recorded' row)."""
    return Figure.objects.filter(
        response=OuterRef("response"),
        period_start=OuterRef("period_start"),
        period_end=OuterRef("period_end"),
        offence=OuterRef("offence"),
        unit=OuterRef("unit"),
    ).exclude(platform_scope=PlatformScope.ALL_PLATFORMS)


def _part_aggregate(expression) -> Subquery:
    parts = _parts_of_total().order_by().values("response").annotate(value=expression)
    return Coalesce(Subquery(parts.values("value")[:1], output_field=IntegerField()), 0)


def totals_with_sums(figures: QuerySet[Figure]) -> QuerySet[Figure]:
    """Stated totals annotated with the interval their parts sum to, in one query.

    A suppressed part adds 1..threshold-1; a part with no interval (not held, refused) has an
    unknown size, so it adds 0 to the low end and leaves the high end open (`parts_open` > 0).
    """
    return figures.filter(platform_scope=PlatformScope.ALL_PLATFORMS, low__isnull=False).annotate(
        parts_count=_part_aggregate(Count("id")),
        parts_low=_part_aggregate(Sum("low")),
        parts_high=_part_aggregate(Sum("high")),
        parts_open=_part_aggregate(Count("id", filter=Q(high__isnull=True))),
    )


def total_mismatches(figures: QuerySet[Figure]) -> QuerySet[Figure]:
    """Stated totals that cannot equal the sum of their parts: the total's interval and the
    parts' interval do not overlap."""
    below = Q(high__lt=F("parts_low"))
    above = Q(parts_open=0, low__gt=F("parts_high"))
    return totals_with_sums(figures).filter(parts_count__gt=0).filter(below | above)
