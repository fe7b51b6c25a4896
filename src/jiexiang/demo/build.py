"""Builds the whole demo subdistrict in one transaction, through the same services users call."""

from __future__ import annotations

import random
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiexiang.core.config import Settings
from jiexiang.core.time import Clock, WorkCalendar
from jiexiang.demo import geography, people
from jiexiang.demo.history import build_history
from jiexiang.demo.parking import build_parking
from jiexiang.demo.stewardship import build_contracts, build_inspections, build_walks
from jiexiang.demo.waste import build_waste
from jiexiang.domains.accounts import service as accounts
from jiexiang.domains.accounts.schemas import UnitCreate, UserCreate, UserUpdate
from jiexiang.domains.cases.routing import create_rule
from jiexiang.domains.places import service as places
from jiexiang.domains.places.enums import Layer
from jiexiang.domains.places.fileio import import_rows
from jiexiang.domains.places.models import Subdistrict

DEFAULT_SEED = 20261126


@dataclass(frozen=True)
class DemoSummary:
    counts: dict[str, int]
    usernames: list[str]


def is_empty(session: Session) -> bool:
    return (session.scalar(select(func.count()).select_from(Subdistrict)) or 0) == 0


def build_demo(session: Session, *, settings: Settings, clock: Clock, seed: int = DEFAULT_SEED) -> DemoSummary:
    rng = random.Random(seed)
    geo = geography.build(seed)
    for name, kind in people.units():
        accounts.create_unit(session, data=UnitCreate(name=name, kind=kind), clock=clock)
    demo_users = people.users(
        rng, chief_usernames=sorted(geo.alley_codes_by_chief), community_codes=geo.community_codes
    )
    shared_hash = accounts.hash_password(people.DEMO_PASSWORD, settings=settings)
    created = {}
    for person in demo_users:
        unit = accounts.unit_by_name(session, name=person.unit) if person.unit else None
        created[person.username] = accounts.create_user(
            session,
            data=UserCreate(
                username=person.username,
                password=people.DEMO_PASSWORD,
                full_name=person.full_name,
                role=person.role,
                phone=person.phone,
                unit_id=unit.id if unit else None,
                limited_to_unit=person.limited_to_unit,
            ),
            settings=settings,
            clock=clock,
            password_hash=shared_hash,
        )
    report = import_rows(session, batches=geo.rows, clock=clock)
    # Scopes name places, which exist only now.
    for person in demo_users:
        community_ids = places.ids_by_code(session, layer=Layer.communities, codes=person.community_codes)
        alley_ids = (
            places.ids_by_code(session, layer=Layer.alleys, codes=geo.alley_codes_by_chief[person.username])
            if person.chief_of
            else []
        )
        if community_ids or alley_ids:
            accounts.update_user(
                session,
                user_id=created[person.username].id,
                settings=settings,
                data=UserUpdate(community_ids=community_ids, alley_ids=alley_ids),
            )
    rules = _routing_rules(session, clock=clock)
    contracts = build_contracts(session, clock=clock)  # before the history: its alleys' cases go to the company
    addresses = [
        (row.values["name"], row.values.get("alley_code", ""))
        for row in geo.rows[Layer.addresses]
        if row.values.get("kind") != "landmark"
    ]
    cases = build_history(session, settings=settings, now=clock.now(), addresses=addresses, seed=seed)
    programmes = build_parking(
        session,
        resident=created["resident"],
        staff=created["operator"],
        calendar=WorkCalendar.load(working_hours=settings.working_hours, extra_dir=settings.calendar_dir),
        settings=settings,
        now=clock.now(),
        seed=seed,
    )
    programmes |= build_waste(
        session, collector=created["steward"], desk=created["operator"], now=clock.now(), seed=seed
    )
    programmes |= build_walks(session, clock=clock, seed=seed)
    programmes |= build_inspections(session, inspector=created["operator"], settings=settings, clock=clock, seed=seed)
    counts = {layer: c.created for layer, c in report.counts.items()} | programmes
    counts["routing_rules"] = rules
    counts["contracts"] = contracts
    counts["cases"] = cases
    counts["users"] = len(demo_users)
    return DemoSummary(counts=counts, usernames=[p.username for p in demo_users])


# Which unit handles which topic in the demo (by category where the owner is known from the component).
ROUTING_BY_GROUP = {
    "debris": "西长安街街道城市管理办公室",
    "garbage": "长安物业管理有限公司",
    "small_ads": "长安物业管理有限公司",
    "illegal_parking": "西长安街街道城市管理办公室",
    "street_vending": "西城区城市管理委员会",
    "illegal_construction": "西城区城市管理委员会",
    "noise": "西城区城市管理委员会",
    "road_surface": "西城区城市管理委员会",
    "waterlogging": "北京城市排水集团",
    "greenery": "西城区园林绿化局",
    "street_light": "北京市路灯管理中心",
    "manhole_cover": "北京城市排水集团",
}


def _routing_rules(session: Session, *, clock: Clock) -> int:
    count = 0
    fallback = accounts.unit_by_name(session, name="西长安街街道城市管理办公室")
    assert fallback is not None
    create_rule(session, unit_id=fallback.id, clock=clock)  # anything not covered below
    for group, unit_name in ROUTING_BY_GROUP.items():
        unit = accounts.unit_by_name(session, name=unit_name)
        assert unit is not None
        create_rule(session, unit_id=unit.id, group=group, clock=clock)
        count += 1
    for class_code, (_, maintainer) in geography.COMPONENT_UNITS.items():
        unit = accounts.unit_by_name(session, name=maintainer)
        assert unit is not None
        create_rule(session, unit_id=unit.id, category_code=class_code, clock=clock)
        count += 1
    return count + 1
