"""The assessment indicators (考核指标) of case handling for a period, by handling unit, community, alley and
category, with a composite score and an A–E grade whose weights and thresholds are data (assessment.toml).

Definitions, once:
- 立案数: cases registered in the period; 应结案数: registered cases whose closing deadline falls in it;
- 结案数: cases closed in it; 按期结案数: of those, closed by their closing deadline;
- 返工数 / 延期数: rework / extension events in the period;
- 结案率 = 结案数 / 应结案数, 按期结案率 = 按期结案数 / 应结案数 (both capped at 1), 返工率 = 返工数 / 结案数;
- 平均处置时长: mean working hours from 派遣 to 处置反馈 of the cases closed in the period.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from jiexiang.core.errors import InvalidInput
from jiexiang.core.time import BEIJING, CalendarYearUnknown, WorkCalendar
from jiexiang.domains.accounts.service import Scope
from jiexiang.domains.cases.enums import Action
from jiexiang.domains.cases.models import Case, CaseEvent
from jiexiang.domains.cases.scopes import visible
from jiexiang.domains.cases.taxonomy import load_taxonomy

Dimension = Literal["unit", "community", "alley", "category"]
DIMENSIONS: tuple[Dimension, ...] = ("unit", "community", "alley", "category")


@dataclass
class Indicators:
    key: str | None  # unit / community / alley id, or category code; None = not set
    name: str
    registered: int = 0
    due: int = 0
    closed: int = 0
    closed_on_time: int = 0
    reworks: int = 0
    extensions: int = 0
    _handling_hours: list[float] = field(default_factory=list, repr=False)

    @property
    def close_rate(self) -> float | None:
        return min(1.0, self.closed / self.due) if self.due else None

    @property
    def on_time_close_rate(self) -> float | None:
        return min(1.0, self.closed_on_time / self.due) if self.due else None

    @property
    def rework_rate(self) -> float | None:
        return self.reworks / self.closed if self.closed else None

    @property
    def mean_handling_hours(self) -> float | None:
        return sum(self._handling_hours) / len(self._handling_hours) if self._handling_hours else None

    @property
    def score(self) -> float | None:
        weights, _ = _policy()
        parts = {
            "close_rate": self.close_rate,
            "on_time_close_rate": self.on_time_close_rate,
            "rework_rate": None if self.rework_rate is None else 1 - min(1.0, self.rework_rate),
        }
        known = {k: v for k, v in parts.items() if v is not None}
        if not known:
            return None
        total = sum(weights[k] for k in known)
        return round(100 * sum(weights[k] * v for k, v in known.items()) / total, 1)

    @property
    def grade(self) -> str | None:
        if self.score is None:
            return None
        _, grades = _policy()
        return next((g for g, lowest in grades if self.score >= lowest), "E")


@cache
def _policy() -> tuple[dict[str, float], list[tuple[str, float]]]:
    data = tomllib.loads((resources.files("jiexiang.domains.cases") / "data" / "assessment.toml").read_text("utf-8"))
    grades = sorted(((g, float(v)) for g, v in data["grades"].items()), key=lambda item: -item[1])
    return {k: float(v) for k, v in data["weights"].items()}, grades


def assess(
    session: Session,
    *,
    start: datetime,
    end: datetime,
    by: Dimension,
    calendar: WorkCalendar,
    scope: Scope,
) -> list[Indicators]:
    """Indicators for [start, end) grouped by `by`, largest workload first, over the cases in `scope`."""
    rows: dict[str | None, Indicators] = {}

    def bucket(case: Case) -> Indicators:
        key, name = _key(case, by)
        if key not in rows:
            rows[key] = Indicators(key, name)
        return rows[key]

    def within(moment: datetime | None) -> bool:
        return moment is not None and start <= moment < end

    cases = session.scalars(
        select(Case).where(
            visible(scope),
            or_(
                Case.registered_at.between(start, end),
                Case.close_due_at.between(start, end),
                Case.closed_at.between(start, end),
            ),
        )
    )
    for case in cases:
        row = bucket(case)
        if within(case.registered_at):
            row.registered += 1
        if case.registered_at is not None and within(case.close_due_at):
            row.due += 1
        if within(case.closed_at):
            row.closed += 1
            if case.close_due_at is None or (case.closed_at is not None and case.closed_at <= case.close_due_at):
                row.closed_on_time += 1
            if case.dispatched_at is not None and case.feedback_at is not None:
                try:
                    hours = calendar.working_time_between(case.dispatched_at, case.feedback_at).total_seconds()
                    row._handling_hours.append(hours / 3600)
                except CalendarYearUnknown:
                    pass
    events = session.execute(
        select(CaseEvent.action, Case)
        .join(Case, Case.id == CaseEvent.case_id)
        .where(
            visible(scope),
            CaseEvent.action.in_([Action.rework, Action.extend]),
            CaseEvent.at >= start,
            CaseEvent.at < end,
        )
    )
    for action, case in events:
        row = bucket(case)
        if action is Action.rework:
            row.reworks += 1
        else:
            row.extensions += 1
    return sorted(rows.values(), key=lambda r: (-(r.registered + r.due + r.closed), r.name))


def _key(case: Case, by: Dimension) -> tuple[str | None, str]:
    if by == "unit":
        return (
            str(case.handling_unit_id) if case.handling_unit_id else None,
            case.handling_unit.name if case.handling_unit else "（未派遣）",
        )
    if by == "community":
        return (
            str(case.community_id) if case.community_id else None,
            case.community.name if case.community else "（未定位）",
        )
    if by == "alley":
        return (str(case.alley_id) if case.alley_id else None, case.alley.name if case.alley else "（未定位）")
    category = load_taxonomy().categories.get(case.category_code)
    return case.category_code, category.name if category else case.category_code


DIMENSION_LABELS: dict[Dimension, str] = {"unit": "处置单位", "community": "社区", "alley": "街巷", "category": "类别"}
HEADER = [
    "立案数",
    "应结案数",
    "结案数",
    "按期结案数",
    "返工数",
    "延期数",
    "结案率",
    "按期结案率",
    "返工率",
    "平均处置时长（工作时）",
    "综合得分",
    "等级",
]


def period_bounds(period: str, *, tz: ZoneInfo = BEIJING) -> tuple[datetime, datetime]:
    """[start, end) in UTC of a local month ("2026-10") or year ("2026")."""
    try:
        if len(period) == 4:
            year = int(period)
            first, after = datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)
        else:
            year, month = (int(part) for part in period.split("-"))
            first = datetime(year, month, 1, tzinfo=tz)
            after = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=tz)
    except ValueError as exc:
        raise InvalidInput(f"考核期“{period}”格式不对，应如 2026-10 或 2026", code="bad_period") from exc
    return first.astimezone(UTC), after.astimezone(UTC)


def as_table(rows: list[Indicators], by: Dimension) -> list[list[object]]:
    """Header and rows with Chinese headers, rates as percentages, for CSV and XLSX."""

    def percent(value: float | None) -> object:
        return None if value is None else round(100 * value, 1)

    table: list[list[object]] = [[DIMENSION_LABELS[by], *HEADER]]
    for r in rows:
        hours = r.mean_handling_hours
        table.append(
            [
                r.name,
                r.registered,
                r.due,
                r.closed,
                r.closed_on_time,
                r.reworks,
                r.extensions,
                percent(r.close_rate),
                percent(r.on_time_close_rate),
                percent(r.rework_rate),
                None if hours is None else round(hours, 1),
                r.score,
                r.grade,
            ]
        )
    return table
