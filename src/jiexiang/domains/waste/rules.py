"""The points rules, read from data (`data/points.toml`, or the file JIEXIANG_WASTE_POINTS names)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jiexiang.core.config import Settings
from jiexiang.core.errors import ConfigurationError

DEFAULT_RULES = Path(__file__).parent / "data" / "points.toml"


@dataclass(frozen=True)
class PointsRules:
    per_correct_deposit: int
    per_incorrect_deposit: int
    daily_cap: int

    def earned(self, *, correct: bool, earned_today: int) -> int:
        """Points for one deposit, given what the household has already earned today."""
        points = self.per_correct_deposit if correct else self.per_incorrect_deposit
        return max(0, min(points, self.daily_cap - earned_today))


@lru_cache(maxsize=8)
def load_rules(path: Path = DEFAULT_RULES) -> PointsRules:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        rules = PointsRules(
            per_correct_deposit=int(data["per_correct_deposit"]),
            per_incorrect_deposit=int(data["per_incorrect_deposit"]),
            daily_cap=int(data["daily_cap"]),
        )
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        raise ConfigurationError(f"垃圾分类积分规则文件 {path} 有误：{exc}") from exc
    if min(rules.per_correct_deposit, rules.per_incorrect_deposit, rules.daily_cap) < 0:
        raise ConfigurationError(f"垃圾分类积分规则文件 {path} 有误：积分不能为负")
    return rules


def rules_of(settings: Settings) -> PointsRules:
    return load_rules(settings.waste_points) if settings.waste_points else load_rules()
