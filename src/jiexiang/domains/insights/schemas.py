"""Analytics API shapes: a snapshot's rows as the analytics library wrote them, with when and at what grid."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from jiexiang.core.time import LocalDateTime


class SnapshotRead(BaseModel):
    kind: str
    as_of: LocalDateTime
    computed_at: LocalDateTime
    h3_resolution: int
    rows: list[dict[str, Any]]
