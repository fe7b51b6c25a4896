"""`jiexiang jobs <name>`: each scheduled job, run once by hand (the server runs them on their own)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer

from jiexiang.cli.common import open_engine, run
from jiexiang.core.config import get_settings
from jiexiang.core.db import create_session_factory
from jiexiang.core.events import EventBus
from jiexiang.core.jobs import Job, JobContext
from jiexiang.core.live import LiveHub, relay
from jiexiang.core.time import SystemClock
from jiexiang.jobs import scheduled_jobs

jobs_app = typer.Typer(help="定时任务（服务运行时也会按设定自动执行）", no_args_is_help=True)


def run_job(name: str) -> Any:
    """Run the scheduled job `name` once against the configured database; what it announces reaches the maps
    of running servers when they share Redis (JIEXIANG_REDIS_URL)."""
    settings = get_settings()
    job = next(job for job in scheduled_jobs() if job.name == name)
    bus = EventBus()
    hub = LiveHub(settings.redis_url)
    relay(bus, hub)
    engine = open_engine(settings)
    try:
        return job.run(JobContext(create_session_factory(engine, bus=bus), settings, SystemClock()))
    finally:
        engine.dispose()
        hub.close()


def _by_hand(job: Job) -> Callable[[], None]:
    def run_once() -> None:
        typer.echo(job.describe(run(lambda: run_job(job.name))))

    run_once.__doc__ = job.help
    return run_once


for _job in scheduled_jobs():
    jobs_app.command(_job.name)(_by_hand(_job))
