"""Aggregated counts with honest denominators: the selector behind /api/v1/aggregates/.

The traps it handles for the consumer:
- the denominator: shares are of instances where the platform was recorded, never of all;
- suppression: a '*' cell is 1..threshold-1, so every sum is an interval [low, high] and every
  share too; the point estimates (`midpoint`, `share_midpoint`) count each suppressed cell at
  the middle of its range, so they always lie inside their intervals. `reported` counts only the
  cells a force gave exactly: what a reader adding up the published tables gets, never a
  suppressed cell read as zero in a share;
- coverage: which forces were asked, answered with figures, refused (and under what), said
  'not held', or are still awaiting or overdue;
- double counting: a stated all-platforms total is never added to its own parts, and the unit
  (instances, offences, victims) is never mixed within one answer.

Live figures and frozen release rows expose the same column names (see `dataset.py`), so the
same grouped query serves both.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db.models import Aggregate as SqlAggregate
from django.db.models import Case, CharField, Count, F, IntegerField, QuerySet, Sum, When
from django.db.models.functions import Coalesce, TruncMonth, TruncQuarter, TruncYear

from responses_app.models import PlatformScope
from responses_app.shares import PLACES, count_range_text, plural, share_rounded
from responses_app.values import ValueStatus

EXACT = (ValueStatus.REPORTED, ValueStatus.ZERO)
NO_OWNER = "No owner on record"


@dataclass(frozen=True)
class Dimension:
    key: str
    label: str
    # What a group with no value is called (a platform nobody owns: online gaming, other).
    none_label: str | None = None


# group_by name -> the dataset columns that give its key and its label.
DIMENSIONS: dict[str, Dimension] = {
    "platform": Dimension("platform_slug", "platform_name"),
    "owner": Dimension("owner_slug", "owner_name", none_label=NO_OWNER),
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

    @property
    def midpoint(self) -> Fraction:
        """Each suppressed cell at the middle of its range: the sum of the cells' midpoints."""
        return Fraction(self.low + self.high, 2)

    def as_dict(self) -> dict[str, int | Decimal]:
        return {
            "reported": self.reported,
            "low": self.low,
            "high": self.high,
            "midpoint": Decimal(self.low + self.high) / 2,
        }


@dataclass(frozen=True)
class Share:
    """A group's share of a whole, rounded by the one rule (shares.py)."""

    low: Decimal | None
    midpoint: Decimal | None
    high: Decimal | None

    def as_dict(self, prefix: str) -> dict[str, Decimal | None]:
        return {f"{prefix}_{name}": getattr(self, name) for name in ("low", "midpoint", "high")}


NO_SHARE = Share(None, None, None)


def share_of(group: Interval, whole: Interval) -> Share:
    """The group's share of the whole as the widest interval the suppressed cells allow (lowest
    when the group's cells are at their floor and the others' at their ceiling, highest the
    other way round) and its midpoint estimate. g / (g + o) grows with g and shrinks with o, so
    the midpoint (g and o each at the middle of their ranges) lies between the two ends, and
    rounding them all by one rule keeps it there."""
    others_low, others_high = whole.low - group.low, whole.high - group.high
    return Share(
        low=share_rounded(group.low, group.low + others_high),
        midpoint=share_rounded(group.low + group.high, whole.low + whole.high),
        high=share_rounded(group.high, group.high + others_low),
    )


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
class Group:
    key: list
    label: list
    counts: Interval
    figures: int
    forces: int
    share: Share = NO_SHARE
    # Two dimensions: the share of the first dimension's group (a platform's share of its
    # force's instances), which readers otherwise take the national share for.
    share_within_first: Share = NO_SHARE


@dataclass
class Aggregate:
    group_by: list[str]
    groups: list[Group]
    total: Interval
    not_recorded: Interval
    figures: int
    forces: int


# ordering name -> what it sorts the groups by; a leading '-' puts the largest first.
ORDER_BY: dict[str, Callable[[Group], object]] = {
    "midpoint": lambda group: group.counts.midpoint,
    "low": lambda group: group.counts.low,
    "high": lambda group: group.counts.high,
    "reported": lambda group: group.counts.reported,
    "label": lambda group: _label_order(group),
}
ORDERINGS = [f"{sign}{name}" for name in ORDER_BY for sign in ("-", "")]
DEFAULT_ORDERING = "-midpoint"


def _label_order(group: Group) -> tuple:
    return tuple(str(label).casefold() for label in group.label), tuple(map(str, group.key))


