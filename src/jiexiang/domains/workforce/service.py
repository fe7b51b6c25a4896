"""Field force service: devices, shifts and areas; accepting positions (validated, map-matched to alleys,
stored raw, latest kept per worker); the live view."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from shapely.geometry import Point
from sqlalchemy import and_, func, insert, or_, select
from sqlalchemy import case as sql_case
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jiexiang.core.db import serialize_on
from jiexiang.core.errors import Conflict, InvalidInput, NotFound
from jiexiang.core.events import publish
from jiexiang.core.time import BEIJING, Clock
from jiexiang.domains.accounts.models import User
from jiexiang.domains.accounts.permissions import Permission, can
from jiexiang.domains.places.models import Alley, GridCell
from jiexiang.domains.places.spatial import SpatialIndex
from jiexiang.domains.workforce.coverage import update_walks
from jiexiang.domains.workforce.enums import PositionSource, RejectReason
from jiexiang.domains.workforce.events import PositionRecorded
from jiexiang.domains.workforce.models import AreaAssignment, Device, GeofenceTransition, LivePosition, Position, Shift
from jiexiang.domains.workforce.protocols import Fix, Transition
from jiexiang.domains.workforce.schemas import LiveWorkerRead


@dataclass(frozen=True)
class Rules:
    """What a believable fix is. A phone that was offline may send a backlog, hence a week of age."""

    max_accuracy_m: float = 300.0
    max_age: timedelta = timedelta(days=7)
    future_tolerance: timedelta = timedelta(minutes=5)
    max_speed_mps: float = 55.0  # ~200 km/h: faster than anything in an alley, slower than a GPS jump
    match_alley_m: float = 25.0  # a fix this close to an alley's centre line is on that alley


RULES = Rules()


# ---- devices, shifts ---------------------------------------------------------------------------------


def add_device(session: Session, *, user: User, device_id: str, label: str | None, clock: Clock) -> Device:
    device_id = device_id.strip()
    if not device_id or len(device_id) > 64:
        raise InvalidInput("设备编号应为 1–64 个字符", code="device_id")
    if not can(user.role, Permission.positions_report):
        raise InvalidInput(f"{user.full_name} 不是外勤人员，不能登记定位设备", code="not_field_staff")
    device = Device(device_id=device_id, user_id=user.id, label=label, created_at=clock.now())
    try:
        with session.begin_nested():  # the unique key decides, also between two registrations at once
            session.add(device)
    except IntegrityError:
        existing = session.scalars(select(Device).where(Device.device_id == device_id)).one()
        raise Conflict(f"设备 {device_id} 已登记给 {existing.user.full_name}", code="device_taken") from None
    return device


def list_devices(session: Session) -> list[Device]:
    return list(session.scalars(select(Device).order_by(Device.id)))


def remove_device(session: Session, *, device_id: int) -> None:
    device = session.get(Device, device_id)
    if device is None:
        raise NotFound(f"设备 {device_id} 不存在")
    session.delete(device)
    session.flush()


def device_owner(session: Session, *, device_id: str, now: datetime) -> Device | None:
    device = session.scalars(select(Device).where(Device.device_id == device_id)).first()
    if device is not None:
        device.last_seen_at = now
    return device


def add_shift(session: Session, *, user: User, starts_at: datetime, ends_at: datetime, clock: Clock) -> Shift:
    if ends_at <= starts_at:
        raise InvalidInput("班次结束时间应晚于开始时间", code="shift_times")
    if ends_at - starts_at > timedelta(hours=24):
        raise InvalidInput("一个班次不能超过 24 小时", code="shift_times")
    if not can(user.role, Permission.positions_report):
        raise InvalidInput(f"{user.full_name} 不是外勤人员，不能排班", code="not_field_staff")
    shift = Shift(user_id=user.id, starts_at=starts_at, ends_at=ends_at, created_at=clock.now())
    session.add(shift)
    session.flush()
    return shift


def set_areas(session: Session, *, user: User, alley_ids: list[int], grid_cell_ids: list[int]) -> None:
    """Replace the alleys and grid cells `user` is responsible for patrolling."""
    known_alleys = set(session.scalars(select(Alley.id).where(Alley.id.in_(alley_ids))))
    known_cells = set(session.scalars(select(GridCell.id).where(GridCell.id.in_(grid_cell_ids))))
    unknown = sorted(set(alley_ids) - known_alleys) + sorted(set(grid_cell_ids) - known_cells)
    if unknown:
        raise InvalidInput(f"街巷或网格不存在：{unknown}", code="unknown_area")
    for area in session.scalars(select(AreaAssignment).where(AreaAssignment.user_id == user.id)):
        session.delete(area)
    session.flush()
    session.add_all([AreaAssignment(user_id=user.id, alley_id=a) for a in sorted(known_alleys)])
    session.add_all([AreaAssignment(user_id=user.id, grid_cell_id=c) for c in sorted(known_cells)])
    session.flush()


def on_duty_ids(session: Session, *, at: datetime) -> set[int]:
    return set(session.scalars(select(Shift.user_id).where(Shift.starts_at <= at, Shift.ends_at > at)))


# ---- positions -----------------------------------------------------------------------------------------


@dataclass
class Tally:
    accepted: list[Position] = field(default_factory=list)
    rejected: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, object]:
        return {"accepted": len(self.accepted), "rejected": dict(self.rejected)}


@dataclass(frozen=True)
class Incoming:
    user_id: int
    source: PositionSource
    device: str | None
    fix: Fix


def record_positions(session: Session, *, incoming: Sequence[Incoming], now: datetime, rules: Rules = RULES) -> Tally:
    """Validate, de-duplicate, map-match and store fixes; move each worker's live position forward."""
    tally = Tally()
    if not incoming:
        return tally
    users = {i.user_id for i in incoming}
    # One writer at a time per worker: a resent batch is recognised, the live position moves forward once.
    serialize_on(session, (f"positions:{user}" for user in users))
    field_staff = {
        user_id
        for user_id, role in session.execute(select(User.id, User.role).where(User.id.in_(users), User.is_active))
        if can(role, Permission.positions_report)
    }
    refused = sum(i.user_id not in field_staff for i in incoming)
    if refused:
        tally.rejected[RejectReason.not_field_staff.value] += refused
    ordered = sorted((i for i in incoming if i.user_id in field_staff), key=lambda i: (i.user_id, i.fix.recorded_at))
    if not ordered:
        return tally
    index = SpatialIndex.for_session(session)
    live = {p.user_id: p for p in session.scalars(select(LivePosition).where(LivePosition.user_id.in_(users)))}
    stored = _stored_instants(session, ordered)
    previous: dict[int, tuple[datetime, float, float]] = {u: (p.recorded_at, p.lon, p.lat) for u, p in live.items()}
    rows: list[dict[str, object]] = []
    for item in ordered:
        fix = item.fix
        reason = _problem(fix, now, rules)
        key = (item.user_id, fix.recorded_at)
        if reason is None and key in stored:
            reason = RejectReason.duplicate
        last = previous.get(item.user_id)
        if reason is None and last is not None and last[0] < fix.recorded_at:
            seconds = (fix.recorded_at - last[0]).total_seconds()
            if index.frame.distance(last[1], last[2], fix.lon, fix.lat) / seconds > rules.max_speed_mps:
                reason = RejectReason.impossible_jump
        if reason is not None:
            tally.rejected[reason.value] += 1
            continue
        stored.add(key)
        if last is None or last[0] < fix.recorded_at:
            previous[item.user_id] = (fix.recorded_at, fix.lon, fix.lat)
        rows.append(
            {
                "user_id": item.user_id,
                "source": item.source,
                "device": item.device,
                "recorded_at": fix.recorded_at,
                "received_at": now,
                "lon": fix.lon,
                "lat": fix.lat,
                "accuracy_m": fix.accuracy_m,
                "speed_mps": fix.speed_mps,
                "heading": fix.heading,
                "altitude_m": fix.altitude_m,
                "battery": fix.battery,
                "charging": fix.charging,
                "alley_id": index.nearest_alley(Point(fix.lon, fix.lat), max_metres=rules.match_alley_m),
                "simplified": False,
            }
        )
    if rows:
        session.execute(insert(Position), rows)
        tally.accepted = [Position(**row) for row in rows]
        _move_live(session, live, tally.accepted)
        update_walks(session, index=index, accepted=tally.accepted)
        for position in tally.accepted:
            publish(session, PositionRecorded.of(position))
    session.flush()
    return tally


