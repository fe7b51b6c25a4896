"""The 接诉即办 rules as data (`data/rules.toml`): the limits to contact and to finish, what makes a ticket urgent
or a repeat, and how the three rates weigh in the score."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from jiexiang.domains.cases.sla import Limit
from jiexiang.domains.cases.taxonomy import Category


@dataclass(frozen=True)
class Scoring:
    basic_weight: float
    respond: float
    resolve: float
    satisfy: float


@dataclass(frozen=True)
class Rules:
    respond: Limit
    respond_urgent: Limit
    urgent_groups: frozenset[str]
    urgent_categories: frozenset[str]
    finish: Limit
    finish_by_group: dict[str, Limit]
    finish_by_category: dict[str, Limit]
    results: tuple[str, ...]
    repeat_window_days: int
    repeat_radius_m: float
    scoring: Scoring

    def is_urgent(self, category: Category) -> bool:
        return category.code in self.urgent_categories or category.group in self.urgent_groups

    def respond_limit(self, *, urgent: bool) -> Limit:
        return self.respond_urgent if urgent else self.respond

    def finish_limit(self, category: Category) -> Limit:
        """A category's own limit wins over its group's, which wins over the default."""
        by_group = self.finish_by_group.get(category.group or "", self.finish)
        return self.finish_by_category.get(category.code, by_group)

    @classmethod
    def parse(cls, data: dict[str, Any]) -> Rules:
        respond, finish, repeat, score = data["respond"], data["finish"], data["repeat"], data["score"]
        scoring = Scoring(
            basic_weight=float(score["basic_weight"]),
            respond=float(score["respond"]),
            resolve=float(score["resolve"]),
            satisfy=float(score["satisfy"]),
        )
        if abs(scoring.respond + scoring.resolve + scoring.satisfy - 1) > 1e-9:
            raise ValueError("[score] respond + resolve + satisfy must add up to 1")
        return cls(
            respond=Limit.parse(respond["default"]),
            respond_urgent=Limit.parse(respond["urgent"]),
            urgent_groups=frozenset(respond.get("urgent_groups", [])),
            urgent_categories=frozenset(respond.get("urgent_categories", [])),
            finish=Limit.parse(finish["default"]),
            finish_by_group={group: Limit.parse(text) for group, text in finish.get("group", {}).items()},
            finish_by_category={code: Limit.parse(text) for code, text in finish.get("category", {}).items()},
            results=tuple(data["reply"]["results"]),
            repeat_window_days=int(repeat["window_days"]),
            repeat_radius_m=float(repeat["radius_m"]),
            scoring=scoring,
        )


@cache
def load_rules() -> Rules:
    text = (resources.files("jiexiang.domains.hotline") / "data" / "rules.toml").read_text("utf-8")
    return Rules.parse(tomllib.loads(text))
