"""The household register over the API: administrators register households at gazetteer addresses and bind
residents' accounts; names are masked for those without the personal-data permission; scope applies."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from jiexiang.core.config import Settings
from jiexiang.core.time import FixedClock
from jiexiang.domains.accounts.enums import Role
from jiexiang.domains.places.models import Address
from tests.factories import Town, make_user
from tests.helpers import login


def test_register_bind_mask_and_scope(
    client: TestClient, session: Session, settings: Settings, clock: FixedClock, town: Town
) -> None:
    make_user(session, settings, clock, username="r1", role=Role.resident)
    session.commit()
    east = session.scalar(select(Address.id).where(Address.name == "力学胡同2号院"))
    west = session.scalar(select(Address.id).where(Address.name == "光明胡同1号"))
    admin = login(client, "admin")
    body = {"address_id": west, "label": "东厢房", "head_name": "王建国", "username": "r1"}
    created = client.post("/api/households", json=body, headers=admin)
    assert created.status_code == 201, created.text
    assert (created.json()["head_name"], created.json()["has_account"]) == ("王建国", True)
    again = client.post("/api/households", json=body, headers=admin)
    assert again.status_code == 409 and "已有同名住户" in again.json()["message"]
    other = client.post("/api/households", json=body | {"address_id": east, "username": "chief"}, headers=admin)
    assert other.status_code == 422 and "居民账号" in other.json()["message"]
    assert client.post("/api/households", json=body, headers=login(client, "operator")).status_code == 403
    client.post("/api/households", json={"address_id": east, "label": "北房", "head_name": "李四"}, headers=admin)

    masked = client.get("/api/households", headers=login(client, "grid_worker")).json()["items"]
    assert {h["head_name"] for h in masked} == {"王**", "李*"}
    seen = client.get("/api/households", headers=login(client, "a2_chief")).json()["items"]
    assert [h["address_name"] for h in seen] == ["力学胡同2号院"]
    assert client.get("/api/households", headers=login(client, "r1")).status_code == 403
