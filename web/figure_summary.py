"""The figures page's numbers, from the same selectors as the aggregates API: the grouped sums,
their shares with the suppression interval, coverage and the method text."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from requests_app.models import Campaign
from responses_app import aggregates
from responses_app.coverage import coverage
from responses_app.dataset import dataset_scope
from responses_app.models import Unit

NO_OWNER = "No owner on record (online gaming, other)"
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


@dataclass
class FiguresSummary:
    platforms: list[dict]
    owners: list[dict]
    forces: list[dict]
    total: aggregates.Interval
    not_recorded: aggregates.Interval
    coverage: list[dict]
    asked: int
    refused_exemptions: dict
    method: str
    synthetic: bool

    @property
    def total_text(self) -> dict[str, str]:
        return {k: f"{v:,}" for k, v in self.total.as_dict().items()}

    @property
    def not_recorded_text(self) -> dict[str, str]:
        return {k: f"{v:,}" for k, v in self.not_recorded.as_dict().items()}

    @property
    def headline(self) -> dict | None:
        """The owner with the largest share: the number a journalist would quote."""
        return self.owners[0] if self.owners and self.owners[0]["slug"] else None


def _groups(result: aggregates.Aggregate) -> list[dict]:
    rows = [
        {
            "slug": group.key[0],
            "name": group.label[0] or NO_OWNER,
            **group.counts.as_dict(),
            **{f"{k}_text": f"{v:,}" for k, v in group.counts.as_dict().items()},
            **group.share,
            "forces": group.forces,
        }
        for group in result.groups
    ]
    return sorted(rows, key=lambda row: (-row["reported"], str(row["name"])))


def figures_summary(*, user, campaign: Campaign, today: dt.date) -> FiguresSummary:
    """Three grouped queries, their not-recorded summaries and one coverage query: a fixed
    number however many figures the campaign has."""
    scope = dataset_scope(user=user, campaign=campaign, unit=Unit.INSTANCES)
    by_platform = aggregates.aggregate(scope.rows, ["platform"])
    by_owner = aggregates.aggregate(scope.rows, ["owner"])
    by_force = aggregates.aggregate(scope.rows, ["force"])
    covered = coverage(scope.requests, today=today)
    return FiguresSummary(
        platforms=_groups(by_platform),
        owners=_groups(by_owner),
        forces=_groups(by_force),
        total=by_platform.total,
        not_recorded=by_platform.not_recorded,
        coverage=[
            {
                "key": key,
                "name": name,
                "count": covered[key]["count"],
                "forces": covered[key]["forces"],
            }
            for key, name in COVERAGE_NAMES.items()
            if covered[key]["count"]
        ],
        asked=covered["asked"],
        refused_exemptions=covered["refused"]["exemptions"],
        method=aggregates.method_text(by_platform, unit="instances", synthetic=scope.synthetic),
        synthetic=scope.synthetic,
    )
