"""What the stewardship routes give."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from jiexiang.domains.stewardship.enums import ChecklistKind


class ChecklistItemRead(BaseModel):
    code: str
    text: str
    deduction: int  # points one finding deducts (double after a verified complaint on the item)
    cap: int  # the most the item deducts in one assessment


class ChecklistCategoryRead(BaseModel):
    code: str
    name: str
    cap: int
    items: list[ChecklistItemRead]


class ChecklistRead(BaseModel):
    kind: ChecklistKind
    kind_label: str
    version: int
    title: str
    effective_from: date
    items: int  # how many items in all
    categories: list[ChecklistCategoryRead]
