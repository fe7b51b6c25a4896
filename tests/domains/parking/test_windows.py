"""Daily windows: parsing, crossing midnight, and the working calendar's holidays and make-up working days."""

from __future__ import annotations

from datetime import datetime

import pytest

from jiexiang.core.errors import InvalidInput
from jiexiang.core.time import BEIJING, WorkCalendar
from jiexiang.domains.parking.enums import DayPattern
from jiexiang.domains.parking.windows import Claim, Window

CALENDAR = WorkCalendar.load(working_hours="08:30-12:00,13:30-17:30")
NIGHTS = Window.parse("18:30-07:30", DayPattern.workdays)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BEIJING)


def test_parsing_reads_minutes_and_names_what_is_wrong() -> None:
    assert (NIGHTS.start, NIGHTS.end, NIGHTS.crosses_midnight) == (18 * 60 + 30, 7 * 60 + 30, True)
    assert Window.parse("00:00-24:00").all_day
    assert Window.parse("8:00～12:00") == Window(480, 720)
    assert NIGHTS.label() == "工作日 18:30–次日07:30"
    assert NIGHTS.open_minutes() == 13 * 60
    for bad in ("25:00-07:00", "18:30-18:30", "晚上", "18:60-07:00", "00:00-24:30"):
        with pytest.raises(InvalidInput, match="时段"):
            Window.parse(bad)


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        ("2026-11-27T19:00", True),  # Friday evening, a working day
        ("2026-11-28T06:00", True),  # Saturday morning: still Friday's window
        ("2026-11-28T07:30", False),  # it ends at 07:30
        ("2026-11-28T19:00", False),  # Saturday evening: a rest day
        ("2026-11-30T06:00", False),  # Monday morning belongs to Sunday night
        ("2026-11-30T18:29", False),
        ("2026-11-30T18:30", True),
        ("2026-01-02T19:00", False),  # Friday 2 January: 元旦 holiday
        ("2026-01-04T19:00", True),  # Sunday 4 January: a make-up working day (调休上班)
        ("2026-01-05T06:00", True),  # …whose window runs into Monday morning
    ],
)
def test_a_workday_night_window_on_the_calendar(moment: str, is_open: bool) -> None:
    assert NIGHTS.is_open(at(moment), CALENDAR) is is_open


def test_rest_day_and_same_day_windows() -> None:
    weekends = Window.parse("08:00-20:00", DayPattern.rest_days)
    assert weekends.is_open(at("2026-11-28T10:00"), CALENDAR)
    assert not weekends.is_open(at("2026-11-27T10:00"), CALENDAR)
    assert weekends.is_open(at("2026-01-02T10:00"), CALENDAR)  # a holiday is a rest day
    assert Window().is_open(at("2026-11-27T03:00"), CALENDAR)


def test_claims_never_let_a_crossing_window_share_a_space_by_kind_of_day() -> None:
    # Same-day windows claim only their kind of day: a weekday and a weekend permit may share a space.
    assert Window.parse("08:00-18:00", DayPattern.workdays).claims() == [Claim(480, 1080, 0, 1)]
    assert Window.parse("08:00-18:00", DayPattern.rest_days).claims() == [Claim(480, 1080, 1, 2)]
    # Friday night's window runs into Saturday: it claims both pieces on every kind of day.
    assert NIGHTS.claims() == [Claim(1110, 1440, 0, 2), Claim(0, 450, 0, 2)]
    assert Window.parse("18:00-00:00").claims() == [Claim(1080, 1440, 0, 2)]
