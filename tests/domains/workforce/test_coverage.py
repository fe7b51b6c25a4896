"""Patrol coverage and alerts, from positions sent through the API."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import NOW
from tests.factories import Town
from tests.helpers import login

EPOCH = int(NOW.timestamp())
LAT = 39.90201  # 光明胡同 runs from 116.367 to 116.369 at this latitude (~170 m); 力学胡同 from 116.371 to 116.373


def walk(client: TestClient, username: str, lons: list[float], *, start: int) -> None:
    fixes = [{"timestamp": start + 30 * i, "lat": LAT, "lon": lon, "accuracy": 5} for i, lon in enumerate(lons)]
    response = client.post("/api/track/batch", headers=login(client, username), json=fixes)
    assert response.status_code == 200 and response.json()["accepted"] == len(lons), response.text


def test_who_walked_which_alley_today_and_which_nobody_walked(client: TestClient, town: Town) -> None:
    walk(client, "grid_worker", [116.3672, 116.3676, 116.3680, 116.3684, 116.3688], start=EPOCH - 3600)
    walk(client, "west_worker", [116.3712, 116.3714], start=EPOCH - 3600)  # only the mouth of 力学胡同
    report = client.get("/api/coverage", headers=login(client, "operator")).json()
    assert report["day"] == "2026-11-26"
    alleys = {a["alley_name"]: a for a in report["alleys"]}
    assert alleys["光明胡同"]["walked"] is True and alleys["光明胡同"]["walked_by"] == [
        town.users["grid_worker"].full_name
    ]
    assert alleys["光明胡同"]["last_walked_at"] == "2026-11-26T09:02:00+08:00"
    assert alleys["力学胡同"]["walked"] is False and alleys["力学胡同"]["last_walked_at"] is None
    assert set(report["unwalked"]) == set(alleys) - {"光明胡同"}
    workers = {w["full_name"]: w for w in report["workers"]}
    assert workers[town.users["grid_worker"].full_name]["alleys_walked"] == ["光明胡同"]
    assert workers[town.users["grid_worker"].full_name]["metres"] == pytest.approx(137, abs=2)
    assert workers[town.users["west_worker"].full_name]["alleys_walked"] == []
    # 光明胡同's chief has not walked it himself today …
    chief = next(c for c in report["chiefs"] if c["full_name"] == town.users["chief"].full_name)
    assert (chief["walked"], chief["missed"]) == ([], ["光明胡同"])
    # … until he does; and yesterday's report is another day.
    walk(client, "chief", [116.3671, 116.3679, 116.3689], start=EPOCH - 600)
    chief = client.get("/api/coverage", headers=login(client, "operator")).json()["chiefs"][0]
    assert (chief["walked"], chief["missed"]) == (["光明胡同"], [])
    yesterday = client.get("/api/coverage?day=2026-11-25", headers=login(client, "operator")).json()
    assert yesterday["workers"] == [] and len(yesterday["unwalked"]) == len(alleys)
    assert client.get("/api/coverage", headers=login(client, "resident")).status_code == 403


def test_alerts_for_on_duty_workers_who_fall_silent_or_leave_their_area(client: TestClient, town: Town) -> None:
    dispatcher = login(client, "dispatcher")
    for username in ("grid_worker", "west_worker"):
        shift = {"username": username, "starts_at": "2026-11-26T08:00:00", "ends_at": "2026-11-26T17:00:00"}
        assert client.post("/api/shifts", headers=dispatcher, json=shift).status_code == 201
    worker_id = town.users["grid_worker"].id
    areas = client.put(f"/api/workers/{worker_id}/areas", headers=dispatcher, json={"alley_ids": [town.ids["A2"]]})
    assert areas.status_code == 204
    walk(client, "grid_worker", [116.3680], start=EPOCH - 60)  # on 光明胡同, not on 力学胡同
    walk(client, "west_worker", [116.3680], start=EPOCH - 1800)  # nothing for half an hour
    alerts = {a["full_name"]: a["kind"] for a in client.get("/api/workers/alerts", headers=dispatcher).json()}
    assert alerts == {town.users["grid_worker"].full_name: "left_area", town.users["west_worker"].full_name: "silent"}
    walk(client, "grid_worker", [116.3722], start=EPOCH - 30)  # back on 力学胡同
    alerts = {a["full_name"] for a in client.get("/api/workers/alerts", headers=dispatcher).json()}
    assert alerts == {town.users["west_worker"].full_name}
    bad = client.put(f"/api/workers/{worker_id}/areas", headers=dispatcher, json={"alley_ids": [999999]})
    assert bad.status_code == 422
