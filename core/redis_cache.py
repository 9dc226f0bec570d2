"""Django's Redis cache, keeping one Redis client for each connection pool.

Django's client makes a new `redis.Redis` for every cache call, and redis-py fills its table of
reply handlers each time: 0.09 ms a call, paid three to four times by an answer read from the
cache (the throttles' counters, the version with the answer). A `redis.Redis` is safe to share
(each command takes a connection from the pool), so one is kept for each pool."""

from __future__ import annotations

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[object, object] = {}  # pool: client; the pools are kept for good

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        if pool not in self._clients:
            self._clients[pool] = self._client(connection_pool=pool)
        return self._clients[pool]


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
