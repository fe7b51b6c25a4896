"""What a permit can be and whether it holds: the day a moment falls on, a lot's terms today (its window, and when
the lender's agreement ends), month arithmetic of terms, and "valid on a day" defined once."""

from __future__ import annotations

import calendar as month_calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from jiexiang.core.errors import Conflict
from jiexiang.core.time import to_local
from jiexiang.domains.parking.enums import LotKind, PermitStatus
from jiexiang.domains.parking.models import Application, Lot, Permit
from jiexiang.domains.parking.rules import ParkingRules
from jiexiang.domains.parking.stays import Allowance
from jiexiang.domains.parking.windows import Window

ALL_DAY = Window()


def today(now: datetime) -> date:
    return to_local(now).date()


@dataclass(frozen=True)
class Terms:
    """What a permit in a lot can be today: its window, and the first day it can no longer hold (the lender's
    agreement ends), if any."""

    window: Window
    until: date | None


def terms_of(lot: Lot, day: date) -> Terms:
    """When permits in `lot` may be issued on `day`; refused, in Chinese, when the lot cannot be given out."""
    if lot.retired_at is not None:
        raise Conflict(f"“{lot.name}”已停用，不能再分配车位", code="lot_retired")
    if lot.kind is not LotKind.time_shared:
        return Terms(ALL_DAY, None)
    current = [a for a in lot.agreements if a.starts_on <= day <= a.ends_on and a.suspended_at is None]
    if not current:
        raise Conflict(f"“{lot.name}”当前没有有效的出借协议（未开始、已到期或暂停），不能分配车位", code="no_agreement")
    agreement = max(current, key=lambda a: a.ends_on)
    return Terms(agreement.window, agreement.ends_on + timedelta(days=1))


def allowance(permit: Permit) -> Allowance:
    """What the permit allows its car, for judging a stay (see `stays`)."""
    return Allowance(permit.window, permit.valid_from, permit.valid_until)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, month_calendar.monthrange(year, month)[1]))


def valid_today(day: date) -> ColumnElement[bool]:
    """SQL: the permit is active and holds on `day`."""
    return (Permit.status == PermitStatus.active) & (Permit.valid_from <= day) & (Permit.valid_until > day)


def permits_held(session: Session, *, household_id: int, day: date) -> int:
    return session.scalar(select(func.count()).where(Permit.household_id == household_id, valid_today(day))) or 0


def holders(session: Session, household_ids: list[int], day: date) -> dict[int, int]:
    """How many permits valid on `day` each of the households holds (those holding none are left out)."""
    rows = session.execute(
        select(Permit.household_id, func.count())
        .where(Permit.household_id.in_(set(household_ids)), valid_today(day))
        .group_by(Permit.household_id)
    )
    return {household_id: count for household_id, count in rows}


def in_queue_order(rules: ParkingRules, waiting: list[Application], held: Mapping[int, int]) -> list[Application]:
    """A lot's waiting applications in the order the rules serve them."""
    return sorted(
        waiting,
        key=lambda a: rules.queue_key(
            holds_permit=held.get(a.household_id, 0) > 0,
            groups=a.priority_groups,
            applied_at=a.applied_at,
            application_id=a.id,
        ),
    )
