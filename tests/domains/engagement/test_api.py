"""An alley council's proposal through its ballot over the API: announced, opened, voted on phones and on paper,
sealed until it closes, counted, adopted, and its marked spaces on the parking map."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from jiexiang.core.config import Settings
from jiexiang.core.time import FixedClock
from jiexiang.domains.accounts.enums import Role
from jiexiang.domains.places.models import Household
from tests.factories import Town, make_household, make_town, make_user
from tests.helpers import login

# Three spaces painted along 光明胡同's north side (its centre line runs along 39.902 N).
LAYOUT = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"code": f"GM-0{n}"},
            "geometry": {"type": "Point", "coordinates": [lon, 39.90204]},
        }
        for n, lon in enumerate((116.3675, 116.3680, 116.3685), start=1)
    ],
}


@pytest.fixture
def alley(session: Session, settings: Settings, clock: FixedClock) -> tuple[Town, list[Household]]:
    """The test town; four households of 光明胡同1号 with residents' accounts (r1 … r4), one of 力学胡同 (r5)."""
    town = make_town(session, settings, clock)
    homes = []
    for n in range(1, 6):
        make_user(session, settings, clock, username=f"r{n}", role=Role.resident)
        address = "光明胡同1号" if n < 5 else "力学胡同2号院"
        homes.append(make_household(session, clock, address=address, label=f"{n}号房", username=f"r{n}"))
    session.commit()
    return town, homes


def propose(client: TestClient, town: Town, **extra: object) -> dict[str, object]:
    body = {
        "alley_id": town.ids["A1"],
        "council": "光明胡同街巷理事会",
        "title": "光明胡同实行单行单停",
        "body": "自东向西单行，北侧施划车位三个。",
        "rule_kind": "one_way_one_side",
        "layout": LAYOUT,
    } | extra
    answer = client.post("/api/engagement/proposals", json=body, headers=login(client, "chief"))
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def test_a_proposal_is_voted_adopted_and_its_spaces_appear_on_the_map(
    client: TestClient, clock: FixedClock, alley: tuple[Town, list[Household]]
) -> None:
    town, homes = alley
    proposal = propose(client, town)
    pid = proposal["id"]
    operator = login(client, "operator")
    closes = (clock.now() + timedelta(days=7)).isoformat()
    opened = client.post(f"/api/engagement/proposals/{pid}/ballot", json={"closes_at": closes}, headers=operator)
    assert opened.status_code == 200, opened.text
    assert opened.json()["status"] == "balloting"

    for username in ("r1", "r2", "r3"):
        answer = client.post(
            f"/api/engagement/proposals/{pid}/votes", json={"choice": "agree"}, headers=login(client, username)
        )
        assert answer.status_code == 201, answer.text
    again = client.post(
        f"/api/engagement/proposals/{pid}/votes", json={"choice": "disagree"}, headers=login(client, "r1")
    )
    assert (again.status_code, again.json()["code"]) == (409, "already_voted")
    outsider = client.post(
        f"/api/engagement/proposals/{pid}/votes", json={"choice": "agree"}, headers=login(client, "r5")
    )
    assert (outsider.status_code, outsider.json()["code"]) == (409, "not_entitled")
    paper = {"household_id": homes[3].id, "choice": "disagree", "paper_number": "GM-0007"}
    assert client.post(f"/api/engagement/proposals/{pid}/paper-votes", json=paper, headers=operator).status_code == 201
    twice = client.post(
        f"/api/engagement/proposals/{pid}/paper-votes", json=paper | {"household_id": homes[0].id}, headers=operator
    )
    assert twice.status_code == 409 and "GM-0007" in twice.json()["message"]

    # Sealed: nobody reads a count before the ballot closes, not even an administrator.
    for username in ("admin", "r1"):
        seen = client.get(f"/api/engagement/proposals/{pid}", headers=login(client, username)).json()
        assert seen["tally"] is None
    assert client.get(f"/api/engagement/proposals/{pid}", headers=login(client, "r1")).json()["my_household_voted"]
    early = client.post(f"/api/engagement/proposals/{pid}/close", headers=operator)
    assert (early.status_code, early.json()["code"]) == (409, "ballot_open")

    clock.advance(timedelta(days=7))
    operator = login(client, "operator")
    late = client.post(f"/api/engagement/proposals/{pid}/votes", json={"choice": "agree"}, headers=login(client, "r4"))
    assert late.status_code == 409  # past the deadline (and household 4 voted on paper)
    closed = client.post(f"/api/engagement/proposals/{pid}/close", headers=operator)
    assert closed.status_code == 200, closed.text
    result = closed.json()
    assert result["status"] == "adopted"
    assert {k: result["tally"][k] for k in ("entitled", "took_part", "agree", "disagree")} == {
        "entitled": 4,
        "took_part": 4,
        "agree": 3,
        "disagree": 1,
    }
    audit = [(s["action"], s["note"] or "") for s in result["steps"]]
    assert [a for a, _ in audit] == [
        "propose",
        "open_ballot",
        "vote",
        "vote",
        "vote",
        "record_paper_vote",
        "close_ballot",
    ]
    assert "GM-0007" in audit[5][1] and "不同意" not in audit[5][1]  # the paper's number, never its choice

    marked = client.get("/api/parking/lots", params={"kind": "marked"}, headers=operator).json()["items"]
    assert [(lot["name"], lot["spaces"], lot["rule_title"]) for lot in marked] == [
        ("光明胡同施划车位（第1版）", 3, "光明胡同实行单行单停")
    ]
    spaces = client.get(f"/api/parking/lots/{marked[0]['id']}/spaces", headers=operator).json()
    assert [s["code"] for s in spaces] == ["GM-01", "GM-02", "GM-03"]
    summary = client.get("/api/parking/summary", headers=operator).json()
    assert summary["marked"] == {"alleys": 1, "spaces": 3}

    notices = client.get("/api/engagement/notices", headers=login(client, "r1")).json()["items"]
    assert [n["title"].split("：")[0] for n in notices] == ["表决结果", "开始表决", "议案公示"]
    assert client.get("/api/engagement/notices", headers=login(client, "r5")).json()["total"] == 0


