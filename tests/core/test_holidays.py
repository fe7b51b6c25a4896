"""The statutory days off, checked against the State Council's official schedules of 2025 and 2026: every
statutory day (and its 补假) is a day off in the official schedule too."""

from __future__ import annotations

from datetime import date

import pytest

from jiexiang.core.holidays import statutory_days_off
from jiexiang.core.time import WorkCalendar


@pytest.mark.parametrize("year", [2025, 2026])
def test_statutory_days_are_days_off_in_the_official_schedule(year: int) -> None:
    official = WorkCalendar.load(working_hours="08:30-17:30")
    assert not official.is_provisional(year)
    for off in statutory_days_off(year):
        assert not official.is_workday(off.day), off


def test_lunar_holidays_and_the_clear_brightness_term() -> None:
    days = {off.day: off.name for off in statutory_days_off(2027)}
    assert [d for d, n in days.items() if n == "春节"][:4] == [date(2027, 2, d) for d in (5, 6, 7, 8)]  # 除夕 2-5
    assert days[date(2027, 4, 5)] == "清明节"
    assert days[date(2027, 6, 9)] == "端午节"
    assert days[date(2027, 9, 15)] == "中秋节"


def test_days_falling_on_a_weekend_or_another_holiday_are_made_up_on_the_next_weekday() -> None:
    made_up = {(off.day, off.name) for off in statutory_days_off(2028) if off.made_up}
    # 元旦 on Saturday → Monday; 国庆 starts on Sunday and 中秋 falls on 10-03 → two days after the block.
    assert made_up == {
        (date(2028, 1, 3), "元旦"),
        (date(2028, 5, 29), "端午节"),  # 端午 on Sunday 5-28
        (date(2028, 10, 4), "国庆节"),
        (date(2028, 10, 5), "国庆节"),
    }


def test_the_rules_in_force_each_year() -> None:
    assert sum(off.name == "劳动节" and not off.made_up for off in statutory_days_off(2024)) == 1
    assert sum(off.name == "劳动节" and not off.made_up for off in statutory_days_off(2025)) == 2
    with pytest.raises(ValueError, match="1999"):
        statutory_days_off(1999)
