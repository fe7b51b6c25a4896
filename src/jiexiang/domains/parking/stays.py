"""How long a car stood outside what its permit allows: the minutes of a stay that fall outside the permit's daily
windows on the days of its term (on the working calendar). Pure arithmetic, no database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from jiexiang.core.time import WorkCalendar, to_local
from jiexiang.domains.parking.windows import Window


@dataclass(frozen=True)
class Allowance:
    """What a permit allows: its window on the days from `valid_from` up to (not including) `valid_until`."""

    window: Window
    valid_from: date
    valid_until: date


def minutes_inside(arrived: datetime, departed: datetime, allowance: Allowance, calendar: WorkCalendar) -> int:
    """Whole minutes of [arrived, departed) within the allowance's open windows. A window belongs to the day it
    opens on, so the window of the evening before the arrival counts too."""
    start, end = to_local(arrived, calendar.tz), to_local(departed, calendar.tz)
    inside = timedelta()
    day = start.date() - timedelta(days=1)
    while day <= end.date():
        if allowance.valid_from <= day < allowance.valid_until and allowance.window.opens_on(day, calendar):
            opens, closes = allowance.window.opening(day, calendar.tz)
            overlap = min(closes, end) - max(opens, start)
            if overlap > timedelta():
                inside += overlap
        day += timedelta(days=1)
    return int(inside.total_seconds() // 60)


def minutes_outside(arrived: datetime, departed: datetime, allowance: Allowance | None, calendar: WorkCalendar) -> int:
    """Whole minutes of the stay the allowance does not cover (all of them without one)."""
    stay = int((departed - arrived).total_seconds() // 60)
    if allowance is None:
        return max(stay, 0)
    return max(stay - minutes_inside(arrived, departed, allowance, calendar), 0)
