"""The rules as data: limits per category, group and urgency, and weights that must add up."""

from __future__ import annotations

import tomllib

import pytest

from jiexiang.domains.cases.taxonomy import load_taxonomy
from jiexiang.domains.hotline.rules import Rules, load_rules

RULES = """
[respond]
default = "24 urgent_hours"
urgent = "1 urgent_hours"
urgent_groups = ["manhole_cover"]
urgent_categories = ["1101"]
[finish]
default = "7 calendar_days"
[finish.group]
debris = "3 calendar_days"
[finish.category]
"1101" = "2 calendar_days"
[reply]
results = ["已解决"]
[repeat]
window_days = 30
radius_m = 100
[score]
basic_weight = 0.8
respond = 0.1
resolve = 0.45
satisfy = 0.45
"""


def test_a_category_wins_over_its_group_which_wins_over_the_default() -> None:
    rules = Rules.parse(tomllib.loads(RULES))
    categories = load_taxonomy().categories
    debris, other_debris, light, cover = categories["1101"], categories["1102"], categories["0114"], categories["0117"]
    assert other_debris.group == debris.group == "debris"
    assert rules.finish_limit(debris).label() == "2 自然日"
    assert rules.finish_limit(other_debris).label() == "3 自然日"
    assert rules.finish_limit(light).label() == "7 自然日"
    assert rules.is_urgent(debris) and rules.is_urgent(cover) and not rules.is_urgent(light)
    assert rules.respond_limit(urgent=True).label() == "1 紧急工作时"


def test_weights_that_do_not_add_up_are_refused() -> None:
    data = tomllib.loads(RULES)
    data["score"]["respond"] = 0.2
    with pytest.raises(ValueError, match="add up to 1"):
        Rules.parse(data)


def test_the_shipped_rules_load() -> None:
    rules = load_rules()
    assert rules.respond.label() == "24 紧急工作时" and rules.scoring.basic_weight == 0.8
