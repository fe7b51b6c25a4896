"""Parking in use, on the real database: check-in and check-out against permits, violations with fines that
escalate and a suspension after too many, and a gate's export imported once however often it is sent."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from jiexiang.core.config import Settings
from jiexiang.core.errors import Conflict, InvalidInput
from jiexiang.core.time import BEIJING, FixedClock, WorkCalendar
from jiexiang.domains.parking import gate, service, use
from jiexiang.domains.parking.enums import ViolationKind
from jiexiang.domains.parking.models import Lot, Permit, Violation, Visit
from jiexiang.domains.parking.rules import load_rules
from jiexiang.domains.parking.schemas import ApplicationCreate
from jiexiang.domains.places.models import Household
from tests.domains.parking.conftest import lent_lot
from tests.factories import Town

RULES = load_rules()
CALENDAR = WorkCalendar.load(working_hours="08:30-12:00,13:30-17:30")
Homes = tuple[Town, list[Household]]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BEIJING)


@pytest.fixture
def judge(settings: Settings) -> use.Judge:
    return use.Judge(CALENDAR, use.Penalties.of(settings))  # 15 minutes' grace; 0, 50, 100 元; suspended at the 3rd


@pytest.fixture
def lot(session: Session, clock: FixedClock, homes: Homes) -> Lot:
    """The tower's spaces, lent on workday nights 18:30–07:30, with one permit: 京A10000."""
    found = lent_lot(session, clock, spaces=2)
    data = ApplicationCreate(lot_id=found.id, plate="京A10000")
    service.apply(session, household=homes[1][0], applicant=None, data=data, rules=RULES, now=clock.now())
    return found


def arrive(session: Session, lot: Lot, judge: use.Judge, clock: FixedClock, plate: str, when: str) -> Visit:
    return use.check_in(
        session,
        lot=lot,
        plate=plate,
        space_code=None,
        photos=[],
        at=at(when),
        actor_id=None,
        rules=RULES,
        judge=judge,
        now=clock.now(),
    )


def leave(session: Session, visit: Visit, judge: use.Judge, clock: FixedClock, when: str) -> Visit:
    return use.check_out(
        session, visit_id=visit.id, photos=[], at=at(when), actor_id=None, judge=judge, now=clock.now()
    )


def violations(session: Session, plate: str) -> list[tuple[ViolationKind, int, int, int, date | None]]:
    rows = session.scalars(select(Violation).where(Violation.plate == plate).order_by(Violation.occurred_at))
    return [(v.kind, v.minutes, v.ordinal, v.fine, v.suspended_until) for v in rows]


def test_a_permit_holder_inside_the_window_breaks_no_rule(
    session: Session, clock: FixedClock, lot: Lot, judge: use.Judge
) -> None:
    clock.advance(timedelta(days=1))  # Friday 27 November, 10:00
    visit = arrive(session, lot, judge, clock, "京a 10000", "2026-11-26T19:00")
    assert visit.permit_id is not None and visit.plate == "京A10000"
    leave(session, visit, judge, clock, "2026-11-27T07:40")  # ten minutes late: within the grace
    assert visit.minutes_outside == 10
    assert violations(session, "京A10000") == []


def test_fines_escalate_and_the_third_violation_suspends_the_permit(
    session: Session, clock: FixedClock, lot: Lot, judge: use.Judge
) -> None:
    clock.advance(timedelta(days=6))  # Wednesday 2 December, 10:00
    for night in ("2026-11-26", "2026-11-27", "2026-11-30"):
        visit = arrive(session, lot, judge, clock, "京A10000", f"{night}T19:00")
        morning = (date.fromisoformat(night) + timedelta(days=1)).isoformat()
        leave(session, visit, judge, clock, f"{morning}T09:30")  # two hours past 07:30
    assert violations(session, "京A10000") == [
        (ViolationKind.outside_window, 120, 1, 0, None),
        # Friday night runs into Saturday: its window closes at 07:30 as on any workday night.
        (ViolationKind.outside_window, 120, 2, 50, None),
        (ViolationKind.outside_window, 120, 3, 100, date(2026, 12, 31)),  # 1 December + 30 days
    ]
    permit = session.scalar(select(Permit).where(Permit.plate == "京A10000"))
    assert permit is not None and permit.suspended_until == date(2026, 12, 31)
    # Suspended, the car parks on no permit: a violation the moment it is found, the fourth.
    found = arrive(session, lot, judge, clock, "京A10000", "2026-12-02T09:00")
    assert found.permit_id is None
    assert violations(session, "京A10000")[-1] == (ViolationKind.no_permit, 0, 4, 100, date(2027, 1, 1))
    leave(session, found, judge, clock, "2026-12-02T10:00")
    assert violations(session, "京A10000")[-1][1] == 60  # its violation learns how long it stayed
    with pytest.raises(Conflict, match="暂停使用期间不能转让"):
        service.transfer(session, permit_id=permit.id, plate="京B20000", household=None, rules=RULES, now=clock.now())
    use.reinstate(session, permit_id=permit.id, now=clock.now())
    assert permit.suspended_until == date(2026, 12, 2)  # from today on
    assert arrive(session, lot, judge, clock, "京A10000", "2026-12-02T10:00").permit_id == permit.id


