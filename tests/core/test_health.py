from __future__ import annotations

import datetime as dt
import socket
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from requests_app.models import SweepRun


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.django_db
def test_it_reports_every_part_healthy_without_a_broker(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert body["database"] == {"ok": True}
    assert body["broker"] == {
        "ok": True,
        "tasks": "in-process",
        "detail": "no broker: tasks run in-process",
    }


@pytest.mark.django_db
def test_it_answers_503_when_the_broker_is_down(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port()}/0"
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["broker"] == {
        "ok": False,
        "tasks": "workers",
        "error": "ConnectionError",
    }
    # Readiness is about serving: a broker outage does not take the web process out of rotation.
    assert client.get("/health/ready/").status_code == 200


@pytest.mark.django_db
def test_it_answers_503_when_the_database_is_down(client, monkeypatch):
    from django.db import OperationalError

    from core import health

    def refuse():
        raise OperationalError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", refuse)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["database"] == {"ok": False, "error": "OperationalError"}
    assert client.get("/health/ready/").status_code == 503


def test_health_needs_no_sign_in_and_shows_no_data(client, db):
    body = client.get("/health/").content.decode()
    assert "admin" not in body and "@" not in body


@pytest.mark.django_db
def test_every_response_carries_a_request_id_and_the_security_policy(client):
    response = client.get("/health/", HTTP_X_REQUEST_ID="lb-request-12345")
    assert response["X-Request-ID"] == "lb-request-12345"
    forged = client.get("/health/", HTTP_X_REQUEST_ID="bad id\nwith newline")
    assert forged["X-Request-ID"] != "bad id\nwith newline"
    assert len(forged["X-Request-ID"]) == 32
    assert "script-src 'self'" in response["Content-Security-Policy"]


# The reminder sweep's age.


def sweep_finished(at: dt.datetime) -> None:
    SweepRun.objects.create(started_at=at, finished_at=at, reminders=0, digests=0)


@pytest.mark.django_db
def test_it_reports_the_age_of_the_last_sweep(client, settings):
    settings.REDIS_URL = ""
    now = timezone.now()
    sweep_finished(now - dt.timedelta(hours=30))
    sweep_finished(now - dt.timedelta(hours=25, minutes=30))
    with time_machine.travel(now, tick=False):
        response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["reminder_sweep"] == {"ok": True, "age_hours": 25.5}


@pytest.mark.django_db
def test_it_answers_503_when_the_last_sweep_is_over_26_hours_old(client, settings):
    settings.REDIS_URL = ""
    now = timezone.now()
    sweep_finished(now - dt.timedelta(hours=26, minutes=6))
    with time_machine.travel(now, tick=False):
        response = client.get("/health/")
        ready = client.get("/health/ready/")
    assert response.status_code == 503
    assert response.json()["reminder_sweep"] == {
        "ok": False,
        "age_hours": 26.1,
        "detail": "stale: no sweep for over 26 hours",
    }
    # A stale sweep is no reason to stop serving pages.
    assert ready.status_code == 200


@pytest.mark.django_db
def test_a_new_installation_without_a_sweep_is_healthy_for_its_first_26_hours(client, settings):
    settings.REDIS_URL = ""
    installed = MigrationRecorder.Migration.objects.order_by("applied").first().applied
    with time_machine.travel(installed + dt.timedelta(hours=25), tick=False):
        fresh = client.get("/health/")
    with time_machine.travel(installed + dt.timedelta(hours=27), tick=False):
        forgotten = client.get("/health/")
    never = {"age_hours": None, "detail": "no sweep has run since installation"}
    assert (fresh.status_code, fresh.json()["reminder_sweep"]) == (200, {"ok": True, **never})
    assert (forgotten.status_code, forgotten.json()["reminder_sweep"]) == (
        503,
        {"ok": False, **never},
    )


@pytest.mark.django_db
def test_every_sweep_records_its_run_even_when_it_sends_nothing(client, settings):
    settings.REDIS_URL = ""
    at = dt.datetime(2026, 3, 2, 7, 0, tzinfo=dt.UTC)
    with time_machine.travel(at, tick=False):
        call_command("send_reminders", stdout=StringIO())
        call_command("send_reminders", "--dry-run", stdout=StringIO())
    run = SweepRun.objects.get()
    assert (run.started_at, run.finished_at, run.reminders, run.digests) == (at, at, 0, 0)
    with time_machine.travel(at + dt.timedelta(hours=1), tick=False):
        assert client.get("/health/").json()["reminder_sweep"] == {"ok": True, "age_hours": 1.0}
