"""Waste rows as the routes give them."""

from __future__ import annotations

from jiexiang.core.time import parse_working_hours
from jiexiang.domains.places.models import Household
from jiexiang.domains.waste.models import Deposit, Redemption, Stop
from jiexiang.domains.waste.schemas import DepositRead, RedemptionRead, StopRead, WasteHouseholdRead


def household_label(household: Household) -> str:
    return f"{household.address.name} {household.label}"


def stop_read(stop: Stop) -> StopRead:
    windows = [f"{p.start:%H:%M}–{p.end:%H:%M}" for p in parse_working_hours(stop.windows)]
    return StopRead(
        id=stop.id, alley_id=stop.alley_id, alley_name=stop.alley.name, name=stop.name, lon=stop.lon, lat=stop.lat,
        windows=windows,
    )  # fmt: skip


def waste_household_read(household: Household, *, balance: int, card_code: str | None) -> WasteHouseholdRead:
    return WasteHouseholdRead(
        id=household.id,
        address_name=household.address.name,
        label=household.label,
        alley_id=household.address.alley_id,
        card_code=card_code,
        balance=balance,
    )


def deposit_read(deposit: Deposit, *, household: Household, balance: int, replayed: bool) -> DepositRead:
    return DepositRead(
        id=deposit.id,
        household_id=deposit.household_id,
        household=household_label(household),
        kind=deposit.kind,
        correct=deposit.correct,
        points=deposit.points,
        balance=balance,
        at=deposit.at,
        replayed=replayed,
    )


def redemption_read(redemption: Redemption, *, balance: int, replayed: bool) -> RedemptionRead:
    return RedemptionRead(
        id=redemption.id,
        household_id=redemption.household_id,
        reward_id=redemption.reward_id,
        reward_name=redemption.reward.name,
        points=redemption.points,
        balance=balance,
        at=redemption.at,
        replayed=replayed,
    )
