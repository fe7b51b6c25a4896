"""The companies' contracts and monthly ranking over the API: a month scored by hand (findings of two inspections
pooled, a doubled deduction, an item cap and a category cap), the fee withheld as the rules say, the rank changing
when an inspector scores an alley, the workbook reconciling line by line, and what a company's account sees."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from jiexiang.core.config import Settings
from jiexiang.core.time import FixedClock
from jiexiang.domains.accounts import service as accounts
from jiexiang.domains.accounts.enums import Role, UnitKind
from jiexiang.domains.accounts.schemas import UnitCreate
from jiexiang.domains.stewardship.rules import load_rules
from jiexiang.domains.waste import service as waste
from jiexiang.domains.waste.enums import WasteKind
from jiexiang.domains.waste.rules import load_rules as load_points
from jiexiang.domains.waste.schemas import DepositCreate
from tests.factories import Town, make_household, make_user
from tests.helpers import login

MONTH = "2026-11"  # the test clock's month


@pytest.fixture
def companies(session: Session, settings: Settings, clock: FixedClock, town: Town) -> dict[str, int]:
    ids = {}
    for key, name in (("jia", "甲物业"), ("yi", "乙物业")):
        unit = accounts.create_unit(session, data=UnitCreate(name=name, kind=UnitKind.property_company), clock=clock)
        ids[key] = unit.id
    make_user(
        session, settings, clock, username="jia_staff", role=Role.steward, unit_id=ids["jia"], limited_to_unit=True
    )
    session.commit()
    return ids


def _contract(client: TestClient, code: str, unit_id: int, alleys: list[int], fee: str) -> dict[str, object]:
    body = {
        "code": code,
        "unit_id": unit_id,
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "monthly_fee": fee,
        "alley_ids": alleys,
    }
    answer = client.post("/api/stewardship/contracts", json=body, headers=login(client, "operator"))
    assert answer.status_code == 201, answer.text
    return answer.json()


def _inspect(client: TestClient, alley_id: int, findings: list[dict[str, object]]) -> dict[str, object]:
    body = {"alley_id": alley_id, "kind": "property", "findings": findings}
    answer = client.post("/api/stewardship/inspections", json=body, headers=login(client, "grid_worker"))
    assert answer.status_code == 201, answer.text
    return answer.json()


def _ranking(client: TestClient, user: str = "operator") -> list[dict[str, object]]:
    answer = client.get(f"/api/stewardship/ranking?month={MONTH}", headers=login(client, user))
    assert answer.status_code == 200, answer.text
    return answer.json()["rows"]


def test_a_month_scored_by_hand_ranked_and_charged(
    client: TestClient, clock: FixedClock, town: Town, companies: dict[str, int]
) -> None:
    jia = _contract(client, "ZWY-2026-01", companies["jia"], [town.ids["A1"]], "10000")
    _contract(client, "ZWY-2026-02", companies["yi"], [town.ids["A2"], town.ids["A3"]], "8000.50")
    assert jia["company"] == "甲物业" and jia["alley_names"] == ["光明胡同"]

    # 甲: two inspections, pooled: debris 3 × 2 (after a complaint) + 3 = 9, capped at the item's 6; parking 2 × 2.
    first = _inspect(
        client,
        town.ids["A1"],
        [{"item": "clean.debris", "after_complaint": True}, {"item": "order.parking", "count": 2}],
    )
    assert first["version"] == 1
    clock.advance(timedelta(days=-3))
    _inspect(client, town.ids["A1"], [{"item": "clean.debris"}])
    # 乙: every cleaning item to its cap (6+4+4+4+6+4+6+2 = 36), the category capped at 30.
    everything_dirty = [
        {"item": "clean.surface", "count": 3},
        {"item": "clean.corners", "count": 4},
        {"item": "clean.water", "count": 2},
        {"item": "clean.ads", "count": 4},
        {"item": "clean.snow", "count": 2},
        {"item": "clean.toilet", "count": 2},
        {"item": "clean.debris", "count": 2},
        {"item": "clean.tools", "count": 2},
    ]
    _inspect(client, town.ids["A3"], everything_dirty)

    rows = {row["company"]: row for row in _ranking(client)}
    jia_row, yi_row = rows["甲物业"], rows["乙物业"]
    assert [(line["item"], line["findings"], line["raw"], line["deducted"]) for line in jia_row["lines"]] == [
        ("clean.debris", 2, 9, 6),
        ("order.parking", 2, 4, 4),
    ]
    assert (jia_row["inspections"], jia_row["checklist_deducted"], jia_row["score"], jia_row["rank"]) == (2, 10, 90, 1)
    assert (jia_row["withheld"], jia_row["fee_effect"]) == ("0.00", "不扣减")
    assert yi_row["category_deductions"] == {"clean": 30} and sum(line["deducted"] for line in yi_row["lines"]) == 36
    assert (yi_row["score"], yi_row["rank"], yi_row["withhold_percent"]) == (70, 2, 10)
    assert Decimal(yi_row["withheld"]) == Decimal("800.05")  # 10% of 8000.50
    # No cases, tickets or cards in these alleys: the measures do not count (0 points), and say so.
    assert {(m["code"], m["count"], m["points"]) for m in jia_row["measures"]} == {
        (m.code, 0, 0) for m in load_rules().measures
    }

    # An inspector scores 甲's alley badly: order capped at 25 (6 + 25 = 31 in all), and the ranks change.
    _inspect(
        client,
        town.ids["A1"],
        [
            {"item": "order.parking"},
            {"item": "order.bikes", "count": 4},
            {"item": "order.vending", "count": 3},
            {"item": "order.occupy", "count": 2},
            {"item": "order.build", "count": 2},
            {"item": "order.wires", "count": 2},
            {"item": "order.signs", "count": 3},
        ],
    )
    after = _ranking(client)
    assert [(row["company"], row["score"], row["rank"]) for row in after] == [("乙物业", 70, 1), ("甲物业", 69, 2)]
    assert after[1]["category_deductions"] == {"clean": 6, "order": 25} and after[1]["withheld"] == "1000.00"

    # The workbook: the ranking, each item's deduction, and every finding behind them.
    workbook = client.get(f"/api/stewardship/ranking.xlsx?month={MONTH}", headers=login(client, "operator"))
    assert workbook.status_code == 200 and "attachment" in workbook.headers["content-disposition"]
    book = load_workbook(io.BytesIO(workbook.content))
    ranking = list(book["排名"].iter_rows(values_only=True))
    assert [(r[2], r[1]) for r in ranking[1:]] == [("乙物业", 2 - 1), ("甲物业", 2)]
    score_column = ranking[0].index("得分")
    assert [r[score_column] for r in ranking[1:]] == [70, 69]
    items = list(book["细项扣分"].iter_rows(values_only=True))
    findings = list(book["问题明细"].iter_rows(values_only=True))
    for company, row in (("甲物业", after[1]), ("乙物业", after[0])):
        deducted = [r[-1] for r in items[1:] if r[1] == company]
        assert sum(deducted) == sum(line["deducted"] for line in row["lines"])
        raw = [r[9] for r in findings[1:] if r[1] == company]
        assert sum(raw) == sum(line["raw"] for line in row["lines"])


def test_contracts_refused_and_what_a_company_sees(client: TestClient, town: Town, companies: dict[str, int]) -> None:
    _contract(client, "ZWY-2026-01", companies["jia"], [town.ids["A1"]], "10000")
    _contract(client, "ZWY-2026-02", companies["yi"], [town.ids["A2"]], "8000")
    operator = login(client, "operator")
    body = {
        "code": "ZWY-2026-03",
        "unit_id": companies["yi"],
        "starts_on": "2026-06-01",
        "ends_on": "2027-05-31",
        "monthly_fee": "5000",
        "alley_ids": [town.ids["A1"], town.ids["A3"]],
    }
    clash = client.post("/api/stewardship/contracts", json=body, headers=operator)
    assert clash.status_code == 409 and "光明胡同（合同 ZWY-2026-01）" in clash.json()["message"]
    again = client.post(
        "/api/stewardship/contracts",
        json=body | {"code": "ZWY-2026-01", "alley_ids": [town.ids["A3"]]},
        headers=operator,
    )
    assert again.status_code == 409 and "已存在" in again.json()["message"]
    utility = client.post("/api/stewardship/contracts", json=body | {"unit_id": town.ids["water"]}, headers=operator)
    assert utility.status_code == 422 and "物业公司" in utility.json()["message"]
    backwards = client.post("/api/stewardship/contracts", json=body | {"ends_on": "2026-01-01"}, headers=operator)
    assert backwards.status_code == 422
    unknown = client.post("/api/stewardship/contracts", json=body | {"checklist_version": 9}, headers=operator)
    assert unknown.status_code == 422 and "第 9 版" in unknown.json()["message"]
    assert client.post("/api/stewardship/contracts", json=body, headers=login(client, "grid_worker")).status_code == 403
    bad_month = client.get("/api/stewardship/ranking?month=2026-13", headers=operator)
    assert bad_month.status_code == 422

    _inspect(client, town.ids["A1"], [{"item": "clean.surface"}])
    _inspect(client, town.ids["A2"], [{"item": "clean.surface", "count": 2}])
    # 甲's account: its own contract, its place among all, its own inspections only.
    assert [c["code"] for c in client.get("/api/stewardship/contracts", headers=login(client, "jia_staff")).json()] == [
        "ZWY-2026-01"
    ]
    assert [(r["company"], r["rank"]) for r in _ranking(client, "jia_staff")] == [("甲物业", 1)]
    seen = client.get("/api/stewardship/inspections", headers=login(client, "jia_staff")).json()["items"]
    assert [i["alley_id"] for i in seen] == [town.ids["A1"]]


def test_sorting_rates_per_company(
    client: TestClient, session: Session, clock: FixedClock, town: Town, companies: dict[str, int]
) -> None:
    _contract(client, "ZWY-2026-01", companies["jia"], [town.ids["A1"]], "10000")
    _contract(client, "ZWY-2026-02", companies["yi"], [town.ids["A2"]], "8000")
    homes = [make_household(session, clock, address="光明胡同1号", label=f"{n}号房") for n in range(1, 4)]
    homes.append(make_household(session, clock, address="力学胡同2号院", label="北房"))
    cards = [waste.issue_card(session, household_id=home.id, now=clock.now()) for home in homes]
    for card, correct in ((cards[0], True), (cards[1], False)):
        data = DepositCreate(card_code=card.code, kind=WasteKind.kitchen, correct=correct, idempotency_key=card.code)
        waste.register_deposit(session, data=data, collector=None, rules=load_points(), now=clock.now())
    session.commit()

    answer = client.get("/api/stewardship/sorting-rates", headers=login(client, "operator"))
    assert answer.status_code == 200, answer.text
    rows = {row["name"]: row for row in answer.json()}
    assert {k: rows["甲物业"][k] for k in ("households", "participating", "deposits", "correct")} == {
        "households": 3,
        "participating": 2,
        "deposits": 2,
        "correct": 1,
    }
    assert rows["甲物业"]["participation_rate"] == pytest.approx(2 / 3) and rows["甲物业"]["correct_rate"] == 0.5
    assert (rows["乙物业"]["households"], rows["乙物业"]["participation_rate"]) == (1, 0)
    mine = client.get("/api/stewardship/sorting-rates", headers=login(client, "jia_staff")).json()
    assert [row["name"] for row in mine] == ["甲物业"]
    # The same count is the month's measure (too few households behind it to give or take points).
    jia = next(row for row in _ranking(client) if row["company"] == "甲物业")
    sorting = next(m for m in jia["measures"] if m["code"] == "sorting_participation")
    assert (sorting["count"], sorting["rate"], sorting["points"]) == (3, pytest.approx(2 / 3), 0)
