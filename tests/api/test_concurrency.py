"""Parallel requests over real HTTP against a server with a database of its own (SQLite or PostgreSQL, as the
run says): exactly one winner, one event, one case; nothing is lost, nothing is doubled, nothing answers 500,
and the server stays responsive while requests queue for one case."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from jiexiang import migrations
from jiexiang.api.app import create_app
from jiexiang.core.config import Settings
from jiexiang.core.db import create_db_engine, create_session_factory
from jiexiang.core.time import FixedClock
from jiexiang.domains.accounts import service as accounts
from jiexiang.domains.accounts.enums import Role
from jiexiang.domains.cases.enums import Action
from jiexiang.domains.cases.models import Case, CaseEvent, Report
from jiexiang.domains.hotline.enums import TicketAction
from jiexiang.domains.hotline.models import Callback, Ticket, TicketStep
from jiexiang.domains.parking.models import Permit, SpaceClaim, Violation, Visit
from jiexiang.domains.waste import service as waste
from jiexiang.domains.waste.models import Deposit, PointEntry, Redemption, Reward
from jiexiang.ingest import hotline
from jiexiang.ingest.service import Intake
from tests.conftest import create_empty_database, drop_database, serving
from tests.factories import PASSWORD, Town, make_household, make_town, make_user

GUANGMING = {"lat": "39.90208", "long": "116.3675"}  # 光明胡同1号


@dataclass
class Server:
    url: str
    town: Town
    sessions: sessionmaker[Session]
    case_id: int  # a missing manhole cover on 光明胡同, just reported
    api_key: str


@pytest.fixture
def server(settings: Settings, clock: FixedClock, tmp_path: Path) -> Iterator[Server]:
    url = create_empty_database()
    migrations.upgrade(url)
    own = settings.model_copy(update={"database_url": url})
    engine = create_db_engine(url)
    sessions = create_session_factory(engine)
    with sessions() as session:
        town = make_town(session, own, clock)
        path = tmp_path / "orders.csv"
        path.write_text(
            "工单编号,受理时间,诉求内容,事发地址,问题分类\nW1,2026-11-25 09:00,井盖丢了,光明胡同1号,井盖缺失\n", "utf-8"
        )
        intake = Intake(session, settings=own, clock=clock)
        for item in hotline.read(path):
            intake.apply(item)
        _, key = accounts.issue_api_key(session, name="随手拍 App", clock=clock)
        case_id = session.scalars(select(Case.id)).one()
        session.commit()
    app = create_app(own, clock=clock)
    try:
        with serving(app) as base:
            yield Server(base, town, sessions, case_id, key)
    finally:
        engine.dispose()
        drop_database(url)


def login(base: str, username: str) -> dict[str, str]:
    answer = httpx.post(f"{base}/api/auth/token", data={"username": username, "password": PASSWORD}, timeout=10)
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def fire(count: int, method: str, url: str, **kwargs: object) -> list[httpx.Response]:
    """`count` identical requests at once, each on its own connection."""

    async def all_at_once() -> list[httpx.Response]:
        limits = httpx.Limits(max_connections=count, max_keepalive_connections=0)
        async with httpx.AsyncClient(timeout=60, limits=limits) as client:
            return await asyncio.gather(*(client.request(method, url, **kwargs) for _ in range(count)))  # type: ignore[arg-type]

    return asyncio.run(all_at_once())


def statuses(answers: list[httpx.Response]) -> Counter[int]:
    return Counter(a.status_code for a in answers)


def events(server: Server, action: Action) -> int:
    with server.sessions() as session:
        query = select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == server.case_id)
        return session.scalar(query.where(CaseEvent.action == action)) or 0


def test_one_register_wins_of_twenty_at_once(server: Server) -> None:
    answers = fire(
        20,
        "POST",
        f"{server.url}/api/cases/{server.case_id}/transitions",
        json={"action": "register"},
        headers=login(server.url, "operator"),
    )
    assert statuses(answers) == {200: 1, 422: 19}, [a.text for a in answers if a.status_code >= 500]
    assert {a.json()["code"] for a in answers if a.status_code == 422} == {"illegal_transition"}
    assert events(server, Action.register) == 1


def to_handling(server: Server) -> None:
    for username, action, extra in [
        ("operator", "register", {}),
        ("dispatcher", "dispatch", {"unit_id": server.town.ids["water"]}),
        ("water_handler", "accept", {}),
    ]:
        answer = httpx.post(
            f"{server.url}/api/cases/{server.case_id}/transitions",
            json={"action": action, **extra},
            headers=login(server.url, username),
        )
        assert answer.status_code == 200, answer.text


def test_fifty_extensions_at_once_are_all_counted_while_the_server_answers(server: Server) -> None:
    to_handling(server)
    headers = login(server.url, "dispatcher")

    async def both() -> tuple[list[httpx.Response], httpx.Response]:
        limits = httpx.Limits(max_connections=60, max_keepalive_connections=0)
        async with httpx.AsyncClient(timeout=60, limits=limits) as client:
            extensions = asyncio.gather(
                *(
                    client.post(
                        f"{server.url}/api/cases/{server.case_id}/transitions",
                        json={"action": "extend", "note": "需要燃气公司配合"},
                        headers=headers,
                    )
                    for _ in range(50)
                )
            )
            await asyncio.sleep(0.05)
            # A liveness bound, not a benchmark: with the pool exhausted (as before), health took 29 s.
            health = await client.get(f"{server.url}/api/health", timeout=10)
            return await extensions, health

    answers, health = asyncio.run(both())
    assert health.status_code == 200
    assert statuses(answers) == {200: 50}, [a.text for a in answers if a.status_code != 200][:3]
    with server.sessions() as session:
        case = session.get(Case, server.case_id)
        assert case is not None and case.extension_count == 50
    assert events(server, Action.extend) == 50


def test_fifty_comments_at_once_are_all_kept(server: Server) -> None:
    answers = fire(
        50,
        "POST",
        f"{server.url}/api/cases/{server.case_id}/comments",
        json={"note": "现场补充"},
        headers=login(server.url, "operator"),
    )
    assert statuses(answers) == {200: 50}
    assert events(server, Action.comment) == 50


def test_twenty_identical_open311_posts_make_one_case(server: Server) -> None:
    form = {"api_key": server.api_key, "service_code": "1101", "description": "路灯不亮", **GUANGMING}
    answers = fire(20, "POST", f"{server.url}/open311/v2/requests.json", data=form)
    assert statuses(answers) == {200: 20} or statuses(answers) == {201: 20}, [a.text for a in answers]
    with server.sessions() as session:
        cases = session.scalars(select(Case).where(Case.category_code == "1101")).all()
        assert len(cases) == 1 and cases[0].report_count == 20


def test_retries_of_one_report_get_the_first_receipt(server: Server) -> None:
    form = {"text": "胡同口堆了很多建筑垃圾", "lon": "116.3675", "lat": "39.90208", "client_id": uuid.uuid4().hex}
    answers = fire(10, "POST", f"{server.url}/api/reports", data=form, headers=login(server.url, "resident"))
    assert statuses(answers) == {201: 10}, [a.text for a in answers]
    receipts = {(a.json()["report_id"], a.json()["case_id"]) for a in answers}
    assert len(receipts) == 1
    assert sorted(a.json()["outcome"] for a in answers) == ["created"] + ["unchanged"] * 9
    with server.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Report).where(Report.source == "snap")) == 1


def test_parallel_logins_never_fail_for_being_busy(server: Server) -> None:
    answers = fire(16, "POST", f"{server.url}/api/auth/token", data={"username": "operator", "password": PASSWORD})
    assert statuses(answers) == {200: 16}


def _ticket(server: Server) -> int:
    with server.sessions() as session:
        return session.scalars(select(Ticket.id).where(Ticket.ticket_no == "W1")).one()


def test_one_reply_of_twenty_and_one_callback_row_however_many_call_back(server: Server) -> None:
    ticket = _ticket(server)
    steps = f"{server.url}/api/hotline/tickets/{ticket}/steps"
    headers = login(server.url, "operator")
    contact = httpx.post(steps, json={"action": "contact", "method": "phone", "note": "已联系"}, headers=headers)
    assert contact.status_code == 200, contact.text
    answers = fire(20, "POST", steps, json={"action": "reply", "note": "已修复", "result": "已解决"}, headers=headers)
    assert statuses(answers) == {200: 1, 422: 19}, [a.text for a in answers if a.status_code >= 500]
    answers = fire(
        20,
        "POST",
        f"{server.url}/api/hotline/tickets/{ticket}/callbacks",
        json={"resolved": True, "satisfaction": "satisfied"},
        headers=headers,
    )
    assert statuses(answers) == {200: 20}, [a.text for a in answers if a.status_code >= 500]
    with server.sessions() as session:
        replies = select(func.count()).select_from(TicketStep).where(TicketStep.action == TicketAction.reply)
        assert session.scalar(replies) == 1
        assert session.scalar(select(func.count()).select_from(Callback)) == 1


def test_a_months_topic_is_adopted_once_of_ten_at_once(server: Server) -> None:
    body = {
        "title": "每月一题：西社区井盖",
        "origin": "monthly",
        "month": "2026-12",
        "topic": "manhole_cover",
        "community_id": server.town.ids["west"],
        "cells": ["8931aa42e4fffff"],
        "owner_unit_id": server.town.ids["water"],
        "due_at": "2026-12-31T00:00:00+08:00",
        "done_when": "井盖全部补齐",
    }
    answers = fire(10, "POST", f"{server.url}/api/hotline/tasks", json=body, headers=login(server.url, "operator"))
    assert statuses(answers) == {201: 1, 409: 9}, [a.text for a in answers if a.status_code >= 500]


def fire_each(requests: list[tuple[str, str, dict[str, object]]]) -> list[httpx.Response]:
    """Different requests (method, url, keyword arguments) at once, each on its own connection."""

    async def all_at_once() -> list[httpx.Response]:
        limits = httpx.Limits(max_connections=len(requests), max_keepalive_connections=0)
        async with httpx.AsyncClient(timeout=60, limits=limits) as client:
            return await asyncio.gather(*(client.request(m, u, **k) for m, u, k in requests))  # type: ignore[arg-type]

    return asyncio.run(all_at_once())


def test_fifty_households_at_once_for_the_last_ten_spaces_get_ten_permits(server: Server) -> None:
    with server.sessions() as session:
        settings = Settings(password_time_cost=1, password_memory_kib=64)
        clock = FixedClock(datetime(2026, 11, 26, 2, 0, tzinfo=UTC))
        for n in range(50):
            make_user(session, settings, clock, username=f"resident{n}", role=Role.resident)
            make_household(session, clock, address="光明胡同1号", label=f"{n}号", username=f"resident{n}")
        session.commit()
    operator = login(server.url, "operator")
    lot = {
        "name": "最后十个车位",
        "kind": "new_lot",
        "geometry": {"type": "Point", "coordinates": [116.368, 39.9025]},
        "spaces": 10,
    }
    lot_id = httpx.post(f"{server.url}/api/parking/lots", json=lot, headers=operator, timeout=10).json()["id"]
    tokens = [login(server.url, f"resident{n}") for n in range(50)]
    body = {"lot_id": lot_id, "plate": "京A00000"}
    answers = fire_each(
        [
            ("POST", f"{server.url}/api/parking/applications", {"json": body | {"plate": f"京A{n:05d}"}, "headers": t})
            for n, t in enumerate(tokens)
        ]
    )
    assert statuses(answers) == {201: 50}, [a.text for a in answers if a.status_code != 201]
    assert Counter(a.json()["status"] for a in answers) == {"granted": 10, "waiting": 40}
    # Each answer says the place as that request saw it; once all are in, the list runs 1 … 40 without a gap.
    listed = httpx.get(
        f"{server.url}/api/parking/applications", params={"lot_id": lot_id, "status": "waiting"}, headers=operator
    ).json()["items"]
    assert sorted(a["position"] for a in listed) == list(range(1, 41))
    with server.sessions() as session:
        held = session.execute(
            select(Permit.space_id, func.count()).where(Permit.lot_id == lot_id).group_by(Permit.space_id)
        ).all()
        assert len(held) == 10 and all(count == 1 for _, count in held)
        assert session.scalar(select(func.count()).select_from(SpaceClaim)) == 10


def test_one_car_is_checked_in_once_and_out_once_however_many_inspectors_at_once(server: Server) -> None:
    operator = login(server.url, "operator")
    lot = {"name": "巡查停车场", "kind": "new_lot", "geometry": {"type": "Point", "coordinates": [116.368, 39.9025]}}
    lot_id = httpx.post(f"{server.url}/api/parking/lots", json=lot | {"spaces": 3}, headers=operator).json()["id"]
    worker = login(server.url, "grid_worker")
    arrivals = fire(
        20, "POST", f"{server.url}/api/parking/visits", json={"lot_id": lot_id, "plate": "京A99999"}, headers=worker
    )
    assert statuses(arrivals) == {201: 1, 409: 19}, [a.text for a in arrivals if a.status_code >= 500]
    visit_id = next(a.json()["id"] for a in arrivals if a.status_code == 201)
    departures = fire(20, "POST", f"{server.url}/api/parking/visits/{visit_id}/check-out", json={}, headers=worker)
    assert statuses(departures) == {200: 1, 409: 19}, [a.text for a in departures if a.status_code >= 500]
    with server.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Visit)) == 1
        # No permit: one violation, found on arrival, however many tried to record it.
        assert session.scalar(select(func.count()).select_from(Violation)) == 1


def test_two_hundred_redemptions_at_once_of_a_reward_with_ten_in_stock_give_ten(server: Server) -> None:
    with server.sessions() as session:
        clock = FixedClock(datetime(2026, 11, 26, 2, 0, tzinfo=UTC))
        homes = [make_household(session, clock, address="光明胡同1号", label=f"{n}号") for n in range(40)]
        cards = [waste.issue_card(session, household_id=h.id, now=clock.now()) for h in homes]
        session.commit()
        ids = [h.id for h in homes]
    collector, operator = login(server.url, "steward"), login(server.url, "operator")
    bag = {"card_code": cards[0].code, "kind": "kitchen", "correct": True, "idempotency_key": "same-bag-001"}
    # One bag, its registration sent twenty times at once (a phone retrying on a bad line): counted once.
    replays = fire(20, "POST", f"{server.url}/api/waste/deposits", json=bag, headers=collector)
    assert statuses(replays) == {201: 1, 200: 19}, [a.text for a in replays if a.status_code >= 300]
    for n, card in enumerate(cards):  # 4 points each (two bags: the day's cap)
        for k in range(2 if n else 1):
            body = bag | {"card_code": card.code, "idempotency_key": f"bag-{n:03d}-{k}"}
            assert httpx.post(f"{server.url}/api/waste/deposits", json=body, headers=collector).status_code == 201
    reward = {"name": "节水龙头", "points": 1, "stock": 10}
    reward_id = httpx.post(f"{server.url}/api/waste/rewards", json=reward, headers=operator).json()["id"]
    answers = fire_each(
        [
            (
                "POST",
                f"{server.url}/api/waste/redemptions",
                {
                    "json": {"household_id": ids[n % 40], "reward_id": reward_id, "idempotency_key": f"redeem-{n:04d}"},
                    "headers": operator,
                },
            )
            for n in range(200)
        ]
    )
    assert statuses(answers) == {201: 10, 409: 190}, [a.text for a in answers if a.status_code not in (201, 409)]
    assert {a.json()["code"] for a in answers if a.status_code == 409} == {"out_of_stock"}
    with server.sessions() as session:
        assert session.scalar(select(Reward.stock).where(Reward.id == reward_id)) == 0
        assert session.scalar(select(func.count()).select_from(Redemption)) == 10
        assert session.scalar(select(func.count()).select_from(Deposit)) == 40 * 2
        # The ledger adds up: 80 bags of 2 points, 10 points spent, nobody below zero.
        assert session.scalar(select(func.sum(PointEntry.amount))) == 160 - 10
        lowest = session.scalar(
            select(func.min(select(func.sum(PointEntry.amount)).group_by(PointEntry.household_id).subquery().c[0]))
        )
        assert lowest is not None and lowest >= 0
