"""Scheduled dispatch work: unanswered urgent-case offers pass on to the next worker."""

from __future__ import annotations

from jiexiang.core.db import unit_of_work
from jiexiang.core.jobs import Job, JobContext
from jiexiang.domains.dispatch import service


def run_offer_sweep(context: JobContext) -> int:
    """Returns how many offers were made in place of expired ones (each announced after the commit)."""
    with unit_of_work(context.sessions) as session:
        made = service.sweep(session, now=context.clock.now(), rules=service.Rules.of(context.settings))
    return len(made)


JOBS = [
    Job(
        "dispatch-sweep",
        every=lambda settings: settings.dispatch_sweep_seconds,
        run=run_offer_sweep,
        help="把超过接单时限仍未应答的紧急派单转给下一位外勤人员（服务运行时每隔几秒自动执行）。",
        describe=lambda made: f"超时派单已转派 {made} 件",
    )
]
