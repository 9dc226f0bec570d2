"""The API's budgets hold across web processes and behind the proxy (issue 15, items 3 and 4).

Three gunicorn workers each counted alone (150 requests at 30/min: 81 answered), and anonymous
callers were counted by the whole X-Forwarded-For header, which the client writes: rotating its
first entry escaped the limit. The counting is now one atomic counter in the shared cache, and
the caller is the address our proxy saw (the last entry, with one proxy)."""

from __future__ import annotations

import logging
import os

import pytest
import redis
from django.core.cache import cache, caches
from django.test import RequestFactory, override_settings
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle, UserRateThrottle

from accounts.sign_in import client_address as sign_in_address
from core.client_address import client_address

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/7")


@pytest.fixture(autouse=True)
def fresh_budgets():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def five_reports_a_minute(monkeypatch, settings):
    """The anonymous aggregates on, at five a minute, as the review ran them."""
    settings.FOI_PUBLIC_ENDPOINTS = ["aggregates"]
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"heavy": "5/minute", "user": None})


def aggregates(client: APIClient, **headers):
    return client.get("/api/v1/aggregates/", {"group_by": "platform"}, **headers)


@pytest.mark.django_db
def test_a_rotated_forwarded_for_does_not_escape_the_throttle(five_reports_a_minute):
    """The proxy (127.0.0.1) appended the client it saw, 203.0.113.7; the junk before it is the
    client's own. Twenty requests with twenty different junk entries: five answered."""
    client = APIClient(REMOTE_ADDR="127.0.0.1")
    codes = [
        aggregates(client, HTTP_X_FORWARDED_FOR=f"junk{i}, 203.0.113.7").status_code
        for i in range(20)
    ]
    assert codes == [200] * 5 + [429] * 15


@pytest.mark.django_db
def test_another_client_behind_the_proxy_has_a_budget_of_its_own(five_reports_a_minute):
    client = APIClient(REMOTE_ADDR="127.0.0.1")
    for _ in range(5):
        aggregates(client, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert aggregates(client, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    assert aggregates(client, HTTP_X_FORWARDED_FOR="198.51.100.20").status_code == 200


@pytest.mark.django_db
def test_a_forwarded_for_from_an_address_that_is_not_our_proxy_is_ignored(five_reports_a_minute):
    """A client reaching the server directly cannot name itself someone else."""
    client = APIClient(REMOTE_ADDR="198.51.100.9")
    codes = [aggregates(client, HTTP_X_FORWARDED_FOR=f"192.0.2.{i}").status_code for i in range(7)]
    assert codes == [200] * 5 + [429] * 2


@pytest.mark.django_db
def test_the_refusal_says_when_to_come_back(five_reports_a_minute):
    client = APIClient(REMOTE_ADDR="198.51.100.9")
    for _ in range(5):
        aggregates(client)
    refused = aggregates(client)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert set(refused.json()) == {"detail", "errors"}


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (1, "127.0.0.1", "junk, 203.0.113.7", "203.0.113.7"),
        # A load balancer in front of nginx: the balancer wrote the client, nginx the balancer.
        (2, "127.0.0.1", "junk, 203.0.113.7, 10.0.0.5", "203.0.113.7"),
        (2, "127.0.0.1", "203.0.113.7", "203.0.113.7"),
        (0, "127.0.0.1", "203.0.113.7", "127.0.0.1"),
        (1, "198.51.100.9", "203.0.113.7", "198.51.100.9"),
        (1, "127.0.0.1", "", "127.0.0.1"),
        (1, "127.0.0.1", "not-an-address", "127.0.0.1"),
    ],
)
def test_the_throttles_and_the_sign_in_lock_out_agree_on_the_client(
    settings, proxies, remote, forwarded, expected
):
    settings.NUM_PROXIES = proxies
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected
    assert sign_in_address(request) == expected


def test_a_trusted_proxy_may_be_given_as_a_network(settings):
    settings.NUM_PROXIES = 1
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.7", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert client_address(request) == "203.0.113.7"


@pytest.mark.django_db
def test_an_unreachable_cache_lets_requests_through_and_says_so(monkeypatch, staff, caplog):
    """Refusing everyone while Redis restarts would take the API down with it."""
    unreachable = {
        "default": {
            "BACKEND": "core.redis_cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "1/minute", "heavy": None})
    client = APIClient()
    client.force_authenticate(staff)
    with override_settings(CACHES=unreachable), caplog.at_level(logging.WARNING, "core.throttles"):
        codes = [client.get("/api/v1/forces/").status_code for _ in range(3)]
    assert codes == [200, 200, 200]
    assert [r.message for r in caplog.records] == [
        "Throttle not counted: the cache is unavailable"
    ] * 3


def redis_answers(url: str) -> bool:
    try:
        return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
    except redis.RedisError:
        return False


@pytest.fixture
def redis_cache(settings):
    """The shared cache as production has it, under a key prefix of this test's own."""
    if not redis_answers(REDIS_TEST_URL):
        pytest.skip(f"no Redis at {REDIS_TEST_URL}")
    settings.CACHES = {
        "default": {
            "BACKEND": "core.redis_cache.RedisCache",
            "LOCATION": REDIS_TEST_URL,
            "KEY_PREFIX": "throttle-pipeline-test",
        }
    }
    cache.clear()
    yield redis.Redis.from_url(REDIS_TEST_URL)
    cache.clear()


@pytest.mark.django_db
def test_in_redis_the_budget_holds_and_the_window_carries_its_expiry(
    five_reports_a_minute, redis_cache
):
    """One MULTI/EXEC a throttle (SET NX EX, INCR): the window opens with its expiry, and the
    refusal's Retry-After is what is left of it."""
    client = APIClient(REMOTE_ADDR="198.51.100.9")
    codes = [aggregates(client).status_code for _ in range(7)]
    assert codes == [200] * 5 + [429] * 2
    (counter,) = redis_cache.keys("throttle-pipeline-test:*throttle_heavy_198.51.100.9")
    assert int(redis_cache.get(counter)) == 7
    assert 0 < redis_cache.ttl(counter) <= 60
    assert 1 <= int(aggregates(client)["Retry-After"]) <= 60


@pytest.mark.django_db
def test_in_redis_each_throttle_is_one_round_trip(five_reports_a_minute, redis_cache, monkeypatch):
    """A signed-out aggregates call passes three throttles (anonymous, every caller's by
    address, and the reports' heavy one): three pipelines of two commands, nothing else."""
    sent = []
    execute = redis.client.Pipeline.execute

    def counted(pipeline, *args, **kwargs):
        sent.append([command[0][0] for command in pipeline.command_stack])
        return execute(pipeline, *args, **kwargs)

    monkeypatch.setattr(redis.client.Pipeline, "execute", counted)
    assert aggregates(APIClient(REMOTE_ADDR="198.51.100.9")).status_code == 200
    assert sent == [["SET", "INCRBY"]] * 3


def test_the_cache_keeps_one_redis_client_for_each_pool(redis_cache):
    """Django's backend made a client for every call (0.09 ms each, three to four a cached
    report); ours keeps the first, and it still reads and writes."""
    backend = caches["default"]
    assert backend._cache.get_client("a", write=True) is backend._cache.get_client("b")
    cache.set("kept", 41)
    assert cache.incr("kept") == 42 and cache.get("kept") == 42
