"""Parking in use over the API: an inspector checks a car in and out with a photo as evidence, a gate's export is
uploaded, violations and occupancy by hour come back within the account's places; refusals are in Chinese."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from jiexiang.core.time import FixedClock
from tests.domains.parking.test_api import residents  # noqa: F401  (the fixture)
from tests.factories import Town
from tests.helpers import login, photo

SHARED: dict[str, Any] = {
    "name": "大厦错时车位",
    "kind": "time_shared",
    "geometry": {"type": "Point", "coordinates": [116.372, 39.901]},
    "spaces": 2,
    "code_prefix": "DS",
    "agreement": {
        "lender_id": 0,
        "window": "18:30-07:30",
        "days": "workdays",
        "starts_on": "2026-11-01",
        "ends_on": "2027-10-31",
    },
}


def shared_lot_with_a_permit(client: TestClient, town: Town) -> int:
    operator = login(client, "operator")
    lender = client.post("/api/parking/lenders", json={"name": "某大厦"}, headers=operator).json()
    body = SHARED | {"community_id": town.ids["east"], "agreement": SHARED["agreement"] | {"lender_id": lender["id"]}}
    lot_id: int = client.post("/api/parking/lots", json=body, headers=operator).json()["id"]
    granted = client.post(
        "/api/parking/applications", json={"lot_id": lot_id, "plate": "京A12341"}, headers=login(client, "r1")
    )
    assert granted.json()["status"] == "granted"
    return lot_id


def test_an_inspector_checks_a_car_in_and_out_and_the_overstay_is_a_fined_violation_with_its_evidence(
    client: TestClient,
    clock: FixedClock,
    residents: Town,  # noqa: F811
) -> None:
    lot_id = shared_lot_with_a_permit(client, residents)
    clock.advance(timedelta(hours=12))  # Thursday 26 November, 22:00
    worker = login(client, "grid_worker")
    uploaded = client.post("/api/photos", headers=worker, files={"photos": ("car.jpg", photo(), "image/jpeg")})
    names = uploaded.json()["photos"]
    arrived = client.post(
        "/api/parking/visits",
        json={"lot_id": lot_id, "plate": "京A12341", "space_code": "ds-001", "at": "2026-11-26T19:00:00+08:00"},
        headers=worker,
    )
    assert arrived.status_code == 201, arrived.text
    visit = arrived.json()
    assert (visit["permit_id"] is not None, visit["space_code"], visit["minutes_outside"], visit["overstaying"]) == (
        True,
        "DS-001",
        0,
        False,
    )
    clock.advance(timedelta(hours=11))  # Friday 09:00: an hour and a half past 07:30
    worker = login(client, "grid_worker")  # the next shift
    present = client.get("/api/parking/visits", params={"present": True}, headers=worker).json()["items"]
    assert [(v["plate"], v["minutes_outside"], v["overstaying"]) for v in present] == [("京A12341", 90, True)]
    left = client.post(f"/api/parking/visits/{visit['id']}/check-out", json={"photos": names}, headers=worker)
    assert left.status_code == 200, left.text
    assert (left.json()["minutes_outside"], left.json()["photos"]) == (90, names)
    found = client.get("/api/parking/violations", headers=login(client, "operator")).json()["items"]
    assert [(v["plate"], v["kind"], v["minutes"], v["ordinal"], v["fine"], v["photos"]) for v in found] == [
        ("京A12341", "outside_window", 90, 1, 0, names)
    ]
    summary = client.get("/api/parking/summary", headers=login(client, "operator")).json()
    assert summary["violations"] == {"last_30_days": 1, "suspended_permits": 0}

    occupancy = client.get(
        "/api/parking/occupancy", params={"day": "2026-11-26"}, headers=login(client, "operator")
    ).json()
    by_hour = {row["hour"]: row["time_shared"] for row in occupancy["hours"]}
    # 19:00–24:00 one car of two spaces; 18:00–19:00 the window opens at 18:30 (one space-hour), nobody in.
    assert by_hour[20] == {"cars": 1.0, "spaces": 2.0, "rate": 0.5}
    assert by_hour[18] == {"cars": 0.0, "spaces": 1.0, "rate": 0.0}
    assert by_hour[12] == {"cars": 0.0, "spaces": 0.0, "rate": None}  # lent at night only
    assert occupancy["visits_by_source"] == {"inspector": 1, "gate": 0}
    assert [lot["rates"][20] for lot in occupancy["lots"]] == [0.5]


def test_a_gate_export_uploads_once_and_names_the_rows_it_could_not_use(
    client: TestClient,
    clock: FixedClock,
    residents: Town,  # noqa: F811
) -> None:
    lot_id = shared_lot_with_a_permit(client, residents)
    clock.advance(timedelta(days=1))
    operator = login(client, "operator")
    export = "\n".join(
        [
            "车牌号,入场时间,出场时间",
            "京A12341,2026-11-26 19:00,2026-11-27 07:00",
            "京B00001,2026-11-26 20:00,",
            ",2026-11-26 20:00,",
        ]
    )
    files = {"file": ("道闸.csv", export.encode("gb18030"), "text/csv")}
    first = client.post(f"/api/parking/lots/{lot_id}/gate-records", files=files, headers=operator)
    assert first.status_code == 200, first.text
    assert {k: first.json()[k] for k in ("read", "arrived", "departed", "violations")} == {
        "read": 3,
        "arrived": 2,
        "departed": 1,
        "violations": 1,  # 京B00001 has no permit
    }
    assert [r["row"] for r in first.json()["rejected"]] == [4] and "车牌号为空" in first.json()["rejected"][0][
        "problem"
    ]
    again = client.post(f"/api/parking/lots/{lot_id}/gate-records", files=files, headers=operator).json()
    assert (again["arrived"], again["unchanged"]) == (0, 2)
    wrong = {"file": ("x.csv", "姓名,电话\n张三,1\n".encode(), "text/csv")}
    refused = client.post(f"/api/parking/lots/{lot_id}/gate-records", files=wrong, headers=operator)
    assert refused.status_code == 422 and "不是道闸出入场记录" in refused.json()["message"]


def test_who_may_see_and_record_use(client: TestClient, residents: Town) -> None:  # noqa: F811
    lot_id = shared_lot_with_a_permit(client, residents)
    resident, handler = login(client, "r1"), login(client, "handler")
    assert (
        client.post("/api/parking/visits", json={"lot_id": lot_id, "plate": "京A12341"}, headers=resident).status_code
        == 403
    )
    assert client.get("/api/parking/visits", headers=resident).status_code == 403
    assert client.get("/api/parking/violations", headers=resident).status_code == 403
    # The west's grid worker does not see the east's lot, nor can check cars into it.
    west = login(client, "west_worker")
    refused = client.post("/api/parking/visits", json={"lot_id": lot_id, "plate": "京A12341"}, headers=west)
    assert refused.status_code == 404 and "停车场" in refused.json()["message"]
    assert client.get("/api/parking/occupancy", headers=west).json()["lots"] == []
    assert client.get("/api/parking/visits", headers=handler).status_code == 403
