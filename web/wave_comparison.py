"""Waves compared on a campaign's figures page: each wave of its series (the same question asked
again for a later period) with its total and the headline owner's share within that wave, as
intervals with their midpoints, by the one rounding rule (responses_app/shares.py). Two grouped
queries over the series' figures, however many waves."""

from __future__ import annotations

from dataclasses import dataclass

from requests_app.models import Campaign
from requests_app.selectors import campaign_waves, campaigns_visible_to
from responses_app import aggregates
from responses_app.dataset import dataset_scope
from responses_app.models import Unit
from responses_app.shares import count_range_text, count_text, percent_text, share_range_text

NONE = "\u2013"


@dataclass(frozen=True)
class WaveRow:
    campaign: Campaign
    total: str  # instances where the platform was known: 'between 83 and 86', or '25'
    total_midpoint: str
    share: str  # the headline owner's share within the wave
    share_midpoint: str


def waves_compared(*, user, campaign: Campaign, owner_slug: str | None) -> list[WaveRow]:
    """Every wave the user may see, first to last; empty when there is only the one."""
    waves = list(campaign_waves(campaign).filter(pk__in=campaigns_visible_to(user).values("pk")))
    if len(waves) < 2:
        return []
    rows = dataset_scope(user=user, series=campaign, unit=Unit.INSTANCES).rows
    totals = {g.key[0]: g.counts for g in aggregates.aggregate(rows, ["campaign"]).groups}
    shares = {}
    if owner_slug is not None:
        by_owner = aggregates.aggregate(rows, ["campaign", "owner"]).groups
        # Within the wave (its first dimension), not of the whole series: waves compare so.
        shares = {g.key[0]: g.share_within_first for g in by_owner if g.key[1] == owner_slug}
    return [_row(wave, totals.get(wave.pk), shares.get(wave.pk)) for wave in waves]


def _row(
    wave: Campaign, counts: aggregates.Interval | None, share: aggregates.Share | None
) -> WaveRow:
    if counts is None:
        return WaveRow(wave, "No figures yet", NONE, NONE, NONE)
    return WaveRow(
        campaign=wave,
        total=count_range_text(counts.low, counts.high),
        total_midpoint=count_text(counts.midpoint),
        # The owner has no cell in this wave: nothing was reported, which is not a 0% share.
        share="None reported" if share is None else share_range_text(share.low, share.high),
        share_midpoint=NONE if share is None else percent_text(share.midpoint),
    )
