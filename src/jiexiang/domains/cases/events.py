"""What the cases domain tells the rest of the system, after the commit (see `core/events.py`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from jiexiang.core.events import Event, LiveEvent
from jiexiang.core.records import copied
from jiexiang.domains.cases.enums import STATUS_LABELS, Action
from jiexiang.domains.cases.models import Case


@dataclass(frozen=True)
class CaseChanged(LiveEvent):
    """A case appeared, gained a report or moved to another stage: the maps redraw it."""

    live_kind = "case"
    id: int
    action: str  # the workflow action, or "reported" for a new report
    status: str
    status_label: str
    category_code: str
    lon: float | None
    lat: float | None
    report_count: int
    # Who may see it (the live stream sends each account only its own cases).
    community_id: int | None
    alley_id: int | None
    handling_unit_id: int | None

    @classmethod
    def of(cls, case: Case, action: Action | None) -> CaseChanged:
        return cls(
            **copied(case, "id", "category_code", "lon", "lat", "report_count"),
            **copied(case, "community_id", "alley_id", "handling_unit_id"),
            action=action.value if action else "reported",
            status=case.status.value,
            status_label=STATUS_LABELS[case.status],
        )

    def live_data(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class CaseOpened(Event):
    """A report submitted now (not imported from an export) opened a new case: urgent ones get a worker sent."""

    case_id: int
