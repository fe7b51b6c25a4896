"""What engagement tells the rest of the system, after the commit (see `core/events.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from jiexiang.core.events import Event


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
