"""The 街巷长's monthly scorecard over the API, from what the platform recorded: walks of their own alleys against
every working day so far, problems they reported, cases they verified, their 十有十无 walks and the gaps found;
a chief sees their own card, staff every chief's; cleaners and volunteers may do what their roles say."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from jiexiang.core.time import FixedClock
from jiexiang.domains.workforce.models import AlleyWalk
from tests.factories import Town
from tests.helpers import act, login


def _walk(session: Session, town: Town, user: str, alley: str, day: date, *, walked: bool = True) -> None:
    at = datetime(day.year, day.month, day.day, 1, tzinfo=UTC)
    session.add(
        AlleyWalk(
            user_id=town.users[user].id,
            alley_id=town.ids[alley],
            day=day,
            first_at=at,
            last_at=at + timedelta(minutes=20),
            from_m=0,
            to_m=150,
            fixes=40,
            alley_length_m=170,
            walked=walked,
        )
    )


def test_a_chiefs_month_from_what_the_platform_recorded(
    client: TestClient, session: Session, clock: FixedClock, town: Town
) -> None:
    # The clock is 2026-11-26 10:00 in Beijing: 19 working days of November so far, 光明胡同 is 'chief''s only alley.
    for day in (2, 3, 4):
        _walk(session, town, "chief", "A1", date(2026, 11, day))
    _walk(session, town, "chief", "A1", date(2026, 11, 5), walked=False)  # a few steps in: not a walk
    _walk(session, town, "chief", "A2", date(2026, 11, 5))  # not their alley
    _walk(session, town, "chief", "A1", date(2026, 10, 30))  # last month
    session.commit()

    chief = login(client, "chief")
    reported = client.post(
        "/api/reports", headers=chief, data={"text": "光明胡同路边堆放装修垃圾", "lon": "116.368", "lat": "39.90205"}
    )
    assert reported.status_code in (200, 201), reported.text
    case_id = reported.json()["case_id"]
    act(client, case_id, "operator", "register")
    act(client, case_id, "dispatcher", "dispatch", unit_id=town.ids["water"])
    act(client, case_id, "water_handler", "accept")
    act(client, case_id, "water_handler", "feedback", note="已清运")
    assert act(client, case_id, "chief", "verify")["http"] == 200
    patrol = {
        "alley_id": town.ids["A1"],
        "kind": "patrol",
        "findings": [{"item": "free.debris", "count": 2}, {"item": "has.board"}],
    }
    assert client.post("/api/stewardship/inspections", json=patrol, headers=chief).status_code == 201

    own = client.get("/api/stewardship/duty/scorecards?month=2026-11", headers=chief)
    assert own.status_code == 200, own.text
    [card] = own.json()
    assert {k: card[k] for k in card if k not in ("user_id", "full_name", "walk_rate")} == {
        "alleys": 1,
        "required_walks": 19,
        "walks": 3,
        "problems_reported": 1,
        "cases_verified": 1,
        "patrols": 1,
        "gaps": 3,
    }
    assert abs(card["walk_rate"] - 3 / 19) < 1e-9
    everyone = client.get("/api/stewardship/duty/scorecards?month=2026-11", headers=login(client, "operator")).json()
    assert {c["full_name"] for c in everyone} == {"chief", "a2_chief"}
    october = client.get("/api/stewardship/duty/scorecards?month=2026-10", headers=chief).json()[0]
    # October: 22 weekdays, 5 of them 国庆 holidays, one make-up Saturday (10 October): 18 working days.
    assert (october["walks"], october["problems_reported"], october["required_walks"]) == (1, 0, 18)


def test_what_cleaners_and_volunteers_may_do(client: TestClient, town: Town) -> None:
    volunteer, cleaner = login(client, "volunteer"), login(client, "cleaner")
    inspection = client.post(
        "/api/stewardship/inspections",
        json={"alley_id": town.ids["A1"], "kind": "patrol", "findings": [{"item": "free.debris"}]},
        headers=volunteer,
    )
    assert inspection.status_code == 201, inspection.text  # a volunteer inspects
    finding = inspection.json()["findings"][0]["id"]
    assert client.post(f"/api/stewardship/findings/{finding}/fixed", json={}, headers=volunteer).status_code == 403
    assert client.post(f"/api/stewardship/findings/{finding}/fixed", json={}, headers=cleaner).status_code == 200
    body = {"alley_id": town.ids["A1"], "kind": "patrol"}
    assert client.post("/api/stewardship/inspections", json=body, headers=cleaner).status_code == 403
    assert client.get("/api/cases", headers=cleaner).status_code == 403
    assert client.get("/api/stewardship/duty/scorecards?month=2026-11", headers=volunteer).status_code == 200
