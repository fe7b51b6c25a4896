from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from jiexiang.domains.accounts.enums import Role
from jiexiang.domains.accounts.permissions import Permission, roles_with
from jiexiang.domains.places.enums import Layer
from jiexiang.domains.places.layers import SPECS
from tests.factories import Town, feature
from tests.helpers import login

STAFF = roles_with(Permission.places_read)  # the field force's roles; residents, cleaners, volunteers read less


@pytest.mark.parametrize("layer", list(Layer))
@pytest.mark.parametrize("role", list(Role))
def test_reading_each_layer_by_role(client: TestClient, town: Town, layer: Layer, role: Role) -> None:
    allowed = role in STAFF or SPECS[layer].public
    headers = login(client, town.users[role.value].username)
    listing = client.get(f"/api/places/{layer.value}", headers=headers)
    export = client.get(f"/api/places/{layer.value}/export?format=csv", headers=headers)
    if allowed:
        assert listing.status_code == 200 and export.status_code == 200
        body = listing.json()
        assert body["type"] == "FeatureCollection" and body["numberMatched"] == len(body["features"]) > 0
        one = client.get(f"/api/places/{layer.value}/{body['features'][0]['id']}", headers=headers)
        assert one.status_code == 200 and one.json()["type"] == "Feature"
    else:
        assert listing.status_code == 403 and export.status_code == 403
        assert listing.json()["code"] == "forbidden" and "无权" in listing.json()["message"]


@pytest.mark.parametrize("role", list(Role))
def test_only_admins_change_places(client: TestClient, town: Town, role: Role) -> None:
    headers = login(client, town.users[role.value].username)
    from shapely.geometry import LineString

    new = feature(LineString([(116.367, 39.9035), (116.369, 39.9035)]), code="A7", name="东斜街")
    created = client.post("/api/places/alleys", json=new, headers=headers)
    patched = client.patch(
        f"/api/places/alleys/{town.ids['A2']}", json={"properties": {"name": "新名"}}, headers=headers
    )
    deleted = client.delete(f"/api/places/alleys/{town.ids['A3']}", headers=headers)
    imported = client.post("/api/places/import", files={"file": ("alleys.geojson", b"{}")}, headers=headers)
    if role is Role.admin:
        assert created.status_code == 201, created.text
        assert created.json()["properties"]["length_m"] == pytest.approx(170.8, abs=0.5)
        assert created.json()["properties"]["community_name"] == "西社区"
        assert patched.status_code == 200 and patched.json()["properties"]["name"] == "新名"
        assert deleted.status_code == 204
        assert imported.status_code == 422 and imported.json()["code"] == "invalid_input"
    else:
        for response in (created, patched, deleted, imported):
            assert response.status_code == 403, response.text


def test_without_a_token_everything_is_401_in_chinese(client: TestClient, town: Town) -> None:
    response = client.get("/api/places/alleys")
    assert response.status_code == 401
    assert response.json() == {"code": "not_authenticated", "message": "请先登录", "details": None}
    assert response.headers["www-authenticate"] == "Bearer"


def names(response: Any) -> set[str]:
    return {f["properties"].get("name") or f["properties"]["code"] for f in response.json()["features"]}


def test_a_user_limited_to_one_community_sees_only_its_places(client: TestClient, town: Town) -> None:
    headers = login(client, "west_worker")
    assert names(client.get("/api/places/alleys", headers=headers)) == {"光明胡同"}
    assert names(client.get("/api/places/communities", headers=headers)) == {"西社区"}
    assert {
        f["properties"]["code"] for f in client.get("/api/places/components", headers=headers).json()["features"]
    } == {"1101020101000001"}
    outside = client.get(f"/api/places/alleys/{town.ids['A2']}", headers=headers)
    assert outside.status_code == 404 and "管辖范围" in outside.json()["message"]


def test_an_alley_chief_sees_their_alleys_and_their_communities(client: TestClient, town: Town) -> None:
    headers = login(client, "a2_chief")
    assert names(client.get("/api/places/alleys", headers=headers)) == {"力学胡同"}
    assert names(client.get("/api/places/communities", headers=headers)) == {"东社区"}


def test_a_unit_limited_handler_sees_only_its_units_components(client: TestClient, town: Town) -> None:
    headers = login(client, "water_handler")
    codes = {f["properties"]["code"] for f in client.get("/api/places/components", headers=headers).json()["features"]}
    assert codes == {"1101020101000001"}


def test_filters_bbox_search_and_paging(client: TestClient, town: Town) -> None:
    headers = login(client, "admin")
    east_only = client.get("/api/places/alleys?bbox=116.3705,39.901,116.374,39.903", headers=headers)
    assert names(east_only) == {"力学胡同"}
    # The bbox of 府右街 (a vertical line at 116.370) touches this window only at its edge: kept.
    edge = client.get("/api/places/alleys?bbox=116.3695,39.9005,116.3700,39.9010", headers=headers)
    assert names(edge) == {"府右街"}
    assert names(client.get(f"/api/places/alleys?community={town.ids['east']}", headers=headers)) == {
        "力学胡同",
        "府右街",
    }
    assert names(client.get("/api/places/alleys?q=光明", headers=headers)) == {"光明胡同"}
    page = client.get("/api/places/alleys?page=2&page_size=2", headers=headers).json()
    assert page["numberMatched"] == 3 and page["numberReturned"] == 1 and page["page"] == 2
    bad = client.get("/api/places/alleys?bbox=1,2,3", headers=headers)
    assert bad.status_code == 422 and bad.json()["code"] == "bad_bbox"
    too_big = client.get("/api/places/alleys?page_size=5000", headers=headers)
    assert too_big.status_code == 422 and too_big.json()["code"] == "validation_error"


def test_admin_create_validates_in_chinese(client: TestClient, town: Town) -> None:
    headers = login(client, "admin")
    from shapely.geometry import Point

    response = client.post("/api/places/alleys", json=feature(Point(116.37, 39.9), code="A8", name=""), headers=headers)
    assert response.status_code == 422
    assert "街巷名称" in response.json()["message"]
    dup = client.post(
        "/api/places/communities",
        json=feature(
            __import__("shapely.geometry", fromlist=["box"]).box(0, 0, 1, 1), code="110102001001", name="重复"
        ),
        headers=headers,
    )
    assert dup.status_code == 409 and dup.json()["code"] == "place_exists"


def test_deleting_a_place_still_in_use_is_refused(client: TestClient, town: Town) -> None:
    headers = login(client, "admin")
    response = client.delete(f"/api/places/communities/{town.ids['west']}", headers=headers)
    assert response.status_code == 409 and response.json()["code"] == "place_in_use"
    assert client.get(f"/api/places/communities/{town.ids['west']}", headers=headers).status_code == 200


def test_import_through_the_api_reports_rows(client: TestClient, town: Town) -> None:
    headers = login(client, "admin")
    text = "地址名称,经度,纬度\n光明胡同9号,116.3677,39.90208\n坏行,abc,39.9\n"
    response = client.post("/api/places/import", files={"file": ("addresses.csv", text.encode())}, headers=headers)
    assert response.status_code == 422
    assert response.json()["details"][0]["row"] == 3
    ok = client.post(
        "/api/places/import",
        files={"file": ("addresses.csv", text.splitlines()[0].encode() + b"\n" + text.splitlines()[1].encode())},
        headers=headers,
    )
    assert ok.status_code == 200 and ok.json()["counts"]["addresses"]["created"] == 1
