"""What a stored analytics run tells the maps, after the commit (see `core/events.py`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jiexiang.core.events import LiveEvent


@dataclass(frozen=True)
class WarningRaised(LiveEvent):
    """An early warning of the latest run: the dispatcher's map shows it as it comes."""

    live_kind = "warning"
    warning: dict[str, Any] = field(default_factory=dict)

    def live_data(self) -> dict[str, Any]:
        return self.warning


@dataclass(frozen=True)
class AnalyticsUpdated(LiveEvent):
    """New hotspots, forecasts and warnings are stored: open maps reload them."""

    live_kind = "analytics"
    events: int

    def live_data(self) -> dict[str, Any]:
        return {"events": self.events}
