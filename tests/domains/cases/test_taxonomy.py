from __future__ import annotations

from jiexiang.domains.cases.taxonomy import load_taxonomy

REQUIRED = [
    "违法建设",
    "乱停车",
    "停车难",
    "占道经营",
    "无照游商",
    "乱堆物堆料",
    "渣土及建筑垃圾",
    "暴露垃圾",
    "垃圾满溢",
    "道路破损",
    "路灯",
    "非法小广告",
    "道路积水",
    "噪声扰民",
]


def test_the_taxonomy_covers_the_required_categories_with_unique_codes() -> None:
    taxonomy = load_taxonomy()
    names = {c.name for c in taxonomy.categories.values()}
    assert set(REQUIRED) <= names
    assert all(len(code) == 4 and code.isdigit() for code in taxonomy.categories)
    manholes = taxonomy.in_group("manhole_cover")
    assert {c.kind for c in manholes} == {"component"} and len(manholes) >= 10
    assert taxonomy.in_group("public_facility") and taxonomy.in_group("greenery")


def test_categories_are_found_by_code_name_or_major_minor_path() -> None:
    taxonomy = load_taxonomy()
    assert taxonomy.find("1101") is taxonomy.find("乱堆物堆料") is taxonomy.find("市容环境-乱堆物堆料")
    assert taxonomy.find("路灯") is not None and taxonomy.find("路灯").kind == "component"  # type: ignore[union-attr]
    assert taxonomy.find("不存在的类别") is None


def test_duplicate_rules_are_data() -> None:
    taxonomy = load_taxonomy()
    assert taxonomy.categories["1401"].dedupe_radius_m == 80
    assert taxonomy.categories["0114"].dedupe_window_hours == 72  # the default
