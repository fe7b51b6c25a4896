"""Parking's use: cars checked in and out by an inspector's phone or a gate's export, the permit each parked on,
and the violations found, with penalties that escalate with each violation of a plate (settings) and suspend its
permits after too many. A suspended permit keeps its space; its car may park again from `suspended_until` on, or
once staff reinstate it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, lazyload

from jiexiang.core.config import Settings
from jiexiang.core.db import add_unique, locked, serialize_on
from jiexiang.core.errors import Conflict, InvalidInput, NotFound
from jiexiang.core.time import WorkCalendar
from jiexiang.domains.parking.enums import PermitStatus, ViolationKind, VisitSource
from jiexiang.domains.parking.gate import GateRecord
from jiexiang.domains.parking.models import Lot, Permit, Space, Violation, Visit
from jiexiang.domains.parking.rules import ParkingRules
from jiexiang.domains.parking.stays import minutes_outside
from jiexiang.domains.parking.terms import allowance, today, valid_today

# Violations are numbered per plate in the order they are recorded: one recording at a time, subdistrict-wide
# (they are few, and an import records its own in one go).
_VIOLATIONS_KEY = "parking-violations"
_CHUNK = 5000  # record numbers looked up per query (SQLite takes at most 32,766 parameters)


@dataclass(frozen=True)
class Penalties:
    """What a violation costs, from the settings (see `Settings.parking_fines` and the ones beside it)."""

    grace_minutes: int
    fines: tuple[int, ...]
    period_days: int
    suspend_after: int
    suspend_days: int

    @classmethod
    def of(cls, settings: Settings) -> Penalties:
        return cls(
            grace_minutes=settings.parking_grace_minutes,
            fines=tuple(settings.parking_fines),
            period_days=settings.parking_violation_days,
            suspend_after=settings.parking_suspend_after,
            suspend_days=settings.parking_suspend_days,
        )

    def fine(self, ordinal: int) -> int:
        return self.fines[min(ordinal, len(self.fines)) - 1]


@dataclass(frozen=True)
class Judge:
    """What a visit is judged by: the working calendar (windows on workdays or rest days) and the penalties."""

    calendar: WorkCalendar
    penalties: Penalties


def _permits_in_force(session: Session, *, lot_id: int, plates: Iterable[str]) -> dict[str, list[Permit]]:
    """Active permits of the lot for the plates, by plate."""
    found: dict[str, list[Permit]] = defaultdict(list)
    rows = session.scalars(
        select(Permit).where(
            Permit.lot_id == lot_id, Permit.plate.in_(set(plates)), Permit.status == PermitStatus.active
        )
    )
    for permit in rows:
        found[permit.plate].append(permit)
    return found


def may_park(permit: Permit, day: date) -> bool:
    """The permit lets its car park on `day`: within its term and not suspended."""
    suspended = permit.suspended_until is not None and day < permit.suspended_until
    return permit.valid_from <= day < permit.valid_until and not suspended


def _permit_on(permits: list[Permit], day: date) -> Permit | None:
    return next((p for p in permits if may_park(p, day)), None)


def _space(session: Session, lot: Lot, code: str | None) -> Space | None:
    if code is None:
        return None
    space = session.scalar(select(Space).where(Space.lot_id == lot.id, Space.code == code.strip().upper()))
    if space is None:
        raise InvalidInput(f"“{lot.name}”没有编号为 {code} 的车位", code="space_not_found")
    return space


def _check_time(at: datetime, now: datetime, what: str) -> None:
    if at > now + timedelta(minutes=5):  # a phone's clock may run a little ahead
        raise InvalidInput(f"{what}不能晚于现在", code="time_in_future")


def check_in(
    session: Session,
    *,
    lot: Lot,
    plate: str,
    space_code: str | None,
    photos: list[str],
    at: datetime,
    actor_id: int | None,
    rules: ParkingRules,
    judge: Judge,
    now: datetime,
) -> Visit:
    """An inspector finds a car in a lot: its visit, on the permit it may park on (a violation if none)."""
    plate = rules.check_plate(plate)
    _check_time(at, now, "入场时间")
    if lot.retired_at is not None:
        raise Conflict(f"“{lot.name}”已停用", code="lot_retired")
    permit = _permit_on(_permits_in_force(session, lot_id=lot.id, plates=[plate])[plate], today(at))
    visit = Visit(
        lot_id=lot.id,
        space_id=(space.id if (space := _space(session, lot, space_code)) else None),
        plate=plate,
        permit_id=permit.id if permit else None,
        source=VisitSource.inspector,
        arrived_at=at,
        arrived_by=actor_id,
        photos=photos,
    )
    add_unique(session, visit, taken=Conflict(f"{plate} 已登记在场，请先登记其离场", code="already_parked"))
    if finding := _finding(visit, permit, judge):
        _penalise(session, visit, finding, judge=judge, now=now)
    return visit


def check_out(
    session: Session,
    *,
    visit_id: int,
    photos: list[str],
    at: datetime,
    actor_id: int | None,
    judge: Judge,
    now: datetime,
) -> Visit:
    visit = session.scalar(locked(select(Visit).where(Visit.id == visit_id).options(lazyload("*"))))
    if visit is None:
        raise NotFound(f"没有编号为 {visit_id} 的停车记录", code="visit_not_found")
    if visit.departed_at is not None:
        raise Conflict(f"{visit.plate} 已登记离场", code="already_departed")
    _check_time(at, now, "离场时间")
    if at < visit.arrived_at:
        raise InvalidInput("离场时间不能早于入场时间", code="departed_before_arrival")
    visit.departed_by = actor_id
    visit.photos = [*visit.photos, *photos]
    if finding := _depart(session, visit, at, judge):
        _penalise(session, visit, finding, judge=judge, now=now)
    session.flush()
    return visit


@dataclass(frozen=True)
class Finding:
    kind: ViolationKind
    minutes: int
    at: datetime


def _finding(visit: Visit, permit: Permit | None, judge: Judge) -> Finding | None:
    """What is wrong with a visit as far as it is known: no permit in force (found on arrival), or, once it
    left, more minutes outside the permit's hours than the grace."""
    if permit is None:
        return Finding(ViolationKind.no_permit, visit.minutes_outside or 0, visit.arrived_at)
    if visit.departed_at is not None and (visit.minutes_outside or 0) > judge.penalties.grace_minutes:
        return Finding(ViolationKind.outside_window, visit.minutes_outside or 0, visit.departed_at)
    return None


