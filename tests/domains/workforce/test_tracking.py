"""Positions through the protocols real apps speak, as those apps send them, onto the live view."""

from __future__ import annotations

import asyncio
import base64
import uuid
from datetime import date

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiexiang.api.app import create_osmand_app
from jiexiang.core.live import LiveHub
from jiexiang.domains.workforce import service as workforce
from jiexiang.domains.workforce.models import GeofenceTransition, Position
from tests.conftest import NOW
from tests.factories import PASSWORD, Town
from tests.helpers import first_event, login

EPOCH = int(NOW.timestamp())
ON_GUANGMING = {"lat": "39.90201", "lon": "116.3680"}  # on 光明胡同's centre line


def register(client: TestClient, username: str, device_id: str) -> None:
    response = client.post(
        "/api/devices", headers=login(client, "dispatcher"), json={"username": username, "device_id": device_id}
    )
    assert response.status_code == 201, response.text


def live(client: TestClient) -> dict[str, dict[str, object]]:
    response = client.get("/api/workers/live", headers=login(client, "operator"))
    assert response.status_code == 200, response.text
    return {w["username"]: w for w in response.json()}


def basic(username: str, password: str = PASSWORD) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()}


def test_a_traccar_client_query_moves_the_right_worker(client: TestClient, town: Town) -> None:
    register(client, "grid_worker", "358240051111110")
    query = {"id": "358240051111110", "timestamp": str(EPOCH - 60), "batt": "80", "speed": "1", **ON_GUANGMING}
    response = client.get("/api/track/osmand", params=query)
    assert response.status_code == 200, response.text
    worker = live(client)["grid_worker"]
    assert (worker["lon"], worker["lat"], worker["alley_name"], worker["battery"]) == (
        116.368,
        39.90201,
        "光明胡同",
        80,
    )
    assert worker["age_seconds"] == 60 and worker["stale"] is False and worker["source"] == "osmand"
    assert worker["recorded_at"] == "2026-11-26T09:59:00+08:00"
    # The same as a form POST, one minute on, and the same device again.
    form = {"id": "358240051111110", "timestamp": str(EPOCH), "lat": "39.90202", "lon": "116.3722"}
    assert client.post("/api/track/osmand", data=form).status_code == 200
    assert live(client)["grid_worker"]["alley_name"] == "力学胡同"
    assert set(live(client)) == {"grid_worker"}


def test_the_traccar_json_variant_and_unknown_devices(client: TestClient, town: Town) -> None:
    register(client, "chief", "chief-phone")
    body = {
        "device_id": "chief-phone",
        "location": {
            "timestamp": "2026-11-26T01:59:30Z",
            "coords": {"latitude": 39.90202, "longitude": 116.3721, "accuracy": 6, "speed": 1.2, "heading": 80},
            "battery": {"level": 0.42, "is_charging": False},
        },
    }
    assert client.post("/api/track/osmand", json=body).status_code == 200
    chief = live(client)["chief"]
    assert chief["alley_name"] == "力学胡同" and chief["battery"] == pytest.approx(42)
    assert client.post("/api/track/osmand", json={**body, "device_id": "stranger"}).status_code == 404
    assert (
        client.get("/api/track/osmand", params={"id": "stranger", "timestamp": EPOCH, **ON_GUANGMING}).status_code
        == 400
    )
    assert client.get("/api/track/osmand", params={"id": "chief-phone", "lat": "39.9"}).status_code == 400
    assert (
        client.post("/api/track/osmand", content=b"{", headers={"content-type": "application/json"}).status_code == 400
    )


def test_owntracks_over_http_with_the_workers_own_account(client: TestClient, town: Town, session: Session) -> None:
    fix = {
        "_type": "location",
        "lat": 39.90201,
        "lon": 116.3685,
        "tst": EPOCH - 10,
        "acc": 12,
        "vel": 4,
        "batt": 55,
        "tid": "gw",
    }
    headers = basic("grid_worker") | {"X-Limit-U": "grid_worker", "X-Limit-D": "phone"}
    response = client.post("/api/track/owntracks", json=fix, headers=headers)
    assert response.status_code == 200 and response.json() == []
    worker = live(client)["grid_worker"]
    assert worker["source"] == "owntracks" and worker["alley_name"] == "光明胡同" and worker["battery"] == 55

    wrong = client.post("/api/track/owntracks", json=fix, headers=basic("grid_worker", "nope"))
    assert wrong.status_code == 401 and wrong.headers["www-authenticate"].startswith("Basic")
    assert client.post("/api/track/owntracks", json=fix).status_code == 401
    other = client.post("/api/track/owntracks", json=fix, headers=basic("grid_worker") | {"X-Limit-U": "chief"})
    assert other.status_code == 403

    transition = {"_type": "transition", "event": "leave", "desc": "光明胡同", "tst": EPOCH, "lat": 39.9, "lon": 116.37}
    assert client.post("/api/track/owntracks", json=transition, headers=headers).status_code == 200
    assert session.scalar(select(GeofenceTransition.region)) == "光明胡同"

    # The dispatcher asks for a fresh position: the next reply carries the command, once.
    user_id = worker["user_id"]
    assert client.post(f"/api/workers/{user_id}/locate", headers=login(client, "dispatcher")).status_code == 202
    later = fix | {"tst": EPOCH - 5}
    assert client.post("/api/track/owntracks", json=later, headers=headers).json() == [
        {"_type": "cmd", "action": "reportLocation"}
    ]
    assert client.post("/api/track/owntracks", json=later | {"tst": EPOCH - 4}, headers=headers).json() == []


