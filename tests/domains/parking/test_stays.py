"""Minutes of a stay outside a permit's hours: across midnight, on workdays and rest days of the working calendar
(holidays and make-up working days), and past the end of the permit's term."""

from __future__ import annotations

from datetime import date, datetime

from jiexiang.core.time import BEIJING, WorkCalendar
from jiexiang.domains.parking.enums import DayPattern
from jiexiang.domains.parking.stays import Allowance, minutes_inside, minutes_outside
from jiexiang.domains.parking.windows import Window

CALENDAR = WorkCalendar.load(working_hours="08:30-12:00,13:30-17:30")
NIGHTS = Allowance(Window.parse("18:30-07:30", DayPattern.workdays), date(2026, 1, 1), date(2027, 1, 1))
ALL_DAY = Allowance(Window(), date(2026, 11, 26), date(2026, 11, 28))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BEIJING)


def test_a_night_on_a_workday_is_inside_and_the_minutes_around_it_are_not() -> None:
    # Friday 27 November is a workday: its window runs to Saturday 07:30.
    assert minutes_inside(at("2026-11-27T18:00"), at("2026-11-28T08:00"), NIGHTS, CALENDAR) == 13 * 60
    assert minutes_outside(at("2026-11-27T18:00"), at("2026-11-28T08:00"), NIGHTS, CALENDAR) == 60
    # Arriving after midnight, inside the window that opened the evening before.
    assert minutes_outside(at("2026-11-27T02:00"), at("2026-11-27T07:00"), NIGHTS, CALENDAR) == 0


def test_rest_days_and_holidays_have_no_window_but_make_up_working_days_do() -> None:
    # Saturday night: a rest day, no window at all.
    assert minutes_outside(at("2026-11-28T19:00"), at("2026-11-29T07:00"), NIGHTS, CALENDAR) == 12 * 60
    # 1 October (国庆节, a Thursday) is a holiday: no window.
    assert minutes_outside(at("2026-10-01T19:00"), at("2026-10-01T23:00"), NIGHTS, CALENDAR) == 4 * 60
    # Sunday 4 January 2026 is a make-up working day (调休上班): its night is allowed.
    assert minutes_outside(at("2026-01-04T19:00"), at("2026-01-04T23:00"), NIGHTS, CALENDAR) == 0


def test_the_term_ends_the_allowance_and_no_permit_allows_nothing() -> None:
    # All day on 26 and 27 November only; the 28th is past the term.
    assert minutes_outside(at("2026-11-26T09:00"), at("2026-11-28T10:00"), ALL_DAY, CALENDAR) == 10 * 60
    assert minutes_outside(at("2026-11-26T09:00"), at("2026-11-26T10:30"), None, CALENDAR) == 90
    assert minutes_outside(at("2026-11-26T09:00"), at("2026-11-26T09:00"), ALL_DAY, CALENDAR) == 0
