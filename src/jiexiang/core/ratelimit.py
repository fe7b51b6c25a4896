"""Fixed-window rate limits per client key: in this process by default, in Redis when several server
processes must share the counts."""

from __future__ import annotations

import logging
import threading
import time
from typing import Protocol

import redis

log = logging.getLogger(__name__)


class RateLimiter(Protocol):
    def hit(self, key: str) -> float | None:
        """Count one request for `key`; None if it is allowed, else the seconds until it would be."""


class MemoryRateLimiter:
    def __init__(self, *, limit: int, window_seconds: float = 60.0) -> None:
        self.limit, self.window = limit, window_seconds
        self._counts: dict[str, tuple[int, int]] = {}  # key → (window number, requests in it)
        self._lock = threading.Lock()

    def hit(self, key: str) -> float | None:
        now = time.time()
        window = int(now // self.window)
        with self._lock:
            if len(self._counts) > 100_000:  # forget finished windows now and then
                self._counts = {k: v for k, v in self._counts.items() if v[0] == window}
            seen, count = self._counts.get(key, (window, 0))
            count = count + 1 if seen == window else 1
            self._counts[key] = (window, count)
        return None if count <= self.limit else (window + 1) * self.window - now


class RedisRateLimiter:
    def __init__(self, url: str, *, limit: int, window_seconds: float = 60.0, prefix: str = "jiexiang:rate") -> None:
        self.limit, self.window, self.prefix = limit, window_seconds, prefix
        self._redis = redis.Redis.from_url(url, socket_timeout=2)

    def hit(self, key: str) -> float | None:
        now = time.time()
        window = int(now // self.window)
        name = f"{self.prefix}:{key}:{window}"
        try:
            pipe = self._redis.pipeline()
            pipe.incr(name)
            pipe.expire(name, int(self.window) + 1)
            count = int(pipe.execute()[0])
        except redis.RedisError:
            # An unreachable Redis must not take the API down with it: let the request through, loudly.
            log.exception("rate limit not checked: Redis is unavailable")
            return None
        return None if count <= self.limit else (window + 1) * self.window - now


def rate_limiter(*, redis_url: str | None, limit: int, window_seconds: float = 60.0) -> RateLimiter:
    if redis_url:
        return RedisRateLimiter(redis_url, limit=limit, window_seconds=window_seconds)
    return MemoryRateLimiter(limit=limit, window_seconds=window_seconds)
