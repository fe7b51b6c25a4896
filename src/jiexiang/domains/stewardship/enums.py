"""Stewardship kinds, with their Chinese labels beside them."""

from __future__ import annotations

from enum import StrEnum


class ChecklistKind(StrEnum):
    property = "property"  # what a quasi-property company (准物业) is assessed on each month
    patrol = "patrol"  # what an alley chief (街巷长) checks on a walk: 十有十无


CHECKLIST_KIND_LABELS: dict[ChecklistKind, str] = {
    ChecklistKind.property: "准物业考核",
    ChecklistKind.patrol: "街巷长巡查（十有十无）",
}
