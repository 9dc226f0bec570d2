"""Aggregates at every scope, uncached, against their bare-SQL floor measured in turns: staff
(every campaign), a consumer (the published campaigns), a release (frozen rows) and one
campaign of the size a real one has. The floor of a live scope is the grouped figures plus the
grouped count of its requests by force and status that the coverage rests on; a release's
coverage is frozen, so its floor is the grouped rows alone. Each endpoint call starts from an
empty cache (the cache is what the HTTP rows measure)."""

from __future__ import annotations

import datetime as dt
import http.client
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test import Client

from bench.aggregates import bare_sql, run_bare
from bench.measure import ServiceUnavailable, timed, timed_pair
from requests_app import roles
from requests_app.models import Campaign
from responses_app import releases
from responses_app.models import DatasetRelease, Figure
from responses_app.services import figure_correct

GROUP_BY = "platform"


def consumer_session() -> str:
    """A signed-in API consumer: sees the published campaigns only."""
    user, _ = get_user_model().objects.get_or_create(
        username="bench-consumer", defaults={"email": "bench-consumer@example.org"}
    )
    user.groups.add(Group.objects.get(name=roles.CONSUMER))
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def coverage_sql(campaign_ids: list[int] | None) -> str:
    """The requests behind the coverage, counted by force and status: one scan."""
    where = "q.status <> 'draft'"
    if campaign_ids is not None:
        where += f" AND q.campaign_id IN ({', '.join(str(int(pk)) for pk in campaign_ids)})"
    return f"""
        SELECT fo.slug, q.status, COUNT(*)
        FROM requests_app_foirequest q JOIN requests_app_force fo ON fo.id = q.force_id
        WHERE {where} GROUP BY fo.slug, q.status
    """


def release_sql(release_id: int) -> str:
    return f"""
        SELECT platform_slug, platform_name,
               SUM(CASE WHEN status IN ('reported', 'zero') THEN low ELSE 0 END),
               SUM(low), SUM(high), COUNT(*), COUNT(DISTINCT force_slug)
        FROM responses_app_releaserow
        WHERE release_id = {int(release_id)} AND platform_scope = 'named' AND low IS NOT NULL
        GROUP BY platform_slug, platform_name
    """


