"""Reads: who may see which responses, documents and figures; the verification queues; stated
totals that disagree with the sum of their parts; and each campaign's progress."""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce

from requests_app.models import Campaign, FoiRequest, overdue_condition
from requests_app.selectors import User, requests_visible_to, requests_writable_by
from responses_app.models import (
    CELL_FIELDS,
    PLATFORM_FIELDS,
    CampaignCategories,
    Document,
    Figure,
    FoiResponse,
    PlatformScope,
)


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
        response__in=responses_visible_to(user).values("pk")
    )


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
    shared = ["response", *(f for f in CELL_FIELDS if f not in PLATFORM_FIELDS)]
    return Figure.objects.filter(**{field: OuterRef(field) for field in shared}).exclude(
        platform_scope=PlatformScope.ALL_PLATFORMS
    )


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


def campaigns_with_progress(campaigns: QuerySet[Campaign], *, today: dt.date) -> QuerySet[Campaign]:
    """Each campaign with the forces asked, answered (a response recorded), answered with
    figures (a figure with a value, as coverage counts them) and overdue, in one grouped query.
    Forces are counted, not requests, so a force re-asked a narrowed question counts once."""
    force = "requests__force"
    return campaigns.annotate(
        asked=Count(force, distinct=True),
        answered=Count(force, distinct=True, filter=Q(requests__responses__isnull=False)),
        with_figures=Count(
            force, distinct=True, filter=Q(requests__responses__figures__low__isnull=False)
        ),
        overdue=Count(force, distinct=True, filter=overdue_condition(today, through="requests__")),
    )


def request_responses(request: FoiRequest) -> QuerySet[FoiResponse]:
    """The request's responses, oldest first, with their documents and figures (three queries
    whatever their number)."""
    figures = Figure.objects.select_related("platform", "offence").order_by(
        "period_start", "offence_id", "platform__name", "id"
    )
    return request.responses.order_by("received_on", "id").prefetch_related(
        "documents", Prefetch("figures", queryset=figures)
    )


def campaign_categories(campaign: Campaign) -> CampaignCategories | None:
    """The offences and platforms the campaign asks about, or None if it names none."""
    return (
        CampaignCategories.objects.filter(campaign=campaign)
        .prefetch_related("offences", "platforms")
        .first()
    )
