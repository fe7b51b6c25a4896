from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from jiexiang.core.errors import ConfigurationError
from jiexiang.core.time import (
    BEIJING,
    CalendarYearUnknown,
    FixedClock,
    WorkCalendar,
    ensure_aware,
    parse_source_time,
    to_local,
)


@pytest.fixture(scope="module")
def calendar() -> WorkCalendar:
    return WorkCalendar.load(working_hours="08:30-12:00,13:30-17:30")


def bj(*args: int) -> datetime:
    return datetime(*args, tzinfo=BEIJING)  # type: ignore[misc]


def test_holidays_and_make_up_days_from_the_official_schedule(calendar: WorkCalendar) -> None:
    assert not calendar.is_workday(date(2026, 10, 1))  # 国庆
    assert calendar.holiday_name(date(2026, 10, 5)) == "国庆节"
    assert calendar.is_workday(date(2026, 10, 10))  # Saturday, 调休上班
    assert calendar.is_workday(date(2026, 9, 20))  # Sunday, 调休上班
    assert not calendar.is_workday(date(2026, 11, 28))  # ordinary Saturday
    assert calendar.is_workday(date(2026, 11, 27))  # ordinary Friday
    assert not calendar.is_workday(date(2025, 10, 8))  # 2025 国庆·中秋 runs to 10-08
    assert calendar.is_workday(date(2024, 2, 18))  # Sunday after 春节 2024
    assert calendar.holiday_name(date(2024, 1, 1)) == "元旦"


def test_a_year_without_a_notice_is_provisional_from_the_statutory_days_off(calendar: WorkCalendar) -> None:
    assert not calendar.is_provisional(2026)
    assert calendar.is_provisional(2027)
    assert not calendar.is_workday(date(2027, 2, 5))  # 除夕, Friday
    assert calendar.holiday_name(date(2027, 2, 9)) == "春节（补假）"  # for 2-6, a Saturday
    assert calendar.is_workday(date(2027, 2, 11))
    assert calendar.make_up_days(2027) == []  # no 调休 until the notice says so
    # 10 working days from Tue 2026-12-29: 12-30, 12-31, (元旦 1-1, weekend), 1-4 … 1-8, 1-11 … 1-13.
    assert to_local(calendar.add_workdays(bj(2026, 12, 29, 10), 10)) == bj(2027, 1, 13, 17, 30)


def test_a_notice_replaces_the_provisional_year() -> None:
    calendar = WorkCalendar.load(working_hours="08:30-12:00,13:30-17:30")
    assert calendar.is_workday(date(2027, 2, 11))
    notice = """year = 2027
[[holidays]]
name = "春节"
start = 2027-02-05
end = 2027-02-13
make_up = [2027-02-14]
"""
    calendar.add_year(2027, notice)
    assert not calendar.is_provisional(2027)
    assert not calendar.is_workday(date(2027, 2, 11))
    assert calendar.is_workday(date(2027, 2, 14))  # Sunday, 调休上班
    assert calendar.is_workday(date(2027, 10, 4))  # the provisional 补假 is gone with the rest of the guess
    with pytest.raises(ConfigurationError):
        calendar.add_year(2027, notice.replace("2027-02-14", "2027-02-15"))  # a Monday is no make-up day
    assert calendar.is_workday(date(2027, 2, 14))  # a refused notice changes nothing


def test_years_beyond_the_rules_are_refused_clearly(calendar: WorkCalendar) -> None:
    with pytest.raises(CalendarYearUnknown) as raised:
        calendar.is_workday(date(1999, 3, 1))
    assert "1999" in raised.value.message


def test_four_working_hours_after_friday_close_land_on_monday_afternoon(calendar: WorkCalendar) -> None:
    # Friday 2026-11-27 17:30 is the close of business: Monday 08:30–12:00 gives 3.5 h, 13:30 + 0.5 h.
    deadline = calendar.add_working_hours(bj(2026, 11, 27, 17, 30), 4)
    assert to_local(deadline) == bj(2026, 11, 30, 14, 0)


def test_working_hours_started_in_the_lunch_break_count_from_13_30(calendar: WorkCalendar) -> None:
    assert to_local(calendar.add_working_hours(bj(2026, 11, 26, 12, 15), 1)) == bj(2026, 11, 26, 14, 30)


