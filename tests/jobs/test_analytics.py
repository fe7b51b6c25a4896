"""The analytics run on the platform's reports, served by /api/analytics/…"""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from jiexiang.core.config import Settings
from jiexiang.core.time import FixedClock
from jiexiang.domains.cases.enums import ReportSource
from jiexiang.ingest.incoming import IncomingReport
from jiexiang.ingest.service import Intake
from tests.conftest import NOW
from tests.factories import Town, make_town
from tests.helpers import login


@pytest.fixture
def town(session: Session, settings: Settings, clock: FixedClock) -> Town:
    """Half a year of reports: debris piling up at the east end of 光明胡同, lights failing anywhere."""
    town = make_town(session, settings, clock)
    rng = random.Random(4)
    intake = Intake(session, settings=settings, clock=clock)
    for i in range(400):
        debris = i % 2 == 0
        lon = 116.3688 + rng.gauss(0, 0.0001) if debris else 116.367 + rng.random() * 0.006
        intake.apply(
            IncomingReport(
                source=ReportSource.hotline,
                external_id=f"A{i}",
                received_at=NOW - timedelta(hours=11 * (400 - i)),
                text="杂物堆放" if debris else "路灯不亮",
                raw={"i": i},
                source_category="堆物堆料" if debris else "路灯不亮",
                lon=lon,
                lat=39.9020 + rng.gauss(0, 0.0002),
            )
        )
    session.commit()
    return town


def test_the_run_stores_hotspots_risk_forecasts_and_warnings_for_the_api(
    app: FastAPI, client: TestClient, town: Town
) -> None:
    operator = login(client, "operator")
    missing = client.get("/api/analytics/hotspots", headers=operator)
    assert missing.status_code == 404 and "jobs analytics" in missing.json()["message"]
    published: list[tuple[str, dict[str, object]]] = []
    app.state.live.publish = lambda kind, data: published.append((kind, data))
    app.state.scheduler.run("analytics")

    hot = client.get("/api/analytics/hotspots?category=debris", headers=operator).json()
    assert hot["h3_resolution"] == 9 and hot["as_of"] == "2026-11-26T10:00:00+08:00"
    assert hot["rows"] and {r["category"] for r in hot["rows"]} == {"debris"}
    cells = [r for r in hot["rows"] if r["level"] == "cell"]
    assert {"h3_cell", "count", "z", "p_fdr", "significant", "lat", "lon"} <= set(cells[0])
    alleys = [r for r in hot["rows"] if r["level"] == "alley"]
    assert alleys[0]["alley_name"] == "光明胡同"  # the debris piles up at its east end
    assert alleys[0]["per_100m"] == pytest.approx(alleys[0]["count"] / alleys[0]["length_m"] * 100)
    risk = client.get("/api/analytics/risk?category=debris", headers=operator).json()["rows"]
    assert risk[0]["rank"] == 1 and risk[0]["score"] >= risk[-1]["score"]
    forecasts = client.get("/api/analytics/forecasts", headers=operator).json()["rows"]
    assert {r["category"] for r in forecasts} == {"debris", "street_light"}
    assert sorted({r["period_start"] for r in forecasts}) == ["2026-11-30", "2026-12-07", "2026-12-14", "2026-12-21"]
    assert all(r["lo_80"] <= r["mean"] <= r["hi_80"] for r in forecasts)
    assert {r["level"] for r in forecasts} == {"subdistrict", "community", "alley"}
    first_week = [r for r in forecasts if r["category"] == "debris" and r["period_start"] == "2026-11-30"]
    total = next(r["mean"] for r in first_week if r["level"] == "subdistrict")
    by_community = sum(r["mean"] for r in first_week if r["level"] == "community")
    assert by_community == pytest.approx(total, rel=0.05)  # reconciled: communities add up to the total …
    by_alley = sum(r["mean"] for r in first_week if r["level"] == "alley")
    assert by_alley == pytest.approx(total, rel=0.05)  # … and so do the alleys
    assert any(r["area_name"] == "光明胡同" for r in first_week if r["level"] == "alley")
    warnings = client.get("/api/analytics/warnings", headers=operator).json()
    assert warnings["kind"] == "warnings"
    placed = [r["message"] for r in warnings["rows"] if r["h3_cell"]]
    assert placed and all("一带" in m and "网格" not in m for m in placed), placed  # alleys, not H3 indexes
    assert all(m.startswith(("乱堆物堆料", "路灯")) for m in placed), placed  # topics by their Chinese names
    # Each new warning on the live stream, then word that new results are in (open maps reload them).
    assert [k for k, _ in published] == ["warning"] * len(warnings["rows"]) + ["analytics"]
    assert client.get("/api/analytics/hotspots", headers=login(client, "resident")).status_code == 403
    assert client.get("/api/analytics/sideways", headers=operator).status_code == 422
