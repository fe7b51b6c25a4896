"""The ticket loop through the API as each role would use it: who may take which step, who sees which ticket,
the callback queue, and the rates the dashboard reads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from jiexiang.core.config import Settings
from jiexiang.core.time import FixedClock
from jiexiang.domains.accounts.enums import Role
from jiexiang.domains.hotline.models import Ticket
from jiexiang.ingest import hotline
from jiexiang.ingest.service import Intake
from tests.factories import Town, make_user
from tests.helpers import act, login

# NOW is Beijing 10:00 on 2026-11-26. H1 (光明胡同, west, 自来水公司) was dispatched the day before at 09:00: its
# 24 hours ran out an hour ago. H2 (力学胡同, east, 路灯所) came in this morning.
ORDERS = """工单编号,受理时间,派单时间,诉求内容,经度,纬度,问题分类,主办单位,来电号码
H1,2026-11-25 08:50,2026-11-25 09:00,胡同里堆满建筑垃圾,116.3680,39.9020,堆物堆料,自来水公司,13800000001
H2,2026-11-26 07:50,2026-11-26 08:00,路灯不亮,116.3720,39.9020,路灯不亮,路灯所,13800000002
"""


@pytest.fixture
def tickets(session: Session, settings: Settings, clock: FixedClock, town: Town, tmp_path: Path) -> dict[str, int]:
    make_user(
        session,
        settings,
        clock,
        username="lights_steward",
        role=Role.steward,
        unit_id=town.ids["lights"],
        limited_to_unit=True,
    )
    path = tmp_path / "orders.csv"
    path.write_text(ORDERS, "utf-8")
    intake = Intake(session, settings=settings, clock=clock)
    intake.apply_many(list(hotline.read(path)))
    session.commit()
    return dict(session.execute(select(Ticket.ticket_no, Ticket.id)).all())


def step(client: TestClient, ticket_id: int, username: str, action: str, **extra: object) -> tuple[int, dict[str, Any]]:
    response = client.post(
        f"/api/hotline/tickets/{ticket_id}/steps", headers=login(client, username), json={"action": action, **extra}
    )
    return response.status_code, response.json()


def seen(client: TestClient, username: str, path: str = "/api/hotline/tickets") -> set[str]:
    response = client.get(path, headers=login(client, username))
    assert response.status_code == 200, response.text
    return {item["ticket_no"] for item in response.json()["items"]}


def test_a_unit_contacts_handles_and_replies_to_its_ticket(client: TestClient, tickets: dict[str, int]) -> None:
    h1 = tickets["H1"]
    assert seen(client, "water_handler") == {"H1"}
    code, body = step(client, h1, "water_handler", "contact", method="phone", note="约好明天上午清运")
    assert code == 200, body
    assert body["contacted_in_time"] is False  # an hour past its 24 hours
    assert step(client, h1, "water_handler", "handle", note="已清运", photos=[])[0] == 200
    code, body = step(client, h1, "water_handler", "reply", note="已清运完毕")
    assert code == 422 and "办理结果" in body["message"]
    code, body = step(client, h1, "water_handler", "reply", note="已清运完毕，感谢反映", result="已解决")
    assert code == 200 and body["status"] == "finished" and body["reply"] == "已清运完毕，感谢反映"
    assert [s["action"] for s in body["steps"]] == ["contact", "handle", "reply"]
    assert {s["actor_name"] for s in body["steps"]} == {"water_handler"}
    assert body["allowed_actions"] == ["appeal"]
    assert body["case_events"] == []
    assert act(client, body["case_id"], "operator", "register")["http"] == 200
    detail = client.get(f"/api/hotline/tickets/{h1}", headers=login(client, "water_handler")).json()
    assert [e["action_label"] for e in detail["case_events"]] == ["立案"]  # the case's own work shows on the ticket
    code, body = step(client, h1, "water_handler", "contact", method="phone", note="再联系")
    assert code == 422 and "已办结" in body["message"]


def test_a_reply_needs_a_contact_first_and_a_contact_its_method(client: TestClient, tickets: dict[str, int]) -> None:
    code, body = step(client, tickets["H2"], "handler", "reply", note="已修复", result="已解决")
    assert code == 422 and body["message"] == "答复前请先联系诉求人"
    code, body = step(client, tickets["H2"], "handler", "contact", note="打过电话")
    assert code == 422 and "联系方式" in body["message"]
    code, body = step(client, tickets["H2"], "handler", "contact", method="visit")
    assert code == 422 and body["message"] == "联系诉求人需要填写说明"
    code, body = step(client, tickets["H2"], "handler", "contact", method="visit", note="上门")
    assert code == 200 and body["contacted_in_time"] is True


def test_each_step_needs_its_role(client: TestClient, tickets: dict[str, int]) -> None:
    h2 = tickets["H2"]
    assert step(client, h2, "grid_worker", "contact", method="phone", note="x")[0] == 403
    assert step(client, h2, "handler", "return", note="路灯归区路灯中心管")[0] == 200
    code, body = step(client, h2, "handler", "accept_return", note="同意")
    assert code == 403 and "同意退单" in body["message"]
    code, body = step(client, h2, "operator", "refuse_return", note="辖区内路灯由路灯所负责")
    assert code == 200 and body["status"] == "open"
    assert step(client, h2, "handler", "return", note="再申请")[0] == 200
    code, body = step(client, h2, "operator", "accept_return")
    assert code == 200 and body["status"] == "returned" and body["counts"] is False
    code, body = step(client, h2, "handler", "contact", method="phone", note="x")
    assert code == 422 and "已退单" in body["message"]


def test_an_accepted_appeal_takes_the_ticket_out_of_the_rates(client: TestClient, tickets: dict[str, int]) -> None:
    h1 = tickets["H1"]
    assert step(client, h1, "handler", "appeal")[0] == 422  # evidence is required
    assert step(client, h1, "handler", "appeal", note="要求不合理", photos=[])[0] == 200
    assert step(client, h1, "handler", "appeal", note="再申诉")[0] == 422
    code, body = step(client, h1, "operator", "accept_appeal", note="属实")
    assert code == 200 and body["appeal"] == "accepted" and body["counts"] is False


def test_an_extension_must_move_the_deadline_later(client: TestClient, tickets: dict[str, int]) -> None:
    h1 = tickets["H1"]
    assert step(client, h1, "handler", "extend", note="需协调", due_at="2026-12-31T00:00:00+08:00")[0] == 403
    code, body = step(client, h1, "operator", "extend", note="需协调")
    assert code == 422 and "新时限" in body["message"]
    code, body = step(client, h1, "operator", "extend", note="需协调", due_at="2026-12-31T00:00:00+08:00")
    assert code == 200 and body["finish_by"].startswith("2026-12-30T16:00")


def test_who_sees_which_ticket(client: TestClient, tickets: dict[str, int]) -> None:
    assert seen(client, "operator") == {"H1", "H2"}
    assert seen(client, "west_worker") == {"H1"}
    assert seen(client, "a2_chief") == {"H2"}
    assert seen(client, "lights_steward") == {"H2"}  # the lead unit named by the city
    response = client.get(f"/api/hotline/tickets/{tickets['H2']}", headers=login(client, "water_handler"))
    assert response.status_code == 404
    assert step(client, tickets["H2"], "water_handler", "contact", method="phone", note="x")[0] == 404
    assert client.get("/api/hotline/tickets", headers=login(client, "resident")).status_code == 403


def test_the_callback_queue_and_our_own_callback(client: TestClient, tickets: dict[str, int]) -> None:
    h1 = tickets["H1"]
    step(client, h1, "handler", "contact", method="phone", note="已联系")
    step(client, h1, "handler", "reply", note="已清运", result="已解决")
    assert seen(client, "operator", "/api/hotline/callback-queue") == {"H1"}
    assert client.get("/api/hotline/callback-queue", headers=login(client, "handler")).status_code == 403
    response = client.post(
        f"/api/hotline/tickets/{h1}/callbacks",
        headers=login(client, "operator"),
        json={"contacted": True, "resolved": True, "satisfaction": "satisfied"},
    )
    assert response.status_code == 200
    assert [c["source"] for c in response.json()["callbacks"]] == ["own"]
    assert response.json()["city_callback"] is None  # ours is not the city's: the rates wait for that
    assert seen(client, "operator", "/api/hotline/callback-queue") == set()
    response = client.post(
        f"/api/hotline/tickets/{tickets['H2']}/callbacks", headers=login(client, "operator"), json={"resolved": True}
    )
    assert response.status_code == 422 and "已办结" in response.json()["message"]


def test_the_rates_and_the_tickets_that_lost_points(client: TestClient, tickets: dict[str, int]) -> None:
    step(client, tickets["H2"], "handler", "contact", method="phone", note="已联系")
    headers = login(client, "operator")
    body = client.get("/api/hotline/rates", params={"period": "2026-11", "by": "community"}, headers=headers).json()
    by_name = {row["name"]: row for row in body["rows"]}
    assert by_name["西社区"]["dispatched"] == 1 and by_name["西社区"]["responded"] == 0
    assert by_name["东社区"]["respond_rate"] == 1.0
    assert by_name["东社区"]["score"] is None and by_name["东社区"]["rank"] is None  # no callback yet
    assert body["total"]["dispatched"] == 2 and body["total"]["respond_rate"] == 0.5
    assert "响应率" in body["definitions"] and "10%" in body["definitions"]["综合得分"]
    assert seen(client, "operator", "/api/hotline/tickets?lost=true") == {"H1"}
    west = client.get("/api/hotline/rates", params={"period": "2026-11"}, headers=login(client, "west_worker")).json()
    assert [row["name"] for row in west["rows"]] == ["西社区"]
    trend = client.get("/api/hotline/rates/trend", params={"months": 2}, headers=headers).json()
    assert [(p["period"], p["dispatched"]) for p in trend] == [("2026-10", 0), ("2026-11", 2)]
    response = client.get("/api/hotline/rates", params={"period": "2026-1x"}, headers=headers)
    assert response.status_code == 422 and "格式不对" in response.json()["message"]


# Who may take which step, written out by hand (not read from the code): the units and the centre work the
# loop; only the centre decides returns, appeals and extensions.
WORK = {"admin", "operator", "handler", "steward"}
DECIDE = {"admin", "operator"}
MAY = {
    "contact": WORK,
    "handle": WORK,
    "reply": WORK,
    "return": WORK,
    "appeal": WORK,
    "extend": DECIDE,
    "accept_return": DECIDE,
    "refuse_return": DECIDE,
    "accept_appeal": DECIDE,
    "reject_appeal": DECIDE,
}
ROLES = ["admin", "operator", "dispatcher", "handler", "chief", "grid_worker", "steward", "resident"]


@pytest.mark.parametrize("action", sorted(MAY))
def test_each_step_is_open_to_the_roles_that_may_take_it(
    client: TestClient, tickets: dict[str, int], action: str
) -> None:
    for role in ROLES:
        code, body = step(client, tickets["H2"], role, action, note="说明", method="phone", result="已解决")
        if role in MAY[action]:
            assert code != 403, (role, body)  # allowed: any refusal is about the ticket's state
        else:
            assert code == 403, (role, code, body)
