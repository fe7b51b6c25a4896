"""Scheduled engagement work: ballots whose time is up are counted and their results announced."""

from __future__ import annotations

from jiexiang.core.db import unit_of_work
from jiexiang.core.jobs import Job, JobContext
from jiexiang.domains.engagement import service


def run_close_ballots(context: JobContext) -> int:
    with unit_of_work(context.sessions) as session:
        return len(service.close_due(session, now=context.clock.now()))


JOBS = [
    Job(
        "close-ballots",
        every=lambda settings: settings.sweep_minutes * 60,
        run=run_close_ballots,
        help="为已到截止时间的表决计票并公告结果（通过的街巷规则随即生成施划车位）。",
        describe=lambda closed: f"已计票的表决 {closed} 项",
    )
]
