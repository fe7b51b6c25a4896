"""What the field-force domain tells the maps, after the commit (see `core/events.py`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from jiexiang.core.events import LiveEvent
from jiexiang.core.time import to_local
from jiexiang.domains.workforce.models import Position


@dataclass(frozen=True)
class PositionRecorded(LiveEvent):
    """A stored fix: the worker's dot moves (a map never shows a position that was not stored)."""

    live_kind = "position"
    user_id: int
    lon: float
    lat: float
    recorded_at: str  # local time, ISO 8601 to the second
    speed_mps: float | None
    battery: float | None
    alley_id: int | None
    source: str

    @classmethod
    def of(cls, position: Position) -> PositionRecorded:
        return cls(
            user_id=position.user_id,
            lon=position.lon,
            lat=position.lat,
            recorded_at=to_local(position.recorded_at).isoformat(timespec="seconds"),
            speed_mps=position.speed_mps,
            battery=position.battery,
            alley_id=position.alley_id,
            source=position.source.value,
        )

    def live_data(self) -> dict[str, Any]:
        return asdict(self)
