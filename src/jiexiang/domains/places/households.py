"""The household register (户): registering households at gazetteer addresses, one by one or from the community's
roll (CSV or XLSX), binding a resident's account, and listing them within the account's places. Parking permits
and ballots rest on it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from jiexiang.core.db import add_unique, serialize_on
from jiexiang.core.errors import Conflict, InvalidInput, NotFound
from jiexiang.core.tables import BadRow, cell, open_matched, text_of
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


def of_user(session: Session, *, user_id: int) -> Household | None:
    """The household a resident's account is bound to, if any."""
    return session.scalar(select(Household).where(Household.user_id == user_id))


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


# ---- the community's roll -----------------------------------------------------------------------------------

ROLL_COLUMNS = {
    "address": ["门牌地址", "门牌", "地址"],
    "label": ["户", "户号", "房号", "住户"],
    "head": ["户主", "户主姓名"],
    "phone": ["联系电话", "电话", "手机"],
    "representative": ["居民代表", "是否居民代表"],
    "username": ["居民账号", "账号", "用户名"],
}
_REQUIRED = ("address", "label", "head")
_YES = {"是", "代表", "居民代表", "1", "true", "y", "yes"}
_NO = {"否", "", "0", "false", "n", "no"}


@dataclass
class RollImport:
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (row, problem in Chinese)

    def describe(self) -> str:
        return (
            f"读取 {self.read} 户：新登记 {self.created}，更新 {self.updated}，未变 {self.unchanged}，"
            f"未导入 {len(self.rejected)}"
        )


def import_roll(session: Session, *, path: Path, now: datetime) -> RollImport:
    """The community's household roll (门牌地址, 户, 户主, and optionally 联系电话, 居民代表, 居民账号): a household is
    known by its address and label, so importing the roll again changes only what changed. A row that cannot be
    used is left out with the reason; the rest are kept."""
    serialize_on(session, ["households-roll"])
    roll = _Roll(session, now)
    with open_matched(path, ROLL_COLUMNS, required=_REQUIRED, what="住户名册") as (columns, rows):
        for number, cells in rows:
            roll.summary.read += 1
            try:
                if isinstance(cells, BadRow):
                    raise InvalidInput(cells.problem)
                roll.take({name: text_of(cell(cells, columns, name)) for name in ROLL_COLUMNS})
            except InvalidInput as problem:
                roll.summary.rejected.append((number, str(problem)))
    session.flush()
    return roll.summary


class _Roll:
    """What importing a roll needs to know, read once: addresses by name, residents' accounts, the households
    already registered and the accounts already bound."""

    def __init__(self, session: Session, now: datetime) -> None:
        self.session, self.now, self.summary = session, now, RollImport()
        self.addresses = dict(session.execute(select(Address.name, Address.id)).all())
        self.residents = dict(session.execute(select(User.username, User.id).where(User.role == Role.resident)).all())
        self.known = {(h.address_id, h.label): h for h in session.scalars(select(Household))}
        self.bound = {h.user_id: key for key, h in self.known.items() if h.user_id is not None}

    def take(self, row: dict[str, str | None]) -> None:
        address_name, label, head = row["address"], row["label"], row["head"]
        if not (address_name and label and head):
            raise InvalidInput("门牌地址、户、户主都不能为空")
        address_id = self.addresses.get(address_name)
        if address_id is None:
            raise InvalidInput(f"地名地址库中没有“{address_name}”")
        flag = (row["representative"] or "").lower()
        if flag not in _YES | _NO:
            raise InvalidInput(f"居民代表“{flag}”无法识别（应为 是 或 否）")
        username = row["username"]
        user_id = self.residents.get(username) if username else None
        if username and user_id is None:
            raise InvalidInput(f"没有用户名为“{username}”的居民账号")
        key = (address_id, label[:64])
        if user_id is not None and self.bound.get(user_id, key) != key:
            raise InvalidInput(f"居民账号“{username}”已绑定其他住户")
        values = {"head_name": head[:64], "phone": row["phone"], "is_representative": flag in _YES}
        household = self.known.get(key)
        if household is None:
            self.known[key] = Household(
                address_id=address_id, label=key[1], user_id=user_id, registered_at=self.now, **values
            )
            self.session.add(self.known[key])
            self.summary.created += 1
        else:
            changes = values | ({"user_id": user_id} if user_id is not None else {})
            if all(getattr(household, name) == value for name, value in changes.items()):
                self.summary.unchanged += 1
            else:
                for name, value in changes.items():
                    setattr(household, name, value)
                self.summary.updated += 1
        if user_id is not None:
            self.bound[user_id] = key
