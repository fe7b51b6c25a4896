"""Stewardship rows as the routes give them: checklists, and inspections with their score line by line."""

from __future__ import annotations

from datetime import datetime

from jiexiang.domains.stewardship import checklists
from jiexiang.domains.stewardship.checklists import Checklist
from jiexiang.domains.stewardship.enums import CHECKLIST_KIND_LABELS
from jiexiang.domains.stewardship.models import Inspection
from jiexiang.domains.stewardship.schemas import (
    ChecklistCategoryRead,
    ChecklistItemRead,
    ChecklistRead,
    FindingRead,
    InspectionRead,
    ScoreLine,
)
from jiexiang.domains.stewardship.scoring import Finding, score


def checklist_read(checklist: Checklist) -> ChecklistRead:
    return ChecklistRead(
        kind=checklist.kind,
        kind_label=CHECKLIST_KIND_LABELS[checklist.kind],
        version=checklist.version,
        title=checklist.title,
        effective_from=checklist.effective_from,
        items=checklist.size,
        categories=[
            ChecklistCategoryRead(
                code=c.code,
                name=c.name,
                cap=c.cap,
                items=[ChecklistItemRead(code=i.code, text=i.text, deduction=i.deduction, cap=i.cap) for i in c.items],
            )
            for c in checklist.categories
        ],
    )


def inspection_read(inspection: Inspection, *, now: datetime) -> InspectionRead:
    checklist = checklists.version_of(inspection.kind, inspection.version)
    result = score(
        checklist, [Finding(f.item, count=f.count, after_complaint=f.after_complaint) for f in inspection.findings]
    )
    findings = []
    for f in inspection.findings:
        category, item = checklist.item(f.item) or (None, None)
        findings.append(
            FindingRead(
                id=f.id,
                item=f.item,
                item_text=item.text if item else f.item,
                category=category.name if category else "",
                count=f.count,
                after_complaint=f.after_complaint,
                note=f.note,
                photos=f.photos,
                lon=f.lon,
                lat=f.lat,
                due_at=f.due_at,
                fixed_at=f.fixed_at,
                overdue=f.fixed_at is None and f.due_at < now,
            )
        )
    return InspectionRead(
        id=inspection.id,
        alley_id=inspection.alley_id,
        alley_name=inspection.alley.name,
        kind=inspection.kind,
        version=inspection.version,
        at=inspection.at,
        note=inspection.note,
        findings=findings,
        lines=[ScoreLine(**vars(line)) for line in result.items],
        category_deductions={c.category: c.deducted for c in result.categories},
        score=result.score,
    )
