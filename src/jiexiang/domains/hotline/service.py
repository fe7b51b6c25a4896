"""Writing on tickets: each step of the closure loop, one at a time per ticket (row lock), moved through the
tables of `stages` and recorded with who and when; callbacks, ours and the city's (one per ticket and source,
upserted, so that importing the same file twice changes nothing); and proactive tasks, created where the trouble
is and closed with evidence."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import h3
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jiexiang.core.db import upsert
from jiexiang.core.errors import Conflict, InvalidInput, PermissionDenied
from jiexiang.core.geo import geometry_from_geojson, h3_cells_along
from jiexiang.domains.accounts.models import Unit, User
from jiexiang.domains.accounts.permissions import Permission, can
from jiexiang.domains.accounts.service import scope_of
from jiexiang.domains.cases.taxonomy import load_taxonomy
from jiexiang.domains.hotline import proactive, queries
from jiexiang.domains.hotline.enums import (
    ACTION_LABELS,
    TASK_ACTION_LABELS,
    CallbackSource,
    ContactMethod,
    Satisfaction,
    TaskAction,
    TaskOrigin,
    TaskStatus,
    TicketAction,
    TicketStatus,
)
from jiexiang.domains.hotline.models import Callback, ProactiveTask, Ticket, TicketStep
from jiexiang.domains.hotline.stages import APPEALS, TASKS, table_of
from jiexiang.domains.places.models import Alley, Community


@dataclass(frozen=True)
class StepCreate:
    action: TicketAction
    note: str | None = None
    method: ContactMethod | None = None  # 联系: how the caller was reached
    result: str | None = None  # 答复: 办理结果 (已解决, 已解释, 未解决 …)
    due_at: datetime | None = None  # 延期: the new deadline
    photos: tuple[str, ...] = ()


def act(session: Session, *, ticket_id: int, step: StepCreate, actor: User, now: datetime) -> Ticket:
    """Take one step on a ticket: refused in Chinese when the role may not, the ticket is not in a state for it,
    or the step lacks what it must carry."""
    action = step.action
    table = table_of(action)
    rule = table.moves[action]
    label = ACTION_LABELS[action]
    if not can(actor.role, rule.permission):
        raise PermissionDenied(f"您的角色不能对工单进行“{label}”操作", code="forbidden_ticket_step")
    ticket = queries.get(session, ticket_id=ticket_id, scope=scope_of(actor), lock=True)
    note = (step.note or "").strip() or None
    if rule.needs_note and note is None:
        raise InvalidInput(f"{label}需要填写说明", code="note_required")
    if table is APPEALS:
        ticket.appeal = table.move(action, ticket.appeal).target
    else:
        ticket.status = table.move(action, ticket.status).target
    _apply(ticket, step, note, now)
    session.add(
        TicketStep(
            ticket_id=ticket.id,
            action=action,
            actor_id=actor.id,
            at=now,
            note=note,
            method=step.method,
            result=step.result,
            due_at=step.due_at,
            photos=list(step.photos),
        )
    )
    ticket.updated_at = now
    session.flush()
    return ticket


def _apply(ticket: Ticket, step: StepCreate, note: str | None, now: datetime) -> None:
    """What a step changes on the ticket besides its state."""
    if step.action is TicketAction.contact:
        if step.method is None:
            raise InvalidInput("请选择联系方式（电话、上门或短信/微信）", code="method_required")
        ticket.contacted_at = ticket.contacted_at or now
    elif step.action is TicketAction.extend:
        if step.due_at is None or (ticket.finish_by is not None and step.due_at <= ticket.finish_by):
            raise InvalidInput("延期需要给出晚于现办结时限的新时限", code="due_required")
        ticket.finish_by = step.due_at
        ticket.extension_count += 1
    elif step.action is TicketAction.reply:
        if ticket.contacted_at is None:
            raise InvalidInput("答复前请先联系诉求人", code="contact_first")
        if not (step.result or "").strip():
            raise InvalidInput("答复需要选择办理结果", code="result_required")
        ticket.reply, ticket.result, ticket.finished_at = note, step.result, now


@dataclass(frozen=True)
class CallbackAnswer:
    """One callback: when, and the caller's three answers (None: not asked or not answered)."""

    called_at: datetime
    contacted: bool | None = None
    resolved: bool | None = None
    satisfaction: Satisfaction | None = None


