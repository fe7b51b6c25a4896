"""The installation's working calendar: the shipped years, the calendar folder and the official notices imported
into the database; importing a notice recomputes the deadlines of open cases, each change an event."""

from __future__ import annotations

import threading
import tomllib
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from jiexiang.core.config import Settings
from jiexiang.core.db import upsert
from jiexiang.core.errors import ConfigurationError, InvalidInput
from jiexiang.core.time import Clock, WorkCalendar, to_local
from jiexiang.domains.cases.enums import OPEN_STATUSES, Action
from jiexiang.domains.cases.history import record_event
from jiexiang.domains.cases.models import CalendarNotice, Case
from jiexiang.domains.cases.sla import recomputed_deadlines

STAGE_LABELS = {"register": "立案时限", "handle": "处置时限", "close": "结案时限"}
_COLUMNS = {"register": "register_due_at", "handle": "handle_due_at", "close": "close_due_at"}
WARN_FROM_MONTH = 12  # from 1 December, a next year still without its notice is worth a warning


def _notices(session: Session) -> dict[int, str]:
    return {row.year: row.content for row in session.execute(select(CalendarNotice.year, CalendarNotice.content))}


def load_calendar(session: Session, settings: Settings) -> WorkCalendar:
    """The calendar as it stands now, with every notice imported into the database."""
    return WorkCalendar.load(
        working_hours=settings.working_hours, extra_dir=settings.calendar_dir, notices=_notices(session)
    )


class CalendarCache:
    """The server's calendar, rebuilt when a notice has been imported since (by any process): one small query
    of the notices' years and times per use."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._lock = threading.Lock()
        self._signature: tuple[tuple[int, datetime], ...] | None = None
        self._calendar: WorkCalendar | None = None

    def current(self, session: Session) -> WorkCalendar:
        signature = tuple(
            (row.year, row.imported_at)
            for row in session.execute(
                select(CalendarNotice.year, CalendarNotice.imported_at).order_by(CalendarNotice.year)
            )
        )
        with self._lock:
            if self._calendar is None or signature != self._signature:
                self._calendar, self._signature = load_calendar(session, self._settings), signature
            return self._calendar


@dataclass(frozen=True)
class ImportResult:
    year: int
    replaced: bool  # a notice for the year had been imported before
    cases_changed: int


def import_notice(
    session: Session, *, text: str, file_name: str | None, settings: Settings, clock: Clock, actor_id: int | None
) -> ImportResult:
    """Store the official schedule of one year (TOML as the shipped years) and recompute the deadlines of the
    open cases it moves, each change an event in the case's history. All or nothing: a notice with any
    problem changes nothing."""
    try:
        year = tomllib.loads(text).get("year")
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"日历文件不是有效的 TOML：{exc}", code="calendar_format") from exc
    if not isinstance(year, int) or not 2000 <= year <= 2199:
        raise InvalidInput("日历文件必须写明年份，如 year = 2027", code="calendar_year")
    notices = _notices(session)
    try:
        calendar = WorkCalendar.load(
            working_hours=settings.working_hours, extra_dir=settings.calendar_dir, notices=notices | {year: text}
        )
    except ConfigurationError as exc:
        raise InvalidInput(exc.message, code="calendar_invalid") from exc
    now = clock.now()
    upsert(
        session,
        CalendarNotice,
        {"year": year, "content": text, "file_name": file_name, "imported_at": now},
        key=["year"],
    )
    changed = _recompute_open_cases(session, calendar=calendar, year=year, now=now, actor_id=actor_id)
    session.flush()
    return ImportResult(year=year, replaced=year in notices, cases_changed=changed)


def _recompute_open_cases(
    session: Session, *, calendar: WorkCalendar, year: int, now: datetime, actor_id: int | None
) -> int:
    """Deadlines that reach into `year` (or were left open) are counted again on the new calendar."""
    changed = 0
    cases = session.scalars(
        select(Case).where(Case.status.in_(OPEN_STATUSES)).options(selectinload(Case.events)).order_by(Case.id)
    )
    for case in cases:
        fresh = recomputed_deadlines(case, calendar)
        moves = []
        for stage, column in _COLUMNS.items():
            before, after = getattr(case, column), fresh[stage]
            reaches_year = before is None or to_local(before).year >= year
            if reaches_year and after != before:
                setattr(case, column, after)
                moves.append(f"{STAGE_LABELS[stage]} {_when(before)} → {_when(after)}")
        if moves:
            changed += 1
            case.updated_at = now
            note = f"{year} 年工作日历已按官方通知更新：" + "；".join(moves)
            record_event(session, case=case, action=Action.recalculate, at=now, actor_id=actor_id, note=note)
    return changed


def _when(value: datetime | None) -> str:
    return f"{to_local(value):%Y-%m-%d %H:%M}" if value is not None else "未定"


@dataclass(frozen=True)
class YearSchedule:
    year: int
    official: bool
    days_off: list[tuple[date, str]]
    make_up_days: list[date]


def schedule(calendar: WorkCalendar, *, year: int) -> YearSchedule:
    if not 2000 <= year <= 2199:
        raise InvalidInput("年份应在 2000–2199 之间", code="calendar_year")
    return YearSchedule(
        year=year,
        official=not calendar.is_provisional(year),
        days_off=calendar.days_off(year),
        make_up_days=calendar.make_up_days(year),
    )


def warning(calendar: WorkCalendar, *, today: date) -> str | None:
    """From 1 December: a warning when next year has no official notice yet (its deadlines are provisional)."""
    following = today.year + 1
    if today.month < WARN_FROM_MONTH or not calendar.is_provisional(following):
        return None
    return (
        f"{following} 年的节假日安排尚未导入：该年的处置时限按法定节假日暂定（未含调休）。"
        f"国务院办公厅通知发布后，请运行 jiexiang calendar import 导入。"
    )
