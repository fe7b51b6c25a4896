"""Parking over the API: a resident applies and gets a permit, sees only their own; staff register the sources and
see the summary within their places; refusals are in Chinese."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from jiexiang.core.config import Settings
from jiexiang.core.time import FixedClock
from jiexiang.domains.accounts.enums import Role
from tests.factories import Town, make_household, make_town, make_user
from tests.helpers import login

NEW_LOT = {
    "name": "光明停车场",
    "kind": "new_lot",
    "geometry": {"type": "Point", "coordinates": [116.3680, 39.9025]},
    "spaces": 2,
    "code_prefix": "GM",
    "monthly_fee": 300,
}


@pytest.fixture
def residents(session: Session, settings: Settings, clock: FixedClock) -> Town:
    town = make_town(session, settings, clock)
    for n in (1, 2, 3):
        make_user(session, settings, clock, username=f"r{n}", role=Role.resident)
        make_household(session, clock, address="光明胡同1号", label=f"{n}号房", username=f"r{n}")
    make_user(session, settings, clock, username="r9", role=Role.resident)  # not registered at any address
    session.commit()
    return town


def test_a_resident_applies_gets_a_permit_and_sees_only_their_own(client: TestClient, residents: Town) -> None:
    operator = login(client, "operator")
    lot = client.post("/api/parking/lots", json=NEW_LOT, headers=operator)
    assert lot.status_code == 201, lot.text
    assert lot.json()["community_id"] is None and lot.json()["spaces"] == 2
    lot_id = lot.json()["id"]
    answers = [
        client.post(
            "/api/parking/applications", json={"lot_id": lot_id, "plate": f"京A1234{n}"}, headers=login(client, f"r{n}")
        )
        for n in (1, 2, 3)
    ]
    assert [a.status_code for a in answers] == [201, 201, 201]
    assert [(a.json()["status"], a.json()["position"]) for a in answers] == [
        ("granted", None),
        ("granted", None),
        ("waiting", 1),
    ]
    mine = client.get("/api/parking/permits", headers=login(client, "r1")).json()["items"]
    assert [(p["plate"], p["space_code"], p["window"], p["valid_today"]) for p in mine] == [
        ("京A12341", "GM-001", "每天 全天", True)
    ]
    assert client.get("/api/parking/permits", headers=operator).json()["total"] == 2
    waiting = client.get("/api/parking/applications", headers=login(client, "r3")).json()["items"]
    assert [(a["plate"], a["position"]) for a in waiting] == [("京A12343", 1)]

    revoked = client.post(f"/api/parking/permits/{mine[0]['id']}/revoke", json={"reason": "搬离本巷"}, headers=operator)
    assert revoked.json()["status"] == "revoked"
    now_mine = client.get("/api/parking/applications", headers=login(client, "r3")).json()["items"]
    assert now_mine[0]["status"] == "granted" and now_mine[0]["permit_id"] is not None
    summary = client.get("/api/parking/summary", headers=operator).json()
    assert summary["new_lot"] == {"lots": 1, "spaces": 2}
    assert summary["permits"] == {"issued": 2, "waiting": 0}


def test_the_three_sources_in_the_summary_and_the_map_lights_lent_spaces_in_their_window(
    client: TestClient, clock: FixedClock, residents: Town
) -> None:
    operator = login(client, "operator")
    client.post("/api/parking/lots", json=NEW_LOT | {"alley_id": residents.ids["A1"]}, headers=operator)
    lender = client.post("/api/parking/lenders", json={"name": "某大厦"}, headers=operator).json()
    shared = {
        "name": "大厦错时车位",
        "kind": "time_shared",
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[116.372, 39.901], [116.373, 39.901], [116.373, 39.9015], [116.372, 39.901]]],
        },
        "spaces": 5,
        "community_id": residents.ids["east"],
        "agreement": {
            "lender_id": lender["id"],
            "window": "18:30-07:30",
            "days": "workdays",
            "starts_on": "2026-11-01",
            "ends_on": "2027-10-31",
        },
    }
    created = client.post("/api/parking/lots", json=shared, headers=operator)
    assert created.status_code == 201, created.text
    assert (created.json()["window"], created.json()["open_now"]) == ("工作日 18:30–次日07:30", False)  # Thursday 10:00
    summary = client.get("/api/parking/summary", headers=operator).json()
    assert summary["new_lot"] == {"lots": 1, "spaces": 2}
    assert summary["time_shared"] == {"lenders": 1, "spaces": 5}
    assert summary["marked"] == {"alleys": 0, "spaces": 0}
    west = client.get("/api/parking/summary", params={"community_id": residents.ids["west"]}, headers=operator).json()
    assert west["time_shared"]["spaces"] == 0 and west["new_lot"]["spaces"] == 2
    # A grid worker limited to the west community sees the west's lot only.
    seen = client.get("/api/parking/lots", headers=login(client, "west_worker")).json()["items"]
    assert [lot["name"] for lot in seen] == ["光明停车场"]
    assert (
        client.get(f"/api/parking/lots/{created.json()['id']}", headers=login(client, "west_worker")).status_code == 404
    )


def test_refusals_are_in_chinese(client: TestClient, residents: Town) -> None:
    operator = login(client, "operator")
    lot_id = client.post("/api/parking/lots", json=NEW_LOT, headers=operator).json()["id"]
    bad_plate = client.post(
        "/api/parking/applications", json={"lot_id": lot_id, "plate": "ABC1234"}, headers=login(client, "r1")
    )
    assert bad_plate.status_code == 422 and "车牌号" in bad_plate.json()["message"]
    unregistered = client.post(
        "/api/parking/applications", json={"lot_id": lot_id, "plate": "京A00001"}, headers=login(client, "r9")
    )
    assert unregistered.status_code == 422 and "尚未绑定登记户" in unregistered.json()["message"]
    marked = client.post("/api/parking/lots", json=NEW_LOT | {"kind": "marked", "name": "x"}, headers=operator)
    assert marked.status_code == 422 and "居民表决" in marked.json()["message"]
    shared = client.post("/api/parking/lots", json=NEW_LOT | {"kind": "time_shared", "name": "y"}, headers=operator)
    assert shared.status_code == 422 and "出借协议" in shared.json()["message"]
    assert client.post("/api/parking/lots", json=NEW_LOT, headers=login(client, "r1")).status_code == 403
    assert client.get("/api/parking/summary", headers=login(client, "r1")).status_code == 403
    assert client.get("/api/parking/permits", headers=login(client, "handler")).status_code == 403
