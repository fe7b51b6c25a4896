"""The demo's 12345 loop: each ticket of the two years contacted, answered and called back by the city as a
real month goes — most contacts in time and some late, a few returns and appeals, and callbacks that find some
problems unsolved and some callers unsatisfied, more often where the contact was late or the work redone.
Each unit has its own habits, so that the ranking has something to rank. Taken through the real services."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiexiang.core.time import BEIJING
from jiexiang.domains.accounts.enums import Role
from jiexiang.domains.accounts.models import User
from jiexiang.domains.accounts.service import Scope
from jiexiang.domains.cases.enums import CaseStatus
from jiexiang.domains.hotline import proactive, service
from jiexiang.domains.hotline.enums import (
    CallbackSource,
    ContactMethod,
    Satisfaction,
    TaskAction,
    TaskOrigin,
    TicketAction,
    TicketKind,
    TicketStatus,
)
from jiexiang.domains.hotline.intake import TicketFields
from jiexiang.domains.hotline.models import Ticket
from jiexiang.domains.hotline.queries import month_of, shift_month
from jiexiang.domains.hotline.service import CallbackAnswer, StepCreate

KINDS = {
    TicketKind.complaint: 0.55,
    TicketKind.help: 0.3,
    TicketKind.inquiry: 0.08,
    TicketKind.suggestion: 0.05,
    TicketKind.praise: 0.02,
}


def ticket_fields(rng: random.Random, received_at: datetime) -> TicketFields:
    """What the city's export says of a demo ticket: its kind, and that it was dispatched a little after the call."""
    kind = rng.choices(list(KINDS), weights=list(KINDS.values()))[0]
    return TicketFields(kind=kind, dispatched_at=received_at + timedelta(minutes=rng.uniform(5, 90)))


def work_tickets(session: Session, *, rng: random.Random, now: datetime) -> int:
    """Take every ticket through as much of its loop as its age allows; returns how many were called back."""
    users = list(session.scalars(select(User).where(User.is_active)))
    operator = next(u for u in users if u.role is Role.operator)
    handlers: dict[int | None, User] = {
        u.unit_id: u for u in users if u.role in (Role.handler, Role.steward) and u.unit_id
    }
    habits: dict[int | None, tuple[float, float]] = {}  # unit → (share contacted late, share left unsolved)
    called_back = 0
    for ticket in session.scalars(select(Ticket).order_by(Ticket.dispatched_at, Ticket.id)).all():
        case = ticket.report.case
        unit = case.handling_unit
        if unit is not None:
            ticket.lead_unit_id, ticket.lead_unit_name = unit.id, unit.name
        late_share, unsolved_share = habits.setdefault(
            unit.id if unit else None, (rng.uniform(0.03, 0.22), rng.uniform(0.04, 0.2))
        )
        actor = handlers.get(unit.id if unit else None, operator)
        called_back += _loop(
            session,
            ticket,
            rng=rng,
            now=now,
            actor=actor,
            centre=operator,
            late_share=late_share,
            unsolved_share=unsolved_share,
            reworked=case.rework_count > 0,
            finished_at=case.closed_at if case.status is CaseStatus.closed else case.rejected_at,
        )
    return called_back


