"""A finding not put right by its deadline becomes a case (上报立案): reported through the intake as a patrol
report, once (its id is the report's), then registered and dispatched by the platform — the contract's rule, not a
person's choice — to the company responsible for the alley on the deadline. Here, above the intake, because a case
is opened the one way every report opens one."""

from __future__ import annotations

import logging
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiexiang.core.config import Settings
from jiexiang.core.db import unit_of_work
from jiexiang.core.errors import DomainError
from jiexiang.core.jobs import Job, JobContext
from jiexiang.core.time import Clock, WorkCalendar, to_local
from jiexiang.domains.cases.calendars import load_calendar
from jiexiang.domains.cases.enums import Action, CaseStatus, ReportSource
from jiexiang.domains.cases.workflow import transition
from jiexiang.domains.stewardship import checklists
from jiexiang.domains.stewardship.models import Inspection, InspectionFinding
from jiexiang.domains.stewardship.service import contract_on
from jiexiang.ingest.incoming import IncomingReport
from jiexiang.ingest.service import Intake
from jiexiang.ingest.submission import announce

log = logging.getLogger(__name__)
BATCH = 200  # findings per run: a backlog is worked off over a few runs, each a short transaction


@cache
def _items_that_open_cases() -> frozenset[str]:
    return frozenset(
        item.code
        for checklist in checklists.load_all()
        for category in checklist.categories
        for item in category.items
        if item.case_category
    )


def open_overdue_cases(context: JobContext) -> int:
    with unit_of_work(context.sessions) as session:
        return open_overdue(session, settings=context.settings, clock=context.clock)


def open_overdue(session: Session, *, settings: Settings, clock: Clock) -> int:
    """Returns how many overdue findings became (or joined) a case now."""
    now = clock.now()
    overdue = session.scalars(
        select(InspectionFinding)
        .join(Inspection)
        .where(
            InspectionFinding.fixed_at.is_(None),
            InspectionFinding.case_id.is_(None),
            InspectionFinding.due_at < now,
            InspectionFinding.item.in_(_items_that_open_cases()),
        )
        .order_by(InspectionFinding.due_at, InspectionFinding.id)
        .limit(BATCH)
        .with_for_update(of=InspectionFinding, skip_locked=True)  # two servers never take the same finding
    ).all()
    if not overdue:
        return 0
    intake = Intake(session, settings=settings, clock=clock)
    calendar = load_calendar(session, settings)
    return sum(_to_case(session, finding, intake, calendar, clock) for finding in overdue)


def _to_case(
    session: Session, finding: InspectionFinding, intake: Intake, calendar: WorkCalendar, clock: Clock
) -> bool:
    inspection = finding.inspection
    found = checklists.version_of(inspection.kind, inspection.version).item(finding.item)
    if found is None or found[1].case_category is None:  # not in this version's list of items that open cases
        return False
    item, alley = found[1], inspection.alley
    due = to_local(finding.due_at).strftime("%Y-%m-%d %H:%M")
    remark = f"；{finding.note}" if finding.note else ""
    report = IncomingReport(
        source=ReportSource.patrol,
        external_id=f"inspection-finding-{finding.id}",
        received_at=finding.due_at,  # a problem of the company's from the moment its deadline passed
        text=f"{alley.name}：{item.text}（检查发现 {finding.count} 处，限 {due} 前整改，逾期未整改{remark}）",
        raw={"finding": finding.id, "inspection": inspection.id, "item": item.code, "due_at": due},
        source_category=item.case_category,
        address=None if finding.lon is not None else alley.name,
        lon=finding.lon,
        lat=finding.lat,
        photos=tuple(finding.photos),
        submitted_by_id=inspection.inspector_id,
    )
    try:
        with session.begin_nested():
            stored, outcome = intake.submit(report, session=session)
    except DomainError as problem:  # cannot be placed, say: left for people, and logged every run until then
        log.warning("检查问题 %s 逾期未整改，但未能转为案件：%s", finding.id, problem.message)
        return False
    announce(session, stored, outcome)
    finding.case_id = stored.case_id
    case = stored.case
    contract = contract_on(session, alley_id=inspection.alley_id, day=to_local(finding.due_at).date())
    basis = f"检查问题 {finding.id} 逾期未整改" + (f"，按准物业合同 {contract.code} 派遣" if contract else "")
    if case.status is CaseStatus.reported:
        transition(session, case=case, action=Action.register, actor=None, clock=clock, calendar=calendar, note=basis)
    if contract is not None and case.status is CaseStatus.registered:
        transition(
            session,
            case=case,
            action=Action.dispatch,
            actor=None,
            clock=clock,
            calendar=calendar,
            note=basis,
            unit_id=contract.unit_id,
        )
    return True


JOBS = [
    Job(
        "stewardship-overdue",
        every=lambda settings: settings.sweep_minutes * 60,
        run=open_overdue_cases,
        help="逾期未整改的检查问题转为案件：立案并派遣给合同约定的准物业公司。",
        describe=lambda opened: f"{opened} 个逾期问题已转为案件",
    )
]
