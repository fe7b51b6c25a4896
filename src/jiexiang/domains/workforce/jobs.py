"""Trajectory upkeep: raw fixes are kept for `raw_days`; after that each worker's day is thinned to the
points that keep its shape (Douglas–Peucker, a few metres), which is what maps and coverage need from
old tracks. Coverage itself is kept apart (alley walks) and does not change."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime, timedelta

import shapely
from shapely.geometry import LineString
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from jiexiang.core.db import unit_of_work
from jiexiang.core.geo import LocalFrame
from jiexiang.core.jobs import Job, JobContext
from jiexiang.core.time import to_local
from jiexiang.domains.workforce.models import Position

log = logging.getLogger(__name__)
TOLERANCE_M = 5.0
BATCH_USERS = 50


def simplify_tracks(session: Session, *, before: datetime, tolerance_m: float = TOLERANCE_M) -> tuple[int, int]:
    """Thin the raw fixes recorded before `before`, for up to BATCH_USERS workers (call again, in a new
    transaction, until it returns (0, 0): short transactions leave SQLite's write lock to the phones).
    Returns (kept, removed)."""
    kept = removed = 0
    users = list(
        session.scalars(
            select(Position.user_id)
            .where(Position.recorded_at < before, Position.simplified.is_(False))
            .distinct()
            .order_by(Position.user_id)
            .limit(BATCH_USERS)
        )
    )
    for start in range(0, len(users), BATCH_USERS):
        rows = session.execute(
            select(Position.id, Position.user_id, Position.recorded_at, Position.lon, Position.lat)
            .where(
                Position.user_id.in_(users[start : start + BATCH_USERS]),
                Position.recorded_at < before,
                Position.simplified.is_(False),
            )
            .order_by(Position.user_id, Position.recorded_at)
        ).all()
        days: dict[tuple[int, object], list[tuple[int, float, float]]] = defaultdict(list)
        for row in rows:
            days[(row.user_id, to_local(row.recorded_at).date())].append((row.id, row.lon, row.lat))
        keep: list[int] = []
        drop: list[int] = []
        for points in days.values():
            survivors = _shape_points(points, tolerance_m)
            keep += survivors
            drop += [p[0] for p in points if p[0] not in set(survivors)]
        for chunk in range(0, len(drop), 900):
            session.execute(delete(Position).where(Position.id.in_(drop[chunk : chunk + 900])))
        for chunk in range(0, len(keep), 900):
            session.execute(update(Position).where(Position.id.in_(keep[chunk : chunk + 900])).values(simplified=True))
        kept, removed = kept + len(keep), removed + len(drop)
    session.flush()
    return kept, removed


def _shape_points(points: list[tuple[int, float, float]], tolerance_m: float) -> list[int]:
    """Ids of the fixes Douglas–Peucker keeps (always the first and the last)."""
    if len(points) < 3:
        return [p[0] for p in points]
    frame = LocalFrame(points[0][1], points[0][2])
    xy = [frame.xy(lon, lat) for _, lon, lat in points]
    simplified = shapely.simplify(LineString(xy), tolerance_m, preserve_topology=False)
    wanted = {(round(x, 6), round(y, 6)) for x, y in simplified.coords}
    return [p[0] for p, (x, y) in zip(points, xy, strict=True) if (round(x, 6), round(y, 6)) in wanted]


def thin_old_tracks(factory: sessionmaker[Session], *, before: datetime) -> tuple[int, int]:
    """`simplify_tracks` batch after batch, each in its own transaction, until nothing is left to thin."""
    kept = removed = 0
    while True:
        with unit_of_work(factory) as session:
            batch = simplify_tracks(session, before=before)
        if batch == (0, 0):
            return kept, removed
        kept, removed = kept + batch[0], removed + batch[1]


def run_thin_old_tracks(context: JobContext) -> tuple[int, int]:
    before = context.clock.now() - timedelta(days=context.settings.positions_raw_days)
    kept, removed = thin_old_tracks(context.sessions, before=before)
    if removed:
        log.info("old tracks thinned: %d fixes kept, %d removed", kept, removed)
    return kept, removed


# Thinned as often as deadlines are swept: each run finds little to do.
JOBS = [
    Job(
        "simplify-tracks",
        every=lambda settings: settings.sweep_minutes * 60,
        run=run_thin_old_tracks,
        help="把超过保留期（JIEXIANG_POSITIONS_RAW_DAYS）的原始定位抽稀为轨迹形状（服务运行时也会自动执行）。",
        describe=lambda counts: f"轨迹抽稀：保留 {counts[0]} 个定位点，删除 {counts[1]} 个",
    )
]
