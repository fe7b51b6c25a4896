"""Time: aware UTC everywhere inside, Asia/Shanghai at the edges, an injectable clock,
and the Chinese working calendar (holidays and make-up working days, 调休) with working-time arithmetic.

Deadline rules defined here, once:
- 紧急工作时 (clock hours): every hour counts — plain aware-UTC addition.
- 工作时 (working hours): only hours inside the working periods of working days count.
- 工作日 (working days): the deadline is the close of the N-th working day after the start's local date
  (the day something arrives does not count, as in Chinese administrative practice).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from importlib import resources
from pathlib import Path
from typing import Annotated, Protocol
from zoneinfo import ZoneInfo

from pydantic import PlainSerializer

from jiexiang.core.errors import ConfigurationError, DomainError

BEIJING = ZoneInfo("Asia/Shanghai")


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class FixedClock:
    """A clock for tests and replays: stands still until moved."""

    current: datetime

    def __post_init__(self) -> None:
        self.current = ensure_aware(self.current)

    def now(self) -> datetime:
        return self.current

    def advance(self, delta: timedelta) -> None:
        self.current += delta


def ensure_aware(value: datetime, *, assume: ZoneInfo = BEIJING) -> datetime:
    """`value` as aware UTC; a naive value is read as local time in `assume` (source data is Beijing time)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=assume)
    return value.astimezone(UTC)


def to_local(value: datetime, tz: ZoneInfo = BEIJING) -> datetime:
    return ensure_aware(value).astimezone(tz)


class CalendarYearUnknown(DomainError):
    code = "calendar_year_unknown"
    http_status = 422


@dataclass(frozen=True)
class WorkingPeriod:
    start: time
    end: time


def parse_working_hours(text: str) -> tuple[WorkingPeriod, ...]:
    """Parse "08:30-12:00,13:30-17:30" into ordered, non-overlapping periods."""
    periods: list[WorkingPeriod] = []
    try:
        for part in text.split(","):
            start_text, end_text = part.strip().split("-")
            periods.append(WorkingPeriod(time.fromisoformat(start_text), time.fromisoformat(end_text)))
    except ValueError as exc:
        raise ConfigurationError(f"工作时间设置“{text}”格式不对，应如 08:30-12:00,13:30-17:30") from exc
    for previous, current in zip([None, *periods], periods, strict=False):
        if current.start >= current.end or (previous is not None and previous.end > current.start):
            raise ConfigurationError(f"工作时间设置“{text}”的时段必须按先后排列且互不重叠")
    return tuple(periods)


