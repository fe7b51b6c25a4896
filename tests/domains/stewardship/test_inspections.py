"""Inspections over the API: a grid worker inspects an alley on the phone with a photo, the score comes back line
by line as the checklist says, a finding past its deadline shows as overdue until the company puts it right;
scope and refusals."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from jiexiang.core.time import FixedClock
from tests.factories import Town
from tests.helpers import login, photo


def test_an_alley_inspected_on_the_phone_scores_as_the_checklist_says(
    client: TestClient, clock: FixedClock, town: Town
) -> None:
    worker = login(client, "grid_worker")
    pictured = client.post(
        "/api/photos", headers=worker, files={"photos": ("debris.jpg", photo(), "image/jpeg")}
    ).json()["photos"]
    body = {
        "alley_id": town.ids["A1"],
        "kind": "property",
        "findings": [
            {
                "item": "clean.debris",
                "after_complaint": True,
                "photos": pictured,
                "lon": 116.368,
                "lat": 39.9025,
                "fix_hours": 24,
            },
            {"item": "clean.debris"},
            {"item": "order.parking", "count": 2},
        ],
    }
    answer = client.post("/api/stewardship/inspections", json=body, headers=worker)
    assert answer.status_code == 201, answer.text
    inspection = answer.json()
    # clean.debris: 3 × 2 (after a complaint) + 3 = 9, capped at 6; order.parking: 2 × 2 = 4.
    assert [(line["item"], line["raw"], line["deducted"]) for line in inspection["lines"]] == [
        ("clean.debris", 9, 6),
        ("order.parking", 4, 4),
    ]
    assert (inspection["category_deductions"], inspection["score"], inspection["version"]) == (
        {"clean": 6, "order": 4},
        90,
        1,
    )
    assert inspection["findings"][0]["photos"] == pictured and inspection["findings"][0]["item_text"].startswith(
        "无堆物堆料"
    )

    clock.advance(timedelta(hours=25))
    steward = login(client, "steward")
    late = client.get(f"/api/stewardship/inspections/{inspection['id']}", headers=steward).json()
    assert [f["overdue"] for f in late["findings"]] == [True, False, False]
    fixed = client.post(f"/api/stewardship/findings/{late['findings'][0]['id']}/fixed", json={}, headers=steward)
    assert fixed.status_code == 200, fixed.text
    assert fixed.json()["findings"][0]["overdue"] is False and fixed.json()["findings"][0]["fixed_at"] is not None
    again = client.post(f"/api/stewardship/findings/{late['findings'][0]['id']}/fixed", json={}, headers=steward)
    assert again.status_code == 409 and "已整改" in again.json()["message"]


def test_refusals_and_scope(client: TestClient, town: Town) -> None:
    worker, chief = login(client, "grid_worker"), login(client, "a2_chief")
    unknown = client.post(
        "/api/stewardship/inspections",
        json={"alley_id": town.ids["A1"], "kind": "patrol", "findings": [{"item": "clean.debris"}]},
        headers=worker,
    )
    assert unknown.status_code == 422 and "没有细项 clean.debris" in unknown.json()["message"]
    # An alley chief inspects their own alleys only, and sees only their inspections.
    foreign = client.post(
        "/api/stewardship/inspections", json={"alley_id": town.ids["A1"], "kind": "patrol"}, headers=chief
    )
    assert foreign.status_code == 404
    own = client.post(
        "/api/stewardship/inspections",
        json={"alley_id": town.ids["A2"], "kind": "patrol", "findings": [{"item": "free.debris", "count": 3}]},
        headers=chief,
    )
    assert own.status_code == 201 and own.json()["score"] == 95  # 2 × 3 = 6, capped at 5
    client.post("/api/stewardship/inspections", json={"alley_id": town.ids["A1"], "kind": "patrol"}, headers=worker)
    assert [i["alley_id"] for i in client.get("/api/stewardship/inspections", headers=chief).json()["items"]] == [
        town.ids["A2"]
    ]
    assert (
        client.post(
            "/api/stewardship/inspections",
            json={"alley_id": town.ids["A2"], "kind": "patrol"},
            headers=login(client, "steward"),
        ).status_code
        == 403
    )
