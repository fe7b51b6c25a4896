"""Tickets from the city's export, beside the reports intake stored for them: the ticket's own fields, its limits
by the rules, what the city's platform already recorded (first contact, 办结), and the link of a repeat call to
the first ticket of the same caller about the same problem and place."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from jiexiang.core.db import allocate_ids
from jiexiang.core.geo import distance_metres
from jiexiang.core.time import WorkCalendar
from jiexiang.domains.accounts.models import Unit
from jiexiang.domains.cases.models import Case, Report
from jiexiang.domains.cases.taxonomy import load_taxonomy
from jiexiang.domains.hotline.enums import AppealStatus, TicketAction, TicketKind, TicketStatus
from jiexiang.domains.hotline.models import Ticket, TicketStep
from jiexiang.domains.hotline.rules import Rules
from jiexiang.domains.hotline.stages import COURSE

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


@dataclass
class _Draft:
    """A ticket about to be written (new ones as one bulk insert: imports bring hundreds of thousands)."""

    values: dict[str, Any]
    place: _Place


_TICKETS = cast(Table, Ticket.__table__)
_STEPS = cast(Table, TicketStep.__table__)


def record_tickets(
    session: Session, arrivals: Sequence[Arrival], *, rules: Rules, calendar: WorkCalendar, now: datetime
) -> None:
    """Create or refresh the ticket of each arrival (in the caller's transaction). The platform's first contact
    and 办结 are kept when ours are missing and recorded as steps of the ticket's history."""
    if not arrivals:
        return
    ids = [a.report_id for a in arrivals]
    reports = {
        row.id: row
        for row in session.execute(
            select(
                Report.id,
                Report.category_code,
                Report.lon,
                Report.lat,
                Report.reporter_fingerprint,
                Case.alley_id,
            )
            .join(Case, Case.id == Report.case_id)
            .where(Report.id.in_(ids))
        )
    }
    existing = {t.report_id: t for t in session.scalars(select(Ticket).where(Ticket.report_id.in_(ids)))}
    units = dict(session.execute(select(Unit.name, Unit.id)).all())
    taxonomy = load_taxonomy()
    drafts: list[_Draft] = []
    for arrival in sorted(arrivals, key=lambda a: a.fields.dispatched_at or a.received_at):
        report = reports[arrival.report_id]
        fields = arrival.fields
        category = taxonomy.categories[report.category_code]
        dispatched = fields.dispatched_at or arrival.received_at
        urgent = fields.urgent or rules.is_urgent(category)
        values: dict[str, Any] = {
            "ticket_no": arrival.ticket_no,
            "kind": fields.kind,
            "urgent": urgent,
            "dispatched_at": dispatched,
            "respond_by": rules.respond_limit(urgent=urgent).due(dispatched, calendar),
            "finish_by": fields.due_at or rules.finish_limit(category).due(dispatched, calendar),
            "lead_unit_name": fields.lead_unit,
            "lead_unit_id": units.get(fields.lead_unit or ""),
            "assisting_units": list(fields.assisting_units),
            "updated_at": now,
        }
        ticket = existing.get(arrival.report_id)
        if ticket is not None:
            if ticket.extension_count:  # a granted extension stands over the file's deadline
                del values["finish_by"]
            for name, value in values.items():
                setattr(ticket, name, value)
            _take_platform_record(ticket, fields)
            continue
        values |= {
            "report_id": report.id,
            "status": TicketStatus.open,
            "appeal": AppealStatus.none,
            "contacted_at": fields.contacted_at,
            "finished_at": None,
            "result": None,
            "reply": None,
            "extension_count": 0,
            "caller_fingerprint": report.reporter_fingerprint,
            "repeat_of_id": None,
            "created_at": now,
        }
        if fields.finished_at is not None:  # the platform recorded the reply: the step 答复 takes it there
            finished = COURSE.move(TicketAction.reply, TicketStatus.open).target
            values |= {"status": finished, "finished_at": fields.finished_at, "result": fields.result}
        drafts.append(_Draft(values, _Place(report.category_code, report.alley_id, report.lon, report.lat)))
    session.flush()
    _insert(session, drafts, rules)


def _insert(session: Session, drafts: list[_Draft], rules: Rules) -> None:
    """New tickets with their ids drawn first, so that repeats link and the platform's steps attach in bulk."""
    for draft, ticket_id in zip(drafts, allocate_ids(session, _TICKETS, len(drafts)), strict=True):
        draft.values["id"] = ticket_id
    _link_repeats(session, drafts, rules)
    if not drafts:
        return
    session.execute(insert(_TICKETS), [d.values for d in drafts])
    steps = [
        {"ticket_id": d.values["id"], "action": action, "at": at, "note": IMPORTED, "result": result, "photos": []}
        for d in drafts
        for action, at, result in (
            (TicketAction.contact, d.values["contacted_at"], None),
            (TicketAction.reply, d.values["finished_at"], d.values["result"]),
        )
        if at is not None
    ]
    if steps:
        session.execute(insert(_STEPS), steps)


def _take_platform_record(ticket: Ticket, fields: TicketFields) -> None:
    if fields.contacted_at is not None and (ticket.contacted_at is None or fields.contacted_at < ticket.contacted_at):
        if ticket.contacted_at is None:
            ticket.steps.append(TicketStep(action=TicketAction.contact, at=fields.contacted_at, note=IMPORTED))
        ticket.contacted_at = fields.contacted_at
    if fields.finished_at is not None and COURSE.allows(TicketAction.reply, ticket.status):
        ticket.status = COURSE.move(TicketAction.reply, ticket.status).target
        ticket.finished_at, ticket.result = fields.finished_at, fields.result
        ticket.steps.append(
            TicketStep(action=TicketAction.reply, at=fields.finished_at, note=IMPORTED, result=fields.result)
        )


def _link_repeats(session: Session, drafts: list[_Draft], rules: Rules) -> None:
    """A new ticket from a caller who called about the same category and place within the window is linked to the
    first ticket of that run (so that a run of calls links to one original, not in a chain). Drafts come in the
    order they were dispatched."""
    callers = {d.values["caller_fingerprint"] for d in drafts if d.values["caller_fingerprint"]}
    if not callers:
        return
    window = timedelta(days=rules.repeat_window_days)
    earliest = min(d.values["dispatched_at"] for d in drafts) - window
    # caller → their calls: (when, ticket id, the ticket it repeats, where)
    calls: dict[str, list[tuple[datetime, int, int | None, _Place]]] = {caller: [] for caller in callers}
    rows = session.execute(
        select(
            Ticket.caller_fingerprint,
            Ticket.dispatched_at,
            Ticket.id,
            Ticket.repeat_of_id,
            Report.category_code,
            Case.alley_id,
            Report.lon,
            Report.lat,
        )
        .join(Report, Report.id == Ticket.report_id)
        .join(Case, Case.id == Report.case_id)
        .where(Ticket.caller_fingerprint.in_(callers), Ticket.dispatched_at >= earliest)
        .order_by(Ticket.dispatched_at, Ticket.id)
    )
    for caller, dispatched_at, ticket_id, repeat_of, code, alley_id, lon, lat in rows:
        calls[caller or ""].append((dispatched_at, ticket_id, repeat_of, _Place(code, alley_id, lon, lat)))
    for draft in drafts:
        caller, when = draft.values["caller_fingerprint"], draft.values["dispatched_at"]
        if not caller:
            continue
        for earlier_at, earlier_id, repeat_of, where in calls[caller]:
            if earlier_at > when:
                break
            if when - earlier_at <= window and _same_place(draft.place, where, rules):
                draft.values["repeat_of_id"] = repeat_of or earlier_id
                break
        calls[caller].append((when, draft.values["id"], draft.values["repeat_of_id"], draft.place))
        calls[caller].sort(key=lambda call: call[0])


def _same_place(a: _Place, b: _Place, rules: Rules) -> bool:
    if a.category_code != b.category_code:
        return False
    if a.alley_id is not None and a.alley_id == b.alley_id:
        return True
    if a.lon is None or a.lat is None or b.lon is None or b.lat is None:
        return False
    return distance_metres(a.lon, a.lat, b.lon, b.lat) <= rules.repeat_radius_m
