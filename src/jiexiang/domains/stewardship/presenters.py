"""Stewardship rows as the routes give them."""

from __future__ import annotations

from jiexiang.domains.stewardship.checklists import Checklist
from jiexiang.domains.stewardship.enums import CHECKLIST_KIND_LABELS
from jiexiang.domains.stewardship.schemas import ChecklistCategoryRead, ChecklistItemRead, ChecklistRead


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