def test_a_car_is_in_one_place_at_a_time_and_times_must_make_sense(
    session: Session, clock: FixedClock, lot: Lot, judge: use.Judge
) -> None:
    visit = arrive(session, lot, judge, clock, "京B55555", "2026-11-26T09:00")
    assert violations(session, "京B55555") == [(ViolationKind.no_permit, 0, 1, 0, None)]
    with pytest.raises(Conflict, match="已登记在场"):
        arrive(session, lot, judge, clock, "京B55555", "2026-11-26T09:30")
    with pytest.raises(InvalidInput, match="不能早于入场时间"):
        leave(session, visit, judge, clock, "2026-11-26T08:00")
    with pytest.raises(InvalidInput, match="不能晚于现在"):
        leave(session, visit, judge, clock, "2026-11-26T12:00")
    with pytest.raises(InvalidInput, match="车牌号"):
        arrive(session, lot, judge, clock, "ABC", "2026-11-26T09:30")
    leave(session, visit, judge, clock, "2026-11-26T10:00")
    with pytest.raises(Conflict, match="已登记离场"):
        leave(session, visit, judge, clock, "2026-11-26T10:00")


GATE_EXPORT = """记录编号,车牌号,入场时间,出场时间,车位号
G1,京A10000,2026-11-26 19:02:00,2026-11-27 07:20:00,
G2,京B66666,2026/11/26 20:00,2026/11/26 23:00,
G3,京A10000,2026-11-27 19:10:00,,
G4,京C77777,昨天,,
G5,不是车牌,2026-11-26 20:00:00,2026-11-26 21:00:00,
G6,京D88888,2026-11-26 20:00:00,2026-11-26 21:00:00,Z-999
"""


def import_file(
    session: Session, tmp_path: Path, lot: Lot, judge: use.Judge, clock: FixedClock, text: str
) -> use.GateImport:
    path = tmp_path / "gate.csv"
    path.write_bytes(text.encode("gb18030"))  # as the gate's PC saves it
    records, bad = gate.split(gate.read(path))
    summary = use.import_gate(session, lot=lot, records=records, rules=RULES, judge=judge, now=clock.now())
    summary.add_unreadable((row.row_number, row.problem) for row in bad)
    return summary


def test_a_gate_export_is_imported_once_and_a_later_one_brings_the_departure(
    session: Session, clock: FixedClock, tmp_path: Path, lot: Lot, judge: use.Judge
) -> None:
    clock.advance(timedelta(days=2))  # Saturday 28 November, 10:00
    first = import_file(session, tmp_path, lot, judge, clock, GATE_EXPORT)
    assert (first.read, first.arrived, first.departed, first.unchanged, first.violations) == (6, 3, 2, 0, 1)
    assert [row for row, _ in first.rejected] == [5, 6, 7]
    assert "入场时间“昨天”无法识别" in first.rejected[0][1] and "车牌号" in first.rejected[1][1]
    assert violations(session, "京B66666") == [(ViolationKind.no_permit, 180, 1, 0, None)]
    again = import_file(session, tmp_path, lot, judge, clock, GATE_EXPORT)
    assert (again.arrived, again.departed, again.unchanged, again.violations) == (0, 0, 3, 0)
    later = GATE_EXPORT.replace("2026-11-27 19:10:00,,", "2026-11-27 19:10:00,2026-11-28 09:10:00,")
    third = import_file(session, tmp_path, lot, judge, clock, later)
    assert (third.arrived, third.departed, third.unchanged, third.violations) == (0, 1, 2, 1)
    # Friday's window closes at 07:30 on Saturday: 100 minutes outside it.
    assert violations(session, "京A10000") == [(ViolationKind.outside_window, 100, 1, 0, None)]
    assert session.scalar(select(Visit).where(Visit.external_ref == "G3", Visit.departed_at.is_not(None)))
