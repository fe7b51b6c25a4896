"""Every case endpoint × account × scope: an account limited to places sees only the cases there, one limited to a
unit (处置单位, 准物业) only the cases dispatched to its unit — in lists, GeoJSON, map points, statistics, one case,
its changes, the assessment and the live stream — and a case out of scope is "not found", never "forbidden"."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.factories import Town
from tests.helpers import SEES, login


@pytest.mark.parametrize("username", sorted(SEES))
def test_each_account_sees_only_its_cases_everywhere(
    client: TestClient, cases: tuple[Town, dict[str, int]], username: str
) -> None:
    _, ids = cases
    name_of = {case_id: name for name, case_id in ids.items()}
    expected = SEES[username]
    headers = login(client, username)

    listed = client.get("/api/cases", headers=headers).json()
    assert {name_of[c["id"]] for c in listed["items"]} == expected and listed["total"] == len(expected)
    features = client.get("/api/cases", headers=headers, params={"format": "geojson"}).json()["features"]
    assert {name_of[f["id"]] for f in features} == expected
    points = client.get("/api/cases/points", headers=headers).json()
    assert {name_of[i] for i in points["id"]} == expected
    stats = client.get("/api/cases/stats", headers=headers).json()
    assert stats["total"] == len(expected) and sum(stats["by_status"].values()) == len(expected)
    rows = client.get("/api/assessment", headers=headers, params={"period": "2026-11", "by": "unit"}).json()["rows"]
    assert sum(r["registered"] for r in rows) == len(expected - {"C3"})  # C3 is not registered yet
    for name, case_id in ids.items():
        one = client.get(f"/api/cases/{case_id}", headers=headers)
        commented = client.post(f"/api/cases/{case_id}/comments", headers=headers, json={"note": "看过"})
        if name in expected:
            assert (one.status_code, commented.status_code) == (200, 200), name
        else:  # not found, as if it did not exist: an account learns nothing of cases it may not see
            assert (one.status_code, commented.status_code) == (404, 404), name
            moved = client.post(f"/api/cases/{case_id}/transitions", headers=headers, json={"action": "accept"})
            assert moved.status_code == 404 and moved.json()["code"] == "case_not_found"


def test_a_resident_sees_no_case(client: TestClient, cases: tuple[Town, dict[str, int]]) -> None:
    _, ids = cases
    headers = login(client, "resident")
    for path in ("/api/cases", "/api/cases/points", "/api/cases/stats", f"/api/cases/{ids['C1']}"):
        assert client.get(path, headers=headers).status_code == 403, path
    assert client.get("/api/assessment", headers=headers, params={"period": "2026-11"}).status_code == 403


def test_a_unit_sees_only_its_own_row_of_the_assessment(client: TestClient, cases: tuple[Town, dict[str, int]]) -> None:
    rows = client.get(
        "/api/assessment", headers=login(client, "water_handler"), params={"period": "2026-11", "by": "unit"}
    ).json()["rows"]
    assert [(r["name"], r["registered"]) for r in rows] == [("自来水公司", 1)]
