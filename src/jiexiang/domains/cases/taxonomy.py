"""The case category taxonomy: 部件 classes (from places) and 事件 classes (data/taxonomy.toml), with
analytics groups, keyword rules and duplicate-merging rules — all data, read once."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any, Literal

from jiexiang.domains.places.layers import component_classes

Kind = Literal["component", "event"]
KIND_LABELS: dict[Kind, str] = {"component": "部件", "event": "事件"}


AttributeType = Literal["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]
ATTRIBUTE_TYPES: tuple[AttributeType, ...] = (
    "string",
    "number",
    "datetime",
    "text",
    "singlevaluelist",
    "multivaluelist",
)


@dataclass(frozen=True)
class Attribute:
    """An extra question asked when reporting a category (an Open311 service attribute)."""

    code: str
    description: str
    datatype: AttributeType
    required: bool
    order: int
    values: tuple[tuple[str, str], ...] = ()  # (key, shown name) for the list types

    @property
    def is_list(self) -> bool:
        return self.datatype in ("singlevaluelist", "multivaluelist")


@dataclass(frozen=True)
class Category:
    code: str  # 4 digits: 2-digit 大类 + 2-digit 小类
    name: str
    kind: Kind
    major_name: str
    group: str | None
    keywords: tuple[str, ...]
    dedupe_radius_m: float
    dedupe_window_hours: float
    attributes: tuple[Attribute, ...] = ()

    @property
    def major_code(self) -> str:
        return self.code[:2]


@dataclass(frozen=True)
class Taxonomy:
    categories: dict[str, Category]
    groups: dict[str, str]  # group id → Chinese name
    by_name: dict[str, Category]
    source_labels: dict[str, dict[str, str]]  # source → its own label → our code
    unclassified: Category  # what a report nothing could classify is filed under until an operator chooses

    def for_source(self, source: str, label: str) -> Category | None:
        """The category a source's own label means: its table first, then the taxonomy itself."""
        code = self.source_labels.get(source, {}).get(label.strip())
        return self.categories[code] if code else self.find(label)

    def find(self, text: str) -> Category | None:
        """The category named by a code ("1101"), a name ("乱堆物堆料") or "大类-小类" names."""
        cleaned = text.strip()
        if cleaned in self.categories:
            return self.categories[cleaned]
        for separator in ("-", "－", "/", "—", ">", "·"):
            if separator in cleaned:
                cleaned = cleaned.rsplit(separator, 1)[1].strip()
        return self.by_name.get(cleaned)

    def in_group(self, group: str) -> list[Category]:
        return [c for c in self.categories.values() if c.group == group]

    def keyword_rules(self) -> list[tuple[str, str]]:
        """(keyword, category code), longest keywords first so that the most specific wins."""
        rules = [(word, c.code) for c in self.categories.values() for word in c.keywords]
        return sorted(rules, key=lambda rule: (-len(rule[0]), rule[1]))


@cache
def load_taxonomy() -> Taxonomy:
    text = (resources.files("jiexiang.domains.cases") / "data" / "taxonomy.toml").read_text("utf-8")
    data = tomllib.loads(text)
    defaults = data["defaults"]
    groups: dict[str, str] = dict(data["groups"])
    categories: dict[str, Category] = {}

    majors, minors = component_classes()
    group_of = {code: group for group, codes in data["component_groups"].items() for code in codes}
    for code, name in minors.items():
        categories[code] = Category(
            code=code,
            name=name,
            kind="component",
            major_name=majors[code[:2]],
            group=group_of.get(code),
            keywords=tuple(data["component_keywords"].get(code, ())),
            dedupe_radius_m=float(defaults["dedupe_radius_m"]),
            dedupe_window_hours=float(defaults["dedupe_window_hours"]),
        )
    for event in data["event"]:
        code = event["code"]
        if code in categories or len(code) != 4 or not code.isdigit():
            raise ValueError(f"taxonomy: event code {code!r} is not a new 4-digit code")
        group = event.get("group")
        if group is not None and group not in groups:
            raise ValueError(f"taxonomy: event {code} names unknown group {group!r}")
        categories[code] = Category(
            code=code,
            name=event["name"],
            kind="event",
            major_name=data["event_majors"][code[:2]],
            group=group,
            keywords=tuple(event.get("keywords", ())),
            dedupe_radius_m=float(event.get("dedupe_radius_m", defaults["dedupe_radius_m"])),
            dedupe_window_hours=float(event.get("dedupe_window_hours", defaults["dedupe_window_hours"])),
        )
    for code, attributes in _attributes(data.get("attribute", []), categories, groups).items():
        categories[code] = replace(categories[code], attributes=attributes)
    by_name = {category.name: category for category in categories.values()}
    source_labels: dict[str, dict[str, str]] = {s: dict(t) for s, t in data.get("source_categories", {}).items()}
    for source, table in source_labels.items():
        unknown = sorted(code for code in table.values() if code not in categories)
        if unknown:
            raise ValueError(f"taxonomy: source_categories.{source} maps to unknown codes {unknown}")
    unclassified = categories.get(defaults["unclassified"])
    if unclassified is None:
        raise ValueError(f"taxonomy: defaults.unclassified {defaults['unclassified']!r} is not a category")
    return Taxonomy(
        categories=categories,
        groups=groups,
        by_name=by_name,
        source_labels=source_labels,
        unclassified=unclassified,
    )


def _attributes(
    entries: list[dict[str, Any]], categories: dict[str, Category], groups: dict[str, str]
) -> dict[str, tuple[Attribute, ...]]:
    """category code → its attributes, in file order."""
    found: dict[str, list[Attribute]] = {}
    for order, entry in enumerate(entries, start=1):
        code, datatype = entry["code"], entry["datatype"]
        if datatype not in ATTRIBUTE_TYPES:
            raise ValueError(f"taxonomy: attribute {code!r} has unknown datatype {datatype!r}")
        values = tuple((str(k), str(v)) for k, v in entry.get("values", {}).items())
        if (datatype in ("singlevaluelist", "multivaluelist")) != bool(values):
            raise ValueError(f"taxonomy: attribute {code!r}: values go with (and only with) the list datatypes")
        attribute = Attribute(
            code=code,
            description=entry["description"],
            datatype=datatype,
            required=bool(entry.get("required", False)),
            order=order,
            values=values,
        )
        unknown = [g for g in entry.get("groups", []) if g not in groups] + [
            c for c in entry.get("categories", []) if c not in categories
        ]
        if unknown:
            raise ValueError(f"taxonomy: attribute {code!r} names unknown groups or categories {unknown}")
        codes = set(entry.get("categories", [])) | {
            c.code for c in categories.values() if c.group in entry.get("groups", [])
        }
        for category_code in sorted(codes):
            found.setdefault(category_code, []).append(attribute)
    return {code: tuple(attributes) for code, attributes in found.items()}