def _problem(fix: Fix, now: datetime, rules: Rules) -> RejectReason | None:
    if not (-90 <= fix.lat <= 90 and -180 <= fix.lon <= 180) or (fix.lat == 0 and fix.lon == 0):
        return RejectReason.out_of_range
    if fix.accuracy_m is not None and fix.accuracy_m > rules.max_accuracy_m:
        return RejectReason.inaccurate
    if fix.recorded_at > now + rules.future_tolerance:
        return RejectReason.future
    if fix.recorded_at < now - rules.max_age:
        return RejectReason.too_old
    return None


def _stored_instants(session: Session, ordered: Sequence[Incoming]) -> set[tuple[int, datetime]]:
    """(user, time) pairs of these fixes already stored: a resent batch is not stored twice."""
    found: set[tuple[int, datetime]] = set()
    bounds: dict[int, tuple[datetime, datetime]] = {}
    for item in ordered:
        first, last = bounds.get(item.user_id, (item.fix.recorded_at, item.fix.recorded_at))
        bounds[item.user_id] = (min(first, item.fix.recorded_at), max(last, item.fix.recorded_at))
    conditions = [
        and_(Position.user_id == user, Position.recorded_at.between(first, last))
        for user, (first, last) in bounds.items()
    ]
    for start in range(0, len(conditions), 200):
        rows = session.execute(
            select(Position.user_id, Position.recorded_at).where(or_(*conditions[start : start + 200]))
        )
        found.update((row.user_id, row.recorded_at) for row in rows)
    return found


