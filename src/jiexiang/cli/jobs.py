"""`jiexiang jobs <name>`: each scheduled job, run once by hand (the server runs them on their own), and
`jiexiang report assessment`."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from jiexiang.cli.common import command, database, open_engine, run
from jiexiang.core.config import get_settings
from jiexiang.core.db import create_session_factory
from jiexiang.core.errors import DomainError
from jiexiang.core.events import EventBus
from jiexiang.core.jobs import Job, JobContext
from jiexiang.core.live import LiveHub, relay
from jiexiang.core.time import SystemClock
from jiexiang.jobs import scheduled_jobs

jobs_app = typer.Typer(help="定时任务（服务运行时也会按设定自动执行）", no_args_is_help=True)
report_app = typer.Typer(help="报表：考核指标", no_args_is_help=True)


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


@command(report_app, "assessment")
def assessment_report(
    period: Annotated[str, typer.Option(help="考核期：月份 2026-10 或年份 2026")],
    out: Annotated[Path, typer.Option(help="输出文件")],
    by: Annotated[str, typer.Option(help="unit 处置单位 / community 社区 / alley 街巷 / category 类别")] = "unit",
    fmt: Annotated[str, typer.Option("--format", help="xlsx 或 csv")] = "xlsx",
) -> None:
    """导出考核指标表（结案率、按期结案率、返工率、平均处置时长、综合得分与等级）。"""
    from jiexiang.core.tables import xlsx_bytes
    from jiexiang.domains.accounts.service import Scope
    from jiexiang.domains.cases import assessment
    from jiexiang.domains.cases.calendars import load_calendar

    if by not in assessment.DIMENSIONS or fmt not in ("xlsx", "csv"):
        raise DomainError("--by 应为 unit、community、alley 或 category；--format 应为 xlsx 或 csv")
    start, end = assessment.period_bounds(period)
    with database() as session:
        calendar = load_calendar(session, get_settings())
        rows = assessment.assess(session, start=start, end=end, by=by, calendar=calendar, scope=Scope())
    table = assessment.as_table(rows, by)
    if fmt == "csv":
        with out.open("w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle).writerows(table)
    else:
        out.write_bytes(xlsx_bytes([(f"考核 {period}", table)]))
    typer.echo(f"已导出 {period} 考核指标（{len(rows)} 行）到 {out}")
