"""When the shared cache is unreachable (Redis down), reports are computed afresh, never a 500,
and writes still succeed; the version bump a write could not make is paid before the next answer
is read, so answers kept before the outage are not served once the cache is back."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from redis.exceptions import ConnectionError as RedisConnectionError

from core import answer_cache
from responses_app import services
from responses_app.models import Figure

# Nothing listens on port 1 of loopback: every cache call fails at once.
UNREACHABLE = {
    "default": {
        "BACKEND": "core.redis_cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


@pytest.fixture
def cache_down(settings):
    settings.CACHES = UNREACHABLE
    yield
    answer_cache._owed["bump"] = False


def aggregates(client, **params):
    return client.get("/api/v1/aggregates/", params)


def test_reports_are_computed_and_writes_succeed_while_the_cache_is_down(
    client_for, owner, data_entry, hand_checked, cache_down
):
    """The hand-checked campaign (tests/responses_app/conftest.py): 7 forces asked; Kent's
    Instagram cell is 10. Corrected to 12 while the cache is down, the next answer says so."""
    client = client_for(owner)
    first = aggregates(client, campaign=hand_checked.pk, group_by="platform")
    assert first.status_code == 200
    assert first.json()["coverage"]["asked"] == 7
    instagram = {g["key"]["platform"]: g for g in first.json()["groups"]}["instagram"]

    kent_instagram = Figure.objects.get(
        response__request__force__slug="kent", platform__slug="instagram"
    )
    services.figure_correct(figure=kent_instagram, raw="12", reason="typo", user=data_entry)
    assert answer_cache._owed["bump"] is True

    second = aggregates(client, campaign=hand_checked.pk, group_by="platform")
    assert second.status_code == 200
    after = {g["key"]["platform"]: g for g in second.json()["groups"]}["instagram"]
    assert after["reported"] == instagram["reported"] + 2
    # Nothing kept, so no ETag matches a later answer: a client cannot be told "unchanged".
    assert second["ETag"] != first["ETag"]
    again = client.get(
        "/api/v1/aggregates/",
        {"campaign": hand_checked.pk, "group_by": "platform"},
        HTTP_IF_NONE_MATCH=second["ETag"],
    )
    assert again.status_code == 200


def test_a_bump_owed_from_an_outage_is_paid_before_the_next_answer(monkeypatch):
    cache.set(answer_cache.VERSION_KEY, 41, timeout=None)
    made = answer_cache._bump_now
    calls = {"n": 0}

    def down_once():
        calls["n"] += 1
        if calls["n"] == 1:
            raise RedisConnectionError("the cache is down")
        made()

    monkeypatch.setattr(answer_cache, "_bump_now", down_once)
    answer_cache._bump()
    assert (cache.get(answer_cache.VERSION_KEY), answer_cache._owed["bump"]) == (41, True)

    stamp = answer_cache.live_stamp("aggregates", scope="all", params={})
    assert (stamp.version, answer_cache._owed["bump"]) == (42, False)
