"""The shipped checklists (the 31 items, 十有十无), a month's findings scored by hand (a doubled deduction after a
complaint, an item cap and a category cap), versions by date, bad files refused, and the checklist over the API."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from jiexiang.core.errors import ConfigurationError, InvalidInput, NotFound
from jiexiang.domains.stewardship import checklists
from jiexiang.domains.stewardship.enums import ChecklistKind
from jiexiang.domains.stewardship.scoring import Finding, score
from tests.factories import Town
from tests.helpers import login

PROPERTY = checklists.current(ChecklistKind.property, date(2026, 11, 30))


def test_the_shipped_checklists_have_five_categories_of_thirty_one_items_and_ten_and_ten() -> None:
    assert [c.name for c in PROPERTY.categories] == ["街巷保洁", "环境秩序", "绿化与设施", "垃圾分类", "服务与响应"]
    assert PROPERTY.size == 31 and sum(c.cap for c in PROPERTY.categories) == 100
    patrol = checklists.current(ChecklistKind.patrol, date(2026, 11, 30))
    assert [len(c.items) for c in patrol.categories] == [10, 10]


def test_a_month_scored_by_hand() -> None:
    month = [
        Finding("clean.surface", count=2),  # 2 × 2 = 4 (cap 6)
        Finding("clean.debris", after_complaint=True),  # 3 × 2 = 6, doubled: a verified complaint was about it
        Finding("clean.debris"),  # + 3 = 9, capped at the item's 6
        Finding("clean.snow", count=3),  # 3 × 3 = 9, capped at 6
        Finding("clean.ads", count=4),  # 1 × 4 = 4 (cap 4)
        Finding("clean.water", count=3),  # 2 × 3 = 6, capped at 4 → 街巷保洁 4+6+6+4+4 = 24 (cap 30)
        Finding("service.response", count=3),  # 2 × 3 = 6 (cap 6)
        Finding("service.complaints", count=2, after_complaint=True),  # 2 × 2 × 2 = 8, capped at 6
        # 服务与响应: 6 + 6 = 12, capped at the category's 10
    ]
    result = score(PROPERTY, month)
    lines = {line.item: (line.findings, line.raw, line.deducted) for line in result.items}
    assert lines["clean.debris"] == (2, 9, 6) and lines["service.complaints"] == (2, 8, 6)
    assert {c.category: (c.raw, c.deducted) for c in result.categories} == {"clean": (24, 24), "service": (12, 10)}
    assert (result.deducted, result.score) == (34, 66)
    with pytest.raises(InvalidInput, match=r"没有细项 clean\.nothing"):
        score(PROPERTY, [Finding("clean.nothing")])


def test_versions_take_effect_by_date_and_bad_files_are_refused(tmp_path: Path) -> None:
    text = (checklists.SHIPPED / "patrol-v1.toml").read_text(encoding="utf-8")
    (tmp_path / "patrol-v1.toml").write_text(text, encoding="utf-8")
    later = text.replace("version = 1", "version = 2").replace(
        "effective_from = 2025-01-01", "effective_from = 2027-01-01"
    )
    (tmp_path / "patrol-v2.toml").write_text(later.replace("有街巷长", "有街巷长（新版）"), encoding="utf-8")
    assert checklists.current(ChecklistKind.patrol, date(2026, 12, 31), tmp_path).version == 1
    assert checklists.current(ChecklistKind.patrol, date(2027, 1, 1), tmp_path).version == 2
    with pytest.raises(NotFound, match="没有生效"):
        checklists.current(ChecklistKind.patrol, date(2024, 12, 31), tmp_path)
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "x.toml").write_text(
        text.replace("deduction = 5, cap = 5 }", "deduction = 6, cap = 5 }", 1), encoding="utf-8"
    )
    with pytest.raises(ConfigurationError, match="上限不小于单次扣分"):
        checklists.load_all(broken)
    unknown_case = tmp_path / "unknown_case"
    unknown_case.mkdir()
    (unknown_case / "x.toml").write_text(text.replace('case = "1301"', 'case = "9999"', 1), encoding="utf-8")
    with pytest.raises(ConfigurationError, match="案件类别 9999 不在案件分类中"):
        checklists.load_all(unknown_case)


def test_the_current_checklist_over_the_api(client: TestClient, town: Town) -> None:
    answer = client.get(
        "/api/stewardship/checklists/current", params={"kind": "property"}, headers=login(client, "steward")
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["items"], body["version"], len(body["categories"])) == (31, 1, 5)
    assert body["categories"][0]["items"][0] == {
        "code": "clean.surface", "text": "路面无垃圾、无积存杂物，清扫及时", "deduction": 2, "cap": 6,
        "case_category": "1105",
    }  # fmt: skip
    assert (
        client.get("/api/stewardship/checklists", params={"kind": "patrol"}, headers=login(client, "chief")).json()[0][
            "items"
        ]
        == 20
    )
    assert (
        client.get(
            "/api/stewardship/checklists/current", params={"kind": "x"}, headers=login(client, "operator")
        ).status_code
        == 422
    )
    assert (
        client.get(
            "/api/stewardship/checklists/current", params={"kind": "property"}, headers=login(client, "resident")
        ).status_code
        == 403
    )