def _move_live(session: Session, live: dict[int, LivePosition], accepted: list[Position]) -> None:
    newest: dict[int, Position] = {}
    for position in accepted:
        if position.user_id not in newest or newest[position.user_id].recorded_at < position.recorded_at:
            newest[position.user_id] = position
    for user_id, position in newest.items():
        current = live.get(user_id)
        if current is not None and current.recorded_at >= position.recorded_at:
            continue  # a late backlog does not move the worker back in time
        if current is None:
            current = LivePosition(user_id=user_id)
            session.add(current)
        current.source = position.source
        current.recorded_at = position.recorded_at
        current.lon, current.lat = position.lon, position.lat
        current.accuracy_m, current.speed_mps = position.accuracy_m, position.speed_mps
        current.battery, current.alley_id = position.battery, position.alley_id


def record_transition(session: Session, *, user_id: int, transition: Transition) -> GeofenceTransition:
    row = GeofenceTransition(
        user_id=user_id,
        event=transition.event,
        region=transition.region,
        at=transition.at,
        lon=transition.lon,
        lat=transition.lat,
    )
    session.add(row)
    session.flush()
    return row


# ---- live view -----------------------------------------------------------------------------------------


def live_workers(
    session: Session, *, now: datetime, stale_after: timedelta = timedelta(minutes=5)
) -> list[LiveWorkerRead]:
    """Every field worker with a known position: where, how fresh, battery, whether on duty."""
    on_duty = on_duty_ids(session, at=now)
    alleys: dict[int, str] = {row.id: row.name for row in session.execute(select(Alley.id, Alley.name))}
    rows = session.scalars(select(LivePosition).order_by(LivePosition.user_id))
    return [
        LiveWorkerRead(
            user_id=p.user_id,
            username=p.user.username,
            full_name=p.user.full_name,
            role=p.user.role,
            on_duty=p.user_id in on_duty,
            lon=p.lon,
            lat=p.lat,
            recorded_at=p.recorded_at,
            age_seconds=max(0, int((now - p.recorded_at).total_seconds())),
            stale=now - p.recorded_at > stale_after,
            accuracy_m=p.accuracy_m,
            speed_mps=p.speed_mps,
            battery=p.battery,
            source=p.source,
            alley_id=p.alley_id,
            alley_name=alleys.get(p.alley_id) if p.alley_id else None,
        )
        for p in rows
    ]


def trails(session: Session, *, day: date, max_points: int = 2000) -> dict[str, object]:
    """Each worker's walk on a Beijing day as a GeoJSON line, in time order, for the map. A day at one fix every
    few seconds is thousands of points a worker: the database keeps every n-th of each walk (and its last), so
    that neither the server nor the map carries a thousand phones' full day."""
    start = datetime.combine(day, time.min, tzinfo=BEIJING)
    numbered = (
        select(
            Position.user_id,
            Position.lon,
            Position.lat,
            Position.recorded_at,
            func.row_number().over(partition_by=Position.user_id, order_by=Position.recorded_at).label("n"),
            func.count().over(partition_by=Position.user_id).label("total"),
        )
        .where(Position.recorded_at >= start, Position.recorded_at < start + timedelta(days=1))
        .subquery()
    )
    step = sql_case((numbered.c.total > max_points, numbered.c.total // max_points), else_=1)  # integer division
    rows = session.execute(
        select(numbered.c.user_id, numbered.c.lon, numbered.c.lat, numbered.c.total)
        .where(or_((numbered.c.n - 1) % step == 0, numbered.c.n == numbered.c.total))
        .order_by(numbered.c.user_id, numbered.c.recorded_at)
    ).all()
    walks: dict[int, list[list[float]]] = {}
    fixes: dict[int, int] = {}
    for row in rows:
        walks.setdefault(row.user_id, []).append([round(row.lon, 6), round(row.lat, 6)])
        fixes[row.user_id] = row.total
    names = dict(session.execute(select(User.id, User.full_name).where(User.id.in_(list(walks)))).all())
    features = [
        {
            "type": "Feature",
            "id": user_id,
            "geometry": {"type": "LineString", "coordinates": points},
            "properties": {"user_id": user_id, "full_name": names.get(user_id, ""), "fixes": fixes[user_id]},
        }
        for user_id, points in walks.items()
        if len(points) >= 2  # one fix is no line
    ]
    return {"type": "FeatureCollection", "features": features}