def _loop(
    session: Session,
    ticket: Ticket,
    *,
    rng: random.Random,
    now: datetime,
    actor: User,
    centre: User,
    late_share: float,
    unsolved_share: float,
    reworked: bool,
    finished_at: datetime | None,
) -> int:
    def act(
        who: User,
        at: datetime,
        action: TicketAction,
        note: str,
        method: ContactMethod | None = None,
        result: str | None = None,
    ) -> bool:
        if at >= now:
            return False
        step = StepCreate(action, note, method=method, result=result)
        service.act(session, ticket_id=ticket.id, step=step, actor=who, now=at)
        return True

    start = ticket.dispatched_at
    if rng.random() < 0.01:  # not ours: handed back
        act(actor, start + timedelta(hours=rng.uniform(0.5, 3)), TicketAction.return_, "该事项不属于本单位职责")
        act(centre, start + timedelta(hours=rng.uniform(3, 8)), TicketAction.accept_return, "同意退回")
        return 0
    limit = (ticket.respond_by - start) if ticket.respond_by else timedelta(hours=24)
    late = rng.random() < late_share
    contact_at = start + limit * (rng.uniform(1.02, 2.5) if late else rng.uniform(0.05, 0.9))
    method = rng.choice([ContactMethod.phone, ContactMethod.phone, ContactMethod.visit])
    if not act(actor, contact_at, TicketAction.contact, "已与诉求人沟通，告知处理安排", method=method):
        return 0
    if rng.random() < 0.02:  # the demand cannot be met
        act(actor, contact_at + timedelta(hours=2), TicketAction.appeal, "诉求超出政策范围，已向诉求人解释")
        accepted = rng.random() < 0.6
        act(
            centre,
            contact_at + timedelta(days=1),
            TicketAction.accept_appeal if accepted else TicketAction.reject_appeal,
            "经核实属实" if accepted else "证据不足，请继续办理",
        )
    if finished_at is None or finished_at < contact_at:
        return 0
    explained = ticket.status is TicketStatus.open and rng.random() < 0.05
    result = "已解释说明" if explained else "已解决"
    if not act(
        actor,
        finished_at + timedelta(minutes=rng.uniform(5, 90)),
        TicketAction.reply,
        "已处理完毕，感谢您的反映",
        result=result,
    ):
        return 0
    if rng.random() > 0.9:
        return 0  # the city calls back most finished tickets, not all
    called = (ticket.finished_at or finished_at) + timedelta(days=rng.uniform(1, 5))
    if called >= now:
        return 0
    unsolved = explained or rng.random() < unsolved_share * (2 if reworked else 1)
    unhappy = 0.5 if unsolved else 0.04 + (0.12 if late else 0)
    roll = rng.random()
    satisfaction = (
        Satisfaction.unsatisfied
        if roll < unhappy
        else Satisfaction.basically
        if roll < unhappy + 0.15
        else Satisfaction.satisfied
    )
    answer = CallbackAnswer(
        called, contacted=not late or rng.random() < 0.7, resolved=not unsolved, satisfaction=satisfaction
    )
    service.record_callback(
        session, ticket_id=ticket.id, source=CallbackSource.city, answer=answer, actor_id=None, now=called
    )
    return 1


def past_campaigns(session: Session, *, rng: random.Random, now: datetime, months: int = 4) -> int:
    """每月一题 as the office would have run it: in each of the months before the last two, the top proposal
    adopted on the 1st and finished within three weeks — so that their effects can be read (nothing is planted in
    the tickets after them: what the demo shows is what the comparison finds). Returns the tasks made."""
    operator = next(u for u in session.scalars(select(User).where(User.role == Role.operator)))
    made = 0
    for back in range(months + 2, 2, -1):
        period = shift_month(month_of(now), -back)
        year, month = (int(part) for part in period.split("-"))
        start = datetime(year, month, 1, 9, tzinfo=BEIJING)
        proposals = proactive.monthly_topics(session, month=period, scope=Scope(), limit=1)
        topic = proposals[0] if proposals else None
        if topic is None or topic.suggested_unit_id is None:
            continue
        task = service.create_task(
            session,
            data=service.NewTask(
                title=f"每月一题：{topic.community_name}{topic.topic_name}",
                origin=TaskOrigin.monthly,
                owner_unit_id=topic.suggested_unit_id,
                due_at=start + timedelta(days=25),
                done_when="点位全部整治，设置提示牌，社区每周巡查",
                topic=topic.topic,
                month=period,
                cells=tuple(topic.cells),
                h3_resolution=proactive.MONTHLY_RESOLUTION,
                community_id=topic.community_id,
            ),
            actor=operator,
            now=start,
        )
        service.close_task(
            session,
            task_id=task.id,
            action=TaskAction.finish,
            note="已联合社区、物业整治全部点位并设置提示牌",
            photos=(),
            actor=operator,
            now=start + timedelta(days=rng.uniform(12, 22)),
        )
        made += 1
    return made
