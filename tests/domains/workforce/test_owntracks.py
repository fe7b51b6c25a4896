"""A dispatcher's "report now" reaches the worker through whichever server process answers their phone."""

from __future__ import annotations

import uuid

import pytest

from jiexiang.core.errors import ServiceUnavailable
from jiexiang.domains.workforce.owntracks import LocateRequests

REDIS_URL = "redis://127.0.0.1:6379/0"


def test_with_redis_a_request_left_by_one_process_is_taken_once_by_another() -> None:
    key = f"jiexiang-test:locate:{uuid.uuid4().hex[:8]}"
    asking, answering = LocateRequests(REDIS_URL, key=key), LocateRequests(REDIS_URL, key=key)
    try:
        asking.ask(7)
        assert answering.take(8) is False
        assert answering.take(7) is True
        assert asking.take(7) is False  # answered once
    finally:
        asking.close()
        answering.close()


def test_without_redis_one_process_keeps_them(caplog: pytest.LogCaptureFixture) -> None:
    requests = LocateRequests(None)
    requests.ask(7)
    assert (requests.take(7), requests.take(7)) == (True, False)
    unreachable = LocateRequests("redis://127.0.0.1:1/0")
    assert unreachable.take(7) is False and "Redis is unavailable" in caplog.text  # the fix is stored all the same
    with pytest.raises(ServiceUnavailable):  # the dispatcher is told to try again, in Chinese
        unreachable.ask(7)
