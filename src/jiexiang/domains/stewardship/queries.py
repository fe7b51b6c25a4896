"""Reading contracts and inspections as the account may: a company (an account limited to its unit) its own
contracts and the inspections counted in them; an account limited to places what lies there."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_, select, true

from jiexiang.domains.accounts.service import Scope
from jiexiang.domains.places.models import Alley
from jiexiang.domains.stewardship.enums import ChecklistKind
from jiexiang.domains.stewardship.models import Contract, ContractAlley, Inspection, InspectionFinding


def _in_places(scope: Scope) -> ColumnElement[bool]:
    if not scope.limited_to_places:
        return true()
    return or_(Alley.community_id.in_(scope.community_ids), Alley.id.in_(scope.alley_ids))


def _company_contracts(scope: Scope) -> Select[Any]:
    return select(Contract.id).where(Contract.unit_id == scope.unit_id)


def visible(scope: Scope) -> ColumnElement[bool]:
    """On inspections joined to their alley."""
    if scope.unit_id is None:
        return _in_places(scope)
    return and_(_in_places(scope), Inspection.contract_id.in_(_company_contracts(scope)))


def contracts(scope: Scope) -> Select[Any]:
    query = select(Contract).order_by(Contract.starts_on.desc(), Contract.code)
    if scope.unit_id is not None:
        query = query.where(Contract.unit_id == scope.unit_id)
    if scope.limited_to_places:
        query = query.where(Contract.id.in_(select(ContractAlley.contract_id).join(Alley).where(_in_places(scope))))
    return query


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
