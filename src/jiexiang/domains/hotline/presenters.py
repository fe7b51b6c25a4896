"""Tickets as the routes give them."""

from __future__ import annotations

from datetime import datetime

from jiexiang.domains.accounts.models import User
from jiexiang.domains.hotline.enums import CallbackSource
from jiexiang.domains.hotline.models import Callback, Ticket
from jiexiang.domains.hotline.schemas import CallbackRead, StepRead, TicketDetail, TicketRead
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
        callbacks=[callback_read(c) for c in sorted(ticket.callbacks, key=lambda c: c.called_at)],
        allowed_actions=allowed_actions(ticket, user),
    )