def _outside(visit: Visit, permit: Permit | None, calendar: WorkCalendar) -> int:
    assert visit.departed_at is not None
    return minutes_outside(visit.arrived_at, visit.departed_at, allowance(permit) if permit else None, calendar)


def _depart(session: Session, visit: Visit, at: datetime, judge: Judge) -> Finding | None:
    """A car that was in has left: how long it stood outside its permit's hours, and what that makes of it. A car
    without a permit was judged on arrival; its violation learns how long it stayed."""
    permit = session.get(Permit, visit.permit_id) if visit.permit_id else None
    visit.departed_at = at
    visit.minutes_outside = _outside(visit, permit, judge.calendar)
    if permit is None:
        found = session.scalar(select(Violation).where(Violation.visit_id == visit.id))
        if found is not None:
            found.minutes = visit.minutes_outside
        return None
    return _finding(visit, permit, judge)


def _penalise(session: Session, visit: Visit, finding: Finding, *, judge: Judge, now: datetime) -> Violation:
    """Record the violation as the plate's n-th in the counting period, with the fine that n draws, and from the
    configured n on, suspend the plate's permits."""
    penalties, at = judge.penalties, finding.at
    serialize_on(session, [_VIOLATIONS_KEY])
    since = at - timedelta(days=penalties.period_days)
    earlier = session.scalar(
        select(func.count()).where(
            Violation.plate == visit.plate, Violation.occurred_at > since, Violation.occurred_at <= at
        )
    )
    ordinal = (earlier or 0) + 1
    violation = Violation(
        visit_id=visit.id,
        lot_id=visit.lot_id,
        plate=visit.plate,
        permit_id=visit.permit_id,
        kind=finding.kind,
        occurred_at=at,
        minutes=finding.minutes,
        ordinal=ordinal,
        fine=penalties.fine(ordinal),
        recorded_at=now,
    )
    if ordinal >= penalties.suspend_after:
        until = today(at) + timedelta(days=penalties.suspend_days)
        if until > today(now):  # a suspension already served (an old record imported late) suspends nothing
            violation.suspended_until = until
            _suspend(session, plate=visit.plate, until=until, now=now)
    add_unique(session, violation, taken=Conflict("该停车记录已记过违规", code="violation_recorded"))
    return violation


def _suspend(session: Session, *, plate: str, until: date, now: datetime) -> None:
    permits = session.scalars(
        locked(select(Permit).where(Permit.plate == plate, valid_today(today(now))).options(lazyload("*")))
    )
    for permit in permits:
        permit.suspended_until = max(permit.suspended_until or until, until)


