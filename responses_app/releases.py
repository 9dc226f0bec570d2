"""Dataset releases: freezing a campaign's dataset under a number, and reading releases.

A release is made once and never changes, so what a reader cites is worked out when it is made
and stored on it: the SHA-256 of its CSV file (the file is written the same way, byte for byte,
every time it is downloaded: rows in figure order, fixed columns) and the list of what changed
since the previous release. A release is public when its campaign is published.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, F, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from requests_app.models import Campaign
from requests_app.selectors import campaigns_visible_to
from responses_app.coverage import coverage
from responses_app.dataset import csv_lines, dataset_rows, live_dataset
from responses_app.models import (
    DatasetRelease,
    Figure,
    PlatformScope,
    ReleaseRow,
    standing_condition,
)

BATCH = 2000
# A release lists at most this many corrected figures one by one (and counts them all).
CORRECTIONS_LISTED = 500


def releases_visible_to(user) -> QuerySet[DatasetRelease]:
    """Releases of the campaigns the user may see: for an anonymous reader, the published
    campaigns' releases only."""
    visible = campaigns_visible_to(user).values("pk")
    return DatasetRelease.objects.filter(campaign__in=visible).select_related(
        "campaign", "created_by"
    )


class ReleaseAlreadyMade(Exception):
    """The campaign has a newer release than the one the caller saw as its latest: the same
    form posted twice, or a colleague's release made in between. Nothing was written."""

    def __init__(self, latest: DatasetRelease) -> None:
        super().__init__(f"Release {latest.number} was made since.")
        self.latest = latest


def release_create(
    *, campaign: Campaign, name: str, user, note: str = "", after: int | None = None
) -> DatasetRelease:
    """Copy every figure of the campaign, as it stands now, into a new numbered release, with
    its file's checksum and what changed since the previous release.

    `after` is the number of the release the caller saw as the latest (0 for none): when
    another was made since, ReleaseAlreadyMade is raised and nothing is written, so a form
    posted twice makes one release. It is checked under the campaign's lock, so two posts
    arriving together cannot both pass."""
    with transaction.atomic():
        # Lock the campaign so two releases made at once cannot take the same number.
        Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
        previous = campaign.releases.order_by("-number").first()
        if after is not None and previous is not None and previous.number > after:
            raise ReleaseAlreadyMade(previous)
        number = (campaign.releases.aggregate(last=Max("number"))["last"] or 0) + 1
        release = DatasetRelease(
            campaign=campaign,
            number=number,
            name=name,
            note=note,
            coverage=coverage(campaign.requests.all(), today=timezone.localdate()),
            synthetic=campaign.synthetic_data,
            created_by=user,
        )
        release.full_clean()
        release.save()
        release.row_count = _copy_rows(release)
        # Read back as a download reads it, so the checksum is of the very bytes served.
        release.sha256 = release_checksum(release)
        release.changes = release_changes(release, previous) if previous else {}
        release.save(update_fields=["row_count", "sha256", "changes"])
    return release


def _figures_to_release(campaign: Campaign) -> QuerySet[Figure]:
    # A withdrawn response's figures are kept in history, never released.
    return Figure.objects.filter(
        standing_condition(through="response__"), response__request__campaign=campaign
    )


@dataclass(frozen=True)
class ReleasePreview:
    """What a release made now would freeze: its figures, how many a second person has
    verified, and where every force stands."""

    figures: int
    verified: int
    disputed: int
    coverage: dict

    @property
    def unverified(self) -> int:
        return self.figures - self.verified


def release_preview(*, campaign: Campaign, today: dt.date) -> ReleasePreview:
    """Two queries: the figures counted in one, coverage in the other."""
    counts = _figures_to_release(campaign).aggregate(
        figures=Count("pk"),
        verified=Count("pk", filter=Q(verified=True)),
        disputed=Count("pk", filter=Q(disputed=True)),
    )
    return ReleasePreview(**counts, coverage=coverage(campaign.requests.all(), today=today))


