"""The live stream sends each account only what it may see: cases in its places or unit, workers' positions only
to those who dispatch, offers to the worker asked and the dispatchers, and to residents the notices for their
alley, community or the whole subdistrict."""

from __future__ import annotations

import httpx
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from jiexiang.api.live import Home, Viewer
from jiexiang.core.time import FixedClock
from jiexiang.domains.accounts import service as accounts
from jiexiang.domains.accounts.models import User
from jiexiang.domains.cases.models import Case
from jiexiang.domains.places import service as places
from tests.factories import Town, make_household
from tests.helpers import SEES, first_event, login

TRACKS = {"admin", "operator", "dispatcher"}


def viewer(session: Session, town: Town, username: str) -> Viewer:
    user = session.query(User).filter_by(username=username).one()
    return Viewer.of(user, places.alley_ids_in(session, scope=accounts.scope_of(user)))


def case_event(case: Case) -> dict[str, object]:
    data = {"id": case.id, "alley_id": case.alley_id, "community_id": case.community_id}
    return {"type": "case", "data": data | {"handling_unit_id": case.handling_unit_id}}


def test_each_account_receives_the_events_it_may_see(session: Session, cases: tuple[Town, dict[str, int]]) -> None:
    town, ids = cases
    for username, expected in SEES.items():
        watcher = viewer(session, town, username)
        stored = {name: session.get_one(Case, case_id) for name, case_id in ids.items()}
        received = {name for name, case in stored.items() if watcher.accepts(case_event(case))}
        assert received == expected, username
        position = {"type": "position", "data": {"user_id": 1, "alley_id": town.ids["A2"]}}
        assert watcher.accepts(position) is (username in TRACKS), username
    worker = viewer(session, town, "grid_worker")
    offer = {"type": "offer", "data": {"user_id": worker.user_id}}
    assert worker.accepts(offer) and viewer(session, town, "dispatcher").accepts(offer)
    assert not viewer(session, town, "handler").accepts(offer)
    warning = {"type": "warning", "data": {"cell": "89..."}}
    assert viewer(session, town, "operator").accepts(warning) and not viewer(session, town, "a2_chief").accepts(warning)


def test_a_chief_s_stream_skips_cases_outside_their_alleys(
    live_server: str, client: TestClient, cases: tuple[Town, dict[str, int]]
) -> None:
    token = login(client, "a2_chief")["Authorization"].removeprefix("Bearer ")
    resident = login(client, "resident")

    def two_reports() -> None:
        for text, lon in (("光明胡同路灯不亮", "116.3681"), ("力学胡同路灯不亮", "116.3721")):
            data = {"text": text, "category": "0114", "lon": lon, "lat": "39.90203"}
            assert httpx.post(f"{live_server}/api/reports", headers=resident, data=data).status_code == 201

    lines = first_event(live_server, token, two_reports)
    assert "event: case" in lines and f'"alley_id": {cases[0].ids["A2"]}' in lines[-1]


def test_a_resident_hears_at_once_of_the_notices_for_their_alley_and_no_others(
    live_server: str, client: TestClient, session: Session, clock: FixedClock, town: Town
) -> None:
    home = make_household(session, clock, address="光明胡同1号", label="1号房", username="resident")
    session.commit()
    alley_id, community_id = home.address.alley_id, home.address.community_id
    resident = session.query(User).filter_by(username="resident").one()
    watcher = Viewer.of(resident, set(), home=Home(alley_id, community_id))
    other_alley = next(i for key, i in town.ids.items() if key in ("A1", "A2", "A3") and i != alley_id)
    assert watcher.accepts({"type": "notice", "data": {"alley_id": alley_id, "community_id": None}})
    assert watcher.accepts({"type": "notice", "data": {"alley_id": None, "community_id": None}})  # the subdistrict's
    assert not watcher.accepts({"type": "notice", "data": {"alley_id": other_alley, "community_id": None}})
    assert not watcher.accepts({"type": "case", "data": {"alley_id": alley_id, "community_id": community_id}})

    token = login(client, "resident")["Authorization"].removeprefix("Bearer ")
    operator = login(client, "operator")

    def two_notices() -> None:
        for alley, title in ((other_alley, "别的胡同的通知"), (alley_id, "本巷停车议事会通知")):
            body = {"alley_id": alley, "title": title, "body": "周六上午九点在居委会议事。"}
            assert httpx.post(f"{live_server}/api/engagement/notices", headers=operator, json=body).status_code == 201

    lines = first_event(live_server, token, two_notices)
    assert "event: notice" in lines and "本巷停车议事会通知" in lines[-1]
