"""Coverage: which forces were asked, and where each of them stands, so that a total is never
quoted without saying how many forces it rests on."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterator
from itertools import chain

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)

from requests_app.models import FoiRequest
from requests_app.status import STILL_OPEN, Status
from responses_app.models import Figure, FoiResponse, Outcome, standing_condition

# The order a force is classified in: the first that applies wins.
CATEGORIES = [
    "answered_with_figures",
    "refused",
    "not_held",
    "neither_confirm_nor_deny",
    "answered_without_figures",
    "overdue",
    "awaiting",
    "withdrawn",
]


def _classify(row: dict, today: dt.date) -> str:
    if row["has_figures"]:
        return "answered_with_figures"
    outcome = row["latest_outcome"]
    if outcome in (Outcome.REFUSED, Outcome.NOT_HELD, Outcome.NEITHER_CONFIRM_NOR_DENY):
        return outcome
    if outcome is not None:
        return "answered_without_figures"
    if row["status"] in STILL_OPEN:
        return "overdue" if FoiRequest.clock_passed(row["current_due_on"], today) else "awaiting"
    return "withdrawn"


def coverage(requests: QuerySet[FoiRequest], *, today: dt.date) -> dict:
    """Where every request asked stands, by category: how many requests (`count`) and which
    forces (`forces`, each once). In one campaign a force has one request, so the two agree; over
    many campaigns a force is named once however many times it was asked, so that the answer
    grows with the forces (46), not with the requests (a million). A force re-asked a narrowed
    question stands where its newest request stands: the refusal it replaces is history, and
    counting both would count the force twice."""
    # NOT EXISTS rather than `re_ask__isnull`: the outer join that one gives was estimated at
    # one row, so PostgreSQL joined forces by a nested loop, 46 x 210,000 comparisons (5 s).
    requests = requests.filter(~Exists(FoiRequest.objects.filter(parent=OuterRef("pk")))).exclude(
        status=Status.DRAFT
    )
    standing = FoiResponse.objects.filter(standing_condition())
    answered = Exists(standing.filter(request=OuterRef("pk")))
    rows = chain(
        _unanswered(requests.filter(~answered)), _answered(requests.filter(answered), standing)
    )
    forces: dict[str, Counter[str]] = {category: Counter() for category in CATEGORIES}
    exemptions: Counter[str] = Counter()
    for row in rows:
        category = _classify(row, today)
        forces[category][row["force__slug"]] += row["requests"]
        if category == "refused":
            for code in _codes(row["latest_exemptions"]):
                exemptions[code] += row["requests"]
    summary = {
        category: {"count": counted.total(), "forces": sorted(counted)}
        for category, counted in forces.items()
    }
    summary["refused"]["exemptions"] = dict(sorted(exemptions.items()))
    return {"asked": sum(counted.total() for counted in forces.values()), **summary}


# Requests that stand alike are counted in SQL and classified once: a scope of a million
# requests sends back a few thousand rows, not a million. Most requests have no answer yet, and
# for them the latest answer need not be looked up (two index probes a request: 2 s a million).
UNANSWERED = {"has_figures": False, "latest_outcome": None, "latest_exemptions": None}


def _unanswered(requests: QuerySet[FoiRequest]) -> Iterator[dict]:
    rows = (
        requests.values("force__slug", "status", "current_due_on")
        .annotate(requests=Count("pk"))
        .order_by("force__slug")
    )
    return ({**row, **UNANSWERED} for row in rows)


def _answered(requests: QuerySet[FoiRequest], standing: QuerySet[FoiResponse]) -> QuerySet:
    latest = standing.filter(request=OuterRef("pk")).order_by("-received_on", "-id")
    # The requests answered with figures: listed once for the scope (one index probe per
    # answer), then looked up for each request in that list as a hash. A check per request
    # scanned the answers table once for each of 100,000 requests: 4 s.
    with_figures = standing.filter(
        Exists(Figure.objects.filter(response=OuterRef("pk"), low__isnull=False)),
        request__in=requests.values("pk"),
    ).values("request_id")
    return (
        requests.annotate(
            has_figures=ExpressionWrapper(Q(pk__in=with_figures), output_field=BooleanField()),
            latest_outcome=Subquery(latest.values("outcome")[:1]),
            latest_exemptions=Subquery(latest.values("exemptions")[:1]),
        )
        .values(
            "force__slug",
            "status",
            "current_due_on",
            "has_figures",
            "latest_outcome",
            "latest_exemptions",
        )
        .annotate(requests=Count("pk"))
        .order_by("force__slug")
    )


def _codes(exemptions) -> list[str]:
    # A JSON list read through a subquery comes back as text on some databases.
    if isinstance(exemptions, str):
        exemptions = json.loads(exemptions)
    return list(exemptions or [])
