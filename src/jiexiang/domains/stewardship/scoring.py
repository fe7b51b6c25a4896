"""How findings become a score, line by line so that a ranking can be reconciled with its findings: a finding deducts
its item's points (double on an item a verified complaint was about); an item deducts at most its cap, a category
at most its cap; the score is 100 minus what the categories deduct."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from jiexiang.core.errors import InvalidInput
from jiexiang.domains.stewardship.checklists import FULL_MARKS, Checklist, Item

COMPLAINT_FACTOR = 2


@dataclass(frozen=True)
class Finding:
    item: str  # the checklist item's code
    count: int = 1  # how many times it was found (three piles of debris: 3)
    after_complaint: bool = False  # a verified complaint (12345, 随手拍) was about this item


@dataclass(frozen=True)
class ItemLine:
    category: str
    item: str
    findings: int
    raw: int  # what the findings would deduct without the item's cap
    deducted: int  # after the item's cap


@dataclass(frozen=True)
class CategoryLine:
    category: str
    raw: int  # the sum of its items' deductions
    deducted: int  # after the category's cap


@dataclass(frozen=True)
class Score:
    items: tuple[ItemLine, ...]
    categories: tuple[CategoryLine, ...]
    deducted: int
    score: int


def deduction(item: Item, finding: Finding) -> int:
    """What one finding deducts before any cap: the item's points, double after a complaint, times how many."""
    return item.deduction * (COMPLAINT_FACTOR if finding.after_complaint else 1) * finding.count


def score(checklist: Checklist, findings: Iterable[Finding]) -> Score:
    raw: dict[str, int] = {}
    counted: dict[str, int] = {}
    for finding in findings:
        found = checklist.item(finding.item)
        if found is None:
            raise InvalidInput(
                f"检查表“{checklist.title}”第 {checklist.version} 版没有细项 {finding.item}", code="unknown_item"
            )
        if finding.count < 1:
            raise InvalidInput("发现问题的次数至少为 1", code="invalid_count")
        raw[finding.item] = raw.get(finding.item, 0) + deduction(found[1], finding)
        counted[finding.item] = counted.get(finding.item, 0) + finding.count
    item_lines: list[ItemLine] = []
    category_lines: list[CategoryLine] = []
    for category in checklist.categories:
        lines = [
            ItemLine(category.code, item.code, counted[item.code], raw[item.code], min(raw[item.code], item.cap))
            for item in category.items
            if item.code in raw
        ]
        if lines:
            subtotal = sum(line.deducted for line in lines)
            category_lines.append(CategoryLine(category.code, subtotal, min(subtotal, category.cap)))
            item_lines += lines
    deducted = sum(line.deducted for line in category_lines)
    return Score(tuple(item_lines), tuple(category_lines), deducted, max(FULL_MARKS - deducted, 0))
