from __future__ import annotations

import time
import uuid

import pytest

from jiexiang.core.ratelimit import MemoryRateLimiter, RateLimiter, RedisRateLimiter, rate_limiter

REDIS_URL = "redis://127.0.0.1:6379/0"


def limiters() -> list[RateLimiter]:
    # Redis is a real server here (as in production with several server processes); a fresh key prefix
    # per run keeps runs apart.
    return [
        MemoryRateLimiter(limit=3, window_seconds=60),
        RedisRateLimiter(REDIS_URL, limit=3, window_seconds=60, prefix=f"jiexiang-test:{uuid.uuid4().hex}"),
    ]


@pytest.mark.parametrize("limiter", limiters(), ids=["memory", "redis"])
def test_a_key_gets_its_limit_per_window_and_others_are_counted_apart(limiter: RateLimiter) -> None:
    assert [limiter.hit("key:1") for _ in range(3)] == [None, None, None]
    wait = limiter.hit("key:1")
    assert wait is not None and 0 < wait <= 60
    assert limiter.hit("key:2") is None


def test_a_new_window_starts_a_new_count() -> None:
    limiter = MemoryRateLimiter(limit=1, window_seconds=0.05)
    assert limiter.hit("k") is None
    wait = limiter.hit("k")
    assert wait is not None
    time.sleep(wait + 0.01)
    assert limiter.hit("k") is None


def test_an_unreachable_redis_lets_requests_through(caplog: pytest.LogCaptureFixture) -> None:
    limiter = RedisRateLimiter("redis://127.0.0.1:1/0", limit=1)
    assert limiter.hit("k") is None and limiter.hit("k") is None
    assert "Redis is unavailable" in caplog.text


def test_the_settings_choose_the_limiter() -> None:
    assert isinstance(rate_limiter(redis_url=None, limit=5), MemoryRateLimiter)
    assert isinstance(rate_limiter(redis_url=REDIS_URL, limit=5), RedisRateLimiter)
