"""A Redis cache that answers a miss when Redis is unreachable, instead of an error.

The cache only ever holds what can be recomputed (live figures, charts): a page must not
fail because Redis is stopped or slow. Each call waits at most the socket timeouts of
``OPTIONS``; after a failure the cache is skipped for ``RETRY_AFTER_SECONDS``, so that a
page that reads it ten times does not wait ten times.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5.0

# What each client method answers while Redis is unreachable: a miss, nothing stored.
_MISSES = {
    "get": lambda key, default=None, *a, **k: default,
    "get_many": lambda *a, **k: {},
    "add": lambda *a, **k: False,
    "set": lambda *a, **k: None,
    "set_many": lambda *a, **k: None,
    "touch": lambda *a, **k: False,
    "delete": lambda *a, **k: False,
    "delete_many": lambda *a, **k: None,
    "has_key": lambda *a, **k: False,
    "clear": lambda *a, **k: False,
}


class _TolerantClient:
    def __init__(self, client):
        self._client = client
        self._down_until = 0.0

    def __getattr__(self, name):
        method = getattr(self._client, name)
        miss = _MISSES.get(name)
        if miss is None:
            return method

        def call(*args, **kwargs):
            if time.monotonic() < self._down_until:
                return miss(*args, **kwargs)
            try:
                return method(*args, **kwargs)
            except RedisError as error:
                self._down_until = time.monotonic() + RETRY_AFTER_SECONDS
                logger.warning("Cache unreachable (%s): %s answered as a miss", error, name)
                return miss(*args, **kwargs)

        return call


class TolerantRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._options = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, **self._options}

    @property
    def _cache(self):
        client = self.__dict__.get("_tolerant_client")
        if client is None:
            client = self.__dict__["_tolerant_client"] = _TolerantClient(
                self._class(self._servers, **self._options)
            )
        return client
