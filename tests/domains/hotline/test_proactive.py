"""Proactive tasks: made where the trouble is, closed with evidence, their effect read from the tickets around
them against untouched cells; and 每月一题 proposed from last month's tickets and adopted once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import h3
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from jiexiang.core.config import Settings
from jiexiang.core.geo import h3_cell, h3_parent
from jiexiang.core.time import FixedClock
from jiexiang.domains.accounts.service import Scope
from jiexiang.domains.cases.enums import ReportSource
from jiexiang.domains.hotline import proactive, service
from jiexiang.domains.hotline.enums import TaskAction, TaskOrigin
from jiexiang.domains.hotline.intake import TicketFields
from jiexiang.domains.hotline.models import ProactiveTask
from jiexiang.ingest.incoming import IncomingReport
from jiexiang.ingest.service import Intake
from tests.factories import Town
from tests.helpers import login

# Points in distinct res-10 cells of the test town: the task's, five untouched ones, and one another task covers.
WORKED = (116.3665, 39.9005)
UNTOUCHED = [(116.3665, 39.9015), (116.3665, 39.9025), (116.3665, 39.9035), (116.3675, 39.9005), (116.3675, 39.9015)]
OTHER_TASKS = (116.3675, 39.9025)


def cell(point: tuple[float, float], resolution: int = 10) -> str:
    """The cell a point counts in: the parent of the fine cell stored with its case, as analytics sees it."""
    return h3_parent(h3_cell(point[0], point[1]), resolution)


def tickets(session: Session, settings: Settings, clock: FixedClock, calls: list[tuple[datetime, str, tuple]]) -> None:
    """Hotline calls (when, the city's category, where) taken in as tickets."""
    items = [
        IncomingReport(
            source=ReportSource.hotline,
            external_id=f"P{i:04d}",
            received_at=when,
            text="反映问题",
            raw={"i": i},
            source_category=category,
            lon=where[0],
            lat=where[1],
            ticket=TicketFields(dispatched_at=when),
        )
        for i, (when, category, where) in enumerate(calls)
    ]
    Intake(session, settings=settings, clock=clock).apply_many(items)
    session.flush()


def day(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 2, tzinfo=UTC)


def spread(start: datetime, count: int, category: str, where: tuple) -> list[tuple[datetime, str, tuple]]:
    """`count` calls a few days apart from `start`."""
    return [(start + timedelta(days=4 * i, hours=i), category, where) for i in range(count)]


def test_a_tasks_effect_is_read_against_untouched_cells(
    session: Session, settings: Settings, clock: FixedClock, town: Town
) -> None:
    cells = [cell(p) for p in (WORKED, *UNTOUCHED, OTHER_TASKS)]
    assert len(set(cells)) == 7
    created, finished = day(7, 1), day(7, 15)
    earlier, before, after = day(3, 12), day(5, 7), day(7, 16)  # the three 8-week windows around the task
    calls = spread(earlier, 2, "堆物堆料", WORKED) + spread(before, 6, "堆物堆料", WORKED)
    calls += spread(after, 1, "堆物堆料", WORKED) + spread(before, 9, "路灯不亮", WORKED)  # another topic: not counted
    # Untouched cells whose weeks after are their weeks before, whatever came earlier.
    for where, (first, second) in zip(UNTOUCHED, [(1, 2), (3, 3), (0, 4), (2, 5), (1, 6)], strict=True):
        calls += spread(earlier, first, "堆物堆料", where) + spread(before, second, "堆物堆料", where)
        calls += spread(after, second, "堆物堆料", where)
    calls += spread(before, 3, "堆物堆料", OTHER_TASKS) + spread(after, 12, "堆物堆料", OTHER_TASKS)
    tickets(session, settings, clock, calls)

    def task(where: tuple[float, float], now: datetime) -> ProactiveTask:
        return service.create_task(
            session,
            data=service.NewTask(
                title="清理堆物",
                origin=TaskOrigin.hotspot,
                owner_unit_id=town.ids["water"],
                due_at=day(7, 31),
                done_when="堆物清空，设置提示牌",
                topic="debris",
                cells=(cell(where),),
                h3_resolution=10,
            ),
            actor=town.users["operator"],
            now=now,
        )

    task(OTHER_TASKS, day(6, 1))  # still open: its cell is no fair comparison
    worked = task(WORKED, created)
    service.close_task(
        session,
        task_id=worked.id,
        action=TaskAction.finish,
        note="已清运 3 车",
        photos=(),
        actor=town.users["admin"],
        now=finished,
    )
    assert proactive.measure(session, worked, now=finished + timedelta(weeks=7)) is None  # not all in yet
    found = proactive.measure(session, worked, now=clock.now())
    assert found is not None
    # The untouched cells say: after = before. The task's cell had 6 before, so 6 expected; it had 1: −5.
    assert (found.before, found.after, found.cells, found.controls) == (6, 1, 1, 5)
    assert found.expected == pytest.approx(6) and found.estimate == pytest.approx(-5)
    summary = proactive.effect_summary(session, scope=Scope(), now=clock.now())
    assert summary.tasks == 1 and summary.estimate == pytest.approx(-5)


def test_tasks_are_made_and_closed_by_whom_may(client: TestClient, town: Town) -> None:
    body = {
        "title": "治理力学胡同路灯",
        "origin": "warning",
        "topic": "street_light",
        "alley_ids": [town.ids["A2"]],
        "owner_unit_id": town.ids["water"],
        "due_at": "2026-12-31T00:00:00+08:00",
        "done_when": "路灯全部亮起",
    }
    assert client.post("/api/hotline/tasks", json=body, headers=login(client, "handler")).status_code == 403
    operator = login(client, "operator")
    for bad, message in (
        ({"alley_ids": []}, "请指定任务的位置"),
        ({"cells": ["not-a-cell"]}, "网格编码“not-a-cell”无效"),
        ({"due_at": "2026-11-01T00:00:00+08:00"}, "完成时限应晚于现在"),
        ({"topic": "ufo"}, "专题“ufo”不存在"),
    ):
        response = client.post("/api/hotline/tasks", json=body | bad, headers=operator)
        assert response.status_code == 422 and message in response.json()["message"], response.text
    response = client.post("/api/hotline/tasks", json=body, headers=operator)
    assert response.status_code == 201, response.text
    task = response.json()
    assert task["cells"] and all(h3.get_resolution(c) == 9 for c in task["cells"])  # along 力学胡同
    assert task["owner_unit_name"] == "自来水公司" and task["status"] == "open"
    path = f"/api/hotline/tasks/{task['id']}"
    assert client.post(f"{path}/cancel", json={"note": "x"}, headers=login(client, "water_handler")).status_code == 403
    response = client.post(f"{path}/finish", json={}, headers=login(client, "water_handler"))
    assert response.status_code == 422 and "完成情况" in response.json()["message"]
    response = client.post(f"{path}/finish", json={"note": "已全部修复"}, headers=login(client, "water_handler"))
    assert response.status_code == 200 and response.json()["status"] == "done"
    assert response.json()["effect"] is None and response.json()["measured_from"].startswith("2027-01-21")
    response = client.post(f"{path}/finish", json={"note": "再完成"}, headers=operator)
    assert response.status_code == 422 and "已完成" in response.json()["message"]
    assert client.get("/api/hotline/tasks", headers=operator).json()["total"] == 1
    assert client.get("/api/hotline/tasks/effect", headers=operator).json() == {
        "tasks": 0,
        "estimate": None,
        "low": None,
        "high": None,
    }


def test_monthly_topics_rank_last_months_trouble_and_are_adopted_once(
    session: Session, settings: Settings, clock: FixedClock, town: Town, client: TestClient
) -> None:
    west, east = (116.3680, 39.9020), (116.3720, 39.9020)
    calls = (
        spread(day(11, 2), 6, "堆物堆料", west)  # November: six, against one a month before
        + [(day(month, 5), "堆物堆料", west) for month in (8, 9, 10)]
        + spread(day(11, 3), 3, "路灯不亮", east)  # three, as every month before
        + [(day(month, d), "路灯不亮", east) for month in (8, 9, 10) for d in (3, 13, 23)]
        + spread(day(11, 4), 2, "占道经营", east)  # too few to propose
    )
    tickets(session, settings, clock, calls)
    session.commit()
    operator = login(client, "operator")
    topics = client.get("/api/hotline/monthly-topics", params={"month": "2026-12"}, headers=operator).json()
    assert [(t["topic"], t["community_name"], t["tickets"]) for t in topics] == [
        ("debris", "西社区", 6),
        ("street_light", "东社区", 3),
    ]
    first = topics[0]
    assert first["baseline"] == 1.0 and first["growth"] == 5.0
    assert first["reason"] == "上月 6 件，前三个月月均 1.0 件（增长 500%）"
    assert first["cells"] == [cell(west, 9)] and first["adopted_task_id"] is None
    adopt = {
        "title": f"每月一题：{first['community_name']}{first['topic_name']}",
        "origin": "monthly",
        "month": "2026-12",
        "topic": first["topic"],
        "community_id": first["community_id"],
        "cells": first["cells"],
        "owner_unit_id": town.ids["water"],
        "due_at": "2026-12-31T00:00:00+08:00",
        "done_when": "胡同口无堆物",
    }
    created = client.post("/api/hotline/tasks", json=adopt, headers=operator)
    assert created.status_code == 201, created.text
    again = client.post("/api/hotline/tasks", json=adopt, headers=operator)
    assert again.status_code == 409 and "已采纳" in again.json()["message"]
    topics = client.get("/api/hotline/monthly-topics", params={"month": "2026-12"}, headers=operator).json()
    assert topics[0]["adopted_task_id"] == created.json()["id"]
    bad = client.get("/api/hotline/monthly-topics", params={"month": "2026-13"}, headers=operator)
    assert bad.status_code == 422
