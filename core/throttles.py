"""The API's request budgets, counted in the shared cache (Redis in production), so every web
process and machine draws on the same budget.

DRF's own throttles keep a list of request times in the cache: each request reads the list and
writes it back, so two workers at the same moment each lose the other's request, and with a
cache of its own per process (no CACHES setting) every worker counted alone (150 requests at
30/min against three workers: 81 answered, issue 15 item 3). Here each request adds one to a
counter with the cache's atomic increment (Redis INCR). The window opens at the caller's first
request and lasts the rate's period, so a burst cannot straddle a clock boundary for twice the
budget. The caller is the user, or for anonymous callers their address as our proxy saw it
(core.client_address).

With Redis, a throttle costs one round trip: SET NX EX (the first request of a window opens it
with its expiry) and INCR, sent together in one MULTI/EXEC, so no other request runs between them
and the counter can never be left without an expiry. Through the cache's own add and incr it
took three to four round trips a throttle, a quarter of a cached report's time; any other cache
(local memory on a laptop) still counts through them."""

from __future__ import annotations

import logging

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError
from rest_framework import throttling

from core.client_address import client_address

logger = logging.getLogger(__name__)


class CountingThrottle(throttling.SimpleRateThrottle):
    def get_ident(self, request) -> str:
        return client_address(request) or ""

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        try:
            count = self._count()
        except RedisError:
            # Refusing every caller while Redis is briefly away would take the API down with it.
            logger.warning("Throttle not counted: the cache is unavailable", exc_info=True)
            return True
        if count > self.num_requests:
            return self.throttle_failure()
        return True

    def _count(self) -> int:
        backend = caches[DEFAULT_CACHE_ALIAS]  # self.cache is its proxy
        if isinstance(backend, RedisCache):
            return self._count_in_redis(backend)
        return self._count_in_cache()

    def _count_in_redis(self, backend: RedisCache) -> int:
        key = backend.make_and_validate_key(self.key)
        with backend._cache.get_client(key, write=True).pipeline(transaction=True) as both:
            both.set(key, 0, ex=self.duration, nx=True)
            both.incr(key)
            _opened, count = both.execute()
        return count

    def _count_in_cache(self) -> int:
        ends = f"{self.key}:ends"
        # add() is atomic (SET NX): the first request of a window opens it, once.
        if self.cache.add(self.key, 0, self.duration):
            self.cache.set(ends, self.now + self.duration, self.duration)
        try:
            count = self.cache.incr(self.key)
        except ValueError:  # the window closed between the two calls
            self.cache.add(self.key, 0, self.duration)
            count = self.cache.incr(self.key)
        if count == 1:
            # incr may create a key that expired a moment ago without an expiry: give it one, or
            # the caller would be counted in one window for ever.
            self.cache.touch(self.key, self.duration)
        return count

    def wait(self) -> float:
        backend = caches[DEFAULT_CACHE_ALIAS]
        if isinstance(backend, RedisCache):
            key = backend.make_and_validate_key(self.key)
            left_ms = backend._cache.get_client(key).pttl(key)  # negative: gone already
            return max(left_ms / 1000, 1)
        ends = self.cache.get(f"{self.key}:ends") or self.now + self.duration
        return max(ends - self.now, 1)


class UserRateThrottle(throttling.UserRateThrottle, CountingThrottle):
    """Every caller's budget (API_RATE_USER): by user, or by address for anonymous callers."""


class ScopedRateThrottle(throttling.ScopedRateThrottle, CountingThrottle):
    """The smaller budget of the views that name a scope (API_RATE_HEAVY for the reports)."""


class AnonRateThrottle(throttling.AnonRateThrottle, CountingThrottle):
    """Anonymous readers' smaller budget (API_RATE_ANON), by the address the proxy saw."""
