from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from jiexiang.core.time import BEIJING, FixedClock, WorkCalendar, to_local
from jiexiang.domains.cases.jobs import sla_sweep
from jiexiang.domains.cases.sla import Limit, LimitUnit, policy_for
from jiexiang.domains.cases.taxonomy import load_taxonomy
from tests.factories import Town
from tests.helpers import act, login, only_case


@pytest.fixture(scope="module")
def calendar() -> WorkCalendar:
    return WorkCalendar.load(working_hours="08:30-12:00,13:30-17:30")


def test_policies_come_from_data_with_group_and_category_overrides() -> None:
    categories = load_taxonomy().categories
    assert policy_for(categories["1401"]).handle == Limit(4, LimitUnit.urgent_hours)  # waterlogging group
    assert policy_for(categories["1502"]).handle == Limit(20, LimitUnit.working_days)  # category override
    assert policy_for(categories["1502"]).register == Limit(1, LimitUnit.working_hours)  # from its group
    assert policy_for(categories["1101"]).close == Limit(5, LimitUnit.working_days)  # the default


@pytest.mark.parametrize(
    ("limit", "start", "due"),
    [
        ("4 urgent_hours", (2026, 9, 30, 16, 0), (2026, 9, 30, 20, 0)),
        ("4 working_hours", (2026, 9, 30, 16, 0), (2026, 10, 8, 11, 0)),  # across 国庆
        ("2 working_days", (2026, 9, 30, 16, 0), (2026, 10, 9, 17, 30)),
        ("2 calendar_days", (2026, 9, 30, 16, 0), (2026, 10, 2, 16, 0)),
        # A plain weekend: Friday's last two hours, then Monday morning.
        ("4 working_hours", (2026, 11, 27, 15, 30), (2026, 11, 30, 10, 30)),
        ("1 working_days", (2026, 11, 27, 9, 0), (2026, 11, 30, 17, 30)),
        # 春节 2026: Saturday 2-14 is a make-up working day, then 2-15 … 2-23 off.
        ("4 working_hours", (2026, 2, 13, 16, 0), (2026, 2, 14, 11, 0)),
        ("2 working_days", (2026, 2, 13, 10, 0), (2026, 2, 24, 17, 30)),
        ("8 working_hours", (2026, 2, 14, 13, 30), (2026, 2, 24, 14, 0)),
        # 调休 Saturdays after 春节 (2-28) and 国庆 (10-10) are working days.
        ("1 working_days", (2026, 2, 27, 9, 0), (2026, 2, 28, 17, 30)),
        ("1 working_days", (2026, 10, 9, 10, 0), (2026, 10, 10, 17, 30)),
        ("2 working_hours", (2026, 10, 9, 17, 0), (2026, 10, 10, 10, 0)),
        # An urgent-hours limit runs through nights and holidays alike.
        ("24 urgent_hours", (2026, 2, 16, 12, 0), (2026, 2, 17, 12, 0)),
    ],
)
def test_limits_count_on_the_working_calendar(
    calendar: WorkCalendar, limit: str, start: tuple[int, ...], due: tuple[int, ...]
) -> None:
    result = Limit.parse(limit).due(datetime(*start, tzinfo=BEIJING), calendar)  # type: ignore[misc]
    assert result is not None and to_local(result) == datetime(*due, tzinfo=BEIJING)  # type: ignore[misc]


def test_a_year_without_a_notice_counts_on_the_provisional_calendar(calendar: WorkCalendar) -> None:
    due = Limit.parse("3 working_days").due(datetime(2027, 3, 1, tzinfo=BEIJING), calendar)
    assert due is not None and to_local(due) == datetime(2027, 3, 4, 17, 30, tzinfo=BEIJING)
    # Beyond the statutory rules nothing can be counted: the deadline is unknown rather than wrong.
    assert Limit.parse("3 working_days").due(datetime(2300, 3, 1, tzinfo=BEIJING), calendar) is None


@pytest.mark.parametrize("text", ["3", "0 working_days", "1.5 working_days", "2 fortnights"])
def test_bad_limits_are_refused(text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the message is for developers editing sla.toml
        Limit.parse(text)


def test_deadlines_follow_the_case_and_overdue_is_queryable(
    client: TestClient,
    town: Town,
    clock: FixedClock,
) -> None:
    case_id = only_case(client)
    operator = login(client, "operator")
    detail = client.get(f"/api/cases/{case_id}", headers=operator).json()
    # A manhole cover reported Wed 2026-11-25 09:00: register within 1 urgent hour, close in 2 working days.
    assert detail["register_due_at"] == "2026-11-25T10:00:00+08:00"
    assert detail["close_due_at"] == "2026-11-27T17:30:00+08:00"
    assert detail["overdue"] is True  # the clock says Thursday 10:00 and nobody registered it
    assert client.get("/api/cases?overdue=true", headers=operator).json()["total"] == 1
    act(client, case_id, "operator", "register")
    dispatched = act(client, case_id, "dispatcher", "dispatch", unit_id=town.ids["water"])
    assert dispatched["handle_due_at"] == "2026-11-26T18:00:00+08:00"  # 8 urgent hours from now
    assert dispatched["overdue"] is False
    assert client.get("/api/cases?overdue=true", headers=operator).json()["total"] == 0
    act(client, case_id, "water_handler", "accept")
    extended = act(client, case_id, "dispatcher", "extend", note="需要燃气公司配合")
    assert extended["handle_due_at"] == "2026-11-27T02:00:00+08:00" and extended["extension_count"] == 1
    clock.advance(timedelta(hours=17))  # past the extended deadline (and past the token's life: log in again)
    assert client.get("/api/cases?overdue=true", headers=login(client, "operator")).json()["total"] == 1


def test_the_sweep_marks_due_soon_and_overdue_once_each(
    client: TestClient, town: Town, clock: FixedClock, session: Session
) -> None:
    case_id = only_case(client)
    act(client, case_id, "operator", "register")
    act(client, case_id, "dispatcher", "dispatch", unit_id=town.ids["water"])  # handle by 18:00 today
    session.expire_all()
    assert sla_sweep(session, now=clock.now(), due_soon=timedelta(hours=4))["on_time"] == 1
    first = sla_sweep(session, now=clock.now() + timedelta(hours=5), due_soon=timedelta(hours=4))
    assert (first["due_soon"], first["changed"]) == (1, 1)
    again = sla_sweep(session, now=clock.now() + timedelta(hours=5, minutes=10), due_soon=timedelta(hours=4))
    assert again["changed"] == 0
    late = sla_sweep(session, now=clock.now() + timedelta(hours=9), due_soon=timedelta(hours=4))
    assert (late["overdue"], late["changed"]) == (1, 1)
    events = client.get(f"/api/cases/{case_id}", headers=login(client, "operator")).json()["events"]
    assert [e["action"] for e in events][-2:] == ["due_soon", "overdue"]
    assert events[-1]["note"] == "期限 2026-11-26 18:00" and events[-1]["actor_name"] is None
    refused = act(client, case_id, "admin", "overdue")
    assert refused["http"] == 422 and refused["code"] == "not_a_transition"


def test_the_server_runs_the_sweep(app: FastAPI, town: Town, clock: FixedClock) -> None:
    clock.advance(timedelta(days=3))
    app.state.scheduler.run("sla-sweep")  # what the server runs every JIEXIANG_SWEEP_MINUTES
    with TestClient(app) as client:
        response = client.get("/api/cases?overdue=true", headers=login(client, "operator"))
        assert response.status_code == 200, response.text
        assert response.json()["total"] == 1
