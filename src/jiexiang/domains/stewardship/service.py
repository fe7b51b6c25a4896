"""Stewardship's writes: an inspection of an alley with its findings, scored against the checklist version in force
that day, and a finding put right."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, lazyload

from jiexiang.core.db import locked
from jiexiang.core.errors import Conflict, InvalidInput, NotFound
from jiexiang.core.time import to_local
from jiexiang.domains.accounts.models import User
from jiexiang.domains.places.models import Alley
from jiexiang.domains.stewardship import checklists
from jiexiang.domains.stewardship.models import Inspection, InspectionFinding
from jiexiang.domains.stewardship.schemas import InspectionCreate


def record_inspection(session: Session, *, data: InspectionCreate, inspector: User | None, now: datetime) -> Inspection:
    if session.get(Alley, data.alley_id) is None:
        raise InvalidInput(f"没有编号为 {data.alley_id} 的街巷", code="alley_not_found")
    checklist = checklists.current(data.kind, to_local(now).date())
    unknown = [f.item for f in data.findings if checklist.item(f.item) is None]
    if unknown:
        raise InvalidInput(
            f"检查表“{checklist.title}”第 {checklist.version} 版没有细项 {'、'.join(unknown)}", code="unknown_item"
        )
    inspection = Inspection(
        alley_id=data.alley_id,
        kind=data.kind,
        version=checklist.version,
        inspector_id=inspector.id if inspector else None,
        at=now,
        note=data.note,
        findings=[
            InspectionFinding(
                item=f.item,
                count=f.count,
                after_complaint=f.after_complaint,
                note=f.note,
                photos=f.photos,
                lon=f.lon,
                lat=f.lat,
                due_at=now + timedelta(hours=f.fix_hours),
                fixed_photos=[],
            )
            for f in data.findings
        ],
    )
    session.add(inspection)
    session.flush()
    return inspection


def fix_finding(session: Session, *, finding_id: int, photos: list[str], now: datetime) -> InspectionFinding:
    """The company reports a finding put right, with photos."""
    finding = session.scalar(
        locked(select(InspectionFinding).where(InspectionFinding.id == finding_id).options(lazyload("*")))
    )
    if finding is None:
        raise NotFound(f"没有编号为 {finding_id} 的问题", code="finding_not_found")
    if finding.fixed_at is not None:
        raise Conflict("该问题已整改", code="already_fixed")
    finding.fixed_at, finding.fixed_photos = now, photos
    session.flush()
    return finding
