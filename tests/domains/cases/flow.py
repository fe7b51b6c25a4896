"""Helpers for driving cases through the workflow over the API."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.test_places_api import login


def act(client: TestClient, case_id: int, username: str, action: str, **extra: object) -> dict[str, object]:
    response = client.post(
        f"/api/cases/{case_id}/transitions", headers=login(client, username), json={"action": action, **extra}
    )
    return {**response.json(), "http": response.status_code}


def only_case(client: TestClient) -> int:
    return int(client.get("/api/cases", headers=login(client, "operator")).json()["items"][0]["id"])
