"""Waste fixtures: the test town with households, each with a card, at its two addresses."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from jiexiang.core.config import Settings
from jiexiang.core.time import FixedClock
from jiexiang.domains.places.models import Household
from jiexiang.domains.waste import service
from jiexiang.domains.waste.models import Card
from tests.factories import Town, make_household, make_town


@pytest.fixture
def carded(session: Session, settings: Settings, clock: FixedClock) -> tuple[Town, list[tuple[Household, Card]]]:
    """The test town and four households with cards: three at 光明胡同1号, one at 力学胡同2号院."""
    town = make_town(session, settings, clock)
    homes = [make_household(session, clock, address="光明胡同1号", label=f"{n}号房") for n in range(1, 4)]
    homes.append(make_household(session, clock, address="力学胡同2号院", label="北房"))
    return town, [(home, service.issue_card(session, household_id=home.id, now=clock.now())) for home in homes]
