"""The monthly assessment's rules as data (`data/assessment.toml`): the measures pulled from the platform with
the points their rates give, and what a score does to the month's fee."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from jiexiang.core.errors import ConfigurationError

SHIPPED = Path(__file__).parent / "data" / "assessment.toml"


@dataclass(frozen=True)
class Band:
    points: int
    below: float | None = None  # the rate is under this
    at_least: float | None = None  # the rate is this or more

    def takes(self, rate: float) -> bool:
        return rate < self.below if self.below is not None else rate >= (self.at_least or 0.0)


@dataclass(frozen=True)
class Measure:
    code: str
    name: str
    about: str
    min_count: int  # fewer behind the rate than this: the measure does not count this month
    bands: tuple[Band, ...]

    def points(self, rate: float | None, count: int) -> int:
        if rate is None or count < self.min_count:
            return 0
        return next((band.points for band in self.bands if band.takes(rate)), 0)


@dataclass(frozen=True)
class FeeBand:
    score_below: int
    withhold_percent: int
    label: str


@dataclass(frozen=True)
class AssessmentRules:
    measures: tuple[Measure, ...]
    fee: tuple[FeeBand, ...]  # by `score_below`, lowest first

    def fee_effect(self, score: int, monthly_fee: Decimal) -> tuple[FeeBand | None, Decimal]:
        """The band a score falls in (None: nothing withheld) and the yuan withheld from the month's fee."""
        band = next((b for b in self.fee if score < b.score_below), None)
        withheld = monthly_fee * band.withhold_percent / 100 if band else Decimal(0)
        return band, withheld.quantize(Decimal("0.01"))


@lru_cache(maxsize=4)
def load_rules(path: Path = SHIPPED) -> AssessmentRules:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        measures = tuple(
            Measure(
                code=str(m["code"]),
                name=str(m["name"]),
                about=str(m["about"]),
                min_count=int(m["min_count"]),
                bands=tuple(
                    Band(int(b["points"]), below=b.get("below"), at_least=b.get("at_least")) for b in m["bands"]
                ),
            )
            for m in data["measures"]
        )
        fee = tuple(
            sorted(
                (FeeBand(int(f["score_below"]), int(f["withhold_percent"]), str(f["label"])) for f in data["fee"]),
                key=lambda band: band.score_below,
            )
        )
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        raise ConfigurationError(f"准物业考核规则 {path} 有误：{exc}") from exc
    problems = [
        f"“{m.name}”的每一档应有且只有 below 或 at_least 之一"
        for m in measures
        if any((b.below is None) == (b.at_least is None) for b in m.bands)
    ]
    problems += [f"扣减比例 {f.withhold_percent}% 应在 0–100 之间" for f in fee if not 0 <= f.withhold_percent <= 100]
    if len({m.code for m in measures}) != len(measures):
        problems.append("指标编码重复")
    if problems:
        raise ConfigurationError(f"准物业考核规则 {path} 有误：{'；'.join(problems)}")
    return AssessmentRules(measures, fee)
