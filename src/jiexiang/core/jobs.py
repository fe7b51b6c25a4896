"""Scheduled work: each domain declares its jobs (`Job`), `jiexiang.jobs.scheduled_jobs()` lists them all, and
the server runs them with one `Scheduler`; `jiexiang jobs <name>` runs the same job once by hand.

A job runs in a worker thread (it talks to the database); a failed run is logged and tried again at the next
interval, never fatal to the server. An interval of 0 in the settings switches a job off."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import anyio
from sqlalchemy.orm import Session, sessionmaker

from jiexiang.core.config import Settings
from jiexiang.core.time import Clock

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobContext:
    sessions: sessionmaker[Session]  # writing sessions, delivering their events after commit
    settings: Settings
    clock: Clock


@dataclass(frozen=True)
class Job:
    name: str  # as `jiexiang jobs <name>` calls it
    every: Callable[[Settings], float]  # seconds between runs; 0 = not scheduled
    run: Callable[[JobContext], Any]  # returns what it did, which `describe` words for the command line
    help: str  # what `jiexiang jobs <name> --help` says
    describe: Callable[[Any], str] = str
    # Seconds to wait before the first run (default: one interval). The analytics let results younger than
    # the interval stand, such as those computed when the demo was generated.
    first_in: Callable[[JobContext, float], float] | None = None


class Scheduler:
    def __init__(self, jobs: list[Job], context: JobContext) -> None:
        self.jobs = {job.name: job for job in jobs}
        self.context = context
        self._tasks: list[asyncio.Task[None]] = []

    def run(self, name: str) -> Any:
        """Run one job now, in this thread (the command line; tests)."""
        return self.jobs[name].run(self.context)

    def start(self) -> None:
        """Start every job whose interval is set (on the server's event loop)."""
        for job in self.jobs.values():
            period = job.every(self.context.settings)
            if period > 0:
                self._tasks.append(asyncio.create_task(self._forever(job, period), name=f"job:{job.name}"))

    def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        self._tasks.clear()

    async def _forever(self, job: Job, period: float) -> None:
        delay = period
        if job.first_in is not None:
            delay = await anyio.to_thread.run_sync(job.first_in, self.context, period)
        while True:
            await asyncio.sleep(delay)
            try:
                await anyio.to_thread.run_sync(job.run, self.context)
            except Exception:  # logged and retried next time, never fatal to the server
                log.exception("scheduled job %s failed", job.name)
            delay = period