def test_working_hours_across_national_day(calendar: WorkCalendar) -> None:
    # Wed 2026-09-30 16:00: 1.5 h that day; 10-01..10-07 off; Thu 10-08 08:30 + 2.5 h = 11:00.
    assert to_local(calendar.add_working_hours(bj(2026, 9, 30, 16, 0), 4)) == bj(2026, 10, 8, 11, 0)
    # 7.5 h more than a day's 7.5 h: from 10-09 (Fri) 17:30 through Saturday 10-10 (make-up day).
    assert to_local(calendar.add_working_hours(bj(2026, 10, 9, 17, 30), 7.5)) == bj(2026, 10, 10, 17, 30)


def test_a_deadline_exactly_at_close_stays_on_that_day(calendar: WorkCalendar) -> None:
    assert to_local(calendar.add_working_hours(bj(2026, 11, 26, 16, 30), 1)) == bj(2026, 11, 26, 17, 30)


def test_working_days_count_from_the_next_working_day_and_end_at_close(calendar: WorkCalendar) -> None:
    # Received Friday: 1 工作日 → Monday close; 3 工作日 → Wednesday close.
    assert to_local(calendar.add_workdays(bj(2026, 11, 27, 10, 0), 1)) == bj(2026, 11, 30, 17, 30)
    assert to_local(calendar.add_workdays(bj(2026, 11, 27, 10, 0), 3)) == bj(2026, 12, 2, 17, 30)
    # Received 2026-09-29 (Tue): 09-30 is day 1, the holiday is skipped, 10-08 day 2, 10-09 day 3,
    # Saturday 10-10 (make-up) day 4.
    assert to_local(calendar.add_workdays(bj(2026, 9, 29, 9, 0), 4)) == bj(2026, 10, 10, 17, 30)


def test_working_time_between_skips_nights_weekends_and_holidays(calendar: WorkCalendar) -> None:
    elapsed = calendar.working_time_between(bj(2026, 9, 30, 16, 0), bj(2026, 10, 8, 11, 0))
    assert elapsed == timedelta(hours=4)
    assert calendar.working_time_between(bj(2026, 11, 27, 9, 0), bj(2026, 11, 27, 9, 0)) == timedelta(0)


def test_a_new_year_is_added_as_data(tmp_path: Path) -> None:
    (tmp_path / "2027.toml").write_text(
        'year = 2027\n[[holidays]]\nname = "元旦"\nstart = 2027-01-01\nend = 2027-01-03\n', encoding="utf-8"
    )
    calendar = WorkCalendar.load(working_hours="09:00-17:00", extra_dir=tmp_path)
    assert not calendar.is_workday(date(2027, 1, 1))
    assert calendar.is_workday(date(2027, 1, 4))


def test_bad_calendar_data_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "2027.toml").write_text(
        'year = 2027\n[[holidays]]\nname = "元旦"\nstart = 2027-01-01\nend = 2027-01-01\nmake_up = [2027-01-05]\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigurationError, match="不是周末"):
        WorkCalendar.load(working_hours="09:00-17:00", extra_dir=tmp_path)


@pytest.mark.parametrize("text", ["08:30-12:00,11:00-17:30", "8.30-12", "12:00-08:30"])
def test_bad_working_hours_setting_is_rejected(text: str) -> None:
    with pytest.raises(ConfigurationError):
        WorkCalendar.load(working_hours=text)


def test_naive_times_are_read_as_beijing_time() -> None:
    assert ensure_aware(datetime(2026, 11, 26, 10, 0)) == datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


def test_fixed_clock_moves_only_when_told() -> None:
    clock = FixedClock(datetime(2026, 1, 1, tzinfo=UTC))
    clock.advance(timedelta(hours=2))
    assert clock.now() == datetime(2026, 1, 1, 2, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026年12月2日 14时30分", (2026, 12, 2, 14, 30)),
        ("2026年12月2日14:30", (2026, 12, 2, 14, 30)),
        ("2026/12/2 14:30", (2026, 12, 2, 14, 30)),
        ("2026年12月2日14时30分05秒", (2026, 12, 2, 14, 30, 5)),
        ("2026年12月2日 14点", (2026, 12, 2, 14, 0)),
        ("2026年12月2日", (2026, 12, 2, 0, 0)),
    ],
)
def test_common_chinese_date_forms_are_read_as_beijing_time(text: str, expected: tuple[int, ...]) -> None:
    assert parse_source_time(text) == bj(*expected)


@pytest.mark.parametrize("text", ["2026年13月2日", "0001-01-01", "9999-12-31", "昨天下午", ""])
def test_impossible_or_implausible_times_are_not_times(text: str) -> None:
    assert parse_source_time(text) is None
