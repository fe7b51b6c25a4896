from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from jiexiang.core.time import FixedClock
from jiexiang.domains.cases.assessment import period_bounds
from tests.factories import Town
from tests.helpers import act, login, only_case


def handle_with_one_rework(client: TestClient, town: Town, clock: FixedClock) -> None:
    """The manhole case of 2026-11-25: dispatched Thu 10:00, fixed by 12:00, sent back, fixed again 14:30."""
    case_id = only_case(client)
    act(client, case_id, "operator", "register")
    act(client, case_id, "dispatcher", "dispatch", unit_id=town.ids["water"])
    act(client, case_id, "water_handler", "accept")
    clock.advance(timedelta(hours=2))
    act(client, case_id, "water_handler", "feedback", note="已换新井盖")
    act(client, case_id, "grid_worker", "rework", note="井盖高出路面")
    clock.advance(timedelta(hours=2, minutes=30))
    act(client, case_id, "water_handler", "feedback", note="已重新安装")
    act(client, case_id, "grid_worker", "verify")


def test_indicators_by_unit_worked_out_by_hand(client: TestClient, town: Town, clock: FixedClock) -> None:
    handle_with_one_rework(client, town, clock)
    result = client.get("/api/assessment?period=2026-11&by=unit", headers=login(client, "operator")).json()
    assert [r["name"] for r in result["rows"]] == ["自来水公司"]
    row = result["rows"][0]
    assert (row["registered"], row["due"], row["closed"], row["closed_on_time"]) == (1, 1, 1, 1)
    assert (row["reworks"], row["extensions"]) == (1, 0)
    assert (row["close_rate"], row["on_time_close_rate"], row["rework_rate"]) == (1.0, 1.0, 1.0)
    # 10:00–12:00 and 13:30–14:30 on Thursday: 3 working hours from 派遣 to the last 处置反馈.
    assert row["mean_handling_hours"] == pytest.approx(3.0)
    # (40 × 1 + 40 × 1 + 20 × (1 − 1)) / 100 = 80 → B
    assert (row["score"], row["grade"]) == (80.0, "B")
    october = client.get("/api/assessment?period=2026-10", headers=login(client, "operator")).json()
    assert october["rows"] == []


def test_the_assessment_table_has_chinese_headers_and_percentages(
    client: TestClient, town: Town, clock: FixedClock, tmp_path: Path
) -> None:
    handle_with_one_rework(client, town, clock)
    from jiexiang.domains.cases import assessment

    session = client.app.state.session_factory()  # type: ignore[attr-defined]
    start, end = period_bounds("2026-11")
    from jiexiang.core.time import WorkCalendar
    from jiexiang.domains.accounts.service import Scope

    rows = assessment.assess(
        session,
        start=start,
        end=end,
        by="category",
        calendar=WorkCalendar.load(working_hours="08:30-12:00,13:30-17:30"),
        scope=Scope(),
    )
    table = assessment.as_table(rows, "category")
    session.close()
    path = tmp_path / "a.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(table)
    lines = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert lines[0][:4] == ["类别", "立案数", "应结案数", "结案数"] and lines[0][-1] == "等级"
    assert lines[1][0] == "其他井盖" and lines[1][7] == "100.0" and lines[1][-1] == "B"


@pytest.mark.parametrize("period", ["2026-13", "26-1", "十月"])
def test_bad_periods_are_refused(client: TestClient, town: Town, period: str) -> None:
    response = client.get(f"/api/assessment?period={period}", headers=login(client, "operator"))
    assert response.status_code == 422 and response.json()["code"] == "bad_period"


def test_period_bounds_are_beijing_months() -> None:
    start, end = period_bounds("2026-12")
    assert start.isoformat() == "2026-11-30T16:00:00+00:00" and end.isoformat() == "2026-12-31T16:00:00+00:00"
