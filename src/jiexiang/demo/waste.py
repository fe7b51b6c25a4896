"""The demo's garbage sorting at the truck (垃圾不落地), in a few pilot alleys: a stop per alley with its two daily
collections, a card for every household there, two weeks of bags handed over (most sorted right, points up to the
daily cap), a rewards catalogue and the first redemptions. All through the services users call."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiexiang.core.geo import geometry_from_geojson
from jiexiang.core.time import BEIJING, to_local
from jiexiang.domains.accounts.models import User
from jiexiang.domains.places.models import Address, Alley, Household
from jiexiang.domains.waste import service
from jiexiang.domains.waste.enums import WasteKind
from jiexiang.domains.waste.rules import load_rules
from jiexiang.domains.waste.schemas import DepositCreate, RedemptionCreate, RewardCreate, StopCreate

PILOT_ALLEYS = 6
DAYS = 14
WINDOWS = ((7, 0), (18, 30))  # the truck comes at 07:00–08:30 and 18:30–20:00
REWARDS = [("环保购物袋", 10, 200), ("洗洁精", 20, 120), ("节水龙头", 60, 30), ("家用小药箱", 120, 10)]
_KINDS = [WasteKind.kitchen] * 5 + [WasteKind.other] * 3 + [WasteKind.recyclable] * 2 + [WasteKind.hazardous]


def build_waste(session: Session, *, collector: User, desk: User, now: datetime, seed: int) -> dict[str, int]:
    rng = random.Random(seed + 16)
    rules = load_rules()
    start = now - timedelta(days=DAYS)
    by_alley: dict[int, list[Household]] = {}
    for home, alley_id in session.execute(select(Household, Address.alley_id).join(Address)):
        if alley_id is not None:
            by_alley.setdefault(alley_id, []).append(home)
    pilots = [a for a in session.scalars(select(Alley).order_by(Alley.id)) if len(by_alley.get(a.id, [])) >= 15]
    pilots = rng.sample(pilots, min(PILOT_ALLEYS, len(pilots)))
    cards = {}
    for alley in pilots:
        mouth = geometry_from_geojson(alley.geometry).interpolate(0.05, normalized=True)
        stop = StopCreate(
            alley_id=alley.id, name=f"{alley.name}收运点", lon=mouth.x, lat=mouth.y, windows="07:00-08:30,18:30-20:00"
        )
        service.create_stop(session, data=stop, now=start)
        for home in by_alley[alley.id]:
            cards[home.id] = service.issue_card(session, household_id=home.id, now=start).code
    keen = {home_id: rng.uniform(0.2, 0.9) for home_id in cards}  # how often each household comes to the truck
    deposits = 0
    for offset in range(DAYS, 0, -1):
        day = to_local(now - timedelta(days=offset)).date()
        for hour, minute in WINDOWS:
            opens = datetime.combine(day, time(hour, minute), BEIJING)
            for home_id, code in cards.items():
                if rng.random() > keen[home_id] / 2:
                    continue
                at = opens + timedelta(minutes=rng.uniform(0, 90))
                data = DepositCreate(
                    card_code=code,
                    kind=rng.choice(_KINDS),
                    correct=rng.random() < 0.86,
                    idempotency_key=f"demo-{home_id}-{at:%Y%m%d%H%M%S}",
                )
                service.register_deposit(session, data=data, collector=collector, rules=rules, now=at)
                deposits += 1
    rewards = [
        service.create_reward(session, data=RewardCreate(name=name, points=points, stock=stock), now=start)
        for name, points, stock in REWARDS
    ]
    redeemed = 0
    for home_id in rng.sample(sorted(cards), len(cards) // 3):
        reward = rewards[rng.choice((0, 0, 0, 1, 1, 2))]
        if service.balance(session, home_id) >= reward.points:
            asked = RedemptionCreate(
                household_id=home_id, reward_id=reward.id, idempotency_key=f"demo-redeem-{home_id}"
            )
            service.redeem(session, data=asked, actor=desk, now=now - timedelta(hours=rng.uniform(1, 48)))
            redeemed += 1
    return {"waste_cards": len(cards), "waste_deposits": deposits, "waste_redemptions": redeemed}
