"""Waste's writes: stops, cards, deposits registered at the truck, rewards, redemptions and the year-end lapse of
points. Every write of points goes one household at a time (its row locked) and carries a key written once, so that a
retried request changes nothing and a balance never goes below zero; a reward's stock is taken by a conditional
update that cannot go below zero either."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from typing import TypeVar

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, lazyload

from jiexiang.core.db import Base, add_unique, locked
from jiexiang.core.errors import ConfigurationError, Conflict, InvalidInput, NotFound
from jiexiang.core.time import BEIJING, parse_working_hours, to_local
from jiexiang.domains.accounts.models import User
from jiexiang.domains.places.models import Alley, Household
from jiexiang.domains.waste.enums import EntryReason
from jiexiang.domains.waste.models import Card, Deposit, PointEntry, Redemption, Reward, Stop
from jiexiang.domains.waste.rules import PointsRules
from jiexiang.domains.waste.schemas import DepositCreate, RedemptionCreate, RewardCreate, StopCreate

R = TypeVar("R", bound=Base)


def create_stop(session: Session, *, data: StopCreate, now: datetime) -> Stop:
    if session.get(Alley, data.alley_id) is None:
        raise InvalidInput(f"没有编号为 {data.alley_id} 的街巷", code="alley_not_found")
    try:
        parse_working_hours(data.windows)
    except ConfigurationError as exc:
        raise InvalidInput(
            f"收运时段“{data.windows}”格式不对，应如 07:00-08:30,18:30-20:00，按先后排列且互不重叠",
            code="invalid_windows",
        ) from exc
    stop = Stop(**data.model_dump(), created_at=now)
    add_unique(session, stop, taken=Conflict(f"该街巷已有名为“{data.name}”的收运点", code="stop_exists"))
    return stop


def _household(session: Session, household_id: int) -> Household:
    """The household's row, locked: its points change one request at a time."""
    household = session.scalar(locked(select(Household).where(Household.id == household_id).options(lazyload("*"))))
    if household is None:
        raise NotFound(f"没有编号为 {household_id} 的登记户", code="household_not_found")
    return household


def issue_card(session: Session, *, household_id: int, now: datetime) -> Card:
    """A new card for the household; the one it had (lost, worn) stops working."""
    _household(session, household_id)
    for old in session.scalars(select(Card).where(Card.household_id == household_id, Card.revoked_at.is_(None))):
        old.revoked_at = now
    session.flush()
    card = Card(household_id=household_id, code="W" + secrets.token_hex(5).upper(), issued_at=now)
    session.add(card)
    session.flush()
    return card


def balance(session: Session, household_id: int) -> int:
    """The sum of the household's entries."""
    found = session.scalar(select(func.sum(PointEntry.amount)).where(PointEntry.household_id == household_id))
    return int(found or 0)


def _once(session: Session, row: R, *, existing: Callable[[], R | None]) -> tuple[R, bool]:
    """Insert `row`, or — when its key is taken, by an earlier request or one at this very moment — the row that
    holds it; and whether it was that (a replay)."""
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        found = existing()
        if found is None:
            raise
        return found, True
    return row, False


def _day_bounds(moment: datetime) -> tuple[datetime, datetime]:
    start = datetime.combine(to_local(moment).date(), time(), BEIJING)
    return start, start + timedelta(days=1)


def register_deposit(
    session: Session, *, data: DepositCreate, collector: User | None, rules: PointsRules, now: datetime
) -> tuple[Deposit, bool]:
    """A bag handed to the truck: the points it earns (up to the daily cap) go into the ledger with it. A key
    registered before answers with that deposit and adds nothing."""

    def same_key() -> Deposit | None:
        return session.scalar(select(Deposit).where(Deposit.idempotency_key == data.idempotency_key))

    if (earlier := same_key()) is not None:
        return earlier, True
    card = session.scalar(select(Card).where(Card.code == data.card_code.strip().upper(), Card.revoked_at.is_(None)))
    if card is None:
        raise InvalidInput(f"卡号 {data.card_code} 无效或已挂失补办", code="card_not_found")
    if data.stop_id is not None and session.get(Stop, data.stop_id) is None:
        raise InvalidInput(f"没有编号为 {data.stop_id} 的收运点", code="stop_not_found")
    _household(session, card.household_id)
    if (earlier := same_key()) is not None:  # a retry that arrived while the first was being registered
        return earlier, True
    start, end = _day_bounds(now)
    today = session.scalar(
        select(func.coalesce(func.sum(Deposit.points), 0)).where(
            Deposit.household_id == card.household_id, Deposit.at >= start, Deposit.at < end
        )
    )
    deposit = Deposit(
        household_id=card.household_id,
        card_id=card.id,
        stop_id=data.stop_id,
        collector_id=collector.id if collector else None,
        kind=data.kind,
        correct=data.correct,
        photo=data.photo,
        points=rules.earned(correct=data.correct, earned_today=int(today or 0)),
        at=now,
        idempotency_key=data.idempotency_key,
    )
    deposit, replayed = _once(session, deposit, existing=same_key)
    if not replayed and deposit.points:
        entry = PointEntry(
            household_id=deposit.household_id,
            amount=deposit.points,
            reason=EntryReason.deposit,
            deposit_id=deposit.id,
            at=now,
            key=f"deposit:{deposit.id}",
        )
        session.add(entry)
        session.flush()
    return deposit, replayed


