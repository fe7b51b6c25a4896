"""Every case filter, once, through each query that takes the filter set (the desk's list, the map's points,
the dashboard's statistics). The three cases of the `cases` fixture: C1 on 光明胡同 (west) with the water
company, C2 on 力学胡同 (east) with the lights office, C3 on 府右街 (east), not dispatched; reported 09:00, 09:10
and 09:20 on 25 November."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from jiexiang.core.config import Settings
from jiexiang.core.paging import Paging
from jiexiang.core.time import BEIJING, WorkCalendar
from jiexiang.domains.accounts.service import Scope
from jiexiang.domains.cases import queries
from jiexiang.domains.cases.enums import CaseStatus, ReportSource, ReviewReason
from jiexiang.domains.cases.filters import CONDITIONS, CaseFilter
from jiexiang.domains.cases.models import Case, Report
from tests.conftest import NOW
from tests.factories import Town

AT_0910 = datetime(2026, 11, 25, 9, 10, tzinfo=BEIJING)


def expectations(town: Town) -> list[tuple[CaseFilter, set[str]]]:
    ids = town.ids
    return [
        (CaseFilter(start=AT_0910), {"C2", "C3"}),
        (CaseFilter(end=AT_0910), {"C1"}),
        (CaseFilter(category="0114"), {"C2"}),  # a category code
        (CaseFilter(category="debris"), {"C1", "C3"}),  # a topic: all its codes
        (CaseFilter(source=ReportSource.patrol), {"C3"}),
        (CaseFilter(source=ReportSource.hotline), {"C1", "C2"}),
        (CaseFilter(alley_id=ids["A2"]), {"C2"}),
        (CaseFilter(community_id=ids["east"]), {"C2", "C3"}),
        (CaseFilter(status=CaseStatus.reported), {"C3"}),
        (CaseFilter(bbox=(116.3715, 39.9015, 116.3725, 39.9025)), {"C2"}),
        (CaseFilter(needs_review=True), {"C3"}),
        (CaseFilter(needs_review=False), {"C1", "C2"}),
        (CaseFilter(overdue_at=NOW), {"C1"}),
        (CaseFilter(unit_id=ids["water"]), {"C1"}),
        (CaseFilter(community_id=ids["east"], status=CaseStatus.dispatched), {"C2"}),  # filters combine
        (CaseFilter(), {"C1", "C2", "C3"}),
    ]


@pytest.fixture
def distinct(session: Session, cases: tuple[Town, dict[str, int]]) -> tuple[Town, dict[int, str]]:
    """The fixture's cases made to differ in what the filters look at beyond where and with whom."""
    town, ids = cases
    later, past = NOW + timedelta(days=30), NOW - timedelta(hours=1)
    session.execute(update(Case).values(close_due_at=later, handle_due_at=later, register_due_at=later))
    session.execute(update(Case).where(Case.id == ids["C1"]).values(handle_due_at=past))
    session.execute(update(Case).where(Case.id == ids["C3"]).values(review_reason=ReviewReason.location))
    session.execute(update(Report).where(Report.case_id == ids["C3"]).values(source=ReportSource.patrol))
    session.commit()
    session.expire_all()
    return town, {case_id: name for name, case_id in ids.items()}


def test_each_filter_is_tried() -> None:
    tried = {
        name
        for f, _ in expectations(Town(ids={"A2": 0, "east": 0, "water": 0}))
        for name in CONDITIONS
        if getattr(f, name) is not None
    }
    assert tried == set(CONDITIONS)


def test_every_filter_narrows_the_list_the_points_and_the_statistics_alike(
    session: Session, settings: Settings, distinct: tuple[Town, dict[int, str]]
) -> None:
    town, names = distinct
    everything, calendar = Scope(), WorkCalendar.load(working_hours=settings.working_hours)
    for filters, expected in expectations(town):
        listed, total = queries.list_(
            session, scope=everything, filters=filters, paging=Paging(), now=NOW, calendar=calendar
        )
        assert {names[c.id] for c in listed} == expected and total == len(expected), filters
        points = queries.points(session, scope=everything, filters=filters, now=NOW)
        assert {names[i] for i in points["id"]} == expected, filters
        stats = queries.statistics(session, scope=everything, filters=filters, now=NOW)
        assert stats["total"] == len(expected), filters
