"""Reading inspections within the account's places."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, or_, select, true

from jiexiang.domains.accounts.service import Scope
from jiexiang.domains.places.models import Alley
from jiexiang.domains.stewardship.enums import ChecklistKind
from jiexiang.domains.stewardship.models import Inspection, InspectionFinding


def visible(scope: Scope) -> ColumnElement[bool]:
    if not scope.limited_to_places:
        return true()
    return or_(Alley.community_id.in_(scope.community_ids), Alley.id.in_(scope.alley_ids))


def inspections(scope: Scope, *, alley_id: int | None = None, kind: ChecklistKind | None = None) -> Select[Any]:
    query = select(Inspection).join(Alley).where(visible(scope)).order_by(Inspection.at.desc(), Inspection.id.desc())
    if alley_id is not None:
        query = query.where(Inspection.alley_id == alley_id)
    if kind is not None:
        query = query.where(Inspection.kind == kind)
    return query


def finding_in_scope(scope: Scope, finding_id: int) -> Select[Any]:
    return (
        select(InspectionFinding.id)
        .join(Inspection)
        .join(Alley, Inspection.alley_id == Alley.id)
        .where(InspectionFinding.id == finding_id, visible(scope))
    )
