"""Which cases an account may see, as one SQL condition every case query applies (lists, the map, statistics,
assessment, exports): a place-limited account its communities and alleys, a unit-limited one (处置单位, 准物业)
the cases dispatched to its unit."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, or_, true

from jiexiang.domains.accounts.service import Scope
from jiexiang.domains.cases.models import Case


def visible(scope: Scope) -> ColumnElement[bool]:
    conditions: list[ColumnElement[bool]] = []
    if scope.limited_to_places:
        conditions.append(or_(Case.community_id.in_(scope.community_ids), Case.alley_id.in_(scope.alley_ids)))
    if scope.unit_id is not None:
        conditions.append(Case.handling_unit_id == scope.unit_id)
    return and_(true(), *conditions)