def _run(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        cursor.fetchall()


@dataclass
class ScopeFigures:
    scope: str
    figures: int  # in the scope
    groups: int
    endpoint: float
    queries: int
    bare: float
    cached: float
    same_numbers: bool

    @property
    def ratio(self) -> float:
        return self.endpoint / self.bare


@dataclass
class Scope:
    label: str
    session: str
    params: dict
    groups_sql: str
    coverage_sql: str | None
    figures: int


def _figures(**filters) -> int:
    return Figure.objects.filter(**filters).count()


def scopes(cast, consumer: str, campaign_ids: list[int], release: DatasetRelease) -> list[Scope]:
    published = list(Campaign.objects.filter(published=True).values_list("pk", flat=True))
    one = campaign_ids[0]
    return [
        Scope(
            "staff, every campaign",
            cast.staff_session,
            {},
            bare_sql(GROUP_BY, None),
            coverage_sql(None),
            _figures(),
        ),
        Scope(
            "consumer, published campaigns",
            consumer,
            {},
            bare_sql(GROUP_BY, published),
            coverage_sql(published),
            _figures(response__request__campaign__in=published),
        ),
        Scope(
            "release of one campaign",
            cast.owner_session,
            {"release": release.pk},
            release_sql(release.pk),
            None,
            release.row_count,
        ),
        Scope(
            "owner, one campaign",
            cast.owner_session,
            {"campaign": one},
            bare_sql(GROUP_BY, [one]),
            coverage_sql([one]),
            _figures(response__request__campaign_id=one),
        ),
    ]


def release_make(cast, campaign_ids: list[int]) -> DatasetRelease:
    """A release of the first campaign as it stands now (the growth runs add figures)."""
    campaign = Campaign.objects.get(pk=campaign_ids[0])
    name = f"Bench {dt.datetime.now():%H:%M:%S}"
    return releases.release_create(campaign=campaign, name=name, user=cast.owner)


def measure(client: Client, scope: Scope, *, repeat: int) -> ScopeFigures:
    def ask() -> dict:
        answer = client.get(
            "/api/v1/aggregates/",
            {"group_by": GROUP_BY, **scope.params},
            HTTP_COOKIE=f"sessionid={scope.session}",
        )
        if answer.status_code == 503:
            raise ServiceUnavailable(f"{answer.status_code}: {answer.content[:200]}")
        if answer.status_code != 200:
            raise RuntimeError(f"aggregates answered {answer.status_code}: {answer.content[:300]}")
        return answer.json()

    def uncached() -> dict:
        cache.clear()
        return ask()

    def floor() -> dict:
        groups = run_bare(scope.groups_sql, 1)
        if scope.coverage_sql:
            _run(scope.coverage_sql)
        return groups

    endpoint, bare = timed_pair(uncached, floor, repeat=repeat)
    kept = timed(ask, repeat=repeat)
    same = _groups(endpoint.result) == bare.result
    return ScopeFigures(
        scope.label,
        scope.figures,
        len(bare.result),
        endpoint.median,
        endpoint.queries,
        bare.median,
        kept.median,
        same,
    )


def _groups(payload: dict) -> dict[tuple, tuple]:
    return {
        (group["key"][GROUP_BY],): (
            group["reported"],
            group["low"],
            group["high"],
            group["figures"],
            group["forces"],
        )
        for group in payload["groups"]
    }


def figure_correct_one(cast, campaign_id: int) -> Callable[[], None]:
    """A correction of one figure of the campaign, through the service (so the cache hears of
    it as in production); returns how to undo it."""
    figure = Figure.objects.filter(
        response__request__campaign_id=campaign_id, status="reported"
    ).first()
    raw = figure.raw
    figure_correct(figure=figure, raw=str(int(raw) + 1), user=cast.staff, reason="bench")

    def undo() -> None:
        figure.refresh_from_db()
        figure_correct(figure=figure, raw=raw, user=cast.staff, reason="bench undo")

    return undo


def cache_shared() -> bool:
    """A correction made here reaches the server's workers only through a shared cache."""
    return "locmem" not in settings.CACHES["default"]["BACKEND"].lower()


def first_call(server, path: str, session: str) -> float:
    """One request's time, the first after a write (it computes the answer again)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
    started = time.perf_counter()
    connection.request("GET", path, headers={"Cookie": f"sessionid={session}"})
    answer = connection.getresponse()
    answer.read()
    elapsed = time.perf_counter() - started
    connection.close()
    if answer.status != 200:
        raise ServiceUnavailable(f"aggregates answered {answer.status} after the correction")
    return elapsed


TARGET_CAMPAIGN_SECONDS = 0.020
REALISTIC_FIGURES = 10_000


def report_to(report, results: list[tuple[str, ScopeFigures]]) -> None:
    """The table, and the targets: every scope within TARGET_RATIO of its floor at the largest
    load, and a campaign of about 10,000 figures under 20 ms, both uncached."""
    from bench.report import TARGET_RATIO, seconds

    if not results:
        report.target("aggregates at every scope within 1.25x of bare SQL", "", None)
        return
    rows = [
        [
            load,
            r.scope,
            f"{r.figures:,}",
            str(r.groups),
            seconds(r.endpoint),
            str(r.queries),
            seconds(r.bare),
            f"{r.ratio:.2f}x",
            seconds(r.cached),
            "yes" if r.same_numbers else "**NO**",
        ]
        for load, r in results
    ]
    report.table(
        "Aggregates at every scope, uncached, against the bare SQL (groups + coverage counts)",
        [
            "load (figures)",
            "scope",
            "figures in scope",
            "groups",
            "endpoint",
            "queries",
            "bare SQL",
            "ratio",
            "cached",
            "same",
        ],
        rows,
    )
    last_load = results[-1][0]
    last = [r for load, r in results if load == last_load]
    worst = max(last, key=lambda r: r.ratio)
    report.target(
        f"every scope within {TARGET_RATIO}x of its bare SQL at {last_load} figures",
        f"worst {worst.ratio:.2f}x ({worst.scope}); numbers equal: "
        f"{all(r.same_numbers for r in last)}",
        worst.ratio <= TARGET_RATIO and all(r.same_numbers for r in last),
    )
    campaigns = [r for _, r in results if r.scope.startswith("owner, one campaign")]
    realistic = min(campaigns, key=lambda r: abs(r.figures - REALISTIC_FIGURES))
    report.target(
        f"one campaign of about {REALISTIC_FIGURES:,} figures under "
        f"{TARGET_CAMPAIGN_SECONDS * 1000:.0f} ms, uncached, full stack",
        f"{seconds(realistic.endpoint)} at {realistic.figures:,} figures "
        f"(bare SQL {seconds(realistic.bare)})",
        realistic.endpoint < TARGET_CAMPAIGN_SECONDS,
    )
