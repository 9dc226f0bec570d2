"""Health for the load balancer and the on-call: no auth, no data, one line per part.

`/health/` reports every part and answers 503 when one is down or the reminder sweep is stale;
`/health/ready/` answers 200 once this process can serve (its database answers), which is what a
load balancer should route on: a stale sweep is no reason to stop serving pages."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def database_check() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True}
    except Exception as error:  # Any failure to answer is "down"; say which kind, not details.
        return {"ok": False, "error": type(error).__name__}


def broker_check() -> dict:
    if not settings.REDIS_URL:
        return {"ok": True, "detail": "no broker configured: tasks run in-process"}
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2).ping()
        return {"ok": True}
    except Exception as error:
        return {"ok": False, "error": type(error).__name__}


CHECKS: dict[str, Callable[[], dict]] = {"database": database_check, "broker": broker_check}


@never_cache
@require_GET
def health(request) -> JsonResponse:
    results = {name: check() for name, check in CHECKS.items()}
    healthy = all(result["ok"] for result in results.values())
    return JsonResponse({"ok": healthy, **results}, status=200 if healthy else 503)


@never_cache
@require_GET
def ready(request) -> JsonResponse:
    result = database_check()
    return JsonResponse(result, status=200 if result["ok"] else 503)
