"""Tickets from the city's export: their own fields, their limits by the rules, the platform's record of contact
and 办结, repeat callers linked, "me too" tickets kept apart, and a second import of the same file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiexiang.core.config import Settings
from jiexiang.core.time import FixedClock
from jiexiang.domains.cases.models import QuarantinedRow, Report
from jiexiang.domains.hotline.enums import TicketAction, TicketKind, TicketStatus
from jiexiang.domains.hotline.models import Ticket, TicketStep
from jiexiang.ingest import hotline
from jiexiang.ingest.service import Intake
from tests.factories import Town

HEADER = (
    "工单编号,来电时间,派单时间,工单类型,诉求内容,经度,纬度,问题分类,承办单位,配合单位,来电号码,"
    "联系时间,办结时间,处理结果,办理时限\n"
)
LINES = {
    # 井盖 is urgent by the rules: an hour to contact.
    "K1": "K1,2026-11-20 08:00,2026-11-20 08:10,求助,井盖丢了,116.3720,39.9020,井盖缺失,路灯所,自来水公司、社区,"
    "13800000001,,,,",
    # The same caller, place and category four days later: a repeat of K1.
    "K2": "K2,2026-11-24 08:00,,投诉,井盖还是没有,116.3721,39.9020,井盖缺失,路灯所,,13800000001,,,,",
    # Another caller about the same heap as K4 (below) the same morning: one case, two tickets.
    "K3": "K3,2026-11-20 09:00,2026-11-20 09:05,投诉,胡同口堆满杂物,116.3680,39.9020,堆物堆料,,,13800000003,"
    "2026-11-20 10:00,2026-11-21 10:00,已解决,2026-11-22 18:00",
    "K4": "K4,2026-11-20 09:30,2026-11-20 09:35,举报,胡同口的杂物,116.3681,39.9020,堆物堆料,,,13800000004,,,,",
    # The same caller as K1, another category: not a repeat.
    "K5": "K5,2026-11-21 08:00,,建议,路灯太暗,116.3720,39.9020,路灯不亮,,,13800000001,,,,",
}


def _import(session: Session, settings: Settings, clock: FixedClock, path: Path, lines: list[str]) -> Intake:
    path.write_text(HEADER + "\n".join(lines) + "\n", "utf-8")
    intake = Intake(session, settings=settings, clock=clock)
    intake.apply_many(list(hotline.read(path)))
    session.flush()
    return intake


def _tickets(session: Session) -> dict[str, Ticket]:
    return {t.ticket_no: t for t in session.scalars(select(Ticket))}


def beijing(text: str) -> datetime:
    return datetime.fromisoformat(text + "+08:00").astimezone(UTC)


def test_a_ticket_keeps_its_own_fields_and_limits(
    session: Session, settings: Settings, clock: FixedClock, town: Town, tmp_path: Path
) -> None:
    _import(session, settings, clock, tmp_path / "a.csv", list(LINES.values()))
    tickets = _tickets(session)
    k1 = tickets["K1"]
    assert k1.kind is TicketKind.help and k1.urgent
    assert k1.dispatched_at == beijing("2026-11-20 08:10")
    assert k1.respond_by == beijing("2026-11-20 09:10")  # urgent: one hour
    assert k1.finish_by == beijing("2026-11-27 08:10")  # the rules' 7 days
    assert k1.lead_unit_id == town.ids["lights"] and k1.assisting_units == ["自来水公司", "社区"]
    k3 = tickets["K3"]
    assert not k3.urgent and k3.respond_by == beijing("2026-11-21 09:05")
    assert k3.finish_by == beijing("2026-11-22 18:00")  # the ticket's own deadline
    assert k3.lead_unit_id is None and k3.lead_unit_name is None
    assert k3.contacted_at == beijing("2026-11-20 10:00")
    assert (k3.status, k3.finished_at, k3.result) == (TicketStatus.finished, beijing("2026-11-21 10:00"), "已解决")
    assert [s.action for s in k3.steps] == [TicketAction.contact, TicketAction.reply]
    assert tickets["K4"].kind is TicketKind.complaint  # 举报 is a complaint
    assert tickets["K2"].dispatched_at == beijing("2026-11-24 08:00")  # no 派单时间: when it came in


def test_repeat_calls_are_linked_and_me_too_tickets_kept_apart(
    session: Session, settings: Settings, clock: FixedClock, town: Town, tmp_path: Path
) -> None:
    _import(session, settings, clock, tmp_path / "a.csv", list(LINES.values()))
    tickets = _tickets(session)
    assert tickets["K2"].repeat_of_id == tickets["K1"].id
    assert tickets["K5"].repeat_of_id is None  # same caller, other problem
    assert tickets["K4"].repeat_of_id is None
    cases = dict(session.execute(select(Report.external_id, Report.case_id)).all())
    assert cases["K3"] == cases["K4"] and tickets["K3"].id != tickets["K4"].id


def test_a_caller_a_month_later_is_a_new_ticket(
    session: Session, settings: Settings, clock: FixedClock, town: Town, tmp_path: Path
) -> None:
    earlier = LINES["K1"].replace("2026-11-20 08:00,2026-11-20 08:10", "2026-10-20 08:00,2026-10-20 08:10")
    _import(session, settings, clock, tmp_path / "a.csv", [earlier, LINES["K2"]])
    assert _tickets(session)["K2"].repeat_of_id is None
    assert beijing("2026-11-24 08:00") - beijing("2026-10-20 08:10") > timedelta(days=30)


def test_importing_again_adds_nothing_and_takes_what_the_platform_added(
    session: Session, settings: Settings, clock: FixedClock, town: Town, tmp_path: Path
) -> None:
    _import(session, settings, clock, tmp_path / "a.csv", list(LINES.values()))
    steps = session.scalars(select(TicketStep.id)).all()
    _import(session, settings, clock, tmp_path / "a.csv", list(LINES.values()))
    assert session.scalars(select(TicketStep.id)).all() == steps
    contacted = LINES["K4"].replace("13800000004,,,,", "13800000004,2026-11-20 11:00,,,")
    _import(session, settings, clock, tmp_path / "b.csv", [contacted])
    k4 = _tickets(session)["K4"]
    assert k4.contacted_at == beijing("2026-11-20 11:00") and [s.action for s in k4.steps] == [TicketAction.contact]
    assert len(_tickets(session)) == 5


def test_a_time_that_is_not_one_is_quarantined_with_its_column(
    session: Session, settings: Settings, clock: FixedClock, town: Town, tmp_path: Path
) -> None:
    bad = LINES["K4"].replace("13800000004,,,,", "13800000004,明天上午,,,")
    _import(session, settings, clock, tmp_path / "a.csv", [bad])
    assert _tickets(session) == {}
    reasons = session.scalars(select(QuarantinedRow.reason)).all()
    assert reasons == ["时间无效：首次联系时间“明天上午”不是时间"]
