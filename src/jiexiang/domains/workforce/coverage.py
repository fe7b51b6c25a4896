"""Patrol coverage: which alleys were walked, when and by whom; each alley chief's own alleys today; and
the alerts a dispatcher needs (an on-duty worker who stopped reporting or left their area).

An alley counts as walked by a worker on a day when their fixes on it reach along at least
`WALKED_SHARE` of its centre line — passing across its mouth is not patrolling it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from shapely.geometry import Point
from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session

from jiexiang.core.time import to_local
from jiexiang.domains.accounts.models import User
from jiexiang.domains.places.models import Alley
from jiexiang.domains.places.spatial import SpatialIndex
from jiexiang.domains.workforce.models import AlleyWalk, AreaAssignment, LivePosition, Position
from jiexiang.domains.workforce.schemas import AlleyCoverageRead, ChiefCoverageRead, WorkerAlertRead, WorkerCoverageRead

WALKED_SHARE = 0.6
SILENT_AFTER = timedelta(minutes=10)
AREA_MARGIN_M = 30.0


def update_walks(session: Session, *, index: SpatialIndex, accepted: Sequence[Position]) -> None:
    """Extend each (worker, alley, day) stretch with newly accepted fixes."""
    reached: dict[tuple[int, int, date], list[tuple[datetime, float]]] = defaultdict(list)
    for position in accepted:
        line = index.alley_lines.get(position.alley_id) if position.alley_id is not None else None
        if line is None or position.alley_id is None:
            continue
        along = line.project(Point(index.frame.xy(position.lon, position.lat)))
        day = to_local(position.recorded_at).date()
        reached[(position.user_id, position.alley_id, day)].append((position.recorded_at, along))
    if not reached:
        return
    users = {k[0] for k in reached}
    days = {k[2] for k in reached}
    existing = {
        (w.user_id, w.alley_id, w.day): w
        for w in session.scalars(select(AlleyWalk).where(AlleyWalk.user_id.in_(users), AlleyWalk.day.in_(days)))
    }
    for (user_id, alley_id, day), points in reached.items():
        times = [t for t, _ in points]
        stretch = [a for _, a in points]
        walk = existing.get((user_id, alley_id, day))
        if walk is None:
            walk = AlleyWalk(
                user_id=user_id,
                alley_id=alley_id,
                day=day,
                first_at=min(times),
                last_at=max(times),
                from_m=min(stretch),
                to_m=max(stretch),
                fixes=0,
                alley_length_m=index.alley_lines[alley_id].length,
            )
            session.add(walk)
        else:
            walk.first_at, walk.last_at = min(walk.first_at, *times), max(walk.last_at, *times)
            walk.from_m, walk.to_m = min(walk.from_m, *stretch), max(walk.to_m, *stretch)
        walk.fixes += len(points)
        walk.walked = walk.to_m - walk.from_m >= WALKED_SHARE * walk.alley_length_m


Q = TypeVar("Q", bound=Select[*tuple[Any, ...]])


def _among(query: Q, column: Any, alleys: set[int] | None) -> Q:
    return query if alleys is None else query.where(column.in_(alleys))


def alley_coverage(session: Session, *, day: date, alleys: set[int] | None = None) -> list[AlleyCoverageRead]:
    """Every alley (of `alleys`, when given): who walked it on `day`, and when it was last walked by anyone."""
    walked_on_day: dict[int, list[str]] = defaultdict(list)
    rows = session.execute(
        select(AlleyWalk.alley_id, User.full_name)
        .join(User, User.id == AlleyWalk.user_id)
        .where(AlleyWalk.day == day, AlleyWalk.walked.is_(True))
        .order_by(AlleyWalk.first_at)
    )
    for alley_id, full_name in rows:
        walked_on_day[alley_id].append(full_name)
    latest = (
        select(AlleyWalk.alley_id, func.max(AlleyWalk.last_at).label("last_at"))
        .where(AlleyWalk.walked.is_(True), AlleyWalk.day <= day)
        .group_by(AlleyWalk.alley_id)
        .subquery()
    )
    last: dict[int, tuple[datetime, str]] = {}
    for alley_id, last_at, full_name in session.execute(
        select(AlleyWalk.alley_id, AlleyWalk.last_at, User.full_name)
        .join(latest, and_(latest.c.alley_id == AlleyWalk.alley_id, latest.c.last_at == AlleyWalk.last_at))
        .join(User, User.id == AlleyWalk.user_id)
    ):
        last[alley_id] = (last_at, full_name)
    return [
        AlleyCoverageRead(
            alley_id=alley.id,
            alley_name=alley.name,
            length_m=alley.length_m,
            is_back_alley=alley.is_back_alley,
            chief_name=alley.chief.full_name if alley.chief else None,
            walked=bool(walked_on_day.get(alley.id)),
            walked_by=walked_on_day.get(alley.id, []),
            last_walked_at=last[alley.id][0] if alley.id in last else None,
            last_walked_by=last[alley.id][1] if alley.id in last else None,
        )
        for alley in session.scalars(_among(select(Alley), Alley.id, alleys).order_by(Alley.code))
    ]


def worker_coverage(session: Session, *, day: date, alleys: set[int] | None = None) -> list[WorkerCoverageRead]:
    """Each worker with fixes on `day` (in `alleys`, when given): the alleys they walked and the metres covered."""
    totals: dict[int, WorkerCoverageRead] = {}
    query = (
        select(AlleyWalk, User.full_name, Alley.name)
        .join(User, User.id == AlleyWalk.user_id)
        .join(Alley, Alley.id == AlleyWalk.alley_id)
        .where(AlleyWalk.day == day)
    )
    rows = session.execute(_among(query, AlleyWalk.alley_id, alleys).order_by(AlleyWalk.user_id, AlleyWalk.first_at))
    for walk, full_name, alley_name in rows:
        entry = totals.setdefault(
            walk.user_id, WorkerCoverageRead(user_id=walk.user_id, full_name=full_name, alleys_walked=[], metres=0.0)
        )
        if walk.walked:
            entry.alleys_walked.append(alley_name)
        entry.metres = round(entry.metres + walk.to_m - walk.from_m, 1)
    return list(totals.values())


def chief_coverage(session: Session, *, day: date, alleys: set[int] | None = None) -> list[ChiefCoverageRead]:
    """Did each alley chief walk each of their own alleys (of `alleys`, when given) on `day`?"""
    walked = {
        (row.user_id, row.alley_id)
        for row in session.execute(
            select(AlleyWalk.user_id, AlleyWalk.alley_id).where(AlleyWalk.day == day, AlleyWalk.walked.is_(True))
        )
    }
    by_chief: dict[int, ChiefCoverageRead] = {}
    chiefs_alleys = _among(select(Alley).where(Alley.chief_id.is_not(None)), Alley.id, alleys)
    for alley in session.scalars(chiefs_alleys.order_by(Alley.code)):
        assert alley.chief is not None
        entry = by_chief.setdefault(
            alley.chief.id,
            ChiefCoverageRead(user_id=alley.chief.id, full_name=alley.chief.full_name, walked=[], missed=[]),
        )
        (entry.walked if (alley.chief.id, alley.id) in walked else entry.missed).append(alley.name)
    return list(by_chief.values())


def alerts(session: Session, *, index: SpatialIndex, on_duty: set[int], now: datetime) -> list[WorkerAlertRead]:
    """On-duty workers who stopped reporting, or whose latest fix is outside the areas assigned to them."""
    found: list[WorkerAlertRead] = []
    live = {p.user_id: p for p in session.scalars(select(LivePosition).where(LivePosition.user_id.in_(on_duty)))}
    areas: dict[int, list[AreaAssignment]] = defaultdict(list)
    for area in session.scalars(select(AreaAssignment).where(AreaAssignment.user_id.in_(on_duty))):
        areas[area.user_id].append(area)
    names = dict(session.execute(select(User.id, User.full_name).where(User.id.in_(on_duty))).all())
    for user_id in sorted(on_duty):
        position = live.get(user_id)
        if position is None or now - position.recorded_at > SILENT_AFTER:
            since = position.recorded_at if position else None
            found.append(WorkerAlertRead(user_id=user_id, full_name=names[user_id], kind="silent", since=since))
            continue
        assigned = areas.get(user_id)
        if assigned and not _inside(index, position, assigned):
            found.append(
                WorkerAlertRead(user_id=user_id, full_name=names[user_id], kind="left_area", since=position.recorded_at)
            )
    return found


def _inside(index: SpatialIndex, position: LivePosition, assigned: list[AreaAssignment]) -> bool:
    point = Point(index.frame.xy(position.lon, position.lat))
    for area in assigned:
        if area.alley_id is not None:
            line = index.alley_lines.get(area.alley_id)
            if line is not None and line.distance(point) <= AREA_MARGIN_M:
                return True
        elif (
            area.grid_cell_id is not None and index.grid_cell_at(Point(position.lon, position.lat)) == area.grid_cell_id
        ):
            return True
    return False
