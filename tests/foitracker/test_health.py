from __future__ import annotations

import socket

import pytest


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
    assert body["broker"]["ok"] is True


@pytest.mark.django_db
def test_it_answers_503_when_the_broker_is_down(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port()}/0"
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["broker"] == {"ok": False, "error": "ConnectionError"}
    # Readiness is about serving: a broker outage does not take the web process out of rotation.
    assert client.get("/health/ready/").status_code == 200


@pytest.mark.django_db
def test_it_answers_503_when_the_database_is_down(client, monkeypatch):
    from django.db import OperationalError

    from foitracker import health

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
