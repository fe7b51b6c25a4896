"""The case filters, declared once: each field of `CaseFilter` has its SQL condition in `CONDITIONS`, and the
desk's list, the map's points, the dashboard's statistics and the exports all narrow their cases with
`matching`. A new filter is a field and a condition (the module refuses to load with one and not the other)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, select

from jiexiang.domains.accounts.service import Scope
from jiexiang.domains.cases.enums import CaseStatus, ReportSource
from jiexiang.domains.cases.models import Case, Report
from jiexiang.domains.cases.scopes import visible
from jiexiang.domains.cases.sla import overdue
from jiexiang.domains.cases.taxonomy import load_taxonomy


@dataclass(frozen=True)
class CaseFilter:
    start: datetime | None = None  # reported at or after
    end: datetime | None = None  # reported before
    category: str | None = None  # a code, or a group id (e.g. manhole_cover)
    source: ReportSource | None = None  # one of its reports came this way
    alley_id: int | None = None
    community_id: int | None = None
    status: CaseStatus | None = None
    bbox: tuple[float, float, float, float] | None = None  # min lon, min lat, max lon, max lat
    needs_review: bool | None = None  # waiting for an operator (address or category), or not
    overdue_at: datetime | None = None  # only cases overdue at this moment
    unit_id: int | None = None  # the handling unit (a unit's own desk)


def _category(value: str) -> ColumnElement[bool]:
    group = load_taxonomy().in_group(value)
    return Case.category_code.in_([c.code for c in group] if group else [value])


def _bbox(value: tuple[float, float, float, float]) -> ColumnElement[bool]:
    min_lon, min_lat, max_lon, max_lat = value
    return Case.lon.between(min_lon, max_lon) & Case.lat.between(min_lat, max_lat)


CONDITIONS: dict[str, Callable[[Any], ColumnElement[bool]]] = {
    "start": lambda at: Case.reported_at >= at,
    "end": lambda at: Case.reported_at < at,
    "category": _category,
    "source": lambda source: Case.id.in_(select(Report.case_id).where(Report.source == source)),
    "alley_id": lambda alley_id: Case.alley_id == alley_id,
    "community_id": lambda community_id: Case.community_id == community_id,
    "status": lambda status: Case.status == status,
    "bbox": _bbox,
    "needs_review": lambda wanted: Case.review_reason.is_not(None) if wanted else Case.review_reason.is_(None),
    "overdue_at": overdue,
    "unit_id": lambda unit_id: Case.handling_unit_id == unit_id,
}
if set(CONDITIONS) != {f.name for f in fields(CaseFilter)}:  # pragma: no cover - a programming error
    raise RuntimeError("every CaseFilter field needs its condition in CONDITIONS, and only those")


def matching(query: Select[Any], *, scope: Scope, filters: CaseFilter) -> Select[Any]:
    """`query` narrowed to the cases `scope` may see that match every filter that is set."""
    query = query.where(visible(scope))
    for name, condition in CONDITIONS.items():
        value = getattr(filters, name)
        if value is not None:
            query = query.where(condition(value))
    return query
