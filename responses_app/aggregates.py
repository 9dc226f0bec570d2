"""Aggregated counts with honest denominators: the selector behind /api/v1/aggregates/.

The four traps it handles for the consumer:
- the denominator: shares are of instances where the platform was recorded, never of all;
- suppression: a '*' cell is 1..threshold-1, so every sum is an interval [low, high], and the
  point value (`reported`) counts only the cells the force gave exactly;
- coverage: which forces were asked, answered with figures, refused (and under what), said
  'not held', or are still awaiting or overdue;
- double counting: a stated all-platforms total is never added to its own parts, and the unit
  (instances, offences, victims) is never mixed within one answer.

Live figures and frozen release rows expose the same column names (see `dataset.py`), so the
same grouped query serves both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Aggregate as SqlAggregate
from django.db.models import Case, CharField, Count, F, IntegerField, QuerySet, Sum, When
from django.db.models.functions import Coalesce, TruncMonth, TruncQuarter, TruncYear

from responses_app.models import PlatformScope
from responses_app.values import ValueStatus

EXACT = (ValueStatus.REPORTED, ValueStatus.ZERO)


@dataclass(frozen=True)
class Dimension:
    key: str
    label: str


# group_by name -> the dataset columns that give its key and its label.
DIMENSIONS: dict[str, Dimension] = {
    "platform": Dimension("platform_slug", "platform_name"),
    "owner": Dimension("owner_slug", "owner_name"),
    "force": Dimension("force_slug", "force_name"),
    "country": Dimension("country", "country"),
    "regime": Dimension("regime", "regime"),
    "offence": Dimension("offence_slug", "offence_name"),
    "campaign": Dimension("campaign_id", "campaign_title"),
    "month": Dimension("month", "month"),
    "quarter": Dimension("quarter", "quarter"),
    "year": Dimension("year", "year"),
}
PERIODS = {"month": TruncMonth, "quarter": TruncQuarter, "year": TruncYear}
MAX_DIMENSIONS = 2


@dataclass
class Interval:
    reported: int = 0
    low: int = 0
    high: int = 0

    def add(self, other: Interval) -> None:
        self.reported += other.reported
        self.low += other.low
        self.high += other.high

    def as_dict(self) -> dict[str, int]:
        return {"reported": self.reported, "low": self.low, "high": self.high}


@dataclass
class Group:
    key: list
    label: list
    counts: Interval
    figures: int
    forces: int
    share: dict[str, Decimal | None] = field(default_factory=dict)


def _ratio(part: int, whole: int) -> Decimal | None:
    if whole <= 0:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def share_of(group: Interval, total: Interval) -> dict[str, Decimal | None]:
    """The group's share of the total, as a point and as the widest interval the suppressed
    cells allow: lowest when the group's cells are at their floor and the others' at their
    ceiling, highest the other way round."""
    others_low, others_high = total.low - group.low, total.high - group.high
    return {
        "share": _ratio(group.reported, total.reported),
        "share_low": _ratio(group.low, group.low + others_high),
        "share_high": _ratio(group.high, group.high + others_low),
    }


def _counted(rows: QuerySet) -> QuerySet:
    """Cells that carry a number: stated totals and cells with no value (not held, refused)
    are left out so nothing is counted twice or read as zero."""
    return rows.exclude(platform_scope=PlatformScope.ALL_PLATFORMS).filter(low__isnull=False)


class ForcesListed(SqlAggregate):
    """The distinct forces of a group as one text value, so that the forces behind the whole
    table (not a sum of the groups' counts, which would count a force once per group) come
    from the same scan as the groups."""

    function = "STRING_AGG"
    template = "%(function)s(DISTINCT %(expressions)s, ',')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            function="GROUP_CONCAT",
            template="%(function)s(DISTINCT %(expressions)s)",
            **extra_context,
        )


def _sums() -> dict:
    return {
        "reported_sum": Coalesce(
            Sum(
                Case(When(status__in=EXACT, then=F("low")), default=0, output_field=IntegerField())
            ),
            0,
        ),
        "low_sum": Coalesce(Sum("low"), 0),
        "high_sum": Coalesce(Sum("high"), 0),
    }


def _with_periods(rows: QuerySet, group_by: Sequence[str]) -> QuerySet:
    periods = {name: PERIODS[name]("period_start") for name in group_by if name in PERIODS}
    return rows.annotate(**periods) if periods else rows


def columns_read(group_by: Sequence[str]) -> list[str]:
    """The dataset columns the aggregate reads: a live scope joins only the tables they need."""
    columns = ["period_start", "platform_scope", "status", "low", "high", "force_slug"]
    for name in group_by:
        if name not in PERIODS:
            columns += [DIMENSIONS[name].key, DIMENSIONS[name].label]
    return list(dict.fromkeys(columns))


@dataclass
class Aggregate:
    group_by: list[str]
    groups: list[Group]
    total: Interval
    not_recorded: Interval
    figures: int
    forces: int


def _grouped_rows(rows: QuerySet, group_by: Sequence[str]) -> QuerySet:
    """One scan: the groups of the named cells and, beside them, the groups of the cells whose
    platform was not recorded (their own rows, told apart by `platform_scope`)."""
    counted = _with_periods(_counted(rows), group_by)
    columns = []
    for name in group_by:
        dimension = DIMENSIONS[name]
        columns += dict.fromkeys([dimension.key, dimension.label])
    keys = [DIMENSIONS[name].key for name in group_by]
    return (
        counted.values("platform_scope", *columns)
        .annotate(**_sums(), figures=Count("pk"), forces_listed=ForcesListed("force_slug"))
        .order_by(*keys, "platform_scope")
    )


def aggregate(rows: QuerySet, group_by: Sequence[str]) -> Aggregate:
    """Groups of the figures whose platform was recorded, their shares of the recorded-platform
    total, and the not-recorded remainder, from one grouped query."""
    groups, total, not_recorded = [], Interval(), Interval()
    figures, forces = 0, set()
    for row in _grouped_rows(rows, group_by):
        counts = Interval(row["reported_sum"], row["low_sum"], row["high_sum"])
        if row["platform_scope"] != PlatformScope.NAMED:
            not_recorded.add(counts)
            continue
        listed = set(row["forces_listed"].split(","))
        groups.append(
            Group(
                key=[_plain(row[DIMENSIONS[name].key]) for name in group_by],
                label=[_plain(row[DIMENSIONS[name].label]) for name in group_by],
                counts=counts,
                figures=row["figures"],
                forces=len(listed),
            )
        )
        total.add(counts)
        figures += row["figures"]
        forces |= listed
    for group in groups:
        group.share = share_of(group.counts, total)
    return Aggregate(list(group_by), groups, total, not_recorded, figures, len(forces))


def _plain(value):
    """Period keys come back as dates or datetimes; the API shows them as ISO dates."""
    if hasattr(value, "date") and callable(value.date):
        value = value.date()
    return value.isoformat() if hasattr(value, "isoformat") else value


SYNTHETIC_NOTE = (
    "The per-force figures of this campaign are SYNTHETIC (generated for the demonstration so "
    "that the national totals equal the published ones); do not cite them as any force's data. "
)


def method_text(result: Aggregate, *, unit: str, synthetic: bool) -> str:
    """The denominator and the rules, in words a journalist can quote."""
    total, missing = result.total, result.not_recorded
    return (
        (SYNTHETIC_NOTE if synthetic else "")
        + f"Counts are {unit}. Shares are of the {total.reported:,} {unit} where the platform "
        f"was recorded ({result.figures:,} figures from {result.forces} forces), not of all "
        f"{unit}; {missing.reported:,} {unit} with no platform recorded (between {missing.low:,} "
        f"and {missing.high:,} with suppressed cells) are left out of the groups and shares. "
        "'reported' and 'share' count only the cells a force gave exactly, as a reader adding up "
        "the published tables would. Suppressed cells ('*', '<5') are between 1 and the force's "
        "threshold minus one, so the true sums lie between 'low' and 'high' (above 'reported' "
        "when cells were suppressed) and the true shares between 'share_low' and 'share_high', "
        "which need not contain 'share'. A stated all-platforms total is never added to its "
        "parts; one offence on two "
        "platforms counts once for each. Forces that refused or do not hold the data contribute "
        "nothing and are listed under 'coverage'."
    )


def as_payload(
    result: Aggregate, *, coverage: dict, unit: str, synthetic: bool, release_id: int | None
) -> dict:
    def share(value: Decimal | None) -> float | None:
        return None if value is None else float(value)

    return {
        "group_by": result.group_by,
        "unit": unit,
        "release": release_id,
        "groups": [
            {
                "key": dict(zip(result.group_by, group.key, strict=True)),
                "label": dict(zip(result.group_by, group.label, strict=True)),
                **group.counts.as_dict(),
                "figures": group.figures,
                "forces": group.forces,
                **{name: share(value) for name, value in group.share.items()},
            }
            for group in result.groups
        ],
        "total": {**result.total.as_dict(), "figures": result.figures, "forces": result.forces},
        "not_recorded": result.not_recorded.as_dict(),
        "coverage": coverage,
        "method": method_text(result, unit=unit, synthetic=synthetic),
    }
