"""Checklists as data, versioned: each file in `data/checklists/` is one version of one kind (categories → items,
with the points a finding deducts and the caps), in force from its `effective_from` until a later version's."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from jiexiang.core.errors import ConfigurationError, NotFound
from jiexiang.domains.cases.taxonomy import load_taxonomy
from jiexiang.domains.stewardship.enums import CHECKLIST_KIND_LABELS, ChecklistKind

SHIPPED = Path(__file__).parent / "data" / "checklists"
FULL_MARKS = 100


@dataclass(frozen=True)
class Item:
    code: str
    text: str
    deduction: int  # points one finding deducts
    cap: int  # the most this item deducts in one assessment
    case_category: str | None = None  # what case a finding opens when it is not put right in time


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    cap: int  # the most this category deducts in one assessment
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Checklist:
    kind: ChecklistKind
    version: int
    title: str
    effective_from: date
    categories: tuple[Category, ...]

    def item(self, code: str) -> tuple[Category, Item] | None:
        return next(((c, i) for c in self.categories for i in c.items if i.code == code), None)

    @property
    def size(self) -> int:
        return sum(len(c.items) for c in self.categories)


def _parse(path: Path) -> Checklist:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        checklist = Checklist(
            kind=ChecklistKind(data["kind"]),
            version=int(data["version"]),
            title=str(data["title"]),
            effective_from=data["effective_from"],
            categories=tuple(
                Category(
                    code=str(c["code"]),
                    name=str(c["name"]),
                    cap=int(c["cap"]),
                    items=tuple(
                        Item(str(i["code"]), str(i["text"]), int(i["deduction"]), int(i["cap"]), i.get("case"))
                        for i in c["items"]
                    ),
                )
                for c in data["categories"]
            ),
        )
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        raise ConfigurationError(f"检查表 {path.name} 有误：{exc}") from exc
    _check(checklist, path)
    return checklist


def _check(checklist: Checklist, path: Path) -> None:
    codes = [i.code for c in checklist.categories for i in c.items]
    problems = []
    if len(codes) != len(set(codes)):
        problems.append("细项编码重复")
    if not isinstance(checklist.effective_from, date):
        problems.append("effective_from 应为日期")
    if sum(c.cap for c in checklist.categories) > FULL_MARKS:
        problems.append(f"各类扣分上限之和超过 {FULL_MARKS} 分")
    for category in checklist.categories:
        if category.cap <= 0 or not category.items:
            problems.append(f"“{category.name}”的上限应为正数且至少有一个细项")
        problems += [
            f"“{item.text}”的扣分和上限应为正数，且上限不小于单次扣分"
            for item in category.items
            if not (0 < item.deduction <= item.cap)
        ]
    known = load_taxonomy().categories
    problems += [
        f"“{item.text}”的案件类别 {item.case_category} 不在案件分类中"
        for category in checklist.categories
        for item in category.items
        if item.case_category is not None and item.case_category not in known
    ]
    if problems:
        raise ConfigurationError(f"检查表 {path.name} 有误：{'；'.join(problems)}")


@lru_cache(maxsize=4)
def load_all(folder: Path = SHIPPED) -> tuple[Checklist, ...]:
    """Every version of every kind, oldest first."""
    found = [_parse(path) for path in sorted(folder.glob("*.toml"))]
    keys = [(c.kind, c.version) for c in found]
    if len(keys) != len(set(keys)):
        raise ConfigurationError(f"{folder} 中有同一种检查表的重复版本")
    return tuple(sorted(found, key=lambda c: (c.kind, c.version)))


def versions(kind: ChecklistKind, folder: Path = SHIPPED) -> list[Checklist]:
    return [c for c in load_all(folder) if c.kind is kind]


def current(kind: ChecklistKind, day: date, folder: Path = SHIPPED) -> Checklist:
    """The version in force on `day`: the latest that took effect by then."""
    in_force = [c for c in versions(kind, folder) if c.effective_from <= day]
    if not in_force:
        raise NotFound(f"{day} 没有生效的{CHECKLIST_KIND_LABELS[kind]}检查表", code="checklist_not_found")
    return max(in_force, key=lambda c: (c.effective_from, c.version))


def version_of(kind: ChecklistKind, version: int, folder: Path = SHIPPED) -> Checklist:
    """The version an inspection was scored against (kept, so that an old month scores as it did)."""
    found = next((c for c in versions(kind, folder) if c.version == version), None)
    if found is None:
        raise NotFound(f"没有第 {version} 版{CHECKLIST_KIND_LABELS[kind]}检查表", code="checklist_not_found")
    return found
