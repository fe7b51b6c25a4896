"""Small, hand-checkable places and accounts for tests, made through the real services."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shapely.geometry import LineString, Point, box
from sqlalchemy import select
from sqlalchemy.orm import Session

from jiexiang.core.config import Settings
from jiexiang.core.time import Clock
from jiexiang.domains.accounts import service as accounts
from jiexiang.domains.accounts.enums import Role, UnitKind
from jiexiang.domains.accounts.models import User
from jiexiang.domains.accounts.schemas import UnitCreate, UserCreate
from jiexiang.domains.places import households
from jiexiang.domains.places.enums import Layer
from jiexiang.domains.places.fileio import RawRow, import_rows
from jiexiang.domains.places.models import Address, Household
from jiexiang.domains.places.schemas import HouseholdCreate

PASSWORD = "test-password"
SUBDISTRICT = "110102001"
EAST, WEST = "110102001001", "110102001002"

# Two communities side by side, each 0.004° wide (~340 m) and 0.004° tall (~445 m), near 39.90 N 116.37 E.
WEST_BOX = box(116.366, 39.900, 116.370, 39.904)
EAST_BOX = box(116.370, 39.900, 116.374, 39.904)


@dataclass
class Town:
    ids: dict[str, int] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)


def feature(geometry: Any, **properties: Any) -> dict[str, Any]:
    from shapely.geometry import mapping

    return {"type": "Feature", "properties": properties, "geometry": mapping(geometry)}


def town_rows() -> dict[Layer, list[RawRow]]:
    def rows(layer: Layer, *items: tuple[dict[str, Any], Any]) -> list[RawRow]:
        return [RawRow(layer, i + 1, values, geom) for i, (values, geom) in enumerate(items)]

    return {
        Layer.subdistricts: rows(
            Layer.subdistricts, ({"code": SUBDISTRICT, "name": "测试街道"}, box(116.366, 39.900, 116.374, 39.904))
        ),
        Layer.communities: rows(
            Layer.communities,
            ({"code": WEST, "name": "西社区"}, WEST_BOX),
            ({"code": EAST, "name": "东社区"}, EAST_BOX),
        ),
        Layer.alleys: rows(
            Layer.alleys,
            (
                {"code": "A1", "name": "光明胡同", "aliases": "光明巷", "chief_username": "chief"},
                LineString([(116.367, 39.902), (116.369, 39.902)]),
            ),
            ({"code": "A2", "name": "力学胡同"}, LineString([(116.371, 39.902), (116.373, 39.902)])),
            (
                {"code": "A3", "name": "府右街", "is_back_alley": "否", "community_code": EAST},
                LineString([(116.370, 39.900), (116.370, 39.904)]),
            ),
        ),
        Layer.grid_cells: rows(
            Layer.grid_cells,
            ({"code": WEST + "001"}, WEST_BOX),
            ({"code": EAST + "001"}, EAST_BOX),
        ),
        Layer.buildings: rows(
            Layer.buildings,
            ({"code": "B1", "name": "四合院", "height_m": 5.5, "floors": 1}, box(116.3672, 39.9022, 116.3676, 39.9025)),
        ),
        Layer.components: rows(
            Layer.components,
            (
                {"code": "1101020101000001", "owner_unit": "自来水公司", "maintainer_unit": "自来水公司"},
                Point(116.3680, 39.90201),
            ),
            ({"code": "1101020114000001", "maintainer_unit": "路灯所"}, Point(116.3720, 39.90203)),
        ),
        Layer.addresses: rows(
            Layer.addresses,
            ({"name": "光明胡同1号", "house_number": "1号"}, Point(116.3675, 39.90208)),
            ({"name": "力学胡同2号院", "kind": "院落"}, Point(116.3715, 39.90192)),
        ),
    }


def make_user(session: Session, settings: Settings, clock: Clock, *, username: str, role: Role, **extra: Any) -> User:
    return accounts.create_user(
        session,
        data=UserCreate(username=username, password=PASSWORD, full_name=username, role=role, **extra),
        settings=settings,
        clock=clock,
    )


def make_town(session: Session, settings: Settings, clock: Clock) -> Town:
    """Two communities, three alleys (one with a chief), two grid cells, two components, two addresses,
    two units and one account per role (plus limited ones)."""
    town = Town()
    water = accounts.create_unit(session, data=UnitCreate(name="自来水公司", kind=UnitKind.utility), clock=clock)
    lights = accounts.create_unit(session, data=UnitCreate(name="路灯所", kind=UnitKind.utility), clock=clock)
    town.ids |= {"water": water.id, "lights": lights.id}
    town.users["chief"] = town.users[Role.alley_chief.value] = make_user(
        session, settings, clock, username="chief", role=Role.alley_chief
    )
    import_rows(session, batches=town_rows(), clock=clock)
    from jiexiang.domains.places import service as places

    town.ids["west"], town.ids["east"] = places.ids_by_code(session, layer=Layer.communities, codes=[WEST, EAST])
    town.ids["A1"], town.ids["A2"], town.ids["A3"] = places.ids_by_code(
        session, layer=Layer.alleys, codes=["A1", "A2", "A3"]
    )
    for role in Role:
        if role is not Role.alley_chief:
            town.users[role.value] = make_user(session, settings, clock, username=role.value, role=role)
    town.users["west_worker"] = make_user(
        session, settings, clock, username="west_worker", role=Role.grid_worker, community_ids=[town.ids["west"]]
    )
    town.users["a2_chief"] = make_user(
        session, settings, clock, username="a2_chief", role=Role.alley_chief, alley_ids=[town.ids["A2"]]
    )
    town.users["water_handler"] = make_user(
        session,
        settings,
        clock,
        username="water_handler",
        role=Role.handler,
        unit_id=water.id,
        limited_to_unit=True,
    )
    session.flush()
    return town


def make_household(
    session: Session,
    clock: Clock,
    *,
    address: str,
    label: str,
    username: str | None = None,
    representative: bool = False,
) -> Household:
    """A household registered now at the gazetteer address named `address`."""
    address_id = session.scalar(select(Address.id).where(Address.name == address))
    assert address_id is not None, address
    data = HouseholdCreate(
        address_id=address_id,
        label=label,
        head_name=f"{label}户主",
        is_representative=representative,
        username=username,
    )
    return households.register(session, data=data, now=clock.now())
