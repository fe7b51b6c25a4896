"""Reading tickets within the account's scope: one ticket, the desk's list with its filters, the callback queue,
and the facts the rates are computed from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, and_, exists, or_, select, true
from sqlalchemy.orm import Session, aliased, selectinload

from jiexiang.core.db import locked
from jiexiang.core.errors import NotFound
from jiexiang.core.time import to_local
from jiexiang.domains.accounts.models import Unit
from jiexiang.domains.accounts.service import Scope
from jiexiang.domains.cases.assessment import period_bounds
from jiexiang.domains.cases.models import Case, Report
from jiexiang.domains.cases.scopes import visible as case_visible
from jiexiang.domains.cases.taxonomy import load_taxonomy
from jiexiang.domains.hotline.enums import (
    AppealStatus,
    CallbackSource,
    Satisfaction,
    TicketStatus,
)
from jiexiang.domains.hotline.models import Callback, Ticket
from jiexiang.domains.hotline.rules import Scoring
from jiexiang.domains.hotline.scoring import GroupRates, TicketFacts, counts, overall, rates
from jiexiang.domains.places.models import Alley, Community, Subdistrict

Dimension = Literal["subdistrict", "community", "unit", "alley", "category"]
DIMENSION_LABELS: dict[Dimension, str] = {
    "subdistrict": "街道",
    "community": "社区",
    "unit": "承办单位",
    "alley": "街巷",
    "category": "类别",
}


def _of_cases(condition: ColumnElement[bool]) -> ColumnElement[bool]:
    """Tickets whose case meets `condition` (correlated, so that one ticket is looked up by its keys)."""
    return exists().where(Report.id == Ticket.report_id, Case.id == Report.case_id, condition).correlate(Ticket)


def visible(scope: Scope) -> ColumnElement[bool]:
    """A ticket is seen by whoever sees its case, and by the unit the city named as its lead (主办)."""
    if not scope.limited_to_places and scope.unit_id is None:
        return true()
    seen = _of_cases(case_visible(scope))
    return seen if scope.unit_id is None else or_(seen, Ticket.lead_unit_id == scope.unit_id)


def get(session: Session, *, ticket_id: int, scope: Scope, lock: bool = False) -> Ticket:
    query = select(Ticket).where(Ticket.id == ticket_id, visible(scope))
    ticket = session.scalars(locked(query) if lock else query).first()
    if ticket is None:
        raise NotFound(f"工单 {ticket_id} 不存在", code="ticket_not_found")
    return ticket


def _city_callback(*conditions: ColumnElement[bool]) -> ColumnElement[bool]:
    return exists().where(Callback.ticket_id == Ticket.id, Callback.source == CallbackSource.city, *conditions)


def _late(now: datetime) -> ColumnElement[bool]:
    """Not contacted within the limit (by now, for one still waiting)."""
    return or_(
        Ticket.contacted_at > Ticket.respond_by,
        and_(Ticket.contacted_at.is_(None), Ticket.respond_by < now),
    )


def _lost(now: datetime) -> ColumnElement[bool]:
    """Lost points: not contacted in time, or the city's callback found it unsolved or the caller unsatisfied."""
    return or_(
        _late(now),
        _city_callback(Callback.resolved.is_(False)),
        _city_callback(Callback.satisfaction == Satisfaction.unsatisfied),
    )


@dataclass(frozen=True)
class TicketFilter:
    start: datetime | None = None  # dispatched at or after
    end: datetime | None = None  # dispatched before
    status: TicketStatus | None = None
    appeal: AppealStatus | None = None
    case_id: int | None = None
    community_id: int | None = None
    unit_id: int | None = None  # the lead unit
    lost_at: datetime | None = None  # only tickets that lost points, as things stand at this moment
    late_at: datetime | None = None  # only tickets not contacted in time, as things stand at this moment
    ticket_no: str | None = None


CONDITIONS: dict[str, Callable[[Any], ColumnElement[bool]]] = {
    "start": lambda at: Ticket.dispatched_at >= at,
    "end": lambda at: Ticket.dispatched_at < at,
    "status": lambda status: Ticket.status == status,
    "appeal": lambda appeal: Ticket.appeal == appeal,
    "case_id": lambda case_id: _of_cases(Case.id == case_id),
    "community_id": lambda community_id: _of_cases(Case.community_id == community_id),
    "unit_id": lambda unit_id: Ticket.lead_unit_id == unit_id,
    "lost_at": _lost,
    "late_at": _late,
    "ticket_no": lambda number: Ticket.ticket_no == number.strip(),
}
if set(CONDITIONS) != {f.name for f in fields(TicketFilter)}:  # pragma: no cover - a programming error
    raise RuntimeError("every ticket filter needs its condition")


