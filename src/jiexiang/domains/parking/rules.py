"""Permit allocation rules, read from data (`data/rules.toml`, or the file JIEXIANG_PARKING_RULES names): how long
a permit runs, how many a household may hold, which priority groups go first, and the waiting-list order."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from jiexiang.core.config import Settings
from jiexiang.core.errors import ConfigurationError, InvalidInput

DEFAULT_RULES = Path(__file__).parent / "data" / "rules.toml"
_NO_GROUP = 1_000_000  # the rank of an application in no priority group: after all of them


@dataclass(frozen=True)
class PriorityGroup:
    code: str
    label: str
    rank: int


@dataclass(frozen=True)
class ParkingRules:
    permit_months: int
    renew_months: int
    max_permits_per_household: int
    plate_pattern: re.Pattern[str]
    groups: dict[str, PriorityGroup]

    def check_plate(self, plate: str) -> str:
        """The plate as stored (upper case, no spaces or dots), or a Chinese error."""
        cleaned = re.sub(r"[\s·.\-]", "", plate).upper()
        if not self.plate_pattern.match(cleaned):
            raise InvalidInput(f"车牌号“{plate}”格式不对，应如 京A12345 或 京AD12345（新能源）", code="invalid_plate")
        return cleaned

    def check_groups(self, codes: list[str]) -> list[str]:
        unknown = [code for code in codes if code not in self.groups]
        if unknown:
            known = "、".join(f"{g.code}（{g.label}）" for g in self.groups.values())
            raise InvalidInput(f"没有这个优先群体：{'、'.join(unknown)}；可选：{known}", code="unknown_priority_group")
        return sorted(set(codes))

    def queue_key(
        self, *, holds_permit: bool, groups: list[str], applied_at: datetime, application_id: int
    ) -> tuple[bool, int, datetime, int]:
        """Sort key of an application in its lot's waiting list (lowest first)."""
        rank = min((self.groups[g].rank for g in groups if g in self.groups), default=_NO_GROUP)
        return (holds_permit, rank, applied_at, application_id)


@lru_cache(maxsize=8)
def load_rules(path: Path = DEFAULT_RULES) -> ParkingRules:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        groups = {
            code: PriorityGroup(code=code, label=str(group["label"]), rank=int(group["rank"]))
            for code, group in data.get("priority_groups", {}).items()
        }
        rules = ParkingRules(
            permit_months=int(data["permit_months"]),
            renew_months=int(data["renew_months"]),
            max_permits_per_household=int(data["max_permits_per_household"]),
            plate_pattern=re.compile(str(data["plate_pattern"])),
            groups=groups,
        )
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError, re.error) as exc:
        raise ConfigurationError(f"停车分配规则文件 {path} 有误：{exc}") from exc
    if min(rules.permit_months, rules.renew_months, rules.max_permits_per_household) < 1:
        raise ConfigurationError(f"停车分配规则文件 {path} 有误：期限和每户上限都应至少为 1")
    return rules


def rules_of(settings: Settings) -> ParkingRules:
    """The rules the server runs with: the file JIEXIANG_PARKING_RULES names, or the shipped ones."""
    return load_rules(settings.parking_rules) if settings.parking_rules else load_rules()