def groups_ordered(groups: list[Group], ordering: str = DEFAULT_ORDERING) -> list[Group]:
    """By size (the midpoint estimate, largest first) unless asked otherwise; equal groups in
    the order of their labels, so the answer is the same every time."""
    name = ordering.removeprefix("-")
    by_label = sorted(groups, key=_label_order, reverse=name == "label" and ordering != name)
    if name == "label":
        return by_label
    # sorted() is stable, also in reverse: equal groups keep their label order.
    return sorted(by_label, key=ORDER_BY[name], reverse=ordering != name)


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


def _label(row: dict, name: str):
    dimension = DIMENSIONS[name]
    label = _plain(row[dimension.label])
    return dimension.none_label if label is None else label


def aggregate(
    rows: QuerySet, group_by: Sequence[str], *, ordering: str = DEFAULT_ORDERING
) -> Aggregate:
    """Groups of the figures whose platform was recorded, their shares of the recorded-platform
    total (and of their first dimension's group), and the not-recorded remainder, from one
    grouped query."""
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
                label=[_label(row, name) for name in group_by],
                counts=counts,
                figures=row["figures"],
                forces=len(listed),
            )
        )
        total.add(counts)
        figures += row["figures"]
        forces |= listed
    _share_out(groups, total, within_first=len(group_by) > 1)
    return Aggregate(
        list(group_by), groups_ordered(groups, ordering), total, not_recorded, figures, len(forces)
    )


def _share_out(groups: list[Group], total: Interval, *, within_first: bool) -> None:
    firsts: dict[object, Interval] = defaultdict(Interval)
    for group in groups:
        firsts[group.key[0]].add(group.counts)
    for group in groups:
        group.share = share_of(group.counts, total)
        if within_first:
            group.share_within_first = share_of(group.counts, firsts[group.key[0]])


def _plain(value):
    """Period keys come back as dates or datetimes; the API shows them as ISO dates."""
    if hasattr(value, "date") and callable(value.date):
        value = value.date()
    return value.isoformat() if hasattr(value, "isoformat") else value


SYNTHETIC_NOTE = (
    "The per-force figures of this campaign are SYNTHETIC (generated for the demonstration so "
    "that the national totals equal the published ones); do not cite them as any force's data. "
)


def _with_exact(counts: Interval) -> str:
    """'between 9,544 and 9,745 (9,477 counted exactly)', or '40' when none was suppressed."""
    text = count_range_text(counts.low, counts.high)
    if counts.low == counts.high:
        return text
    return f"{text} ({counts.reported:,} counted exactly)"


def method_text(result: Aggregate, *, unit: str, synthetic: bool) -> str:
    """The denominator and the rules, in words a journalist can quote."""
    return (
        (SYNTHETIC_NOTE if synthetic else "")
        + f"Counts are {unit}. Shares are of the {unit} where the platform was recorded, not "
        f"of all {unit}: {_with_exact(result.total)}, in {plural(result.figures, 'figure')} "
        f"from {plural(result.forces, 'force')}. The {unit} with no platform recorded, "
        f"{_with_exact(result.not_recorded)}, are left out of the groups and shares. "
        "Suppressed cells ('*', '<5') are between 1 and the force's "
        "threshold minus one, so every count is an interval, 'low' to 'high', and every share "
        "too, 'share_low' to 'share_high'. The estimates 'midpoint' and 'share_midpoint' count "
        "each suppressed cell at the middle of its range and always lie inside their "
        "intervals. 'reported' counts only the cells a force gave exactly, as a reader adding "
        "up the published tables would; it is not an estimate of the true count. Shares are "
        f"rounded once, half up, to {PLACES} decimal places (a tenth of a percentage point) "
        "from the exact counts. A stated all-platforms total is never added to its parts; one "
        "offence on two platforms counts once for each. Forces that refused or do not hold "
        "the data contribute nothing and are listed under 'coverage'."
    )


def as_payload(
    result: Aggregate,
    *,
    coverage: dict,
    unit: str,
    synthetic: bool,
    release_id: int | None,
    ordering: str = DEFAULT_ORDERING,
) -> dict:
    within = len(result.group_by) > 1
    return {
        "group_by": result.group_by,
        "unit": unit,
        "release": release_id,
        "synthetic": synthetic,
        "ordering": ordering,
        "share_within": result.group_by[0] if within else None,
        "groups": [
            {
                "key": dict(zip(result.group_by, group.key, strict=True)),
                "label": dict(zip(result.group_by, group.label, strict=True)),
                **group.counts.as_dict(),
                "figures": group.figures,
                "forces": group.forces,
                **group.share.as_dict("share"),
                **group.share_within_first.as_dict("share_within_first"),
            }
            for group in result.groups
        ],
        "total": {**result.total.as_dict(), "figures": result.figures, "forces": result.forces},
        "not_recorded": result.not_recorded.as_dict(),
        "coverage": coverage,
        "method": method_text(result, unit=unit, synthetic=synthetic),
    }
