"""The numbers of a figures page (a campaign's, live, or a release's, frozen), from the same
selectors as the aggregates API: the grouped sums as intervals with their midpoints, the shares
with the suppression interval, coverage in forces' names, and the method text."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from requests_app.models import Campaign, Force
from responses_app import aggregates
from responses_app.coverage import coverage
from responses_app.dataset import DatasetScope, dataset_scope
from responses_app.models import EXEMPTIONS, DatasetRelease, Unit
from responses_app.shares import (
    count_range_text,
    count_text,
    percent_text,
    plural,
    share_range_text,
    share_rounded,
)

COVERAGE_NAMES = {
    "answered_with_figures": "Answered with figures",
    "refused": "Refused",
    "not_held": "Not held",
    "neither_confirm_nor_deny": "Neither confirm nor deny",
    "answered_without_figures": "Answered without figures",
    "overdue": "Overdue",
    "awaiting": "Awaiting an answer",
    "withdrawn": "Withdrawn or closed",
}
# Every regime's exemption codes with their names: 's12' -> 's.12 cost of compliance ...'.
EXEMPTION_NAMES = {code: name for codes in EXEMPTIONS.values() for code, name in codes.items()}


@dataclass(frozen=True)
class GroupRow:
    """One group as the page writes it: never a suppressed cell as 0, never 'between 5 and 5'."""

    slug: str | None
    name: str
    counts: aggregates.Interval
    share: aggregates.Share
    forces: int

    @property
    def count_text(self) -> str:
        return count_range_text(self.counts.low, self.counts.high)

    @property
    def midpoint_text(self) -> str:
        return count_text(self.counts.midpoint)

    @property
    def exact_text(self) -> str:
        """The cells given exactly; a group whose cells were all suppressed has none (not 0)."""
        if self.counts.reported == 0 and self.counts.low > 0:
            return "none given exactly"
        return f"{self.counts.reported:,}"

    @property
    def share_text(self) -> str:
        return share_range_text(self.share.low, self.share.high)

    @property
    def share_midpoint_text(self) -> str:
        return percent_text(self.share.midpoint)


@dataclass
class FiguresSummary:
    platforms: list[GroupRow]
    owners: list[GroupRow]
    forces: list[GroupRow]
    total: aggregates.Interval
    not_recorded: aggregates.Interval
    coverage: list[dict]
    asked: int
    refused_exemptions: list[str]
    method: str
    synthetic: bool

    @property
    def total_text(self) -> str:
        return count_range_text(self.total.low, self.total.high)

    @property
    def total_exact_text(self) -> str:
        return f"{self.total.reported:,}"

    @property
    def total_midpoint_text(self) -> str:
        return count_text(self.total.midpoint)

    @property
    def not_recorded_text(self) -> str:
        return count_range_text(self.not_recorded.low, self.not_recorded.high)

    @property
    def headline(self) -> GroupRow | None:
        """The owner with the largest share: the number a journalist would quote."""
        return self.owners[0] if self.owners and self.owners[0].slug else None

    @property
    def headline_exact_share_text(self) -> str:
        """The headline owner's share of the exact cells alone, by the same rounding rule."""
        headline = self.headline
        return percent_text(
            headline and share_rounded(headline.counts.reported, self.total.reported)
        )


def _rows(result: aggregates.Aggregate) -> list[GroupRow]:
    return [
        GroupRow(
            slug=group.key[0],
            name=group.label[0],
            counts=group.counts,
            share=group.share,
            forces=group.forces,
        )
        for group in result.groups
    ]


def coverage_in_words(covered: dict) -> str:
    """'3 forces asked. Answered with figures: 1. Refused: 1. Awaiting an answer: 1.'"""
    if not covered["asked"]:
        return "No force has been asked yet."
    where = [
        f"{name}: {covered[key]['count']:,}."
        for key, name in COVERAGE_NAMES.items()
        if covered.get(key, {}).get("count")
    ]
    return " ".join([f"{plural(covered['asked'], 'force')} asked.", *where])


def _coverage_rows(covered: dict) -> tuple[list[dict], list[str]]:
    """Coverage in forces' names and exemptions' names (one query for the names)."""
    names = dict(Force.objects.values_list("slug", "name"))
    rows = [
        {
            "key": key,
            "name": name,
            "count": covered[key]["count"],
            "forces": sorted(names.get(slug, slug) for slug in covered[key]["forces"]),
        }
        for key, name in COVERAGE_NAMES.items()
        if covered.get(key, {}).get("count")
    ]
    exemptions = [
        f"{EXEMPTION_NAMES.get(code, code)} ({plural(count, 'force')})"
        for code, count in covered["refused"].get("exemptions", {}).items()
    ]
    return rows, exemptions


def _summary(scope: DatasetScope, covered: dict) -> FiguresSummary:
    """Three grouped queries (each also gives its not-recorded remainder) and one for the
    forces' names: a fixed number however many figures there are."""
    by_platform = aggregates.aggregate(scope.rows, ["platform"])
    by_owner = aggregates.aggregate(scope.rows, ["owner"])
    by_force = aggregates.aggregate(scope.rows, ["force"])
    coverage_rows, exemptions = _coverage_rows(covered)
    return FiguresSummary(
        platforms=_rows(by_platform),
        owners=_rows(by_owner),
        forces=_rows(by_force),
        total=by_platform.total,
        not_recorded=by_platform.not_recorded,
        coverage=coverage_rows,
        asked=covered["asked"],
        refused_exemptions=exemptions,
        method=aggregates.method_text(by_platform, unit="instances", synthetic=scope.synthetic),
        synthetic=scope.synthetic,
    )


def figures_summary(*, user, campaign: Campaign, today: dt.date) -> FiguresSummary:
    """A campaign's live figures, as the user may see them."""
    scope = dataset_scope(user=user, campaign=campaign, unit=Unit.INSTANCES)
    return _summary(scope, coverage(scope.requests, today=today))


def release_summary(*, user, release: DatasetRelease) -> FiguresSummary:
    """A release's frozen figures, with the coverage as it stood when the release was made."""
    scope = dataset_scope(user=user, release=release, unit=Unit.INSTANCES)
    return _summary(scope, scope.coverage)