def reinstate(session: Session, *, permit_id: int, now: datetime) -> Permit:
    """Staff end a suspension early (an appeal upheld, a fine paid): the car may park again from today."""
    permit = session.scalar(locked(select(Permit).where(Permit.id == permit_id).options(lazyload("*"))))
    if permit is None:
        raise NotFound(f"没有编号为 {permit_id} 的停车证", code="permit_not_found")
    day = today(now)
    if permit.suspended_until is None or permit.suspended_until <= day:
        raise Conflict("该停车证未被暂停使用", code="not_suspended")
    permit.suspended_until = day
    session.flush()
    return permit


# ---- a gate's export ---------------------------------------------------------------------------------------


@dataclass
class GateImport:
    read: int = 0
    arrived: int = 0  # new stays
    departed: int = 0  # stays that ended (new ones that ended, and earlier open ones)
    unchanged: int = 0  # imported before, nothing new
    violations: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (row, problem in Chinese)

    def add_unreadable(self, rows: Iterable[tuple[int, str]]) -> None:
        """Rows the file reader could not read: counted as read, and listed with the rejected, in file order."""
        unreadable = list(rows)
        self.read += len(unreadable)
        self.rejected = sorted([*self.rejected, *unreadable])

    def describe(self) -> str:
        return (
            f"读取 {self.read} 条：新入场 {self.arrived}，离场 {self.departed}，已导入过 {self.unchanged}，"
            f"违规 {self.violations}，未导入 {len(self.rejected)}"
        )


def import_gate(
    session: Session,
    *,
    lot: Lot,
    records: Sequence[GateRecord],
    rules: ParkingRules,
    judge: Judge,
    now: datetime,
) -> GateImport:
    """A gate's stays in one lot. A record is imported once (by its number); one imported while the car was in
    gets its departure from a later export. Each row is judged as an inspector's check-in and check-out are."""
    serialize_on(session, [f"parking-gate:{lot.id}"])
    summary = GateImport(read=len(records))
    refs = sorted({record.ref for record in records})
    known: dict[str | None, Visit] = {}
    for chunk in (refs[i : i + _CHUNK] for i in range(0, len(refs), _CHUNK)):
        mine = (Visit.lot_id == lot.id) & (Visit.source == VisitSource.gate) & Visit.external_ref.in_(chunk)
        known |= {v.external_ref: v for v in session.scalars(select(Visit).where(mine).options(lazyload("*")))}
    spaces = dict(session.execute(select(Space.code, Space.id).where(Space.lot_id == lot.id)).all())
    rows: list[tuple[GateRecord, str]] = []
    for record in records:
        try:
            plate = rules.check_plate(record.plate)
            _check_time(record.departed_at or record.arrived_at, now, "出入场时间")
        except InvalidInput as problem:
            summary.rejected.append((record.row_number, str(problem)))
            continue
        if record.space_code is not None and record.space_code.upper() not in spaces:
            summary.rejected.append((record.row_number, f"没有编号为 {record.space_code} 的车位"))
            continue
        rows.append((record, plate))
    permits = _permits_in_force(session, lot_id=lot.id, plates={plate for _, plate in rows})
    findings: list[tuple[Finding, Visit]] = []
    for record, plate in sorted(rows, key=lambda row: row[0].arrived_at):
        visit = known.get(record.ref)
        if visit is not None:
            if visit.departed_at is None and record.departed_at is not None:
                departed_at = max(record.departed_at, visit.arrived_at)
                if finding := _depart(session, visit, departed_at, judge):
                    findings.append((finding, visit))
                summary.departed += 1
            else:
                summary.unchanged += 1
            continue
        permit = _permit_on(permits[plate], today(record.arrived_at))
        visit = Visit(
            lot_id=lot.id,
            space_id=spaces.get(record.space_code.upper()) if record.space_code else None,
            plate=plate,
            permit_id=permit.id if permit else None,
            source=VisitSource.gate,
            external_ref=record.ref,
            arrived_at=record.arrived_at,
            departed_at=record.departed_at,
            photos=[],
        )
        if record.departed_at is None:  # only a car still in can collide with another open stay of its plate
            try:
                add_unique(session, visit, taken=Conflict(f"{plate} 仍有未离场的记录", code="already_parked"))
            except Conflict as problem:
                summary.rejected.append((record.row_number, str(problem)))
                continue
        else:
            visit.minutes_outside = _outside(visit, permit, judge.calendar)
            session.add(visit)
            summary.departed += 1
        known[record.ref] = visit
        summary.arrived += 1
        if finding := _finding(visit, permit, judge):
            findings.append((finding, visit))
    session.flush()  # the new stays, in one INSERT
    for finding, visit in sorted(findings, key=lambda pair: pair[0].at):  # numbered in the order they happened
        _penalise(session, visit, finding, judge=judge, now=now)
    summary.violations = len(findings)
    return summary
