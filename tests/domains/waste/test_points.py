"""Points at the truck, on the real database: the daily cap, a replayed registration counted once, a lost card
replaced, redemptions refused below zero (balance and stock), and the lapse at the year's end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiexiang.core.errors import Conflict, InvalidInput
from jiexiang.core.time import FixedClock
from jiexiang.domains.places.models import Household
from jiexiang.domains.waste import service
from jiexiang.domains.waste.enums import EntryReason, WasteKind
from jiexiang.domains.waste.models import Card, Deposit, PointEntry
from jiexiang.domains.waste.rules import load_rules
from jiexiang.domains.waste.schemas import DepositCreate, RedemptionCreate, RewardCreate
from tests.factories import Town

RULES = load_rules()  # 2 a correct bag, 0 a wrong one, at most 4 a day
Carded = tuple[Town, list[tuple[Household, Card]]]


def hand_over(
    session: Session, clock: FixedClock, card: Card, key: str, *, correct: bool = True
) -> tuple[Deposit, bool]:
    data = DepositCreate(card_code=card.code, kind=WasteKind.kitchen, correct=correct, idempotency_key=key)
    return service.register_deposit(session, data=data, collector=None, rules=RULES, now=clock.now())


def test_points_per_bag_up_to_the_daily_cap_and_a_replay_counts_once(
    session: Session, clock: FixedClock, carded: Carded
) -> None:
    home, card = carded[1][0]
    earned = [hand_over(session, clock, card, f"bag-{n:04d}")[0].points for n in range(3)]
    assert earned == [2, 2, 0]  # the third bag is past the day's cap of 4
    assert hand_over(session, clock, card, "bag-wrong", correct=False)[0].points == 0
    again, replayed = hand_over(session, clock, card, "bag-0000")
    assert replayed and again.points == 2
    assert session.scalar(select(func.count()).select_from(Deposit)) == 4
    assert service.balance(session, home.id) == 4
    clock.advance(timedelta(days=1))
    assert hand_over(session, clock, card, "bag-next-day")[0].points == 2
    assert service.balance(session, home.id) == 6


def test_a_replaced_card_stops_working(session: Session, clock: FixedClock, carded: Carded) -> None:
    home, old = carded[1][0]
    new = service.issue_card(session, household_id=home.id, now=clock.now())
    with pytest.raises(InvalidInput, match="无效或已挂失补办"):
        hand_over(session, clock, old, "old-card-1")
    assert hand_over(session, clock, new, "new-card-1")[0].household_id == home.id


def test_redemptions_never_take_a_balance_or_a_stock_below_zero(
    session: Session, clock: FixedClock, carded: Carded
) -> None:
    (first, card), (second, _) = carded[1][0], carded[1][1]
    for n in range(2):
        hand_over(session, clock, card, f"bag-{n:04d}")
    soap = service.create_reward(session, data=RewardCreate(name="洗衣皂", points=3, stock=1), now=clock.now())
    bag = service.create_reward(session, data=RewardCreate(name="环保袋", points=10, stock=5), now=clock.now())

    def redeem(household: Household, reward_id: int, key: str) -> tuple[object, bool]:
        data = RedemptionCreate(household_id=household.id, reward_id=reward_id, idempotency_key=key)
        return service.redeem(session, data=data, actor=None, now=clock.now())

    with pytest.raises(Conflict, match="积分不足：兑换“环保袋”需 10 分，该户现有 4 分"):
        redeem(first, bag.id, "redeem-bag-1")
    redeem(first, soap.id, "redeem-soap-1")
    assert service.balance(session, first.id) == 1 and soap.stock == 0
    assert redeem(first, soap.id, "redeem-soap-1")[1] is True  # the same request again: nothing more taken
    assert service.balance(session, first.id) == 1
    with pytest.raises(Conflict, match="已用于另一笔兑换"):
        redeem(second, soap.id, "redeem-soap-1")
    towel = service.create_reward(session, data=RewardCreate(name="毛巾", points=1, stock=0), now=clock.now())
    with pytest.raises(Conflict, match="已兑完"):
        redeem(first, towel.id, "redeem-towel-1")


def test_points_lapse_at_the_year_end_once(session: Session, clock: FixedClock, carded: Carded) -> None:
    home, card = carded[1][0]
    hand_over(session, clock, card, "bag-2026")
    with pytest.raises(InvalidInput, match="尚未结束"):
        service.expire_year(session, year=2026, now=clock.now())
    clock.current = datetime(2026, 12, 31, 16, 30, tzinfo=UTC)  # 1 January 2027, 00:30 in Beijing
    hand_over(session, clock, card, "bag-2027")  # earned in the new year: stays
    assert service.expire_year(session, year=2026, now=clock.now()) == 1
    assert service.expire_year(session, year=2026, now=clock.now()) == 0
    assert service.balance(session, home.id) == 2
    lapsed = session.scalars(select(PointEntry).where(PointEntry.reason == EntryReason.expiry)).all()
    assert [(e.amount, e.key) for e in lapsed] == [(-2, f"expiry:2026:{home.id}")]