def test_unbelievable_fixes_are_refused_and_backlogs_do_not_move_workers_back(
    client: TestClient, town: Town, session: Session
) -> None:
    worker = login(client, "grid_worker")

    def send(*fixes: dict[str, object]) -> dict[str, object]:
        response = client.post("/api/track/batch", headers=worker, json=list(fixes))
        assert response.status_code == 200, response.text
        return dict(response.json())

    base = {"lat": 39.90201, "lon": 116.3680, "accuracy": 8}
    assert send(base | {"timestamp": EPOCH - 20}, base | {"timestamp": (EPOCH - 10) * 1000}) == {
        "accepted": 2,
        "rejected": {},
    }
    assert send(base | {"timestamp": EPOCH - 10}) == {"accepted": 0, "rejected": {"duplicate": 1}}
    assert send(base | {"timestamp": EPOCH + 3600})["rejected"] == {"future": 1}
    assert send(base | {"timestamp": EPOCH - 30 * 86400})["rejected"] == {"too_old": 1}
    assert send(base | {"timestamp": EPOCH, "accuracy": 2000})["rejected"] == {"inaccurate": 1}
    assert send(base | {"timestamp": EPOCH, "lat": 0, "lon": 0})["rejected"] == {"out_of_range": 1}
    # One kilometre east in five seconds is a GPS jump, not a walk.
    assert send(base | {"timestamp": EPOCH - 5, "lon": 116.3797})["rejected"] == {"impossible_jump": 1}
    # A backlog from earlier is stored but leaves the live position where it is.
    assert send(base | {"timestamp": EPOCH - 600, "lon": 116.3722})["accepted"] == 1
    assert live(client)["grid_worker"]["age_seconds"] == 10
    assert session.scalar(select(func.count()).select_from(Position)) == 3
    assert client.post("/api/track/batch", headers=worker, json=[{"timestamp": EPOCH}]).status_code == 422


def test_who_may_see_and_manage_the_field_force(client: TestClient, town: Town) -> None:
    assert client.get("/api/workers/live", headers=login(client, "resident")).status_code == 403
    # Where workers are is for those who dispatch them; an alley chief sees the coverage of their alleys.
    assert client.get("/api/workers/live", headers=login(client, "chief")).status_code == 403
    assert client.get("/api/workers/trails", headers=login(client, "chief")).status_code == 403
    assert client.get("/api/coverage", headers=login(client, "chief")).status_code == 200
    for role in ("operator", "dispatcher", "admin"):
        assert client.get("/api/workers/live", headers=login(client, role)).status_code == 200
    refused = client.post(
        "/api/devices", headers=login(client, "operator"), json={"username": "grid_worker", "device_id": "x"}
    )
    assert refused.status_code == 403
    register(client, "grid_worker", "d1")
    taken = client.post("/api/devices", headers=login(client, "admin"), json={"username": "chief", "device_id": "d1"})
    assert taken.status_code == 409 and "已登记" in taken.json()["message"]
    not_staff = client.post(
        "/api/devices", headers=login(client, "admin"), json={"username": "resident", "device_id": "d2"}
    )
    assert not_staff.status_code == 422 and not_staff.json()["code"] == "not_field_staff"
    shift = client.post(
        "/api/shifts",
        headers=login(client, "dispatcher"),
        json={"username": "grid_worker", "starts_at": "2026-11-26T08:00:00", "ends_at": "2026-11-26T17:00:00"},
    )
    assert shift.status_code == 201, shift.text
    client.post("/api/track/batch", headers=login(client, "grid_worker"), json=[{"timestamp": EPOCH, **ON_GUANGMING}])
    assert live(client)["grid_worker"]["on_duty"] is True


def test_the_live_stream_carries_positions_and_cases_to_the_map(
    live_server: str, client: TestClient, town: Town
) -> None:
    token = login(client, "operator")["Authorization"].removeprefix("Bearer ")
    worker, resident = login(client, "grid_worker"), login(client, "resident")

    def walk() -> None:
        fix = [{"timestamp": EPOCH, **ON_GUANGMING}]
        assert httpx.post(f"{live_server}/api/track/batch", headers=worker, json=fix).status_code == 200

    lines = first_event(live_server, token, walk)
    assert "event: position" in lines and '"lon": 116.368' in lines[-1]

    def report() -> None:
        data = {"text": "路灯不亮", "lon": "116.3720", "lat": "39.90203"}
        assert httpx.post(f"{live_server}/api/reports", headers=resident, data=data).status_code == 201

    lines = first_event(live_server, token, report)
    assert "event: case" in lines and '"status": "reported"' in lines[-1] and '"category_code": "0114"' in lines[-1]
    assert httpx.get(f"{live_server}/api/live/stream").status_code == 401
    resident_token = login(client, "resident")["Authorization"].removeprefix("Bearer ")
    with httpx.stream("GET", f"{live_server}/api/live/stream", params={"token": resident_token}, timeout=5) as stream:
        assert stream.status_code == 200  # a resident's stream carries notices only (tests/api/test_live.py)


