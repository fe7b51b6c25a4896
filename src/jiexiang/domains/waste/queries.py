"""Reading waste within the account's scope: stops, households with their balances, a household's ledger, rewards,
and the sorting rates per alley, community or company area."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, or_, select, true
from sqlalchemy.orm import Session

from jiexiang.domains.accounts.service import Scope
from jiexiang.domains.places.models import Address, Alley, Community, Household
from jiexiang.domains.waste.models import Card, Deposit, PointEntry, Reward, Stop


def in_places(scope: Scope) -> ColumnElement[bool]:
    """Households (through their address) an account may see: a place-limited one those of its places."""
    if not scope.limited_to_places:
        return true()
    return or_(Address.community_id.in_(scope.community_ids), Address.alley_id.in_(scope.alley_ids))


def stops(scope: Scope, *, alley_id: int | None = None) -> Select[Any]:
    query = select(Stop).join(Alley).order_by(Alley.name, Stop.name)
    if scope.limited_to_places:
        query = query.where(or_(Alley.community_id.in_(scope.community_ids), Alley.id.in_(scope.alley_ids)))
    return query if alley_id is None else query.where(Stop.alley_id == alley_id)


def households(
    scope: Scope, *, household_id: int | None = None, alley_id: int | None = None, card_code: str | None = None
) -> Select[Any]:
    query = select(Household).join(Address, Household.address_id == Address.id).where(in_places(scope))
    if household_id is not None:
        query = query.where(Household.id == household_id)
    if alley_id is not None:
        query = query.where(Address.alley_id == alley_id)
    if card_code:
        in_use = select(Card.household_id).where(Card.code == card_code.strip().upper(), Card.revoked_at.is_(None))
        query = query.where(Household.id.in_(in_use))
    return query.order_by(Address.name, Household.label)


def balances_and_cards(session: Session, household_ids: list[int]) -> tuple[dict[int, int], dict[int, str]]:
    """Each household's balance (the sum of its entries) and the code of its card in use."""
    sums = session.execute(
        select(PointEntry.household_id, func.sum(PointEntry.amount))
        .where(PointEntry.household_id.in_(household_ids))
        .group_by(PointEntry.household_id)
    )
    codes = session.execute(
        select(Card.household_id, Card.code).where(Card.household_id.in_(household_ids), Card.revoked_at.is_(None))
    )
    return {h: int(total) for h, total in sums}, dict(codes.all())


def entries(household_id: int) -> Select[Any]:
    return (
        select(PointEntry)
        .where(PointEntry.household_id == household_id)
        .order_by(PointEntry.at.desc(), PointEntry.id.desc())
    )


def rewards() -> Select[Any]:
    return select(Reward).order_by(Reward.points, Reward.name)


def sorting_rates(session: Session, *, scope: Scope, by: str, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Per alley or community (`by`): households with a card during the period from `start` to `end` (both
    included), those that handed over at least one bag in it, the bags, and those sorted right."""
    unit = {
        "alley": (Address.alley_id, Alley.name, Alley.id),
        "community": (Address.community_id, Community.name, Community.id),
    }
    if by not in unit:
        raise ValueError(by)
    key, name_column, id_column = unit[by]
    carded = (
        select(key.label("place"), func.count(func.distinct(Card.household_id)).label("households"))
        .select_from(Card)
        .join(Household, Card.household_id == Household.id)
        .join(Address, Household.address_id == Address.id)
        # The households holding a card at some time in the period (not those given one since).
        .where(Card.issued_at <= end, or_(Card.revoked_at.is_(None), Card.revoked_at >= start), in_places(scope))
        .group_by(key)
    )
    bags = (
        select(
            key.label("place"),
            func.count(func.distinct(Deposit.household_id)).label("participating"),
            func.count(Deposit.id).label("deposits"),
            func.sum(case((Deposit.correct, 1), else_=0)).label("correct"),
        )
        .select_from(Deposit)
        .join(Household, Deposit.household_id == Household.id)
        .join(Address, Household.address_id == Address.id)
        .where(Deposit.at >= start, Deposit.at <= end, in_places(scope))
        .group_by(key)
    )
    names = dict(session.execute(select(id_column, name_column)).all())
    counted: dict[int | None, dict[str, Any]] = {}
    for place, households_ in session.execute(carded):
        counted[place] = {"households": households_, "participating": 0, "deposits": 0, "correct": 0}
    for place, participating, deposits, correct in session.execute(bags):
        row = counted.setdefault(place, {"households": 0})
        row |= {"participating": participating, "deposits": deposits, "correct": int(correct or 0)}
    rows = []
    for place, row in counted.items():
        rows.append(
            {
                "id": place,
                "name": names.get(place, "未归属") if place is not None else "未归属",
                **row,
                "participation_rate": round(row["participating"] / row["households"], 3) if row["households"] else None,
                "correct_rate": round(row["correct"] / row["deposits"], 3) if row["deposits"] else None,
            }
        )
    return sorted(rows, key=lambda r: (r["participation_rate"] is None, -(r["participation_rate"] or 0), r["name"]))
