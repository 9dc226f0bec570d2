"""Health for the load balancer and the on-call: no auth, no data, one line per part.

`/health/` reports every part and answers 503 when one is down or the reminder sweep is stale
(the sweep runs in a worker on beat's schedule, so a stale sweep means beat or every worker is
down);
`/health/ready/` answers 200 once this process can serve (its database answers), which is what a
load balancer should route on: a stale sweep is no reason to stop serving pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from requests_app.models import SweepRun

# The sweep runs hourly from 07:00 to 19:00: the longest normal gap is the night's 12 hours, so
# 26 hours means a whole day's sweeps were missed.
SWEEP_STALE_AFTER = dt.timedelta(hours=26)


def database_check() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True}
    except Exception as error:  # Any failure to answer is "down"; say which kind, not details.
        return {"ok": False, "error": type(error).__name__}


def broker_check() -> dict:
    """The broker, and where tasks run: `in-process` (no broker: inside the web process) or
    `workers` (Celery workers fed by the broker)."""
    if not settings.REDIS_URL:
        return {"ok": True, "tasks": "in-process", "detail": "no broker: tasks run in-process"}
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2).ping()
        return {"ok": True, "tasks": "workers"}
    except Exception as error:
        return {"ok": False, "tasks": "workers", "error": type(error).__name__}


def sweep_check() -> dict:
    """The age of the last finished reminder sweep. A new installation has none: that is fine
    (no page at night) until it is older than the stale limit, counted from its first migration,
    so a deployment whose beat was never started is caught a day later."""
    now = timezone.now()
    try:
        last = SweepRun.objects.values_list("finished_at", flat=True).first()
        since = last or _installed_at()
    except Exception as error:  # The database check reports the outage itself.
        return {"ok": False, "error": type(error).__name__}
    age = now - since if since else dt.timedelta(0)
    result = {"ok": age <= SWEEP_STALE_AFTER, "age_hours": round(age.total_seconds() / 3600, 1)}
    if last is None:
        result["age_hours"] = None
        result["detail"] = "no sweep has run since installation"
    elif not result["ok"]:
        result["detail"] = (
            f"stale: no sweep for over {SWEEP_STALE_AFTER.total_seconds() / 3600:g} hours"
        )
    return result


def _installed_at() -> dt.datetime | None:
    return (
        MigrationRecorder.Migration.objects.order_by("applied")
        .values_list("applied", flat=True)
        .first()
    )


CHECKS: dict[str, Callable[[], dict]] = {
    "database": database_check,
    "broker": broker_check,
    "reminder_sweep": sweep_check,
}


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
