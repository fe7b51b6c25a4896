"""The household register (户): registering households at gazetteer addresses, binding a resident's account, and
listing them within the account's places. Parking permits and ballots rest on it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from jiexiang.core.db import add_unique
from jiexiang.core.errors import Conflict, InvalidInput, NotFound
from jiexiang.domains.accounts.enums import Role
from jiexiang.domains.accounts.models import User
from jiexiang.domains.accounts.service import Scope
from jiexiang.domains.places.models import Address, Household
from jiexiang.domains.places.schemas import HouseholdCreate


def register(session: Session, *, data: HouseholdCreate, now: datetime) -> Household:
    if session.get(Address, data.address_id) is None:
        raise InvalidInput(f"没有编号为 {data.address_id} 的门牌地址", code="address_not_found")
    user_id = None
    if data.username:
        user = session.scalar(select(User).where(User.username == data.username))
        if user is None or user.role is not Role.resident:
            raise InvalidInput(f"没有用户名为“{data.username}”的居民账号", code="resident_not_found")
        user_id = user.id
    household = Household(
        address_id=data.address_id,
        label=data.label,
        head_name=data.head_name,
        phone=data.phone,
        is_representative=data.is_representative,
        user_id=user_id,
        registered_at=now,
    )
    taken = Conflict("该门牌下已有同名住户，或该居民账号已绑定其他住户", code="household_exists")
    add_unique(session, household, taken=taken)
    return household


def visible(scope: Scope) -> Any:
    if not scope.limited_to_places:
        return Address.id.is_not(None)
    return or_(Address.community_id.in_(scope.community_ids), Address.alley_id.in_(scope.alley_ids))


def listed(scope: Scope, *, address_id: int | None = None, alley_id: int | None = None) -> Select[Any]:
    query = select(Household).join(Address).where(visible(scope)).order_by(Address.name, Household.label)
    if address_id is not None:
        query = query.where(Household.address_id == address_id)
    if alley_id is not None:
        query = query.where(Address.alley_id == alley_id)
    return query


def get(session: Session, *, household_id: int, scope: Scope) -> Household:
    household = session.scalar(select(Household).join(Address).where(Household.id == household_id, visible(scope)))
    if household is None:
        raise NotFound(f"没有编号为 {household_id} 的登记户", code="household_not_found")
    return household
