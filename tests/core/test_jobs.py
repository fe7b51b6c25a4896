"""The scheduler runs each job at its interval, keeps going after a failed run, and leaves switched-off jobs."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from jiexiang.core.config import Settings
from jiexiang.core.jobs import Job, JobContext, Scheduler
from jiexiang.core.time import FixedClock
from tests.conftest import NOW


def test_jobs_run_repeatedly_survive_failures_and_can_be_switched_off(caplog: pytest.LogCaptureFixture) -> None:
    runs: list[str] = []

    def flaky(_context: JobContext) -> None:
        runs.append("flaky")
        if runs.count("flaky") == 1:
            raise RuntimeError("first run fails")

    jobs = [
        Job("flaky", every=lambda _s: 0.01, run=flaky, help="fails once"),
        Job("off", every=lambda _s: 0, run=lambda _c: runs.append("off"), help="switched off"),
        Job(
            "later",
            every=lambda _s: 0.01,
            run=lambda _c: runs.append("later"),
            help="waits",
            first_in=lambda _c, _p: 60,
        ),
    ]
    context: Any = JobContext(sessions=None, settings=Settings(), clock=FixedClock(NOW))  # type: ignore[arg-type]
    scheduler = Scheduler(jobs, context)

    async def main() -> None:
        scheduler.start()
        await asyncio.sleep(0.3)
        scheduler.stop()

    asyncio.run(main())
    assert runs.count("flaky") >= 3 and "off" not in runs and "later" not in runs
    assert "scheduled job flaky failed" in caplog.text
    assert scheduler.run("off") is None and runs[-1] == "off"  # by hand, as `jiexiang jobs off` would
