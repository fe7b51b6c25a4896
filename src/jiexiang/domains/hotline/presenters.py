"""Tickets and proactive tasks as the routes give them."""

from __future__ import annotations

from datetime import datetime

from jiexiang.core.records import copied
from jiexiang.domains.accounts.models import User
from jiexiang.domains.cases.presenters import event_read
from jiexiang.domains.hotline.effect import Effect
from jiexiang.domains.hotline.enums import CallbackSource, TaskStatus
from jiexiang.domains.hotline.models import Callback, ProactiveTask, Ticket
from jiexiang.domains.hotline.schemas import (
    CallbackRead,
    EffectRead,
    StepRead,
    TaskRead,
    TicketDetail,
    TicketRead,
)
from jiexiang.domains.hotline.scoring import counts
from jiexiang.domains.hotline.stages import allowed_actions


def callback_read(callback: Callback) -> CallbackRead:
    return CallbackRead.model_validate(callback, from_attributes=True)


_TICKET_AS_IS = (
    "id",
    "ticket_no",
    "kind",
    "urgent",
    "dispatched_at",
    "respond_by",
    "finish_by",
    "lead_unit_name",
    "status",
    "appeal",
    "contacted_at",
    "finished_at",
    "result",
    "repeat_of_id",
)
_TASK_AS_IS = (
    "id",
    "title",
    "topic",
    "origin",
    "month",
    "h3_resolution",
    "community_id",
    "owner_unit_id",
    "due_at",
    "done_when",
    "status",
    "created_at",
    "finished_at",
    "evidence",
)


def _in_time(ticket: Ticket, now: datetime) -> bool | None:
    if ticket.respond_by is None:
        return None
    if ticket.contacted_at is not None:
        return ticket.contacted_at <= ticket.respond_by
    return False if now > ticket.respond_by else None


def ticket_read(ticket: Ticket, now: datetime) -> TicketRead:
    report = ticket.report
    city = next((c for c in ticket.callbacks if c.source is CallbackSource.city), None)
    return TicketRead(
        **copied(ticket, *_TICKET_AS_IS),
        case_id=report.case_id,
        text=report.text,
        address=report.address_text,
        category_code=report.category_code,
        assisting_units=list(ticket.assisting_units),
        contacted_in_time=_in_time(ticket, now),
        counts=counts(ticket),
        city_callback=callback_read(city) if city else None,
    )


def ticket_detail(ticket: Ticket, user: User, now: datetime) -> TicketDetail:
    return TicketDetail(
        **ticket_read(ticket, now).model_dump(),
        reply=ticket.reply,
        steps=[
            StepRead(
                action=step.action,
                at=step.at,
                actor_name=step.actor.full_name if step.actor else None,
                note=step.note,
                method=step.method,
                result=step.result,
                due_at=step.due_at,
                photos=list(step.photos),
            )
            for step in ticket.steps
        ],
        case_events=[event_read(e) for e in ticket.report.case.events],
        callbacks=[callback_read(c) for c in sorted(ticket.callbacks, key=lambda c: c.called_at)],
        allowed_actions=allowed_actions(ticket, user),
    )


def effect_read(effect: Effect | None) -> EffectRead | None:
    if effect is None:
        return None
    return EffectRead(
        before=effect.before,
        after=effect.after,
        cells=effect.cells,
        controls=effect.controls,
        estimate=round(effect.estimate, 1),
        low=round(effect.low, 1),
        high=round(effect.high, 1),
    )


def task_read(task: ProactiveTask, effect: Effect | None, *, measured_from: datetime | None, now: datetime) -> TaskRead:
    return TaskRead(
        **copied(task, *_TASK_AS_IS),
        cells=list(task.cells),
        alley_ids=list(task.alley_ids),
        owner_unit_name=task.owner_unit.name,
        evidence_photos=list(task.evidence_photos),
        overdue=task.status is TaskStatus.open and task.due_at < now,
        measured_from=measured_from,
        effect=effect_read(effect),
    )
