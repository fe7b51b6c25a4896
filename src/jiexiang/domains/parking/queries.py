"""Reading parking within the account's scope: lots with what they hold, the summary of the three sources,
applications with their place in the waiting list, permits, one lot's spaces, and their use: visits, violations
and occupancy hour by hour."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select, true
from sqlalchemy.orm import Session

from jiexiang.core.errors import Conflict, NotFound
from jiexiang.core.time import WorkCalendar, to_local
from jiexiang.domains.accounts.service import Scope
from jiexiang.domains.parking.enums import ApplicationStatus, LotKind, ViolationKind, VisitSource
from jiexiang.domains.parking.models import Application, Lot, Permit, Space, Violation, Visit
from jiexiang.domains.parking.rules import ParkingRules
from jiexiang.domains.parking.terms import holders, in_queue_order, terms_of, valid_today


def visible(scope: Scope) -> ColumnElement[bool]:
    """Lots an account may see: a place-limited one those in its communities and alleys; a unit-limited one
    (a handler, a steward) none, as parking is no unit's work."""
    if scope.unit_id is not None:
        return false()
    if not scope.limited_to_places:
        return true()
    return or_(Lot.community_id.in_(scope.community_ids), Lot.alley_id.in_(scope.alley_ids))


def _in(community_id: int | None) -> ColumnElement[bool]:
    return true() if community_id is None else Lot.community_id == community_id


def get_lot(session: Session, *, lot_id: int, scope: Scope) -> Lot:
    lot = session.scalar(select(Lot).where(Lot.id == lot_id, visible(scope)))
    if lot is None:
        raise NotFound(f"没有编号为 {lot_id} 的停车场", code="lot_not_found")
    return lot


def lots(
    scope: Scope, *, kind: LotKind | None = None, community_id: int | None = None, include_retired: bool = False
) -> Select[Any]:
    query = select(Lot).where(visible(scope), _in(community_id)).order_by(Lot.kind, Lot.name)
    if kind is not None:
        query = query.where(Lot.kind == kind)
    return query if include_retired else query.where(Lot.retired_at.is_(None))


def _per_lot(session: Session, query: Select[int, int]) -> Counter[int]:
    return Counter({lot_id: count for lot_id, count in session.execute(query)})


def lot_counts(session: Session, lot_ids: list[int], day: date) -> tuple[Counter[int], Counter[int], Counter[int]]:
    """Per lot: spaces in use, spaces held by a valid permit on `day`, and applications waiting."""
    spaces = select(Space.lot_id, func.count()).where(Space.lot_id.in_(lot_ids), Space.retired_at.is_(None))
    held = select(Permit.lot_id, func.count(func.distinct(Permit.space_id))).where(
        Permit.lot_id.in_(lot_ids), valid_today(day)
    )
    waiting = select(Application.lot_id, func.count()).where(
        Application.lot_id.in_(lot_ids), Application.status == ApplicationStatus.waiting
    )
    return (
        _per_lot(session, spaces.group_by(Space.lot_id)),
        _per_lot(session, held.group_by(Permit.lot_id)),
        _per_lot(session, waiting.group_by(Application.lot_id)),
    )


def summary(session: Session, *, scope: Scope, community_id: int | None, day: date) -> dict[str, Any]:
    """The three sources of spaces in the subdistrict (or one community), and the permits issued and waiting."""
    in_view = and_(visible(scope), _in(community_id), Lot.retired_at.is_(None))
    rows = session.execute(
        select(
            Lot.kind,
            func.count(func.distinct(Lot.id)),
            func.count(Space.id),
            func.count(func.distinct(Lot.lender_id)),
            func.count(func.distinct(Lot.alley_id)),
        )
        .join(Space, and_(Space.lot_id == Lot.id, Space.retired_at.is_(None)))
        .where(in_view)
        .group_by(Lot.kind)
    )
    by_kind = {kind: (lots_, spaces, lenders, alleys) for kind, lots_, spaces, lenders, alleys in rows}
    zero = (0, 0, 0, 0)
    new, shared, marked = (by_kind.get(k, zero) for k in (LotKind.new_lot, LotKind.time_shared, LotKind.marked))
    issued = session.scalar(select(func.count()).select_from(Permit).join(Lot).where(in_view, valid_today(day)))
    waiting = session.scalar(
        select(func.count())
        .select_from(Application)
        .join(Lot)
        .where(in_view, Application.status == ApplicationStatus.waiting)
    )
    return {
        "new_lot": {"lots": new[0], "spaces": new[1]},
        "time_shared": {"lenders": shared[2], "spaces": shared[1]},
        "marked": {"alleys": marked[3], "spaces": marked[1]},
        "permits": {"issued": issued or 0, "waiting": waiting or 0},
    }


