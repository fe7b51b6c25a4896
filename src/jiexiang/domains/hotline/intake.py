"""Tickets from the city's export, beside the reports intake stored for them: the ticket's own fields, its limits
by the rules, what the city's platform already recorded (first contact, 办结), and the link of a repeat call to
the first ticket of the same caller about the same problem and place."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiexiang.core.geo import distance_metres
from jiexiang.core.time import WorkCalendar
from jiexiang.domains.accounts.models import Unit
from jiexiang.domains.cases.models import Case, Report
from jiexiang.domains.cases.taxonomy import load_taxonomy
from jiexiang.domains.hotline.enums import AppealStatus, TicketAction, TicketKind, TicketStatus
from jiexiang.domains.hotline.models import Ticket, TicketStep
from jiexiang.domains.hotline.rules import Rules

IMPORTED = "12345 平台记录（导入）"


@dataclass(frozen=True)
class TicketFields:
    """What a 12345 export row says of the ticket besides the report itself; None where the file is silent."""

    kind: TicketKind | None = None
    dispatched_at: datetime | None = None  # 派单时间; the report's receipt time when absent
    urgent: bool = False
    lead_unit: str | None = None
    assisting_units: tuple[str, ...] = ()
    contacted_at: datetime | None = None  # 首次联系时间
    finished_at: datetime | None = None  # 办结时间
    result: str | None = None  # 办理结果
    due_at: datetime | None = None  # 办理时限: the ticket's own deadline


@dataclass(frozen=True)
class Arrival:
    report_id: int
    ticket_no: str
    received_at: datetime
    fields: TicketFields


@dataclass(frozen=True)
class _Place:
    """Where a ticket's problem is, for telling a repeat call: category, alley and point."""

    category_code: str
    alley_id: int | None
    lon: float | None
    lat: float | None


def record_tickets(
    session: Session, arrivals: Sequence[Arrival], *, rules: Rules, calendar: WorkCalendar, now: datetime
) -> None:
    """Create or refresh the ticket of each arrival (in the caller's transaction). The platform's first contact
    and 办结 are kept when ours are missing and recorded as steps of the ticket's history."""
    if not arrivals:
        return
    ids = [a.report_id for a in arrivals]
    reports = {
        report.id: (report, alley_id)
        for report, alley_id in session.execute(
            select(Report, Case.alley_id).join(Case, Case.id == Report.case_id).where(Report.id.in_(ids))
        )
    }
    existing = {t.report_id: t for t in session.scalars(select(Ticket).where(Ticket.report_id.in_(ids)))}
    units = dict(session.execute(select(Unit.name, Unit.id)).all())
    taxonomy = load_taxonomy()
    fresh: list[tuple[Ticket, _Place]] = []
    for arrival in sorted(arrivals, key=lambda a: a.fields.dispatched_at or a.received_at):
        report, alley_id = reports[arrival.report_id]
        fields = arrival.fields
        category = taxonomy.categories[report.category_code]
        dispatched = fields.dispatched_at or arrival.received_at
        urgent = fields.urgent or rules.is_urgent(category)
        ticket = existing.get(arrival.report_id)
        if ticket is None:
            ticket = Ticket(
                report_id=report.id,
                status=TicketStatus.open,
                appeal=AppealStatus.none,
                extension_count=0,
                caller_fingerprint=report.reporter_fingerprint,
                created_at=now,
                steps=[],
            )
            session.add(ticket)
            fresh.append((ticket, _Place(report.category_code, alley_id, report.lon, report.lat)))
        ticket.ticket_no = arrival.ticket_no
        ticket.kind = fields.kind
        ticket.urgent = urgent
        ticket.dispatched_at = dispatched
        ticket.respond_by = rules.respond_limit(urgent=urgent).due(dispatched, calendar)
        if not ticket.extension_count:  # a granted extension stands over the file's deadline
            ticket.finish_by = fields.due_at or rules.finish_limit(category).due(dispatched, calendar)
        ticket.lead_unit_name = fields.lead_unit
        ticket.lead_unit_id = units.get(fields.lead_unit or "")
        ticket.assisting_units = list(fields.assisting_units)
        ticket.updated_at = now
        _take_platform_record(ticket, fields)
    session.flush()
    _link_repeats(session, fresh, rules)


def _take_platform_record(ticket: Ticket, fields: TicketFields) -> None:
    if fields.contacted_at is not None and (ticket.contacted_at is None or fields.contacted_at < ticket.contacted_at):
        if ticket.contacted_at is None:
            ticket.steps.append(TicketStep(action=TicketAction.contact, at=fields.contacted_at, note=IMPORTED))
        ticket.contacted_at = fields.contacted_at
    if fields.finished_at is not None and ticket.status is TicketStatus.open:
        ticket.status, ticket.finished_at, ticket.result = TicketStatus.finished, fields.finished_at, fields.result
        ticket.steps.append(
            TicketStep(action=TicketAction.reply, at=fields.finished_at, note=IMPORTED, result=fields.result)
        )


def _link_repeats(session: Session, fresh: list[tuple[Ticket, _Place]], rules: Rules) -> None:
    """A new ticket from a caller who called about the same category and place within the window is linked to the
    first ticket of that run (so that a run of calls links to one original, not in a chain)."""
    callers = {t.caller_fingerprint for t, _ in fresh if t.caller_fingerprint}
    if not callers:
        return
    window = timedelta(days=rules.repeat_window_days)
    earliest = min(t.dispatched_at for t, _ in fresh) - window
    earlier: dict[str, list[tuple[Ticket, _Place]]] = {}
    rows = session.execute(
        select(Ticket, Report.category_code, Case.alley_id, Report.lon, Report.lat)
        .join(Report, Report.id == Ticket.report_id)
        .join(Case, Case.id == Report.case_id)
        .where(Ticket.caller_fingerprint.in_(callers), Ticket.dispatched_at >= earliest)
        .order_by(Ticket.dispatched_at, Ticket.id)
    )
    for ticket, category_code, alley_id, lon, lat in rows:
        earlier.setdefault(ticket.caller_fingerprint or "", []).append(
            (ticket, _Place(category_code, alley_id, lon, lat))
        )
    for ticket, place in fresh:
        for other, where in earlier.get(ticket.caller_fingerprint or "", []):
            if other is ticket or other.dispatched_at > ticket.dispatched_at:
                break
            if ticket.dispatched_at - other.dispatched_at <= window and _same_place(place, where, rules):
                ticket.repeat_of_id = other.repeat_of_id or other.id
                break


def _same_place(a: _Place, b: _Place, rules: Rules) -> bool:
    if a.category_code != b.category_code:
        return False
    if a.alley_id is not None and a.alley_id == b.alley_id:
        return True
    if a.lon is None or a.lat is None or b.lon is None or b.lat is None:
        return False
    return distance_metres(a.lon, a.lat, b.lon, b.lat) <= rules.repeat_radius_m
