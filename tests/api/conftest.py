"""Three cases in two places and two units, and who may see which: for the scope tests of every case endpoint
and of the live stream."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from jiexiang.core.config import Settings
from jiexiang.core.time import FixedClock, WorkCalendar
from jiexiang.domains.accounts.enums import Role
from jiexiang.domains.cases import workflow
from jiexiang.domains.cases.enums import Action
from jiexiang.domains.cases.models import Case, Report
from jiexiang.ingest import hotline
from jiexiang.ingest.service import Intake
from tests.factories import Town, make_town, make_user

ORDERS = """工单编号,受理时间,诉求内容,经度,纬度,问题分类
C1,2026-11-25 09:00,胡同里堆满建筑垃圾,116.3680,39.9020,堆物堆料
C2,2026-11-25 09:10,路灯不亮,116.3720,39.9020,路灯不亮
C3,2026-11-25 09:20,门口乱堆杂物,116.3702,39.9035,乱堆乱放
"""
# Who sees which case: C1 is on 光明胡同 (west) with the water company, C2 on 力学胡同 (east) with the street
# lights office, C3 on 府右街 (east), not dispatched yet. Written out by hand, not derived from the code.
EVERYTHING = {"C1", "C2", "C3"}
SEES = {
    "admin": EVERYTHING,
    "operator": EVERYTHING,
    "dispatcher": EVERYTHING,
    "handler": EVERYTHING,  # a handler not limited to a unit
    "grid_worker": EVERYTHING,
    "chief": EVERYTHING,
    "steward": EVERYTHING,
    "west_worker": {"C1"},  # limited to the west community
    "a2_chief": {"C2"},  # limited to 力学胡同
    "water_handler": {"C1"},  # limited to the water company
    "lights_steward": {"C2"},  # a quasi-property company's account limited to the lights office's cases
}


@pytest.fixture
def cases(session: Session, settings: Settings, clock: FixedClock, tmp_path: Path) -> tuple[Town, dict[str, int]]:
    town = make_town(session, settings, clock)
    make_user(
        session,
        settings,
        clock,
        username="lights_steward",
        role=Role.steward,
        unit_id=town.ids["lights"],
        limited_to_unit=True,
    )
    path = tmp_path / "orders.csv"
    path.write_text(ORDERS, "utf-8")
    intake = Intake(session, settings=settings, clock=clock)
    for item in hotline.read(path):
        intake.apply(item)
    ids = dict(session.execute(select(Report.external_id, Report.case_id)).all())
    calendar = WorkCalendar.load(working_hours=settings.working_hours)
    for name, unit in (("C1", "water"), ("C2", "lights")):
        case = session.get(Case, ids[name])
        assert case is not None
        for action, actor, extra in ((Action.register, "operator", {}), (Action.dispatch, "dispatcher", {})):
            workflow.transition(
                session,
                case=case,
                action=action,
                actor=town.users[actor],
                clock=clock,
                calendar=calendar,
                unit_id=town.ids[unit] if action is Action.dispatch else None,
                **extra,
            )
    session.commit()
    return town, ids