def matching(scope: Scope, filters: TicketFilter) -> Select[Any]:
    query = select(Ticket).options(selectinload(Ticket.callbacks)).where(visible(scope))
    for name, condition in CONDITIONS.items():
        value = getattr(filters, name)
        if value is not None:
            query = query.where(condition(value))
    return query.order_by(Ticket.dispatched_at.desc(), Ticket.id.desc())


def callback_queue(scope: Scope) -> Select[Any]:
    """Finished tickets nobody has called back yet (neither we nor the city), the longest waiting first."""
    called = exists().where(Callback.ticket_id == Ticket.id)
    return (
        select(Ticket)
        .options(selectinload(Ticket.callbacks))
        .where(visible(scope), Ticket.status == TicketStatus.finished, ~called, Ticket.appeal != AppealStatus.accepted)
        .order_by(Ticket.finished_at, Ticket.id)
    )


def rate_facts(session: Session, *, start: datetime, end: datetime, by: Dimension, scope: Scope) -> list[TicketFacts]:
    """The facts of every ticket dispatched in [start, end) within `scope`, grouped by `by`."""
    handling = aliased(Unit)
    city = aliased(Callback)
    rows = session.execute(
        select(
            Ticket,
            Case.community_id,
            Case.alley_id,
            Case.category_code,
            handling.name,
            city.id,
            city.resolved,
            city.satisfaction,
        )
        .join(Report, Report.id == Ticket.report_id)
        .join(Case, Case.id == Report.case_id)
        .outerjoin(handling, handling.id == Case.handling_unit_id)
        .outerjoin(city, and_(city.ticket_id == Ticket.id, city.source == CallbackSource.city))
        .where(Ticket.dispatched_at >= start, Ticket.dispatched_at < end, visible(scope))
    )
    name_of = _namer(session, by)
    facts = []
    for ticket, community_id, alley_id, category_code, handling_name, callback_id, resolved, satisfaction in rows:
        key = {
            "subdistrict": community_id,
            "community": community_id,
            "alley": alley_id,
            "category": category_code,
            "unit": ticket.lead_unit_name or handling_name,
        }[by]
        facts.append(
            TicketFacts(
                group=name_of(key),
                counts=counts(ticket),
                contacted_in_time=ticket.contacted_at is not None
                and ticket.respond_by is not None
                and ticket.contacted_at <= ticket.respond_by,
                called_back=callback_id is not None,
                resolved=resolved,
                satisfaction=satisfaction,
            )
        )
    return facts


def _namer(session: Session, by: Dimension) -> Callable[[Any], str]:
    if by == "unit":
        return lambda name: name or "（未指定承办单位）"
    if by == "category":
        categories = load_taxonomy().categories
        return lambda code: categories[code].name if code in categories else code
    if by == "alley":
        alleys = dict(session.execute(select(Alley.id, Alley.name)).all())
        return lambda alley_id: alleys.get(alley_id, "（未定位）")
    communities = dict(session.execute(select(Community.id, Community.name)).all())
    if by == "subdistrict":
        parent = dict(
            session.execute(
                select(Community.id, Subdistrict.name).join(Subdistrict, Subdistrict.id == Community.subdistrict_id)
            ).all()
        )
        return lambda community_id: parent.get(community_id, "（未定位）")
    return lambda community_id: communities.get(community_id, "（未定位）")


def period_rates(
    session: Session, *, period: str, by: Dimension, scope: Scope, scoring: Scoring
) -> tuple[list[GroupRates], GroupRates | None]:
    """The rates of a month ("2026-11") or year by `by`, ranked, and those of all groups together."""
    start, end = period_bounds(period)
    facts = rate_facts(session, start=start, end=end, by=by, scope=scope)
    return rates(facts, scoring), overall(facts, scoring)


def month_of(moment: datetime) -> str:
    """The local (Beijing) month of a moment, as periods are written: "2026-11"."""
    return to_local(moment).strftime("%Y-%m")


def shift_month(month: str, months: int) -> str:
    """The month `months` after (or, negative, before) "YYYY-MM"."""
    year, number = (int(part) for part in month.split("-"))
    index = year * 12 + number - 1 + months
    return f"{index // 12}-{index % 12 + 1:02d}"


def monthly_totals(
    session: Session, *, last: str, months: int, scope: Scope, scoring: Scoring
) -> list[tuple[str, GroupRates | None]]:
    """The rates of all tickets together, month by month, for the `months` months up to `last`."""
    periods = [shift_month(last, -back) for back in range(months - 1, -1, -1)]
    return [
        (period, period_rates(session, period=period, by="subdistrict", scope=scope, scoring=scoring)[1])
        for period in periods
    ]
