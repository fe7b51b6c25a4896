"""The working calendar of an installation: deadlines in a year without the official notice are provisional
(and say so), and importing the notice recounts the open cases' deadlines, each change in the case's history."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from jiexiang.core.config import Settings
from jiexiang.core.errors import InvalidInput
from jiexiang.core.time import FixedClock
from jiexiang.domains.cases.calendars import import_notice
from jiexiang.domains.cases.models import Report
from jiexiang.ingest import hotline
from jiexiang.ingest.service import Intake
from tests.factories import Town
from tests.helpers import NOTICE_2027, login


# Made up for the test: 元旦 1-1 … 1-4 (a Monday), 1-9 (a Saturday) worked instead.
@pytest.fixture
def late_case(session: Session, settings: Settings, clock: FixedClock, town: Town, tmp_path: Path) -> int:
    """A missing manhole cover reported on Wednesday 2026-12-30 15:00: closed within 2 working days."""
    clock.current = datetime(2026, 12, 30, 7, 30, tzinfo=UTC)  # 15:30 in Beijing
    path = tmp_path / "late.csv"
    path.write_text(
        "工单编号,受理时间,诉求内容,事发地址,问题分类\nW9,2026-12-30 15:00,井盖丢了,光明胡同1号,井盖缺失\n", "utf-8"
    )
    intake = Intake(session, settings=settings, clock=clock)
    for item in hotline.read(path):
        intake.apply(item)
    session.commit()
    return session.execute(select(Report.case_id).where(Report.external_id == "W9")).scalar_one()


def test_a_deadline_in_a_year_without_the_notice_is_provisional_until_it_is_imported(
    client: TestClient, session: Session, settings: Settings, clock: FixedClock, late_case: int
) -> None:
    operator = login(client, "operator")
    detail = client.get(f"/api/cases/{late_case}", headers=operator).json()
    # 12-31 is the first working day; 1-1 is 元旦 by law, then a weekend: the second is Monday 1-4.
    assert detail["close_due_at"] == "2027-01-04T17:30:00+08:00"
    assert detail["provisional_deadlines"] == ["close"]  # 立案 runs in clock hours: not provisional
    assert detail["deadline_provisional"] is False  # what matters now is 立案 (1 urgent hour)
    listed = client.get("/api/cases", headers=operator, params={"status": "reported"}).json()["items"]
    assert {c["id"]: c["deadline_provisional"] for c in listed}[late_case] is False

    result = import_notice(
        session, text=NOTICE_2027, file_name="2027.toml", settings=settings, clock=clock, actor_id=None
    )
    session.commit()
    assert (result.year, result.replaced, result.cases_changed) == (2027, False, 1)
    detail = client.get(f"/api/cases/{late_case}", headers=operator).json()  # the server sees the notice at once
    assert detail["close_due_at"] == "2027-01-05T17:30:00+08:00"
    assert detail["provisional_deadlines"] == []
    event = detail["events"][-1]
    assert event["action"] == "recalculate" and event["actor_name"] is None
    assert event["note"] == "2027 年工作日历已按官方通知更新：结案时限 2027-01-04 17:30 → 2027-01-05 17:30"

    again = import_notice(session, text=NOTICE_2027, file_name=None, settings=settings, clock=clock, actor_id=None)
    assert (again.replaced, again.cases_changed) == (True, 0)  # importing it again changes nothing


def test_the_current_deadline_says_when_it_is_provisional(
    client: TestClient, town: Town, clock: FixedClock, late_case: int
) -> None:
    for username, action, extra in [
        ("operator", "register", {}),
        ("dispatcher", "dispatch", {"unit_id": town.ids["water"]}),
    ]:
        client.post(
            f"/api/cases/{late_case}/transitions", headers=login(client, username), json={"action": action, **extra}
        )
    detail = client.get(f"/api/cases/{late_case}", headers=login(client, "operator")).json()
    # 处置 runs in urgent hours (8 h from 15:30 → 23:30), before the provisional 结案: not provisional now.
    assert (detail["deadline_at"], detail["deadline_provisional"]) == ("2026-12-30T23:30:00+08:00", False)
    clock.current = datetime(2026, 12, 31, 2, 0, tzinfo=UTC)
    client.post(
        f"/api/cases/{late_case}/transitions",
        headers=login(client, "water_handler"),
        json={"action": "accept"},
    )
    client.post(
        f"/api/cases/{late_case}/transitions", headers=login(client, "water_handler"), json={"action": "feedback"}
    )
    verifying = client.get(f"/api/cases/{late_case}", headers=login(client, "operator")).json()
    assert verifying["status"] == "verifying"
    assert (verifying["deadline_at"], verifying["deadline_provisional"]) == ("2027-01-04T17:30:00+08:00", True)


def test_a_bad_notice_changes_nothing(session: Session, settings: Settings, clock: FixedClock, late_case: int) -> None:
    for text, code in [
        ("year = 2027\n[[holidays]]\nname = '元旦'\nstart = 2027-01-05\nend = 2027-01-01\n", "calendar_invalid"),
        (
            "year = 2027\n[[holidays]]\nname = '元旦'\nstart = 2027-01-01\nend = 2027-01-01\nmake_up = [2027-01-05]\n",
            "calendar_invalid",
        ),
        ("holidays = []\n", "calendar_year"),
        ("year = [2027\n", "calendar_format"),
    ]:
        with pytest.raises(InvalidInput) as refused:
            import_notice(session, text=text, file_name=None, settings=settings, clock=clock, actor_id=None)
        assert refused.value.code == code


def test_the_dashboard_is_warned_from_december_while_next_year_is_provisional(
    client: TestClient, session: Session, settings: Settings, clock: FixedClock, town: Town
) -> None:
    operator = login(client, "operator")
    november = client.get("/api/calendar/status", headers=operator).json()
    assert november == {
        "year": 2026,
        "year_official": True,
        "next_year": 2027,
        "next_year_official": False,
        "warning": None,
    }
    clock.current = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)  # 1 December 00:00 in Beijing
    warning = client.get("/api/calendar/status", headers=login(client, "operator")).json()["warning"]
    assert warning.startswith("2027 年的节假日安排尚未导入")
    import_notice(session, text=NOTICE_2027, file_name=None, settings=settings, clock=clock, actor_id=None)
    session.commit()
    assert client.get("/api/calendar/status", headers=login(client, "operator")).json()["warning"] is None


def test_a_year_s_days_off_and_whether_they_are_official(client: TestClient, town: Town) -> None:
    operator = login(client, "operator")
    provisional = client.get("/api/calendar/2027", headers=operator).json()
    assert provisional["official"] is False and provisional["make_up_days"] == []
    assert {"day": "2027-02-09", "name": "春节（补假）"} in provisional["days_off"]
    official = client.get("/api/calendar/2026", headers=operator).json()
    assert official["official"] is True and "2026-02-14" in official["make_up_days"]
    assert client.get("/api/calendar/1999", headers=operator).status_code == 422
    assert client.get("/api/calendar/2027").status_code == 401
