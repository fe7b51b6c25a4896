"""A town with one hotline report (a missing manhole cover on 光明胡同), for workflow and deadline tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from jiexiang.core.config import Settings
from jiexiang.core.time import FixedClock
from jiexiang.domains.accounts.enums import Role
from jiexiang.ingest import hotline
from jiexiang.ingest.service import Intake
from tests.factories import Town, make_town, make_user


@pytest.fixture
def town(session: Session, settings: Settings, clock: FixedClock, tmp_path: Path) -> Town:
    town = make_town(session, settings, clock)
    town.users["other_handler"] = make_user(
        session, settings, clock, username="other_handler", role=Role.handler, unit_id=town.ids["lights"]
    )
    town.users["water_handler"].unit_id = town.ids["water"]
    path = tmp_path / "orders.csv"
    path.write_text(
        "工单编号,受理时间,诉求内容,事发地址,问题分类\nW1,2026-11-25 09:00,井盖丢了,光明胡同1号,井盖缺失\n",
        encoding="utf-8",
    )
    intake = Intake(session, settings=settings, clock=clock)
    for item in hotline.read(path):
        intake.apply(item)
    session.commit()
    return town
