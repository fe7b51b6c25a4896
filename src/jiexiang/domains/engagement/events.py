"""What engagement tells the rest of the system, after the commit (see `core/events.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from jiexiang.core.events import Event, LiveEvent


@dataclass(frozen=True)
class MarkedSpacePlan:
    code: str
    lon: float
    lat: float


@dataclass(frozen=True)
class RuleAdopted(Event):
    """A ballot adopted a proposal that sets an alley rule (单行单停 …): parking marks its spaces."""

    proposal_id: int
    alley_id: int
    rule_kind: str
    title: str
    spaces: tuple[MarkedSpacePlan, ...]
    at: datetime


@dataclass(frozen=True)
class NoticePublished(LiveEvent):
    """A notice went out: residents' phones of its alley or community (or all, for the subdistrict) show it at once."""

    live_kind = "notice"
    notice_id: int
    title: str
    alley_id: int | None
    community_id: int | None

    def live_data(self) -> dict[str, Any]:
        return {"id": self.notice_id, "title": self.title, "alley_id": self.alley_id, "community_id": self.community_id}