def applications(
    scope: Scope,
    *,
    household_id: int | None = None,
    lot_id: int | None = None,
    status: ApplicationStatus | None = None,
) -> Select[Any]:
    query = select(Application).join(Lot).where(visible(scope)).order_by(Application.applied_at.desc())
    if household_id is not None:
        query = query.where(Application.household_id == household_id)
    if lot_id is not None:
        query = query.where(Application.lot_id == lot_id)
    if status is not None:
        query = query.where(Application.status == status)
    return query


def queue_positions(session: Session, *, lot_ids: set[int], rules: ParkingRules, day: date) -> dict[int, int]:
    """Each waiting application's place in its lot's list (1 = served next), in the order allocation follows."""
    waiting = list(
        session.scalars(
            select(Application).where(Application.lot_id.in_(lot_ids), Application.status == ApplicationStatus.waiting)
        )
    )
    held = holders(session, [a.household_id for a in waiting], day)
    positions: dict[int, int] = {}
    for lot_id in lot_ids:
        in_lot = in_queue_order(rules, [a for a in waiting if a.lot_id == lot_id], held)
        positions |= {a.id: n for n, a in enumerate(in_lot, start=1)}
    return positions


def granted_permits(session: Session, application_ids: list[int]) -> dict[int, int]:
    rows = session.execute(select(Permit.application_id, Permit.id).where(Permit.application_id.in_(application_ids)))
    return {application_id: permit_id for application_id, permit_id in rows if application_id is not None}


def permits(
    scope: Scope,
    *,
    household_id: int | None = None,
    lot_id: int | None = None,
    plate: str | None = None,
    current_on: date | None = None,
) -> Select[Any]:
    query = select(Permit).join(Lot).where(visible(scope)).order_by(Permit.issued_at.desc(), Permit.id.desc())
    if household_id is not None:
        query = query.where(Permit.household_id == household_id)
    if lot_id is not None:
        query = query.where(Permit.lot_id == lot_id)
    if plate:
        query = query.where(Permit.plate == plate.strip().upper())
    if current_on is not None:
        query = query.where(valid_today(current_on))
    return query


def get_permit(session: Session, *, permit_id: int, scope: Scope) -> Permit:
    permit = session.scalar(select(Permit).join(Lot).where(Permit.id == permit_id, visible(scope)))
    if permit is None:
        raise NotFound(f"没有编号为 {permit_id} 的停车证", code="permit_not_found")
    return permit


def spaces(session: Session, *, lot: Lot, day: date) -> list[tuple[Space, str | None]]:
    """The lot's spaces in use, each with the plate of the permit holding it on `day` (if any)."""
    plates = dict(
        session.execute(select(Permit.space_id, Permit.plate).where(Permit.lot_id == lot.id, valid_today(day))).all()
    )
    rows = session.scalars(select(Space).where(Space.lot_id == lot.id, Space.retired_at.is_(None)).order_by(Space.id))
    return [(space, plates.get(space.id)) for space in rows]


# ---- use: visits, violations, occupancy ------------------------------------------------------------------------


def visits(scope: Scope, *, lot_id: int | None = None, plate: str | None = None, present: bool = False) -> Select[Any]:
    """Cars' stays, latest first; `present`: only the cars in now."""
    query = select(Visit).join(Lot).where(visible(scope)).order_by(Visit.arrived_at.desc(), Visit.id.desc())
    if lot_id is not None:
        query = query.where(Visit.lot_id == lot_id)
    if plate:
        query = query.where(Visit.plate == plate.strip().upper())
    if present:
        query = query.where(Visit.departed_at.is_(None))
    return query


def violations(
    scope: Scope,
    *,
    lot_id: int | None = None,
    plate: str | None = None,
    kind: ViolationKind | None = None,
    since: datetime | None = None,
) -> Select[Any]:
    query = select(Violation).join(Lot).where(visible(scope)).order_by(Violation.occurred_at.desc(), Violation.id)
    if lot_id is not None:
        query = query.where(Violation.lot_id == lot_id)
    if plate:
        query = query.where(Violation.plate == plate.strip().upper())
    if kind is not None:
        query = query.where(Violation.kind == kind)
    if since is not None:
        query = query.where(Violation.occurred_at >= since)
    return query


