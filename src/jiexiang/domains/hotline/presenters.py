"""Tickets and proactive tasks as the routes give them."""

from __future__ import annotations

from datetime import datetime

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
    return CallbackRead(
        source=callback.source,
        called_at=callback.called_at,
        contacted=callback.contacted,
        resolved=callback.resolved,
        satisfaction=callback.satisfaction,
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
        id=ticket.id,
        ticket_no=ticket.ticket_no,
        case_id=report.case_id,
        kind=ticket.kind,
        urgent=ticket.urgent,
        text=report.text,
        address=report.address_text,
        category_code=report.category_code,
        dispatched_at=ticket.dispatched_at,
        respond_by=ticket.respond_by,
        finish_by=ticket.finish_by,
        lead_unit_name=ticket.lead_unit_name,
        assisting_units=list(ticket.assisting_units),
        status=ticket.status,
        appeal=ticket.appeal,
        contacted_at=ticket.contacted_at,
        contacted_in_time=_in_time(ticket, now),
        finished_at=ticket.finished_at,
        result=ticket.result,
        repeat_of_id=ticket.repeat_of_id,
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
        id=task.id,
        title=task.title,
        topic=task.topic,
        origin=task.origin,
        month=task.month,
        cells=list(task.cells),
        h3_resolution=task.h3_resolution,
        alley_ids=list(task.alley_ids),
        community_id=task.community_id,
        owner_unit_id=task.owner_unit_id,
        owner_unit_name=task.owner_unit.name,
        due_at=task.due_at,
        done_when=task.done_when,
        status=task.status,
        created_at=task.created_at,
        finished_at=task.finished_at,
        evidence=task.evidence,
        evidence_photos=list(task.evidence_photos),
        overdue=task.status is TaskStatus.open and task.due_at < now,
        measured_from=measured_from,
        effect=effect_read(effect),
    )
