"""Applying, the waiting list, and permits (renew, revoke, transfer), on the real database; and the database's own
refusal to let two permits hold one space at one time (PostgreSQL's exclusion constraint, SQLite's triggers)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jiexiang.core.errors import Conflict, InvalidInput
from jiexiang.core.time import FixedClock
from jiexiang.domains.parking import service, supply
from jiexiang.domains.parking.enums import ApplicationStatus, PermitStatus
from jiexiang.domains.parking.models import Application, Permit, SpaceClaim
from jiexiang.domains.parking.rules import load_rules
from jiexiang.domains.parking.schemas import ApplicationCreate
from jiexiang.domains.places.models import Household
from tests.domains.parking.conftest import lent_lot, new_lot
from tests.factories import Town

RULES = load_rules()
Homes = tuple[Town, list[Household]]


def apply(
    session: Session, clock: FixedClock, household: Household, lot_id: int, plate: str, **extra: object
) -> Application:
    data = ApplicationCreate(lot_id=lot_id, plate=plate, **extra)  # type: ignore[arg-type]
    return service.apply(session, household=household, applicant=None, data=data, rules=RULES, now=clock.now())


def permit_of(session: Session, application: Application) -> Permit | None:
    return session.scalar(select(Permit).where(Permit.application_id == application.id))


def test_free_spaces_are_given_at_once_then_the_list_waits_and_moves_on_revocation(
    session: Session, clock: FixedClock, homes: Homes
) -> None:
    _, h = homes
    lot = new_lot(session, clock, spaces=2)
    first, second, third = (apply(session, clock, h[n], lot.id, f"京A1000{n}") for n in range(3))
    assert [a.status for a in (first, second, third)] == ["granted", "granted", "waiting"]
    permit = permit_of(session, first)
    assert permit is not None
    assert (permit.valid_from, permit.valid_until) == (date(2026, 11, 26), date(2027, 11, 26))
    assert permit.window.all_day
    service.revoke(session, permit_id=permit.id, reason="车辆已出售", rules=RULES, now=clock.now())
    session.refresh(third)
    assert third.status is ApplicationStatus.granted
    given = permit_of(session, third)
    assert given is not None and given.space_id == permit.space_id  # the freed space went to the next in line
    assert permit.status is PermitStatus.revoked and permit.valid_until == permit.valid_from


def test_priority_groups_and_one_permit_per_household_order_the_list(
    session: Session, clock: FixedClock, homes: Homes
) -> None:
    _, h = homes
    lot = new_lot(session, clock, spaces=1)
    other = new_lot(session, clock, spaces=1, name="另一停车场")
    holder = apply(session, clock, h[0], other.id, "京B00001")  # household 0 already holds a permit elsewhere
    assert holder.status is ApplicationStatus.granted
    apply(session, clock, h[1], lot.id, "京B00002")  # takes the only space
    clock.advance(timedelta(minutes=1))
    second_car = apply(session, clock, h[0], lot.id, "京B00003")
    clock.advance(timedelta(minutes=1))
    plain = apply(session, clock, h[2], lot.id, "京B00004")
    clock.advance(timedelta(minutes=1))
    elderly = apply(session, clock, h[3], lot.id, "京B00005", priority_groups=["elderly"])
    served: list[int] = []
    for permit in session.scalars(select(Permit).where(Permit.lot_id == lot.id)).all():
        service.revoke(session, permit_id=permit.id, reason="腾位", rules=RULES, now=clock.now())
    for _ in range(3):
        granted = session.scalars(select(Permit).where(Permit.lot_id == lot.id, Permit.status == "active")).one()
        served.append(granted.household_id)
        service.revoke(session, permit_id=granted.id, reason="下一位", rules=RULES, now=clock.now())
    assert served == [elderly.household_id, plain.household_id, second_car.household_id]


def test_a_household_waits_once_per_lot_and_holds_no_more_than_the_rules_allow(
    session: Session, clock: FixedClock, homes: Homes
) -> None:
    _, h = homes
    lot = new_lot(session, clock, spaces=1)
    apply(session, clock, h[1], lot.id, "京C00001")
    apply(session, clock, h[0], lot.id, "京C00002")
    with pytest.raises(Conflict, match="已有排队中的申请"):
        apply(session, clock, h[0], lot.id, "京C00003")
    for n in range(2):
        apply(session, clock, h[0], new_lot(session, clock, spaces=1, name=f"停车场{n}").id, f"京C1000{n}")
    with pytest.raises(Conflict, match="最多持有 2 张"):
        apply(session, clock, h[0], new_lot(session, clock, spaces=1, name="停车场9").id, "京C20000")


def test_time_shared_permits_carry_the_lenders_window_and_end_with_the_agreement(
    session: Session, clock: FixedClock, homes: Homes
) -> None:
    _, h = homes
    lot = lent_lot(session, clock, spaces=3, ends_on=date(2027, 3, 31))
    permit = permit_of(session, apply(session, clock, h[0], lot.id, "京D00001"))
    assert permit is not None
    assert permit.window.label() == "工作日 18:30–次日07:30"
    assert permit.valid_until == date(2027, 4, 1)  # not a year: the loan ends on 31 March
    supply.suspend_agreement(session, agreement_id=lot.agreements[0].id, reason="大厦装修", now=clock.now())
    with pytest.raises(Conflict, match="没有有效的出借协议"):
        apply(session, clock, h[1], lot.id, "京D00002")


def test_renewal_and_transfer_keep_the_space(session: Session, clock: FixedClock, homes: Homes) -> None:
    _, h = homes
    lot = new_lot(session, clock, spaces=1)
    permit = permit_of(session, apply(session, clock, h[0], lot.id, "京E00001"))
    assert permit is not None
    service.renew(session, permit_id=permit.id, rules=RULES, now=clock.now())
    assert permit.valid_until == date(2028, 11, 26)
    clock.advance(timedelta(days=30))
    new = service.transfer(session, permit_id=permit.id, plate="京E00002", household=h[1], rules=RULES, now=clock.now())
    assert (new.household_id, new.plate, new.space_id, new.valid_until) == (
        h[1].id,
        "京E00002",
        permit.space_id,
        date(2028, 11, 26),
    )
    assert permit.status is PermitStatus.transferred and permit.valid_until == date(2026, 12, 26)
    with pytest.raises(InvalidInput, match="当前处于“已转让”阶段，不能续期"):
        service.renew(session, permit_id=permit.id, rules=RULES, now=clock.now())


def test_the_database_refuses_two_claims_on_one_space_at_one_time(
    session: Session, clock: FixedClock, homes: Homes
) -> None:
    _, h = homes
    lot = new_lot(session, clock, spaces=1)
    permit = permit_of(session, apply(session, clock, h[0], lot.id, "京F00001"))
    assert permit is not None

    def claim(**overrides: object) -> None:
        values = {
            "permit_id": permit.id,
            "space_id": permit.space_id,
            "valid_from": date(2027, 1, 1),
            "valid_until": date(2027, 2, 1),
            "minute_from": 0,
            "minute_until": 1440,
            "day_from": 0,
            "day_until": 2,
        } | overrides
        with session.begin_nested():
            session.add(SpaceClaim(**values))
            session.flush()

    with pytest.raises(IntegrityError):
        claim()  # inside the permit's own year, all day
    with pytest.raises(IntegrityError):
        claim(minute_from=1110, day_from=1)  # a rest-day evening is still inside an every-day claim
    claim(valid_from=date(2027, 11, 26), valid_until=date(2027, 12, 26))  # from the day the permit ends: free
    moved = session.scalars(select(SpaceClaim).where(SpaceClaim.valid_from == date(2027, 11, 26))).one()

    def move_back() -> None:
        with session.begin_nested():
            moved.valid_from = date(2027, 11, 1)
            session.flush()

    with pytest.raises(IntegrityError):
        move_back()  # moving a claim onto a held time is refused as well (the UPDATE trigger / the constraint)