def _copy_rows(release: DatasetRelease) -> int:
    figures = live_dataset(_figures_to_release(release.campaign))
    batch: list[ReleaseRow] = []
    copied = 0
    for row in dataset_rows(figures):
        batch.append(ReleaseRow(release=release, **row))
        copied += 1
        if len(batch) == BATCH:
            ReleaseRow.objects.bulk_create(batch)
            batch = []
    ReleaseRow.objects.bulk_create(batch)
    return copied


def release_csv(release: DatasetRelease) -> Iterable[str]:
    """The release's data file, line by line: what the page and the API download."""
    return csv_lines(dataset_rows(release.rows.all()))


def release_checksum(release: DatasetRelease) -> str:
    digest = hashlib.sha256()
    for line in release_csv(release):
        digest.update(line.encode("utf-8"))
    return digest.hexdigest()


def _where(row: dict) -> str:
    """Where a figure sits, in words: 'Kent Police, Instagram, 2019-10-01 to 2020-09-30'."""
    platform = row["platform_name"] or PlatformScope(row["platform_scope"]).label
    return (
        f"{row['force_name']}, {platform}, {row['offence_name']}, "
        f"{row['period_start']:%Y-%m-%d} to {row['period_end']:%Y-%m-%d} ({row['unit']})"
    )


def _corrected(release: DatasetRelease, previous: DatasetRelease) -> QuerySet:
    """Rows of both releases for the same figure whose value differs: one query, each row
    matched to its earlier self through the (release, figure_id) index."""
    earlier = ReleaseRow.objects.filter(release=previous, figure_id=OuterRef("figure_id"))

    def was(column: str) -> Subquery:
        return Subquery(earlier.values(column)[:1])

    # A cell with no value (not held) has no interval: compare with a stand-in for NULL.
    missing = Value(-1)
    return (
        release.rows.annotate(
            was_raw=was("raw"),
            was_low=Coalesce(was("low"), missing),
            was_high=Coalesce(was("high"), missing),
            now_low=Coalesce(F("low"), missing),
            now_high=Coalesce(F("high"), missing),
        )
        .filter(was_raw__isnull=False)
        .exclude(raw=F("was_raw"), now_low=F("was_low"), now_high=F("was_high"))
        .order_by("figure_id")
    )


def _reasons(figure_ids: list[int], since, until) -> dict[int, list[str]]:
    """The reasons recorded with each figure's corrections between two releases."""
    reasons: dict[int, list[str]] = {}
    history = (
        Figure.history.filter(id__in=figure_ids, history_date__gte=since, history_date__lte=until)
        .exclude(history_change_reason__isnull=True)
        .exclude(history_change_reason="")
        .order_by("history_date")
        .values_list("id", "history_change_reason")
    )
    for figure_id, reason in history:
        reasons.setdefault(figure_id, []).append(reason)
    return reasons


def _by_force(rows: QuerySet) -> dict:
    counts = dict(rows.order_by().values_list("force_name").annotate(n=Count("pk")))
    return {"count": sum(counts.values()), "forces": dict(sorted(counts.items()))}


def release_changes(release: DatasetRelease, previous: DatasetRelease) -> dict:
    """Which figures changed since `previous`, from what to what and why; which were added
    (a late answer) or removed."""
    corrected = _corrected(release, previous)
    listed = list(
        corrected.values(
            "figure_id",
            "force_name",
            "platform_name",
            "platform_scope",
            "offence_name",
            "period_start",
            "period_end",
            "unit",
            "raw",
            "was_raw",
        )[:CORRECTIONS_LISTED]
    )
    reasons = _reasons([row["figure_id"] for row in listed], previous.created_at, timezone.now())
    earlier_ids = previous.rows.values("figure_id")
    later_ids = release.rows.values("figure_id")
    return {
        "previous": previous.number,
        "corrected_count": corrected.count() if len(listed) == CORRECTIONS_LISTED else len(listed),
        "corrected": [
            {
                "figure_id": row["figure_id"],
                "where": _where(row),
                "from": row["was_raw"],
                "to": row["raw"],
                "reason": "; ".join(reasons.get(row["figure_id"], [])),
            }
            for row in listed
        ],
        "added": _by_force(release.rows.exclude(figure_id__in=earlier_ids)),
        "removed": _by_force(previous.rows.exclude(figure_id__in=later_ids)),
    }