def test_with_redis_an_event_published_by_one_process_reaches_the_maps_of_another() -> None:
    channel = f"jiexiang-test:{uuid.uuid4().hex}"

    async def scenario() -> dict[str, object]:
        publisher, receiver = (LiveHub("redis://127.0.0.1:6379/0", channel=channel) for _ in range(2))
        await publisher.start()
        await receiver.start()
        try:
            async with receiver.subscribe() as queue:
                await asyncio.to_thread(publisher.publish, "position", {"user_id": 7})
                return await asyncio.wait_for(queue.get(), timeout=5)
        finally:
            await publisher.stop()
            await receiver.stop()

    assert asyncio.run(scenario()) == {"type": "position", "data": {"user_id": 7}}


def test_without_redis_events_stay_in_the_process() -> None:
    async def scenario() -> dict[str, object]:
        hub = LiveHub()
        await hub.start()
        async with hub.subscribe() as queue:
            await asyncio.to_thread(hub.publish, "case", {"id": 1})
            return await asyncio.wait_for(queue.get(), timeout=5)

    assert asyncio.run(scenario()) == {"type": "case", "data": {"id": 1}}


def test_traccar_clients_default_address_on_a_port_of_its_own(app: FastAPI, client: TestClient, town: Town) -> None:
    register(client, "grid_worker", "d-5055")
    osmand = TestClient(create_osmand_app(app))
    assert osmand.get("/", params={"id": "d-5055", "timestamp": EPOCH, **ON_GUANGMING}).status_code == 200
    assert osmand.get("/", params={"id": "unknown", "timestamp": EPOCH, **ON_GUANGMING}).status_code == 400
    assert live(client)["grid_worker"]["alley_name"] == "光明胡同"


def test_todays_trails_are_lines_in_time_order_per_worker(client: TestClient, town: Town) -> None:
    register(client, "grid_worker", "trail-1")
    for seconds_ago, lon in ((600, "116.3670"), (60, "116.3690"), (300, "116.3680"), (86_400, "116.3660")):
        fix = {"id": "trail-1", "timestamp": str(EPOCH - seconds_ago), "lat": "39.90201", "lon": lon}
        assert client.get("/api/track/osmand", params=fix).status_code == 200
    operator = login(client, "operator")
    today = client.get("/api/workers/trails", headers=operator).json()
    assert [f["properties"]["fixes"] for f in today["features"]] == [3]
    assert [c[0] for c in today["features"][0]["geometry"]["coordinates"]] == [116.367, 116.368, 116.369]
    yesterday = client.get("/api/workers/trails?day=2026-11-25", headers=operator).json()
    assert yesterday["features"] == []  # one fix is no line
    assert client.get("/api/workers/trails", headers=login(client, "resident")).status_code == 403
    # A long walk keeps every n-th fix and the last: 5 fixes, at most 2 wanted → the 1st, 3rd and 5th in time.
    for seconds_ago, lon in ((240, "116.3671"), (120, "116.3672")):
        fix = {"id": "trail-1", "timestamp": str(EPOCH - seconds_ago), "lat": "39.90201", "lon": lon}
        assert client.get("/api/track/osmand", params=fix).status_code == 200
    with client.app.state.session_factory() as reading:  # type: ignore[attr-defined]
        thinned = workforce.trails(reading, day=date(2026, 11, 26), max_points=2)["features"]
    assert [c[0] for c in thinned[0]["geometry"]["coordinates"]] == [116.367, 116.3671, 116.369]
    assert thinned[0]["properties"]["fixes"] == 5


def test_only_field_staff_report_positions(client: TestClient, town: Town) -> None:
    refused = client.post(
        "/api/track/batch", headers=login(client, "resident"), json=[{"timestamp": EPOCH, **ON_GUANGMING}]
    )
    assert refused.status_code == 403 and refused.json()["code"] == "not_field_staff"
    fix = {"_type": "location", "lat": 39.90201, "lon": 116.3690, "tst": EPOCH, "acc": 10}
    owntracks = client.post("/api/track/owntracks", json=fix, auth=("resident", PASSWORD))
    assert owntracks.status_code == 403
    assert "resident" not in live(client)
    coverage = client.get("/api/coverage", headers=login(client, "admin")).json()
    assert all(w["user_id"] != town.users["resident"].id for w in coverage["workers"])
