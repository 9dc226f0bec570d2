"""Reads of the keying grid: its rows and columns, the offence it shows first, and the figures
already keyed in it. Each is one or two queries whatever the size of the grid."""

from __future__ import annotations

from django.db.models import QuerySet

from requests_app.models import Campaign
from requests_app.selectors import User
from responses_app.keying.shapes import CellKey, Grid, GridPeriod, GridRow, key_of
from responses_app.models import (
    CampaignCategories,
    Figure,
    FoiResponse,
    OffenceCategory,
    Platform,
    PlatformScope,
)

# After the named platforms: the row for figures the force could not tie to a platform, and the
# total the force states (checked against its parts like any stated total).
SCOPE_ROWS = (PlatformScope.NOT_RECORDED, PlatformScope.ALL_PLATFORMS)


def grid_layout(campaign: Campaign) -> Grid:
    """The campaign's platforms (every platform of the reference list when it names none) A to Z,
    the rows without a platform, and the campaign's periods in order. Three queries; the
    platforms come with their ownerships, which every new figure reads for its owner."""
    platforms = Platform.objects.prefetch_related("ownerships").order_by("name", "pk")
    asked = platforms.filter(pk__in=_chosen(CampaignCategories.platforms, campaign, "platform_id"))
    named = list(asked) or list(platforms)
    rows = [GridRow(platform) for platform in named]
    rows += [GridRow(None, scope) for scope in SCOPE_ROWS]
    periods = [GridPeriod(p.start, p.end) for p in campaign.periods.order_by("start")]
    return Grid(rows, periods or [GridPeriod(campaign.period_start, campaign.period_end)])


def grid_campaign_offences(campaign: Campaign) -> QuerySet[OffenceCategory]:
    """The offences the campaign asks about, in the reference list's order."""
    chosen = _chosen(CampaignCategories.offences, campaign, "offencecategory_id")
    return OffenceCategory.objects.filter(pk__in=chosen)


def grid_offence(response: FoiResponse, slug: str | None = None) -> OffenceCategory | None:
    """The offence asked for by slug; else the campaign's first; else that of the response's
    first figure; else the first of the reference list."""
    if slug:
        return OffenceCategory.objects.filter(slug=slug).first()
    first_keyed = Figure.objects.filter(response=response).order_by("pk").values("offence_id")
    return (
        grid_campaign_offences(response.request.campaign).first()
        or OffenceCategory.objects.filter(pk__in=first_keyed[:1]).first()
        or OffenceCategory.objects.first()
    )


def grid_figures(*, response: FoiResponse, offence: OffenceCategory, unit: str) -> dict:
    """The response's figures for this offence and unit, by cell (one query)."""
    figures = Figure.objects.filter(response=response, offence=offence, unit=unit)
    return {key_of(figure): figure for figure in figures.order_by("pk")}


def grid_keyed_by(figures: dict[CellKey, Figure], user: User) -> int:
    """How many of the grid's figures `user` keyed (or last corrected)."""
    return sum(1 for figure in figures.values() if figure.entered_by_id == user.pk)


def _chosen(relation, campaign: Campaign, column: str) -> QuerySet:
    through = relation.through.objects.filter(campaigncategories_id=campaign.pk)
    return through.values(column)
