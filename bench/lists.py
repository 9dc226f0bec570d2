"""Every list endpoint at page_size=100, through the whole HTTP stack (session authentication,
middleware, permissions, filters, pagination, rendering): its queries and its median time."""

from __future__ import annotations

from dataclasses import dataclass

from django.test import Client

from bench.measure import ServiceUnavailable, timed

LISTS = [
    "/api/v1/forces/",
    "/api/v1/campaigns/",
    "/api/v1/requests/",
    "/api/v1/reminders/",
    "/api/v1/platforms/",
    "/api/v1/owners/",
    "/api/v1/offences/",
    "/api/v1/responses/",
    "/api/v1/figures/",
    "/api/v1/figures/mismatches/",
    "/api/v1/releases/",
    "/api/v1/tokens/",
    "/api/v1/messages/unmatched/",
]


@dataclass
class ListFigures:
    path: str
    who: str
    rows: int
    queries: int
    median: float


def measure(client: Client, who: str, session: str, path: str, *, repeat: int) -> ListFigures:
    def call() -> dict:
        answer = client.get(path, {"page_size": 100}, HTTP_COOKIE=f"sessionid={session}")
        if answer.status_code == 503:
            raise ServiceUnavailable(f"{answer.status_code}: {answer.content[:200]}")
        if answer.status_code != 200:
            raise RuntimeError(f"{path} answered {answer.status_code}: {answer.content[:300]}")
        return answer.json()

    result = timed(call, repeat=repeat)
    body = result.result
    # Page-numbered lists give a count; cursor-paginated ones only the page.
    rows = body.get("count", len(body["results"])) if isinstance(body, dict) else len(body)
    return ListFigures(path, who, rows, result.queries, result.median)
