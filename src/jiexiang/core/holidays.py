"""The statutory days off of any year (全国年节及纪念日放假办法, from `calendars/statutory.toml`): what a year's
working calendar is, provisionally, until the State Council publishes the year's official schedule."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

from lunar_python import Lunar, Solar

FIRST_YEAR, LAST_YEAR = 2000, 2199  # the rules' first version; lunar and solar-term tables are sound well past the end


@dataclass(frozen=True)
class DayOff:
    day: date
    name: str
    made_up: bool = False  # 补假: a statutory day that fell on a weekend or another holiday, given here instead


@cache
def _versions() -> list[dict[str, Any]]:
    text = (resources.files("jiexiang.core") / "calendars" / "statutory.toml").read_text("utf-8")
    return sorted(tomllib.loads(text)["version"], key=lambda v: int(v["since"]))


def _first_day(year: int, rule: dict[str, Any]) -> date:
    if "solar" in rule:
        month, day = (int(x) for x in rule["solar"].split("-"))
        first = date(year, month, day)
    elif "lunar" in rule:
        month, day = (int(x) for x in rule["lunar"].split("-"))
        solar = Lunar.fromYmd(year, month, day).getSolar()
        first = date(solar.getYear(), solar.getMonth(), solar.getDay())
    else:
        # The lunar year that holds June holds the solar terms of the Gregorian year's spring (清明 is in April).
        term = Solar.fromYmd(year, 6, 1).getLunar().getJieQiTable()[rule["solar_term"]]
        first = date(term.getYear(), term.getMonth(), term.getDay())
    return first + timedelta(days=int(rule.get("offset", 0)))


def statutory_days_off(year: int) -> list[DayOff]:
    """The year's days off by law: each holiday's own days, and 补假 for those that fell on a Saturday, a Sunday
    or another holiday (on the next weekday after it that is not itself a holiday). No 调休: only the official
    notice moves working days. Raises ValueError for a year the rules do not cover."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"no statutory holiday rules for {year}")
    version = [v for v in _versions() if int(v["since"]) <= year][-1]
    statutory = sorted(
        (_first_day(year, rule) + timedelta(days=n), order, rule["name"])
        for order, rule in enumerate(version["holidays"])
        for n in range(int(rule["days"]))
    )
    off: dict[date, DayOff] = {}
    owed: list[tuple[date, str]] = []
    for day, _, name in statutory:
        if day.weekday() >= 5 or day in off:
            owed.append((day, name))
        off.setdefault(day, DayOff(day, name))
    for day, name in owed:
        substitute = day + timedelta(days=1)
        while substitute.weekday() >= 5 or substitute in off:
            substitute += timedelta(days=1)
        off[substitute] = DayOff(substitute, name, made_up=True)
    return sorted(off.values(), key=lambda d: d.day)
