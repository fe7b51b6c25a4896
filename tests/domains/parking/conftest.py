"""Parking fixtures: the test town with households at its two addresses and a lot of each source to apply to."""

from __future__ import annotations

from datetime import date

import pytest
from shapely.geometry import Point, mapping
from sqlalchemy.orm import Session

from jiexiang.core.config import Settings
from jiexiang.core.time import FixedClock
from jiexiang.domains.parking import supply
from jiexiang.domains.parking.enums import DayPattern, LotKind
from jiexiang.domains.parking.models import Lot
from jiexiang.domains.parking.schemas import AgreementCreate, LenderCreate, LotCreate
from jiexiang.domains.places.models import Household
from tests.factories import Town, make_household, make_town


def new_lot(session: Session, clock: FixedClock, *, spaces: int, name: str = "光明停车场") -> Lot:
    data = LotCreate(name=name, kind=LotKind.new_lot, geometry=mapping(Point(116.368, 39.9025)), spaces=spaces)
    return supply.create_lot(session, data=data, now=clock.now())


def lent_lot(session: Session, clock: FixedClock, *, spaces: int, ends_on: date = date(2027, 3, 31)) -> Lot:
    lender = supply.create_lender(session, data=LenderCreate(name="某大厦"), now=clock.now())
    agreement = AgreementCreate(
        lender_id=lender.id,
        window="18:30-07:30",
        days=DayPattern.workdays,
        monthly_fee=150,
        starts_on=date(2026, 11, 1),
        ends_on=ends_on,
    )
    data = LotCreate(
        name="大厦错时车位",
        kind=LotKind.time_shared,
        geometry=mapping(Point(116.372, 39.901)),
        spaces=spaces,
        agreement=agreement,
    )
    return supply.create_lot(session, data=data, now=clock.now())


@pytest.fixture
def homes(session: Session, settings: Settings, clock: FixedClock) -> tuple[Town, list[Household]]:
    """The test town and six households: four at 光明胡同1号, two at 力学胡同2号院."""
    town = make_town(session, settings, clock)
    rows = [make_household(session, clock, address="光明胡同1号", label=f"{n}号房") for n in range(1, 5)]
    rows += [make_household(session, clock, address="力学胡同2号院", label=f"{n}号房") for n in range(1, 3)]
    return town, rows
