"""One table of analytics snapshots: each run stores what it found, whole, for the map and dashboards."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer
from sqlalchemy.orm import Mapped, mapped_column

from jiexiang.core.db import Base, UTCDateTime, enum_type
from jiexiang.domains.insights.enums import SnapshotKind


class AnalyticsSnapshot(Base):
    __tablename__ = "analytics_snapshots"
    __table_args__ = (Index("ix_analytics_snapshots_kind_computed_at", "kind", "computed_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[SnapshotKind] = mapped_column(enum_type(SnapshotKind, name="kind", length=16))
    as_of: Mapped[datetime] = mapped_column(UTCDateTime)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    h3_resolution: Mapped[int] = mapped_column(Integer)
    rows: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
