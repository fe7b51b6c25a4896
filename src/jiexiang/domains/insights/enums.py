"""The kinds of analytics result stored, with Chinese labels beside them."""

from __future__ import annotations

from enum import StrEnum


class SnapshotKind(StrEnum):
    hotspots = "hotspots"  # Gi* per cell, last 90 days
    risk = "risk"  # where next: cells ranked by expected events in the coming week
    forecasts = "forecasts"  # weekly counts ahead per topic, with 80 % intervals
    warnings = "warnings"


KIND_LABELS: dict[SnapshotKind, str] = {
    SnapshotKind.hotspots: "热点",
    SnapshotKind.risk: "风险排序",
    SnapshotKind.forecasts: "趋势预测",
    SnapshotKind.warnings: "预警",
}
