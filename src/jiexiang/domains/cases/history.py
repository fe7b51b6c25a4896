"""A case's history: the one function that appends an event (events are never edited)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from jiexiang.domains.cases.enums import Action, CaseStatus
from jiexiang.domains.cases.models import Case, CaseEvent


def record_event(
    session: Session,
    *,
    case: Case,
    action: Action,
    at: datetime,
    actor_id: int | None = None,
    from_status: CaseStatus | None = None,
    unit_id: int | None = None,
    note: str | None = None,
    photos: Sequence[str] = (),
) -> CaseEvent:
    """Append what happened to `case`: by default it stayed in its stage and stays with its unit (a comment, a
    field offer, a deadline change); a transition names the stage it left, the case already being in the new one."""
    event = CaseEvent(
        case_id=case.id,
        action=action,
        from_status=from_status or case.status,
        to_status=case.status,
        actor_id=actor_id,
        unit_id=case.handling_unit_id if unit_id is None else unit_id,
        note=note,
        photos=list(photos),
        at=at,
    )
    session.add(event)
    return event