@dataclass
class WorkCalendar:
    """Official holidays, make-up working days and the daily working periods of one place."""

    periods: tuple[WorkingPeriod, ...]
    holidays: dict[date, str] = field(default_factory=dict)
    make_up_workdays: set[date] = field(default_factory=set)
    years: set[int] = field(default_factory=set)
    tz: ZoneInfo = BEIJING

    # ---- loading ---------------------------------------------------------------------------
    @classmethod
    def load(cls, *, working_hours: str, extra_dir: Path | None = None, tz: ZoneInfo = BEIJING) -> WorkCalendar:
        """The shipped yearly files, then any in `extra_dir` (a year there replaces the shipped one)."""
        files: dict[int, str] = {}
        shipped = resources.files("jiexiang.core") / "calendars"
        for entry in shipped.iterdir():
            if entry.name.endswith(".toml"):
                files[int(entry.name.removesuffix(".toml"))] = entry.read_text(encoding="utf-8")
        if extra_dir is not None:
            for path in sorted(extra_dir.glob("*.toml")):
                files[int(path.stem)] = path.read_text(encoding="utf-8")
        calendar = cls(periods=parse_working_hours(working_hours), tz=tz)
        for year in sorted(files):
            calendar.add_year(year, files[year])
        return calendar

    def add_year(self, year: int, toml_text: str) -> None:
        """Add one year's schedule; the file must say which year it is and list only sane dates."""
        try:
            data = tomllib.loads(toml_text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigurationError(f"{year} 年工作日历文件格式错误：{exc}") from exc
        if data.get("year") != year:
            raise ConfigurationError(f"工作日历文件 {year}.toml 中的 year 应为 {year}")
        for holiday in data.get("holidays", []):
            name, start, end = holiday["name"], holiday["start"], holiday["end"]
            if not isinstance(start, date) or not isinstance(end, date) or start > end:
                raise ConfigurationError(f"{year} 年“{name}”的起止日期有误")
            for day in _days(start, end):
                self.holidays[day] = name
            for day in holiday.get("make_up", []):
                if day.weekday() < 5:
                    raise ConfigurationError(f"{year} 年“{name}”的调休上班日 {day} 不是周末")
                self.make_up_workdays.add(day)
        self.years.add(year)

    # ---- days ------------------------------------------------------------------------------
    def _check_known(self, day: date) -> None:
        if day.year not in self.years:
            raise CalendarYearUnknown(
                f"工作日历中没有 {day.year} 年的节假日安排，无法计算工作日；请添加 {day.year}.toml 日历数据",
                details={"year": day.year},
            )

    def is_workday(self, day: date) -> bool:
        self._check_known(day)
        if day in self.make_up_workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def holiday_name(self, day: date) -> str | None:
        self._check_known(day)
        return self.holidays.get(day)

    def working_periods(self, day: date) -> list[tuple[datetime, datetime]]:
        """The working periods of `day` as aware UTC (start, end) pairs; empty on a day off."""
        if not self.is_workday(day):
            return []
        return [
            (
                datetime.combine(day, p.start, self.tz).astimezone(UTC),
                datetime.combine(day, p.end, self.tz).astimezone(UTC),
            )
            for p in self.periods
        ]

    def _periods_from(self, day: date) -> Iterator[tuple[datetime, datetime]]:
        # Unbounded in principle; a year missing from the data stops it with CalendarYearUnknown.
        while True:
            yield from self.working_periods(day)
            day += timedelta(days=1)

    # ---- arithmetic ------------------------------------------------------------------------
    def add_working_hours(self, start: datetime, hours: float | timedelta) -> datetime:
        """The moment when `hours` of working time have passed after `start` (工作时)."""
        remaining = hours if isinstance(hours, timedelta) else timedelta(hours=hours)
        if remaining < timedelta(0):
            raise ValueError("working hours must not be negative")
        start = ensure_aware(start)
        if remaining == timedelta(0):
            return start
        for period_start, period_end in self._periods_from(start.astimezone(self.tz).date()):
            if period_end <= start:
                continue
            begin = max(period_start, start)
            available = period_end - begin
            if remaining <= available:
                return begin + remaining
            remaining -= available
        raise AssertionError("unreachable")  # pragma: no cover

    def add_workdays(self, start: datetime, days: int) -> datetime:
        """Close of business on the `days`-th working day after the local date of `start` (工作日)."""
        if days < 1:
            raise ValueError("working days must be at least 1")
        day = ensure_aware(start).astimezone(self.tz).date()
        counted = 0
        while counted < days:
            day += timedelta(days=1)
            if self.is_workday(day):
                counted += 1
        return datetime.combine(day, self.periods[-1].end, self.tz).astimezone(UTC)

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Working time elapsed from `start` to `end` (zero if `end` is not after `start`)."""
        start, end = ensure_aware(start), ensure_aware(end)
        total = timedelta(0)
        if end <= start:
            return total
        for period_start, period_end in self._periods_from(start.astimezone(self.tz).date()):
            if period_start >= end:
                break
            overlap = min(period_end, end) - max(period_start, start)
            if overlap > timedelta(0):
                total += overlap
        return total

    def workdays_in(self, first: date, last: date) -> Iterable[date]:
        return (day for day in _days(first, last) if self.is_workday(day))


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


_EXCEL_EPOCH = datetime(1899, 12, 30)
_TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y.%m.%d %H:%M:%S",
    "%Y.%m.%d %H:%M",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日%H时%M分%S秒",
    "%Y年%m月%d日%H时%M分",
    "%Y%m%d%H%M%S",
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y年%m月%d日",
)


def parse_source_time(value: object, *, assume: ZoneInfo = BEIJING) -> datetime | None:
    """A time as exports hold it — datetime, Excel serial number, or text in the usual Chinese and ISO
    forms — as aware UTC; naive values are read in `assume` (Beijing). None if it is not a time."""
    if isinstance(value, datetime):
        return ensure_aware(value, assume=assume)
    if isinstance(value, date):
        return ensure_aware(datetime.combine(value, time()), assume=assume)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 20000 < value < 80000:  # Excel serial days (1954–2119)
            return ensure_aware(_EXCEL_EPOCH + timedelta(days=float(value)), assume=assume)
        return None
    if not isinstance(value, str):
        return None
    text = " ".join(value.strip().split())
    if not text:
        return None
    try:
        return ensure_aware(datetime.fromisoformat(text), assume=assume)
    except ValueError:
        pass
    for pattern in _TIME_FORMATS:
        try:
            return ensure_aware(datetime.strptime(text, pattern), assume=assume)
        except ValueError:
            continue
    return None


def _local_iso(value: datetime) -> str:
    return to_local(value).isoformat()


# A datetime shown to people and clients: Beijing time with its offset (2026-11-26T10:00:00+08:00).
LocalDateTime = Annotated[datetime, PlainSerializer(_local_iso, return_type=str)]