def test_a_new_version_retires_the_old_spaces(
    client: TestClient, clock: FixedClock, alley: tuple[Town, list[Household]]
) -> None:
    town, _ = alley
    operator = login(client, "operator")
    for version, layout in ((1, LAYOUT), (2, {"type": "FeatureCollection", "features": LAYOUT["features"][:2]})):
        pid = propose(client, town, title=f"单行单停第{version}版", layout=layout)["id"]
        closes = (clock.now() + timedelta(days=1)).isoformat()
        client.post(f"/api/engagement/proposals/{pid}/ballot", json={"closes_at": closes}, headers=operator)
        for username in ("r1", "r2", "r3"):
            client.post(
                f"/api/engagement/proposals/{pid}/votes", json={"choice": "agree"}, headers=login(client, username)
            )
        clock.advance(timedelta(days=1))
        operator = login(client, "operator")
        assert client.post(f"/api/engagement/proposals/{pid}/close", headers=operator).json()["status"] == "adopted"
    marked = client.get("/api/parking/lots", params={"kind": "marked"}, headers=operator).json()["items"]
    assert [(lot["name"], lot["spaces"]) for lot in marked] == [("光明胡同施划车位（第2版）", 2)]
    both = client.get("/api/parking/lots", params={"kind": "marked", "include_retired": True}, headers=operator)
    assert both.json()["total"] == 2


def test_refusals_name_what_is_wrong(
    client: TestClient, clock: FixedClock, alley: tuple[Town, list[Household]]
) -> None:
    town, _ = alley
    far = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [116.3720, 39.9030]}}
        ],
    }
    answer = client.post(
        "/api/engagement/proposals",
        json={
            "alley_id": town.ids["A1"],
            "council": "理事会",
            "title": "t",
            "body": "b",
            "rule_kind": "x",
            "layout": far,
        },
        headers=login(client, "chief"),
    )
    assert answer.status_code == 422 and "超过 30 米" in answer.json()["message"]
    for broken in ({"type": "FeatureCollection", "features": [[1, 2]]}, {"type": "Point"}):
        garbled = client.post(
            "/api/engagement/proposals",
            json={
                "alley_id": town.ids["A1"],
                "council": "理事会",
                "title": "t",
                "body": "b",
                "rule_kind": "x",
                "layout": broken,
            },
            headers=login(client, "chief"),
        )
        assert garbled.status_code == 422 and "车位布局" in garbled.json()["message"]
    pid = propose(client, town)["id"]
    assert (
        client.post(
            f"/api/engagement/proposals/{pid}/votes", json={"choice": "agree"}, headers=login(client, "r1")
        ).status_code
        == 422
    )
    assert (
        client.post(
            f"/api/engagement/proposals/{pid}/ballot",
            json={"closes_at": "2026-01-01T00:00:00"},
            headers=login(client, "operator"),
        ).status_code
        == 422
    )
    assert (
        client.post(
            f"/api/engagement/proposals/{pid}/votes", json={"choice": "agree"}, headers=login(client, "operator")
        ).status_code
        == 403
    )
    # A limited alley chief proposes only for the alleys they look after.
    other = client.post(
        "/api/engagement/proposals",
        json={"alley_id": town.ids["A1"], "council": "理事会", "title": "t", "body": "b"},
        headers=login(client, "a2_chief"),
    )
    assert other.status_code == 404