def violation_counts(session: Session, *, scope: Scope, community_id: int | None, now: datetime) -> dict[str, int]:
    in_view = and_(visible(scope), _in(community_id))
    day = to_local(now).date()
    recent = session.scalar(
        select(func.count())
        .select_from(Violation)
        .join(Lot)
        .where(in_view, Violation.occurred_at >= now - timedelta(days=30))
    )
    suspended = session.scalar(
        select(func.count())
        .select_from(Permit)
        .join(Lot)
        .where(in_view, valid_today(day), Permit.suspended_until > day)
    )
    return {"last_30_days": recent or 0, "suspended_permits": suspended or 0}


def _hours(day: date, tz: tzinfo) -> list[tuple[datetime, datetime]]:
    midnight = datetime.combine(day, time(), tz)
    return [(midnight + timedelta(hours=h), midnight + timedelta(hours=h + 1)) for h in range(24)]


def _overlap(a: tuple[datetime, datetime], b: tuple[datetime, datetime]) -> float:
    """Hours the two spans share."""
    return max((min(a[1], b[1]) - max(a[0], b[0])).total_seconds(), 0.0) / 3600


def _open_hours(lot: Lot, spaces: int, day: date, calendar: WorkCalendar) -> list[float]:
    """Space-hours open to permits in each hour of `day`: all of them, or a lender's only within its window."""
    hours = _hours(day, calendar.tz)
    if lot.kind is not LotKind.time_shared:
        return [float(spaces)] * 24
    try:
        window = terms_of(lot, day).window
    except Conflict:
        return [0.0] * 24
    openings = [window.opening(d, calendar.tz) for d in (day - timedelta(days=1), day) if window.opens_on(d, calendar)]
    return [spaces * sum(_overlap(hour, opening) for opening in openings) for hour in hours]


def occupancy(
    session: Session, *, scope: Scope, community_id: int | None, day: date, calendar: WorkCalendar, now: datetime
) -> dict[str, Any]:
    """Cars present against spaces open, hour by hour of `day`, for each source and each lot; a car still in
    counts up to now."""
    lots_ = list(session.scalars(lots(scope, community_id=community_id)))
    hours = _hours(day, calendar.tz)
    start, end = hours[0][0], hours[-1][1]
    counts, _, _ = lot_counts(session, [lot.id for lot in lots_], day)
    cars: dict[int, list[float]] = {lot.id: [0.0] * 24 for lot in lots_}
    by_source: Counter[str] = Counter()
    stays = session.execute(
        select(Visit.lot_id, Visit.source, Visit.arrived_at, Visit.departed_at).where(
            Visit.lot_id.in_(cars), Visit.arrived_at < end, or_(Visit.departed_at.is_(None), Visit.departed_at > start)
        )
    )
    for lot_id, source, arrived, departed in stays:
        by_source[source] += 1
        stay = (arrived, departed or min(now, end))
        lot_cars = cars[lot_id]
        for h, hour in enumerate(hours):
            lot_cars[h] += _overlap(hour, stay)
    # An hour that has not begun has spaces but no occupancy yet.
    open_ = {lot.id: _open_hours(lot, counts[lot.id], day, calendar) for lot in lots_}
    begun = [hour[0] <= now for hour in hours]
    hour_rows = []
    for h in range(24):
        row: dict[str, Any] = {"hour": h}
        for kind in LotKind:
            in_kind = [lot.id for lot in lots_ if lot.kind is kind]
            present = sum(cars[i][h] for i in in_kind)
            spaces = sum(open_[i][h] for i in in_kind)
            rate = _rate(present, spaces) if begun[h] else None
            row[kind.value] = {"cars": round(present, 2), "spaces": round(spaces, 2), "rate": rate}
        hour_rows.append(row)
    return {
        "day": day,
        "hours": hour_rows,
        "lots": [
            {
                "lot_id": lot.id,
                "name": lot.name,
                "kind": lot.kind,
                "lon": lot.lon,
                "lat": lot.lat,
                "rates": [_rate(cars[lot.id][h], open_[lot.id][h]) if begun[h] else None for h in range(24)],
            }
            for lot in lots_
        ],
        "visits_by_source": {source.value: by_source[source] for source in VisitSource},
    }


def _rate(cars: float, spaces: float) -> float | None:
    return round(cars / spaces, 3) if spaces > 0 else None
