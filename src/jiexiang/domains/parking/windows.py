"""Daily windows such as 错时停车's 18:30–07:30: parsing, whether one is open at a moment on the working calendar,
and the pieces of the day it claims. A window that crosses midnight belongs to the day it opens on: Friday's
18:30–07:30 is a workday window, and it is still open at 06:00 on Saturday."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from jiexiang.core.errors import InvalidInput
from jiexiang.core.time import WorkCalendar, to_local
from jiexiang.domains.parking.enums import DAY_PATTERN_LABELS, DayPattern

DAY = 24 * 60
_TEXT = re.compile(r"^\s*(\d{1,2})[:：](\d{2})\s*[-–~～—至]\s*(\d{1,2})[:：](\d{2})\s*$")

# The kinds of day a claim covers, as a half-open range: 0 = working day, 1 = rest day (see `Window.claims`).
_DAY_RANGES: dict[DayPattern, tuple[int, int]] = {
    DayPattern.every_day: (0, 2),
    DayPattern.workdays: (0, 1),
    DayPattern.rest_days: (1, 2),
}


@dataclass(frozen=True)
class Claim:
    """A part of every day in a date range that a permit holds a space for: minutes [start, end) of the kinds of
    day [day_from, day_until). Two claims on one space conflict when their dates, minutes and days all overlap."""

    minute_from: int
    minute_until: int
    day_from: int
    day_until: int


@dataclass(frozen=True)
class Window:
    start: int = 0  # minutes after midnight
    end: int = DAY  # minutes after midnight; at or before `start` it runs past midnight; 0–1440 is all day
    days: DayPattern = DayPattern.every_day

    def __post_init__(self) -> None:
        if not (0 <= self.start < DAY and 0 <= self.end <= DAY) or self.start == self.end:
            raise InvalidInput("时段不对：起止时间应在 00:00 到 24:00 之间且不相同", code="invalid_window")

    @classmethod
    def parse(cls, text: str, days: DayPattern = DayPattern.every_day) -> Window:
        """Such as "18:30-07:30" (also with – ~ ～ 至 and full-width colons); "00:00-24:00" is all day."""
        match = _TEXT.match(text)
        if not match:
            raise InvalidInput(f"时段“{text}”格式不对，应如 18:30-07:30", code="invalid_window")
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2):
            raise InvalidInput(f"时段“{text}”的时间不存在", code="invalid_window")
        return cls(h1 * 60 + m1, h2 * 60 + m2, days)

    @property
    def crosses_midnight(self) -> bool:
        return self.end <= self.start

    @property
    def all_day(self) -> bool:
        return self.start == 0 and self.end == DAY

    def label(self) -> str:
        hours = (
            "全天"
            if self.all_day
            else f"{_hhmm(self.start)}–{'次日' if self.crosses_midnight else ''}{_hhmm(self.end)}"
        )
        return f"{DAY_PATTERN_LABELS[self.days]} {hours}"

    def is_open(self, moment: datetime, calendar: WorkCalendar) -> bool:
        """Whether the window is open at `moment` (aware), in the calendar's time zone."""
        local = to_local(moment, calendar.tz)
        minute = local.hour * 60 + local.minute
        if not self.crosses_midnight:
            return self.start <= minute < self.end and self.opens_on(local.date(), calendar)
        if minute >= self.start:
            return self.opens_on(local.date(), calendar)
        return minute < self.end and self.opens_on(local.date() - timedelta(days=1), calendar)

    def opens_on(self, day: date, calendar: WorkCalendar) -> bool:
        if self.days is DayPattern.every_day:
            return True
        return calendar.is_workday(day) == (self.days is DayPattern.workdays)

    def opening(self, day: date, tz: tzinfo) -> tuple[datetime, datetime]:
        """When the window that opens on `day` opens and closes (aware, in `tz`; it may close the next day)."""
        midnight = datetime.combine(day, time(), tz)
        close = self.end + (DAY if self.crosses_midnight else 0)
        return midnight + timedelta(minutes=self.start), midnight + timedelta(minutes=close)

    def claims(self) -> list[Claim]:
        """The parts of the day this window holds a space for. The part of a window past midnight falls on the
        next day, whose kind may differ from the day the window opened on; such a window claims every kind of
        day, so that no two permits can ever share a space (at worst a space stays free that could be lent)."""
        days = _DAY_RANGES[self.days]
        if not self.crosses_midnight:
            return [Claim(self.start, self.end, *days)]
        pieces = [(self.start, DAY), (0, self.end)] if self.end else [(self.start, DAY)]
        return [Claim(start, end, *_DAY_RANGES[DayPattern.every_day]) for start, end in pieces]

    def open_minutes(self) -> int:
        """Minutes per day it is open (for occupancy rates)."""
        return (self.end - self.start) % DAY or DAY


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
