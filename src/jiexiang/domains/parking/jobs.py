"""Scheduled parking work: spaces freed by permits that ended (expired, or an agreement that resumed) go to the
waiting lists."""

from __future__ import annotations

from sqlalchemy import select

from jiexiang.core.db import unit_of_work
from jiexiang.core.jobs import Job, JobContext
from jiexiang.domains.parking import service
from jiexiang.domains.parking.enums import ApplicationStatus
from jiexiang.domains.parking.models import Application
from jiexiang.domains.parking.rules import rules_of


def run_allocation(context: JobContext) -> int:
    """Returns how many permits were issued from the waiting lists."""
    rules = rules_of(context.settings)
    with unit_of_work(context.sessions) as session:
        lots = session.scalars(
            select(Application.lot_id).where(Application.status == ApplicationStatus.waiting).distinct()
        ).all()
        now = context.clock.now()
        return sum(len(service.allocate(session, lot_id=lot_id, rules=rules, now=now)) for lot_id in lots)


JOBS = [
    Job(
        "parking-allocate",
        every=lambda settings: settings.sweep_minutes * 60,
        run=run_allocation,
        help="把到期、吊销后空出的车位按排队规则分给等候的住户。",
        describe=lambda issued: f"按排队顺序新发停车证 {issued} 张",
    )
]