def create_reward(session: Session, *, data: RewardCreate, now: datetime) -> Reward:
    reward = Reward(**data.model_dump(), created_at=now)
    add_unique(session, reward, taken=Conflict(f"已有名为“{data.name}”的奖品", code="reward_exists"))
    return reward


def redeem(session: Session, *, data: RedemptionCreate, actor: User | None, now: datetime) -> tuple[Redemption, bool]:
    """A household spends points on a reward: refused, in Chinese, when its balance or the reward's stock would
    go below zero. A key used before answers with that redemption, if it was the same one."""

    def same_key() -> Redemption | None:
        return session.scalar(select(Redemption).where(Redemption.idempotency_key == data.idempotency_key))

    if (earlier := same_key()) is not None:
        return _replayed(earlier, data), True
    reward = session.get(Reward, data.reward_id)
    if reward is None:
        raise NotFound(f"没有编号为 {data.reward_id} 的奖品", code="reward_not_found")
    _household(session, data.household_id)
    if (earlier := same_key()) is not None:  # a retry that arrived while the first was being made
        return _replayed(earlier, data), True
    have = balance(session, data.household_id)
    if have < reward.points:
        raise Conflict(
            f"积分不足：兑换“{reward.name}”需 {reward.points} 分，该户现有 {have} 分", code="insufficient_points"
        )
    left = session.scalar(
        update(Reward)
        .where(Reward.id == reward.id, Reward.stock >= 1)
        .values(stock=Reward.stock - 1)
        .returning(Reward.stock)
    )
    if left is None:  # none was left to take
        raise Conflict(f"“{reward.name}”已兑完", code="out_of_stock")
    redemption = Redemption(
        household_id=data.household_id,
        reward_id=reward.id,
        points=reward.points,
        at=now,
        by_id=actor.id if actor else None,
        idempotency_key=data.idempotency_key,
    )
    # The key taken at this very moment, for another household (the same one would have waited for the lock).
    add_unique(session, redemption, taken=Conflict("该幂等键已用于另一笔兑换", code="idempotency_key_reused"))
    session.add(
        PointEntry(
            household_id=data.household_id,
            amount=-reward.points,
            reason=EntryReason.redemption,
            redemption_id=redemption.id,
            at=now,
            key=f"redemption:{redemption.id}",
        )
    )
    session.flush()
    return redemption, False


def _replayed(earlier: Redemption, data: RedemptionCreate) -> Redemption:
    if (earlier.household_id, earlier.reward_id) != (data.household_id, data.reward_id):
        raise Conflict("该幂等键已用于另一笔兑换", code="idempotency_key_reused")
    return earlier


def _entry(session: Session, key: str) -> PointEntry | None:
    return session.scalar(select(PointEntry).where(PointEntry.key == key))


def year_end(year: int) -> datetime:
    """The last moment of the year in Beijing, when its points lapse."""
    return datetime.combine(date(year + 1, 1, 1), time(), BEIJING).astimezone(UTC) - timedelta(microseconds=1)


def expire_year(session: Session, *, year: int, now: datetime) -> int:
    """Points earned in `year` lapse at its end (年底清零): each household's balance as of then is written off, once
    (the entry's key says which year). Returns how many households lost points."""
    if now <= year_end(year):
        raise InvalidInput(f"{year} 年尚未结束，积分不能清零", code="year_not_over")
    at = year_end(year)
    rows = session.execute(
        select(PointEntry.household_id, func.sum(PointEntry.amount))
        .where(PointEntry.at <= at)
        .group_by(PointEntry.household_id)
        .having(func.sum(PointEntry.amount) > 0)
    ).all()
    lapsed = 0
    for household_id, left in rows:
        _household(session, household_id)
        key = f"expiry:{year}:{household_id}"
        entry = PointEntry(household_id=household_id, amount=-int(left), reason=EntryReason.expiry, at=at, key=key)
        _, replayed = _once(session, entry, existing=partial(_entry, session, key))
        lapsed += not replayed
    return lapsed