def record_callback(
    session: Session,
    *,
    ticket_id: int,
    source: CallbackSource,
    answer: CallbackAnswer,
    actor_id: int | None,
    now: datetime,
) -> None:
    """Keep the latest callback of `source` for the ticket (an upsert: concurrent or repeated writes leave one)."""
    upsert(
        session,
        Callback,
        {
            "ticket_id": ticket_id,
            "source": source,
            "called_at": answer.called_at,
            "contacted": answer.contacted,
            "resolved": answer.resolved,
            "satisfaction": answer.satisfaction,
            "actor_id": actor_id,
            "recorded_at": now,
        },
        key=["ticket_id", "source"],
    )


def call_back(session: Session, *, ticket_id: int, answer: CallbackAnswer, actor: User, now: datetime) -> Ticket:
    """自查回访: our own callback on a finished ticket."""
    ticket = queries.get(session, ticket_id=ticket_id, scope=scope_of(actor))
    if ticket.status is not TicketStatus.finished:
        raise InvalidInput("只有已办结的工单可以回访", code="not_finished")
    record_callback(session, ticket_id=ticket.id, source=CallbackSource.own, answer=answer, actor_id=actor.id, now=now)
    session.expire(ticket, ["callbacks"])
    return ticket


@dataclass(frozen=True)
class CityCallback:
    ticket_no: str
    answer: CallbackAnswer
    row_number: int


@dataclass
class CallbackImport:
    read: int = 0
    recorded: int = 0
    unchanged: int = 0
    unknown: list[str] = field(default_factory=list)  # 工单编号 not among our tickets

    def describe(self) -> str:
        text = f"读取 {self.read} 行：记录 {self.recorded}，未变 {self.unchanged}"
        if self.unknown:
            shown = "、".join(self.unknown[:10]) + ("等" if len(self.unknown) > 10 else "")
            text += f"；{len(self.unknown)} 行的工单编号不在本系统中（{shown}）"
        return text


def import_city_callbacks(session: Session, rows: Sequence[CityCallback], *, now: datetime) -> CallbackImport:
    """The city's callback results: the latest per ticket counts; a row the same as what is stored changes
    nothing, so the same file imported twice records nothing the second time."""
    summary = CallbackImport(read=len(rows))
    numbers = {row.ticket_no for row in rows}
    tickets = dict(session.execute(select(Ticket.ticket_no, Ticket.id).where(Ticket.ticket_no.in_(numbers))).all())
    stored = {
        ticket_id: (called_at, contacted, resolved, satisfaction)
        for ticket_id, called_at, contacted, resolved, satisfaction in session.execute(
            select(
                Callback.ticket_id, Callback.called_at, Callback.contacted, Callback.resolved, Callback.satisfaction
            ).where(Callback.ticket_id.in_(tickets.values()), Callback.source == CallbackSource.city)
        )
    }
    for row in sorted(rows, key=lambda r: r.answer.called_at):
        ticket_id = tickets.get(row.ticket_no)
        if ticket_id is None:
            summary.unknown.append(row.ticket_no)
            continue
        answer = row.answer
        values = (answer.called_at, answer.contacted, answer.resolved, answer.satisfaction)
        current = stored.get(ticket_id)
        if current is not None and (current == values or current[0] > answer.called_at):
            summary.unchanged += 1  # what is stored already, or older than it
            continue
        record_callback(session, ticket_id=ticket_id, source=CallbackSource.city, answer=answer, actor_id=None, now=now)
        stored[ticket_id] = values
        summary.recorded += 1
    return summary


