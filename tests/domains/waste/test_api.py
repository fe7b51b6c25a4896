"""Waste over the API: the company's collector registers bags by card, a resident sees their own points only and
redeems them, staff keep the catalogue and read the sorting rates within their places."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from jiexiang.core.config import Settings
from jiexiang.core.time import FixedClock
from jiexiang.domains.accounts.enums import Role
from jiexiang.domains.waste import service
from tests.factories import Town, make_household, make_town, make_user
from tests.helpers import login


@pytest.fixture
def homes(session: Session, settings: Settings, clock: FixedClock) -> tuple[Town, dict[str, str]]:
    """Two households with cards at 光明胡同1号 (the first is the resident's) and one at 力学胡同2号院."""
    town = make_town(session, settings, clock)
    make_user(session, settings, clock, username="r2", role=Role.resident)
    rows = [
        make_household(session, clock, address="光明胡同1号", label="1号房", username="resident"),
        make_household(session, clock, address="光明胡同1号", label="2号房", username="r2"),
        make_household(session, clock, address="力学胡同2号院", label="北房"),
    ]
    cards = {home.label: service.issue_card(session, household_id=home.id, now=clock.now()).code for home in rows}
    session.commit()
    return town, cards


def test_bags_at_the_truck_become_points_a_resident_redeems(
    client: TestClient, homes: tuple[Town, dict[str, str]]
) -> None:
    _, cards = homes
    collector, operator, resident = login(client, "steward"), login(client, "operator"), login(client, "resident")
    bag = {"card_code": cards["1号房"].lower(), "kind": "kitchen", "correct": True, "idempotency_key": "truck-0001"}
    first = client.post("/api/waste/deposits", json=bag, headers=collector)
    assert first.status_code == 201, first.text
    assert (first.json()["points"], first.json()["balance"], first.json()["household"]) == (2, 2, "光明胡同1号 1号房")
    replay = client.post("/api/waste/deposits", json=bag, headers=collector)
    assert (replay.status_code, replay.json()["replayed"], replay.json()["balance"]) == (200, True, 2)
    client.post(
        "/api/waste/deposits", json=bag | {"idempotency_key": "truck-0002", "kind": "recyclable"}, headers=collector
    )
    wrong = client.post(
        "/api/waste/deposits", json=bag | {"card_code": "WNOPE", "idempotency_key": "truck-0003"}, headers=collector
    )
    assert wrong.status_code == 422 and "无效" in wrong.json()["message"]

    reward = client.post("/api/waste/rewards", json={"name": "洗洁精", "points": 3, "stock": 2}, headers=operator)
    assert reward.status_code == 201, reward.text
    mine = client.get("/api/waste/households", headers=resident).json()["items"]
    assert [(h["label"], h["balance"]) for h in mine] == [("1号房", 4)]
    body = {"household_id": mine[0]["id"], "reward_id": reward.json()["id"], "idempotency_key": "redeem-0001"}
    redeemed = client.post("/api/waste/redemptions", json=body, headers=resident)
    assert redeemed.status_code == 201, redeemed.text
    assert (redeemed.json()["reward_name"], redeemed.json()["balance"]) == ("洗洁精", 1)
    again = client.post("/api/waste/redemptions", json=body | {"idempotency_key": "redeem-0002"}, headers=resident)
    assert again.status_code == 409 and "积分不足" in again.json()["message"]
    entries = client.get(f"/api/waste/households/{mine[0]['id']}/entries", headers=resident).json()["items"]
    assert sorted(e["amount"] for e in entries) == [-3, 2, 2]

    card = client.get(f"/api/waste/households/{mine[0]['id']}/card/qr", headers=resident)
    assert card.status_code == 200 and card.headers["content-type"].startswith("image/svg+xml"), card.text
    assert cards["1号房"] in card.text  # the code, as the QR code's title

    # A resident sees and spends only their own household's points.
    others = client.get("/api/waste/households", headers=operator).json()["items"]
    neighbour = next(h for h in others if h["label"] == "2号房")
    stolen = client.post(
        "/api/waste/redemptions",
        json=body | {"household_id": neighbour["id"], "idempotency_key": "steal-0001"},
        headers=resident,
    )
    assert stolen.status_code == 404
    assert client.get(f"/api/waste/households/{neighbour['id']}/entries", headers=resident).status_code == 404
    assert (
        client.post("/api/waste/deposits", json=bag | {"idempotency_key": "self-0001"}, headers=resident).status_code
        == 403
    )
    assert (
        client.post("/api/waste/rewards", json={"name": "x", "points": 1, "stock": 1}, headers=collector).status_code
        == 403
    )


def test_stops_and_sorting_rates_within_the_account_s_places(
    client: TestClient, homes: tuple[Town, dict[str, str]]
) -> None:
    town, cards = homes
    operator, collector = login(client, "operator"), login(client, "steward")
    stop = {
        "alley_id": town.ids["A1"],
        "name": "胡同东口",
        "lon": 116.368,
        "lat": 39.9025,
        "windows": "07:00-08:30,18:30-20:00",
    }
    created = client.post("/api/waste/stops", json=stop, headers=operator)
    assert created.status_code == 201, created.text
    assert created.json()["windows"] == ["07:00–08:30", "18:30–20:00"]
    bad = client.post("/api/waste/stops", json=stop | {"name": "西口", "windows": "20:00-18:00"}, headers=operator)
    assert bad.status_code == 422 and "收运时段" in bad.json()["message"]
    for n, (label, correct) in enumerate([("1号房", True), ("1号房", False), ("北房", True)]):
        bag = {"card_code": cards[label], "kind": "other", "correct": correct, "idempotency_key": f"rate-{n:04d}"}
        assert client.post("/api/waste/deposits", json=bag, headers=collector).status_code == 201
    answer = client.get("/api/waste/rates", params={"by": "community"}, headers=operator)
    rates = {r["name"]: r for r in answer.json()}
    assert sum(r["households"] for r in rates.values()) == 3
    assert sum(r["deposits"] for r in rates.values()) == 3 and sum(r["correct"] for r in rates.values()) == 2
    # The west's grid worker sees the west's households only.
    west = client.get("/api/waste/households", headers=login(client, "west_worker")).json()["items"]
    assert {h["address_name"] for h in west} <= {"光明胡同1号"} and len(west) >= 1
