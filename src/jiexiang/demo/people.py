"""Demo units and accounts: one or more for every role, with the scopes real ones would have."""

from __future__ import annotations

import random
from dataclasses import dataclass

from jiexiang.demo import names
from jiexiang.domains.accounts.enums import Role, UnitKind

DEMO_PASSWORD = "jiexiang-demo"


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: Role
    unit: str | None = None
    limited_to_unit: bool = False
    community_codes: tuple[str, ...] = ()
    chief_of: bool = False  # limited to the alleys they are chief of
    phone: str | None = None


def units() -> list[tuple[str, UnitKind]]:
    return [(name, UnitKind(kind)) for name, kind in names.UNITS]


def _person(rng: random.Random) -> str:
    return rng.choice(names.SURNAMES) + rng.choice(names.GIVEN_NAMES)


def users(rng: random.Random, *, chief_usernames: list[str], community_codes: list[str]) -> list[DemoUser]:
    people = [
        DemoUser("admin", "系统管理员", Role.admin),
        DemoUser("operator", _person(rng), Role.operator, unit="西长安街街道城市管理办公室"),
        DemoUser("dispatcher", _person(rng), Role.dispatcher, unit="西长安街街道城市管理办公室"),
        DemoUser("handler_water", _person(rng), Role.handler, unit="北京市自来水集团", limited_to_unit=True),
        DemoUser("handler_drain", _person(rng), Role.handler, unit="北京城市排水集团", limited_to_unit=True),
        DemoUser("handler_lights", _person(rng), Role.handler, unit="北京市路灯管理中心", limited_to_unit=True),
        DemoUser("handler_city", _person(rng), Role.handler, unit="西城区城市管理委员会", limited_to_unit=True),
        DemoUser("steward", _person(rng), Role.steward, unit="长安物业管理有限公司", limited_to_unit=True),
        DemoUser("resident", _person(rng), Role.resident),
    ]
    # 139-0000-xxxx: a block no real subscriber has, so the demo never rings anybody.
    people += [
        DemoUser(u, _person(rng), Role.alley_chief, chief_of=True, phone=f"1390000{i + 1:04d}")
        for i, u in enumerate(chief_usernames)
    ]
    people += [
        DemoUser(f"grid{i + 1:02d}", _person(rng), Role.grid_worker, community_codes=(code,))
        for i, code in enumerate(community_codes)
    ]
    # The other quasi-property companies' desks (长安物业's is `steward`).
    people += [
        DemoUser(username, _person(rng), Role.steward, unit=unit, limited_to_unit=True)
        for username, unit in (
            ("steward_fuyou", "府右街准物业服务有限公司"),
            ("steward_lingjing", "灵境物业管理有限公司"),
            ("steward_liubukou", "六部口环境服务有限公司"),
        )
    ]
    # A cleaner of 长安物业 (puts findings right, registers bags at the truck) and a resident volunteer who helps
    # inspect the alleys of the first community.
    people += [
        DemoUser("cleaner", _person(rng), Role.cleaner, unit="长安物业管理有限公司", limited_to_unit=True),
        DemoUser("volunteer", _person(rng), Role.volunteer, community_codes=tuple(community_codes[:1])),
    ]
    return people