# ---- proactive tasks ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewTask:
    title: str
    origin: TaskOrigin
    owner_unit_id: int
    due_at: datetime
    done_when: str
    topic: str | None = None
    month: str | None = None
    cells: tuple[str, ...] = ()
    h3_resolution: int = 9
    alley_ids: tuple[int, ...] = ()
    community_id: int | None = None


def create_task(session: Session, *, data: NewTask, actor: User, now: datetime) -> ProactiveTask:
    """A proactive task, where it is: its cells, and the cells its alleys pass through. Refused in Chinese
    without a place, with a cell or alley that does not exist, a deadline already past, or a month's topic of a
    community adopted twice."""
    cells = set(data.cells)
    for cell in cells:
        if not h3.is_valid_cell(cell) or h3.get_resolution(cell) != data.h3_resolution:
            raise InvalidInput(f"网格编码“{cell}”无效或精度不是 {data.h3_resolution}", code="bad_cell")
    alleys = session.scalars(select(Alley).where(Alley.id.in_(data.alley_ids))).all()
    if len(alleys) != len(set(data.alley_ids)):
        raise InvalidInput("所选街巷不存在", code="alley_not_found")
    for alley in alleys:
        cells |= h3_cells_along(geometry_from_geojson(alley.geometry), data.h3_resolution)
    if not cells:
        raise InvalidInput("请指定任务的位置：网格或街巷", code="place_required")
    if session.get(Unit, data.owner_unit_id) is None:
        raise InvalidInput(f"责任单位 {data.owner_unit_id} 不存在", code="unit_required")
    if data.community_id is not None and session.get(Community, data.community_id) is None:
        raise InvalidInput(f"社区 {data.community_id} 不存在", code="community_not_found")
    taxonomy = load_taxonomy()
    if data.topic is not None and data.topic not in taxonomy.categories and data.topic not in taxonomy.groups:
        raise InvalidInput(f"专题“{data.topic}”不存在", code="bad_topic")
    if data.due_at <= now:
        raise InvalidInput("完成时限应晚于现在", code="due_required")
    if data.origin is TaskOrigin.monthly and (data.month is None or data.topic is None):
        raise InvalidInput("每月一题需要月份和专题", code="month_required")
    task = ProactiveTask(
        title=data.title.strip(),
        topic=data.topic,
        origin=data.origin,
        month=data.month if data.origin is TaskOrigin.monthly else None,
        cells=sorted(cells),
        h3_resolution=data.h3_resolution,
        alley_ids=sorted(set(data.alley_ids)),
        community_id=data.community_id,
        owner_unit_id=data.owner_unit_id,
        due_at=data.due_at,
        done_when=data.done_when.strip(),
        status=TaskStatus.open,
        created_by_id=actor.id,
        created_at=now,
        evidence_photos=[],
    )
    try:
        with session.begin_nested():
            session.add(task)
    except IntegrityError:
        raise Conflict("本月已采纳该社区的这个专题", code="topic_adopted") from None
    return task


def close_task(
    session: Session,
    *,
    task_id: int,
    action: TaskAction,
    note: str | None,
    photos: tuple[str, ...],
    actor: User,
    now: datetime,
) -> ProactiveTask:
    """Finish a task with its evidence (the owner unit or the centre), or cancel it (the centre), saying why."""
    permission = Permission.hotline_handle if action is TaskAction.finish else Permission.hotline_manage
    label = TASK_ACTION_LABELS[action]
    if not can(actor.role, permission):
        raise PermissionDenied(f"您的角色不能{label}主动治理任务", code="forbidden_task_step")
    task = proactive.get_task(session, task_id=task_id, scope=scope_of(actor), lock=True)
    text = (note or "").strip()
    if not text:
        raise InvalidInput(
            f"{label}任务需要填写{'完成情况' if action is TaskAction.finish else '原因'}", code="note_required"
        )
    task.status = TASKS.move(action, task.status).target
    task.finished_at, task.evidence, task.evidence_photos = now, text, list(photos)
    session.flush()
    return task
