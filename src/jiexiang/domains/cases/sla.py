"""Deadlines (处置时限) per category from data/sla.toml, counted on the working calendar, and the one
definition of "overdue"."""

from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cache
from importlib import resources

from sqlalchemy import ColumnElement, SQLColumnExpression, and_, or_
from sqlalchemy import case as sql_case

from jiexiang.core.time import CalendarYearUnknown, WorkCalendar, to_local
from jiexiang.domains.cases.enums import FINISHED, CaseStatus
from jiexiang.domains.cases.models import Case
from jiexiang.domains.cases.stages import STAGE_DEADLINE, TRANSITIONS
from jiexiang.domains.cases.taxonomy import Category, load_taxonomy

log = logging.getLogger(__name__)


class LimitUnit(StrEnum):
    urgent_hours = "urgent_hours"
    working_hours = "working_hours"
    working_days = "working_days"
    calendar_days = "calendar_days"


UNIT_LABELS = {
    LimitUnit.urgent_hours: "紧急工作时",
    LimitUnit.working_hours: "工作时",
    LimitUnit.working_days: "工作日",
    LimitUnit.calendar_days: "自然日",
}


@dataclass(frozen=True)
class Limit:
    amount: float
    unit: LimitUnit

    @classmethod
    def parse(cls, text: str) -> Limit:
        amount, unit = text.split()
        limit = cls(float(amount), LimitUnit(unit))
        if limit.amount <= 0 or (limit.unit is LimitUnit.working_days and not limit.amount.is_integer()):
            raise ValueError(f"bad limit {text!r}")
        return limit

    def label(self) -> str:
        return f"{self.amount:g} {UNIT_LABELS[self.unit]}"

    def due(self, start: datetime, calendar: WorkCalendar) -> datetime | None:
        """When this limit runs out for something that started at `start` (on a provisional calendar for a year
        without the official notice); None only for a year no rules cover (unknown rather than wrong)."""
        try:
            if self.unit is LimitUnit.urgent_hours:
                return start + timedelta(hours=self.amount)
            if self.unit is LimitUnit.calendar_days:
                return start + timedelta(days=self.amount)
            if self.unit is LimitUnit.working_hours:
                return calendar.add_working_hours(start, self.amount)
            return calendar.add_workdays(start, int(self.amount))
        except CalendarYearUnknown:
            log.warning(
                "%s from %s runs past the years the working calendar can count: deadline left open",
                self.label(),
                start.date(),
            )
            return None


@dataclass(frozen=True)
class Policy:
    register: Limit
    handle: Limit
    close: Limit


@cache
def _policies() -> tuple[dict[str, str], dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    data = tomllib.loads((resources.files("jiexiang.domains.cases") / "data" / "sla.toml").read_text("utf-8"))
    return dict(data["default"]), dict(data.get("group", {})), dict(data.get("category", {}))


def policy_for(category: Category) -> Policy:
    default, groups, categories = _policies()
    merged = dict(default) | groups.get(category.group or "", {}) | categories.get(category.code, {})
    return Policy(*(Limit.parse(merged[stage]) for stage in ("register", "handle", "close")))


_COLUMNS = {"register": Case.register_due_at, "handle": Case.handle_due_at, "close": Case.close_due_at}


def _stages_with(deadline: str) -> list[CaseStatus]:
    return [status for status, running in STAGE_DEADLINE.items() if running == deadline]


def overdue(now: datetime) -> ColumnElement[bool]:
    """SQL condition: the case has missed the deadline of the stage it is in (or its closing deadline)."""
    return and_(
        Case.status.not_in(FINISHED),
        or_(
            *(
                and_(Case.status.in_(_stages_with(deadline)), _COLUMNS[deadline] < now)
                for deadline in sorted(set(STAGE_DEADLINE.values()))
            ),
            Case.close_due_at < now,
        ),
    )


def _earlier(
    a: SQLColumnExpression[datetime | None], b: SQLColumnExpression[datetime | None]
) -> ColumnElement[datetime | None]:
    return sql_case((a.is_(None), b), (b.is_(None), a), (a < b, a), else_=b)


def current_deadline_sql() -> ColumnElement[datetime | None]:
    """`current_deadline` as an SQL expression, to sort the case desk by what is due first."""
    return sql_case(
        (Case.status.in_(FINISHED), None),
        *(
            (Case.status.in_(_stages_with(deadline)), _earlier(_COLUMNS[deadline], Case.close_due_at))
            for deadline in sorted(set(STAGE_DEADLINE.values()))
        ),
        else_=Case.close_due_at,
    )


def current_deadline(case: Case) -> datetime | None:
    """The deadline that matters now: the one of its stage (立案 while reported, 处置 while with a unit) or 结案,
    whichever comes first; none when done."""
    return _current(case)[0]


def _current(case: Case) -> tuple[datetime | None, str | None]:
    """The current deadline and the stage ("register", "handle", "close") whose limit it is."""
    if case.status in FINISHED:
        return None, None
    due = _deadlines(case)
    running = STAGE_DEADLINE.get(case.status)
    candidates = [(running, due[running])] if running else []
    known = [(at, deadline) for deadline, at in [*candidates, ("close", due["close"])] if at is not None]
    return min(known, key=lambda pair: pair[0]) if known else (None, None)


def _deadlines(case: Case) -> dict[str, datetime | None]:
    return {"register": case.register_due_at, "handle": case.handle_due_at, "close": case.close_due_at}


def provisional_stages(case: Case, calendar: WorkCalendar) -> list[str]:
    """The stages whose deadline was counted on a provisional calendar: working time in a year without the
    official notice (clock hours and calendar days do not depend on it)."""
    category = load_taxonomy().categories.get(case.category_code)
    if category is None:
        return []
    policy = policy_for(category)
    return [
        stage
        for stage, due in _deadlines(case).items()
        if due is not None
        and getattr(policy, stage).unit in (LimitUnit.working_hours, LimitUnit.working_days)
        and calendar.is_provisional(to_local(due).year)
    ]


def current_deadline_provisional(case: Case, calendar: WorkCalendar) -> bool:
    stage = _current(case)[1]
    return stage is not None and stage in provisional_stages(case, calendar)


def recomputed_deadlines(case: Case, calendar: WorkCalendar) -> dict[str, datetime | None]:
    """The deadlines as `calendar` counts them, replaying how they were set: 立案 and 结案 from the report,
    处置 from each 派遣 and then one more period for each 延期 (from the deadline then, or from the 延期 if later).
    Needs the case's events loaded."""
    policy = policy_for(load_taxonomy().categories[case.category_code])
    handle: datetime | None = None
    for event in case.events:
        rule = TRANSITIONS.get(event.action)
        if rule is not None and rule.handle_deadline == "start":
            handle = policy.handle.due(event.at, calendar)
        elif rule is not None and rule.handle_deadline == "extend":
            handle = policy.handle.due(max(handle or event.at, event.at), calendar)
    return {
        "register": policy.register.due(case.reported_at, calendar),
        "handle": handle,
        "close": policy.close.due(case.reported_at, calendar),
    }
