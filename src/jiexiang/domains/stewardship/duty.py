"""The 街巷长's monthly scorecard, from what the platform already records: the alley-days walked (from the tracking)
against those required — each of their alleys on every working day of the month so far (巡查每日一次) — the
problems they reported, the cases they verified, and their 十有十无 walks with the gaps found."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Executable, and_, func, select
from sqlalchemy.orm import Session

from jiexiang.core.time import CalendarYearUnknown, WorkCalendar
from jiexiang.domains.accounts.enums import Role
from jiexiang.domains.accounts.models import User
from jiexiang.domains.cases.enums import Action
from jiexiang.domains.cases.models import CaseEvent, Report
from jiexiang.domains.places.models import Alley
from jiexiang.domains.stewardship.enums import ChecklistKind
from jiexiang.domains.stewardship.models import Inspection, InspectionFinding
from jiexiang.domains.stewardship.ranking import month_bounds
from jiexiang.domains.workforce.models import AlleyWalk


@dataclass(frozen=True)
class ChiefMonth:
    chief: User
    alleys: int
    required_walks: int  # alley-days: each of their alleys on each working day of the month up to today
    walks: int  # alley-days one of their alleys was walked by them (tracking)
    problems_reported: int  # reports they submitted (随手拍, patrol reports)
    cases_verified: int  # cases they checked after handling (核查: closed or sent back for rework)
    patrols: int  # 十有十无 inspections they did
    gaps: int  # items short on those walks

    @property
    def walk_rate(self) -> float | None:
        return min(1.0, self.walks / self.required_walks) if self.required_walks else None


def working_days(calendar: WorkCalendar, first: date, last: date) -> int:
    """Working days from `first` to `last`; Monday to Friday for a year the calendar does not know yet."""
    try:
        return sum(1 for _ in calendar.workdays_in(first, last))
    except CalendarYearUnknown:
        return sum(1 for n in range((last - first).days + 1) if (first + timedelta(days=n)).weekday() < 5)


def scorecards(
    session: Session, *, month: str, today: date, calendar: WorkCalendar, chief_ids: set[int] | None = None
) -> list[ChiefMonth]:
    """Every active alley chief (of `chief_ids`, when given), by name."""
    start, end, first, last = month_bounds(month)
    last = min(last, today)
    days = working_days(calendar, first, last) if first <= last else 0
    query = select(User).where(User.role == Role.alley_chief, User.is_active.is_(True)).order_by(User.full_name)
    if chief_ids is not None:
        query = query.where(User.id.in_(chief_ids))
    chiefs = list(session.scalars(query))
    ids = [c.id for c in chiefs]
    alleys = _counts(
        session,
        select(Alley.chief_id, func.count(Alley.id)).where(Alley.chief_id.in_(ids)).group_by(Alley.chief_id),
    )
    walks = _counts(
        session,
        select(AlleyWalk.user_id, func.count(AlleyWalk.id))
        .join(Alley, and_(Alley.id == AlleyWalk.alley_id, Alley.chief_id == AlleyWalk.user_id))
        .where(AlleyWalk.walked.is_(True), AlleyWalk.day >= first, AlleyWalk.day <= last, AlleyWalk.user_id.in_(ids))
        .group_by(AlleyWalk.user_id),
    )
    reported = _counts(
        session,
        select(Report.submitted_by_id, func.count(Report.id))
        .where(Report.submitted_by_id.in_(ids), Report.received_at >= start, Report.received_at < end)
        .group_by(Report.submitted_by_id),
    )
    verified = _counts(
        session,
        select(CaseEvent.actor_id, func.count(CaseEvent.id))
        .where(
            CaseEvent.actor_id.in_(ids),
            CaseEvent.action.in_([Action.verify, Action.rework]),
            CaseEvent.at >= start,
            CaseEvent.at < end,
        )
        .group_by(CaseEvent.actor_id),
    )
    their_patrols = (
        Inspection.inspector_id.in_(ids),
        Inspection.kind == ChecklistKind.patrol,
        Inspection.at >= start,
        Inspection.at < end,
    )
    patrols = _counts(
        session,
        select(Inspection.inspector_id, func.count(Inspection.id))
        .where(*their_patrols)
        .group_by(Inspection.inspector_id),
    )
    gaps = _counts(
        session,
        select(Inspection.inspector_id, func.sum(InspectionFinding.count))
        .join(InspectionFinding, InspectionFinding.inspection_id == Inspection.id)
        .where(*their_patrols)
        .group_by(Inspection.inspector_id),
    )
    return [
        ChiefMonth(
            chief=chief,
            alleys=alleys[chief.id],
            required_walks=alleys[chief.id] * days,
            walks=walks[chief.id],
            problems_reported=reported[chief.id],
            cases_verified=verified[chief.id],
            patrols=patrols[chief.id],
            gaps=gaps[chief.id],
        )
        for chief in chiefs
    ]


def _counts(session: Session, query: Executable) -> defaultdict[int, int]:
    """(who, how many) rows as a lookup that says 0 for anybody not in them."""
    counted: defaultdict[int, int] = defaultdict(int)
    for key, count in session.execute(query):
        counted[key] = int(count or 0)
    return counted
