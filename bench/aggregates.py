"""The aggregates endpoint through the whole HTTP stack, against the bare SQL GROUP BY that gives
the same groups on the same database. The numbers are compared, not only the times."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.test import Client

from bench.measure import ServiceUnavailable, timed_pair

GROUP_BYS = ["platform", "owner", "force", "year", "force,platform"]

# group_by name -> (SQL of its key, SQL of its label): the columns the endpoint reports.
KEYS = {
    "platform": ("p.slug", "p.name"),
    "owner": ("o.slug", "o.name"),
    "force": ("fo.slug", "fo.name"),
}


def _year_sql() -> str:
    if connection.vendor == "postgresql":
        return "to_char(date_trunc('year', f.period_start), 'YYYY-MM-DD')"
    return "strftime('%Y-01-01', f.period_start)"


def bare_sql(group_by: str, campaign_ids: list[int] | None) -> str:
    """What a person would write by hand for the groups: one scan, the joins it needs (and no
    campaign filter at all for every campaign)."""
    keys, labels = [], []
    for name in group_by.split(","):
        key, label = KEYS.get(name) or (_year_sql(), _year_sql())
        keys.append(key)
        labels.append(label)
    columns = ", ".join(dict.fromkeys(keys + labels))
    scope = ""
    if campaign_ids is not None:
        scope = f"AND q.campaign_id IN ({', '.join(str(int(pk)) for pk in campaign_ids)})"
    return f"""
        SELECT {columns},
               SUM(CASE WHEN f.status IN ('reported', 'zero') THEN f.low ELSE 0 END),
               SUM(f.low), SUM(f.high), COUNT(*), COUNT(DISTINCT fo.slug)
        FROM responses_app_figure f
        JOIN responses_app_foiresponse r ON r.id = f.response_id
        JOIN requests_app_foirequest q ON q.id = r.request_id
        JOIN requests_app_force fo ON fo.id = q.force_id
        LEFT JOIN responses_app_platform p ON p.id = f.platform_id
        LEFT JOIN responses_app_platformowner o ON o.id = f.owner_id
        WHERE f.platform_scope = 'named' AND f.low IS NOT NULL {scope}
        GROUP BY {columns}
    """


def run_bare(sql: str, width: int) -> dict[tuple, tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    # The key columns first, the five numbers last.
    return {tuple(row[:width]): tuple(int(v) for v in row[-5:]) for row in rows}


def _from_endpoint(payload: dict, group_by: str) -> dict[tuple, tuple]:
    names = group_by.split(",")
    return {
        tuple(group["key"][name] for name in names): (
            group["reported"],
            group["low"],
            group["high"],
            group["figures"],
            group["forces"],
        )
        for group in payload["groups"]
    }


@dataclass
class AggregateFigures:
    group_by: str
    groups: int
    endpoint: float
    endpoint_queries: int
    bare: float
    same_numbers: bool

    @property
    def ratio(self) -> float:
        return self.endpoint / self.bare


def measure(
    client: Client, session: str, campaign_ids: list[int], group_by: str, *, repeat: int
) -> AggregateFigures:
    def call() -> dict:
        cache.clear()  # each call computes: the cache is what the HTTP rows measure
        answer = client.get(
            "/api/v1/aggregates/", {"group_by": group_by}, HTTP_COOKIE=f"sessionid={session}"
        )
        if answer.status_code == 503:
            raise ServiceUnavailable(f"{answer.status_code}: {answer.content[:200]}")
        if answer.status_code != 200:
            raise RuntimeError(f"aggregates answered {answer.status_code}: {answer.content[:300]}")
        return answer.json()

    sql = bare_sql(group_by, campaign_ids)
    width = len(group_by.split(","))
    endpoint, bare = timed_pair(call, lambda: run_bare(sql, width), repeat=repeat)
    same = _from_endpoint(endpoint.result, group_by) == bare.result
    return AggregateFigures(
        group_by, len(bare.result), endpoint.median, endpoint.queries, bare.median, same
    )
