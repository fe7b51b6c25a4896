"""Scheduled case jobs. The deadline sweep marks open cases due soon or overdue and records the change."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiexiang.core.db import unit_of_work
from jiexiang.core.jobs import Job, JobContext
from jiexiang.core.time import to_local
from jiexiang.domains.cases.enums import OPEN_STATUSES, Action, SlaState
from jiexiang.domains.cases.history import record_event
from jiexiang.domains.cases.models import Case
from jiexiang.domains.cases.sla import current_deadline

log = logging.getLogger(__name__)
_EVENT = {SlaState.due_soon: Action.due_soon, SlaState.overdue: Action.overdue}


def sla_state(deadline: datetime | None, *, now: datetime, due_soon: timedelta) -> SlaState:
    if deadline is None or deadline - now > due_soon:
        return SlaState.on_time
    return SlaState.overdue if deadline < now else SlaState.due_soon


def sla_sweep(session: Session, *, now: datetime, due_soon: timedelta) -> Counter[str]:
    """Bring every open case's deadline state up to date; a case that becomes due soon or overdue gets an
    event (once per change). Returns how many cases are in each state now and how many changed."""
    tally: Counter[str] = Counter()
    for case in session.scalars(select(Case).where(Case.status.in_(OPEN_STATUSES))):
        deadline = current_deadline(case)
        state = sla_state(deadline, now=now, due_soon=due_soon)
        tally[state.value] += 1
        if state is case.sla_state:
            continue
        tally["changed"] += 1
        if state in _EVENT and deadline is not None:
            record_event(
                session, case=case, action=_EVENT[state], at=now, note=f"期限 {to_local(deadline):%Y-%m-%d %H:%M}"
            )
        case.sla_state = state
    session.flush()
    return tally


def run_sla_sweep(context: JobContext) -> Counter[str]:
    with unit_of_work(context.sessions) as session:
        tally = sla_sweep(session, now=context.clock.now(), due_soon=timedelta(hours=context.settings.due_soon_hours))
    log.info("deadline sweep: %s", dict(tally))
    return tally


JOBS = [
    Job(
        "sla-sweep",
        every=lambda settings: settings.sweep_minutes * 60,
        run=run_sla_sweep,
        help="检查所有未结案件的处置期限：标记临近超期和已超期，并记入案件记录。",
        describe=lambda tally: (
            f"未结案件：正常 {tally['on_time']}，临近超期 {tally['due_soon']}，已超期 {tally['overdue']}；"
            f"本次状态变化 {tally['changed']} 件"
        ),
    )
]
