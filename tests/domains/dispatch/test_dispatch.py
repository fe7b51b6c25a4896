"""Urgent cases go to the nearest on-duty worker by walking distance, and escalate when nobody answers.

Beside the town's alleys this adds a U of alleys: 北巷 and 南巷 run east–west 44 m apart and meet only at
their west ends (西巷). A worker at the east end of 南巷 is 44 m from the east end of 北巷 as the crow flies
but about 540 m on foot."""

from __future__ import annotations

import math
from datetime import timedelta

import h3
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from shapely.geometry import LineString
from sqlalchemy import select
from sqlalchemy.orm import Session

from jiexiang.core.config import Settings
from jiexiang.core.time import FixedClock
from jiexiang.domains.cases.models import CaseEvent
from jiexiang.domains.dispatch.network import WalkingNetwork
from jiexiang.domains.places.enums import Layer
from jiexiang.domains.places.fileio import RawRow, import_rows
from jiexiang.domains.places.spatial import SpatialIndex
from tests.conftest import NOW
from tests.factories import Town, make_town
from tests.helpers import login

EPOCH = int(NOW.timestamp())
NORTH, SOUTH = 39.9010, 39.9006
CASE_AT = {"lon": "116.3689", "lat": str(NORTH)}  # east end of 北巷


@pytest.fixture
def town(session: Session, settings: Settings, clock: FixedClock) -> Town:
    town = make_town(session, settings, clock)
    u_shape = [
        ({"code": "U1", "name": "北巷"}, LineString([(116.3660, NORTH), (116.3690, NORTH)])),
        ({"code": "U2", "name": "南巷"}, LineString([(116.3660, SOUTH), (116.3690, SOUTH)])),
        ({"code": "U3", "name": "西巷"}, LineString([(116.3660, SOUTH), (116.3660, NORTH)])),
    ]
    import_rows(
        session,
        batches={Layer.alleys: [RawRow(Layer.alleys, i + 1, v, g) for i, (v, g) in enumerate(u_shape)]},
        clock=clock,
    )
    session.commit()
    return town


def on_duty_at(client: TestClient, username: str, lon: float, lat: float) -> None:
    shift = {"username": username, "starts_at": "2026-11-26T08:00:00", "ends_at": "2026-11-26T17:00:00"}
    assert client.post("/api/shifts", headers=login(client, "dispatcher"), json=shift).status_code == 201
    fix = [{"timestamp": EPOCH - 30, "lon": lon, "lat": lat, "accuracy": 5}]
    assert client.post("/api/track/batch", headers=login(client, username), json=fix).json()["accepted"] == 1


def report_open_manhole(client: TestClient) -> dict[str, object]:
    response = client.post(
        "/api/reports",
        headers=login(client, "resident"),
        data={"text": "井盖没了，很危险", "category": "0117", **CASE_AT},
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def history(session: Session, case_id: int) -> list[tuple[str, str | None]]:
    events = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id))
    return [(e.action.value, e.note) for e in events]


def test_walking_distance_follows_the_alleys(session: Session, town: Town) -> None:
    network = WalkingNetwork(SpatialIndex(session))
    from_case = network.distances_from(116.3689, NORTH)
    assert from_case is not None
    assert from_case.to(116.3689, SOUTH) == pytest.approx(2 * 247 + 44, rel=0.02)  # round the U
    assert from_case.to(116.3665, NORTH) == pytest.approx(205, rel=0.02)  # along 北巷
    assert from_case.to(116.3689, NORTH + 0.0001) == pytest.approx(11, abs=1)  # just off the alley


def test_an_urgent_report_is_offered_to_the_nearest_worker_on_foot(
    client: TestClient, town: Town, session: Session
) -> None:
    on_duty_at(client, "grid_worker", 116.3689, SOUTH)  # 44 m away, ~540 m on foot
    on_duty_at(client, "west_worker", 116.3665, NORTH)  # 205 m away, 205 m on foot
    receipt = report_open_manhole(client)
    case_id = int(str(receipt["case_id"]))
    ranked = client.get(f"/api/dispatch/cases/{case_id}/candidates", headers=login(client, "dispatcher")).json()
    assert [c["full_name"] for c in ranked] == ["west_worker", "grid_worker"]
    assert ranked[1]["straight_m"] < ranked[0]["straight_m"] < ranked[0]["walking_m"] + 1 < ranked[1]["walking_m"]
    offers = client.get("/api/dispatch/offers/mine", headers=login(client, "west_worker")).json()
    assert [o["case_id"] for o in offers] == [case_id] and offers[0]["respond_by"] == "2026-11-26T10:03:00+08:00"
    assert client.get("/api/dispatch/offers/mine", headers=login(client, "grid_worker")).json() == []
    accepted = client.post(f"/api/dispatch/offers/{offers[0]['id']}/accept", headers=login(client, "west_worker"))
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert [a for a, _ in history(session, case_id)] == ["offer", "acknowledge"]
    again = client.post(f"/api/dispatch/offers/{offers[0]['id']}/decline", headers=login(client, "west_worker"))
    assert again.status_code == 409
    not_theirs = client.post(f"/api/dispatch/offers/{offers[0]['id']}/accept", headers=login(client, "grid_worker"))
    assert not_theirs.status_code == 404


