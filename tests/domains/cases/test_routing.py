from __future__ import annotations

from fastapi.testclient import TestClient

from tests.factories import Town
from tests.helpers import act, login, only_case


def rule(client: TestClient, **body: object) -> int:
    response = client.post("/api/routing-rules", headers=login(client, "dispatcher"), json=body)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def test_the_most_specific_rule_suggests_the_unit_and_dispatch_uses_it(client: TestClient, town: Town) -> None:
    case_id = only_case(client)  # a missing manhole cover (0117) on 光明胡同 (alley A1, west community)
    rule(client, unit_id=town.ids["lights"])  # anything anywhere
    rule(client, unit_id=town.ids["lights"], group="street_light")
    general = rule(client, unit_id=town.ids["water"], group="manhole_cover")
    act(client, case_id, "operator", "register")
    detail = client.get(f"/api/cases/{case_id}", headers=login(client, "dispatcher")).json()
    assert detail["suggested_unit_name"] == "自来水公司"
    # A rule for this very alley beats a rule for the whole topic.
    rule(client, unit_id=town.ids["lights"], alley_id=town.ids["A1"], category_code="0117")
    detail = client.get(f"/api/cases/{case_id}", headers=login(client, "dispatcher")).json()
    assert detail["suggested_unit_name"] == "路灯所"
    dispatched = act(client, case_id, "dispatcher", "dispatch")  # no unit given: the suggestion
    assert dispatched["handling_unit_name"] == "路灯所"
    assert client.delete(f"/api/routing-rules/{general}", headers=login(client, "dispatcher")).status_code == 204
    assert len(client.get("/api/routing-rules", headers=login(client, "admin")).json()) == 3


def test_without_a_rule_the_dispatcher_must_choose(client: TestClient, town: Town) -> None:
    case_id = only_case(client)
    act(client, case_id, "operator", "register")
    refused = act(client, case_id, "dispatcher", "dispatch")
    assert refused["http"] == 422 and "派遣规则" in str(refused["message"])


def test_rules_are_checked_and_only_dispatchers_and_admins_manage_them(client: TestClient, town: Town) -> None:
    headers = login(client, "dispatcher")
    bad = client.post("/api/routing-rules", headers=headers, json={"unit_id": town.ids["water"], "group": "x"})
    assert bad.status_code == 422 and bad.json()["code"] == "unknown_group"
    missing = client.post("/api/routing-rules", headers=headers, json={"unit_id": 9999})
    assert missing.status_code == 422 and missing.json()["code"] == "unit_not_found"
    assert client.get("/api/routing-rules", headers=login(client, "operator")).status_code == 403


def test_a_rule_for_a_place_that_does_not_exist_is_refused(client: TestClient, town: Town) -> None:
    refused = client.post(
        "/api/routing-rules",
        headers=login(client, "dispatcher"),
        json={"unit_id": town.ids["water"], "community_id": 999_999},
    )
    assert refused.status_code == 422 and refused.json()["code"] == "place_not_found"
