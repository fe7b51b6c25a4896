"""Scheduled waste work: a year's unspent points lapse once it is over (年底清零)."""

from __future__ import annotations

from jiexiang.core.db import unit_of_work
from jiexiang.core.jobs import Job, JobContext
from jiexiang.core.time import to_local
from jiexiang.domains.waste import service


def run_expiry(context: JobContext) -> int:
    """Returns how many households' points of last year lapsed now (none once it has run this year)."""
    now = context.clock.now()
    with unit_of_work(context.sessions) as session:
        return service.expire_year(session, year=to_local(now).year - 1, now=now)


JOBS = [
    Job(
        "waste-expire",
        every=lambda settings: settings.sweep_minutes * 60,
        run=run_expiry,
        help="上一年未用完的垃圾分类积分在年底清零（每户一次）。",
        describe=lambda lapsed: f"{lapsed} 户的上年积分已清零",
    )
]
