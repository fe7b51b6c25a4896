"""The reply file the 12345 platform takes back: one row per ticket finished in a period, with what was done, the
reply, when the caller was contacted and the ticket finished, and by whom."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from jiexiang.core.time import to_local
from jiexiang.domains.accounts.service import Scope
from jiexiang.domains.hotline.enums import TicketAction
from jiexiang.domains.hotline.models import Ticket
from jiexiang.domains.hotline.queries import visible

HEADER: list[object] = ["工单编号", "办理结果", "答复内容", "联系时间", "办结时间", "承办单位", "承办人"]


def _time(value: datetime | None) -> str | None:
    return to_local(value).strftime("%Y-%m-%d %H:%M:%S") if value else None


def reply_table(session: Session, *, start: datetime, end: datetime, scope: Scope) -> list[list[object]]:
    """Header and rows for the tickets finished in [start, end), the earliest first."""
    tickets = session.scalars(
        select(Ticket)
        .options(selectinload(Ticket.steps))
        .where(visible(scope), Ticket.finished_at >= start, Ticket.finished_at < end)
        .order_by(Ticket.finished_at, Ticket.id)
    )
    table: list[list[object]] = [HEADER]
    for ticket in tickets:
        reply = next((s for s in reversed(ticket.steps) if s.action is TicketAction.reply), None)
        handling_unit = ticket.report.case.handling_unit
        table.append(
            [
                ticket.ticket_no,
                ticket.result,
                ticket.reply,
                _time(ticket.contacted_at),
                _time(ticket.finished_at),
                ticket.lead_unit_name or (handling_unit.name if handling_unit else None),
                reply.actor.full_name if reply and reply.actor else None,
            ]
        )
    return table
