"""Time: aware UTC everywhere inside, Asia/Shanghai at the edges, an injectable clock,
and the Chinese working calendar (holidays and make-up working days, 调休) with working-time arithmetic.

Deadline rules defined here, once:
- 紧急工作时 (clock hours): every hour counts — plain aware-UTC addition.
- 工作时 (working hours): only hours inside the working periods of working days count.
- 工作日 (working days): the deadline is the close of the N-th working day after the start's local date
  (the day something arrives does not count, as in Chinese administrative practice).
"""

from __future__ import annotations

import re
import threading
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from importlib import resources
from pathlib import Path
from typing import Annotated, Protocol
from zoneinfo import ZoneInfo

from pydantic import PlainSerializer

from jiexiang.core import holidays
from jiexiang.core.errors import ConfigurationError, DomainError, InvalidInput

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
    try:
        return value.astimezone(UTC)
    except OverflowError:  # 0001-01-01 in Beijing is before the first representable UTC moment
        raise InvalidInput(f"时间 {value.isoformat()} 超出可表示的范围", code="time_out_of_range") from None


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
    """Holidays, make-up working days and the daily working periods of one place.

    A year with the State Council's notice (a yearly TOML file, or one imported into the database) is official.
    Any other year is built, the first time it is asked about, from the statutory days off (`core.holidays`) and
    is *provisional*: no 调休 is known yet, and deadlines computed on it say so."""

    periods: tuple[WorkingPeriod, ...]
    holidays: dict[date, str] = field(default_factory=dict)
    make_up_workdays: set[date] = field(default_factory=set)
    years: set[int] = field(default_factory=set)
    provisional_years: set[int] = field(default_factory=set)
    tz: ZoneInfo = BEIJING
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    # ---- loading ---------------------------------------------------------------------------
    @classmethod
    def load(
        cls,
        *,
        working_hours: str,
        extra_dir: Path | None = None,
        notices: dict[int, str] | None = None,
        tz: ZoneInfo = BEIJING,
    ) -> WorkCalendar:
        """The shipped yearly files, then any in `extra_dir`, then `notices` (year → the same TOML, as imported
        into the database): a later source's year replaces an earlier one's."""
        files: dict[int, str] = {}
        shipped = resources.files("jiexiang.core") / "calendars"
        for entry in shipped.iterdir():
            if entry.name.endswith(".toml") and entry.name[:4].isdigit():
                files[int(entry.name.removesuffix(".toml"))] = entry.read_text(encoding="utf-8")
        if extra_dir is not None:
            for path in sorted(extra_dir.glob("*.toml")):
                files[int(path.stem)] = path.read_text(encoding="utf-8")
        files |= notices or {}
        calendar = cls(periods=parse_working_hours(working_hours), tz=tz)
        for year in sorted(files):
            calendar.add_year(year, files[year])
        return calendar

    def add_year(self, year: int, toml_text: str) -> None:
        """Add one year's official schedule (replacing a provisional one); the file must say which year it is
        and list only sane dates. Nothing is changed when it is refused."""
        try:
            data = tomllib.loads(toml_text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigurationError(f"{year} 年工作日历文件格式错误：{exc}") from exc
        if data.get("year") != year:
            raise ConfigurationError(f"工作日历文件 {year}.toml 中的 year 应为 {year}")
        days_off: dict[date, str] = {}
        make_up: set[date] = set()
        for holiday in data.get("holidays", []):
            name, start, end = holiday.get("name"), holiday.get("start"), holiday.get("end")
            if not isinstance(name, str) or not isinstance(start, date) or not isinstance(end, date) or start > end:
                raise ConfigurationError(f"{year} 年“{name}”的名称或起止日期有误")
            if (end - start).days > 31:
                raise ConfigurationError(f"{year} 年“{name}”放假超过一个月，请检查起止日期")
            for day in _days(start, end):
                days_off[day] = name
            for day in holiday.get("make_up", []):
                if not isinstance(day, date) or day.weekday() < 5:
                    raise ConfigurationError(f"{year} 年“{name}”的调休上班日 {day} 不是周末")
                make_up.add(day)
        with self._lock:
            self._forget(year)
            self.holidays |= days_off
            self.make_up_workdays |= make_up
            self.years.add(year)

    def _forget(self, year: int) -> None:
        for day in [d for d in self.holidays if d.year == year]:
            del self.holidays[day]
        self.make_up_workdays = {d for d in self.make_up_workdays if d.year != year}
        self.years.discard(year)
        self.provisional_years.discard(year)

    def _add_provisional(self, year: int) -> None:
        try:
            days_off = holidays.statutory_days_off(year)
        except ValueError:
            raise CalendarYearUnknown(
                f"工作日历中没有 {year} 年的节假日安排，也无法按法定节假日推算；请导入 {year} 年的日历",
                details={"year": year},
            ) from None
        with self._lock:
            if year in self.years:
                return
            for off in days_off:
                self.holidays.setdefault(off.day, f"{off.name}（补假）" if off.made_up else off.name)
            self.provisional_years.add(year)
            self.years.add(year)

    # ---- days ------------------------------------------------------------------------------
    def _check_known(self, day: date) -> None:
        if day.year not in self.years:
            self._add_provisional(day.year)

    def is_provisional(self, year: int) -> bool:
        """True when `year` has no official schedule yet (its days off are the statutory ones, without 调休)."""
        self._check_known(date(year, 1, 1))
        return year in self.provisional_years

    def days_off(self, year: int) -> list[tuple[date, str]]:
        """The holidays of `year` (by law or by the notice), in order; ordinary weekends are not listed."""
        self._check_known(date(year, 1, 1))
        with self._lock:
            return sorted((day, name) for day, name in self.holidays.items() if day.year == year)

    def make_up_days(self, year: int) -> list[date]:
        self._check_known(date(year, 1, 1))
        return sorted(day for day in self.make_up_workdays if day.year == year)

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
        # Unbounded in principle; a year the statutory rules do not cover stops it with CalendarYearUnknown.
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
    "%Y%m%d%H%M%S",
    "%Y-%m-%d",
    "%Y/%m/%d",
)


# 2026年12月2日, then optionally 14时30分[05秒] / 14点30分 / 14:30[:05], with or without a space between.
_CHINESE_TIME = re.compile(
    r"^(\d{4})年(\d{1,2})月(\d{1,2})[日号]\s*"
    r"(?:(\d{1,2})(?:[时点:：])(?:(\d{1,2})(?:分|[:：](?=\d))?)?(?:(\d{1,2})秒?)?)?$"
)


def _chinese_time(text: str) -> datetime | None:
    match = _CHINESE_TIME.match(text)
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(part) if part else 0 for part in match.groups())
    try:
        return datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None


PLAUSIBLE_YEARS = range(1900, 2200)


def parse_source_time(value: object, *, assume: ZoneInfo = BEIJING) -> datetime | None:
    """A time as exports hold it — datetime, Excel serial number, or text in the usual Chinese and ISO
    forms — as aware UTC; naive values are read in `assume` (Beijing). None if it is not a time (or not a
    year anybody could mean)."""
    try:
        found = _parse_source_time(value, assume=assume)
    except InvalidInput:
        return None
    return found if found is not None and found.year in PLAUSIBLE_YEARS else None


def _parse_source_time(value: object, *, assume: ZoneInfo) -> datetime | None:
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
    chinese = _chinese_time(text)
    if chinese is not None:
        return ensure_aware(chinese, assume=assume)
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
