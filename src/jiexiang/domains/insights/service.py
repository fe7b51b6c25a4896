"""Storing and reading analytics snapshots; old ones are pruned so the table stays small."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from jiexiang.core.errors import NotFound
from jiexiang.domains.insights.enums import KIND_LABELS, SnapshotKind
from jiexiang.domains.insights.models import AnalyticsSnapshot

KEEP = 30  # snapshots of each kind


def store(
    session: Session,
    *,
    kind: SnapshotKind,
    rows: list[dict[str, Any]],
    as_of: datetime,
    computed_at: datetime,
    resolution: int,
) -> AnalyticsSnapshot:
    snapshot = AnalyticsSnapshot(kind=kind, rows=rows, as_of=as_of, computed_at=computed_at, h3_resolution=resolution)
    session.add(snapshot)
    session.flush()
    old = select(AnalyticsSnapshot.id).where(AnalyticsSnapshot.kind == kind).order_by(AnalyticsSnapshot.id.desc())
    stale = list(session.scalars(old.offset(KEEP)))
    if stale:
        session.execute(delete(AnalyticsSnapshot).where(AnalyticsSnapshot.id.in_(stale)))
    return snapshot


def latest(session: Session, *, kind: SnapshotKind) -> AnalyticsSnapshot:
    snapshot = session.scalars(
        select(AnalyticsSnapshot).where(AnalyticsSnapshot.kind == kind).order_by(AnalyticsSnapshot.id.desc())
    ).first()
    if snapshot is None:
        raise NotFound(
            f"还没有{KIND_LABELS[kind]}结果：服务每天自动计算，也可运行 jiexiang jobs analytics", code="no_analytics"
        )
    return snapshot