def test_unanswered_offers_pass_on_and_then_escalate(
    app: FastAPI, client: TestClient, town: Town, session: Session, clock: FixedClock
) -> None:
    on_duty_at(client, "grid_worker", 116.3689, SOUTH)
    on_duty_at(client, "west_worker", 116.3665, NORTH)
    case_id = int(str(report_open_manhole(client)["case_id"]))
    clock.advance(timedelta(minutes=2))
    app.state.scheduler.run("dispatch-sweep")  # not yet due
    assert [a for a, _ in history(session, case_id)] == ["offer"]
    clock.advance(timedelta(minutes=2))
    app.state.scheduler.run("dispatch-sweep")  # west_worker did not answer in 3 minutes: the next one is asked
    offers = client.get("/api/dispatch/offers/mine", headers=login(client, "grid_worker")).json()
    assert [o["rank"] for o in offers] == [2]
    declined = client.post(f"/api/dispatch/offers/{offers[0]['id']}/decline", headers=login(client, "grid_worker"))
    assert declined.status_code == 200
    steps = history(session, case_id)
    assert [a for a, _ in steps] == ["offer", "decline", "offer", "decline", "escalate"]
    assert "超时未接单" in (steps[1][1] or "") and "请派遣员处理" in (steps[-1][1] or "")


def test_nobody_on_duty_escalates_at_once_and_non_urgent_cases_wait(
    client: TestClient, town: Town, session: Session
) -> None:
    case_id = int(str(report_open_manhole(client)["case_id"]))
    assert [a for a, _ in history(session, case_id)] == ["escalate"]
    light = client.post(
        "/api/reports", headers=login(client, "resident"), data={"text": "路灯不亮", "category": "0114", **CASE_AT}
    ).json()
    assert history(session, int(light["case_id"])) == []
    refused = client.get(f"/api/dispatch/cases/{case_id}/candidates", headers=login(client, "grid_worker"))
    assert refused.status_code == 403


def test_a_patrol_plan_splits_the_alleys_evenly_and_routes_each_worker(client: TestClient, town: Town) -> None:
    on_duty_at(client, "grid_worker", 116.3661, NORTH)  # at the U
    on_duty_at(client, "west_worker", 116.3720, 39.90201)  # on 力学胡同
    dispatcher = login(client, "dispatcher")
    response = client.post("/api/dispatch/patrol-plan", headers=dispatcher, json={})
    assert response.status_code == 200, response.text
    routes = {r["full_name"]: r for r in response.json()["routes"]}
    assert set(routes) == {"grid_worker", "west_worker"}
    planned = [name for r in routes.values() for name in r["alleys"]]
    assert sorted(planned) == sorted(["光明胡同", "力学胡同", "北巷", "南巷", "西巷"])  # every back alley once
    efforts = [r["effort"] for r in routes.values()]
    assert max(efforts) / min(efforts) < 2.5  # no one carries it all
    assert "北巷" in routes["grid_worker"]["alleys"] and "力学胡同" in routes["west_worker"]["alleys"]
    route = routes["grid_worker"]
    assert route["path"]["type"] == "LineString" and len(route["path"]["coordinates"]) >= 2
    assert route["minutes"] == math.ceil(route["walking_m"] / 67)
    first = route["path"]["coordinates"][0]
    assert abs(first[0] - 116.3661) < 0.0003 and abs(first[1] - NORTH) < 0.0003  # from where they stand
    only = client.post(
        "/api/dispatch/patrol-plan",
        headers=dispatcher,
        json={
            "usernames": ["grid_worker"],
            "alley_ids": [town.ids["A1"]],
            "starts": {"grid_worker": [116.367, 39.902]},
        },
    ).json()["routes"]
    assert [r["alleys"] for r in only] == [["光明胡同"]] and only[0]["walking_m"] == pytest.approx(171, abs=3)
    unknown = client.post("/api/dispatch/patrol-plan", headers=dispatcher, json={"usernames": ["nobody"]})
    assert unknown.status_code == 404
    nowhere = client.post("/api/dispatch/patrol-plan", headers=dispatcher, json={"usernames": ["chief"]})
    assert nowhere.status_code == 422 and "出发点" in nowhere.json()["message"]


def test_a_warning_becomes_a_patrol_of_the_alleys_around_its_cell(client: TestClient, town: Town) -> None:
    on_duty_at(client, "grid_worker", 116.3661, NORTH)
    dispatcher = login(client, "dispatcher")
    cell = h3.latlng_to_cell(NORTH, 116.3689, 9)  # where a warning said debris is piling up
    response = client.post("/api/dispatch/warning-patrol", headers=dispatcher, json={"h3_cell": cell, "radius_m": 60})
    assert response.status_code == 200, response.text
    routes = response.json()["routes"]
    assert [r["full_name"] for r in routes] == ["grid_worker"]
    assert "北巷" in routes[0]["alleys"] and "西巷" not in routes[0]["alleys"]  # only what is near the cell
    bad = client.post("/api/dispatch/warning-patrol", headers=dispatcher, json={"h3_cell": "not-a-cell"})
    assert bad.status_code == 422 and bad.json()["code"] == "bad_cell"
    far = h3.latlng_to_cell(39.95, 116.45, 9)
    nothing = client.post("/api/dispatch/warning-patrol", headers=dispatcher, json={"h3_cell": far})
    assert nothing.status_code == 422 and nothing.json()["code"] == "no_alleys_near"
    refused = client.post("/api/dispatch/warning-patrol", headers=login(client, "grid_worker"), json={"h3_cell": cell})
    assert refused.status_code == 403
