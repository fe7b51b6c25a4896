"""The companies' monthly ranking: each contract's month is scored as one assessment — every finding of the
month's property inspections in its alleys, against its checklist version, with the item and category caps — then
the measures the platform keeps add or take points, the scores are ranked, and the fee rules say what is withheld.
Everything behind a score is kept, so that the ranking can be reconciled line by line with its findings."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from jiexiang.core.errors import InvalidInput
from jiexiang.core.time import WorkCalendar, to_local
from jiexiang.domains.accounts.service import Scope
from jiexiang.domains.cases.assessment import assess, period_bounds
from jiexiang.domains.cases.models import Case
from jiexiang.domains.hotline.queries import period_rates
from jiexiang.domains.hotline.rules import load_rules as hotline_rules
from jiexiang.domains.places.models import Alley
from jiexiang.domains.stewardship import checklists
from jiexiang.domains.stewardship.checklists import FULL_MARKS
from jiexiang.domains.stewardship.enums import ChecklistKind
from jiexiang.domains.stewardship.models import Contract, Inspection, InspectionFinding
from jiexiang.domains.stewardship.rules import AssessmentRules, FeeBand
from jiexiang.domains.stewardship.scoring import Finding, Score, deduction, score
from jiexiang.domains.waste.queries import sorting_rates


@dataclass(frozen=True)
class MeasureResult:
    code: str
    name: str
    about: str
    rate: float | None
    count: int
    points: int


@dataclass(frozen=True)
class FindingLine:
    """One finding as the month counts it, before any cap."""

    inspection_id: int
    at: datetime
    alley: str
    item: str
    count: int
    after_complaint: bool
    deduction: int  # the item's deduction × 2 after a complaint × count
    fixed_at: datetime | None
    case_id: int | None


@dataclass(frozen=True)
class ContractMonth:
    contract: Contract
    inspections: int
    findings: tuple[FindingLine, ...]
    checklist: Score
    measures: tuple[MeasureResult, ...]
    score: int
    rank: int  # 0 until ranked
    fee_band: FeeBand | None
    withheld: Decimal

    @property
    def measure_points(self) -> int:
        return sum(m.points for m in self.measures)


def month_bounds(month: str) -> tuple[datetime, datetime, date, date]:
    """[start, end) in UTC of a local month written "2026-11", and its first and last day."""
    if len(month) != 7:
        raise InvalidInput(f"月份“{month}”格式不对，应如 2026-11", code="bad_period")
    start, end = period_bounds(month)
    return start, end, to_local(start).date(), to_local(end).date() - timedelta(days=1)


def monthly_ranking(
    session: Session, *, month: str, rules: AssessmentRules, calendar: WorkCalendar
) -> list[ContractMonth]:
    """Every contract in force during `month`, best score first (equal scores share a rank)."""
    start, end, first_day, last_day = month_bounds(month)
    contracts = session.scalars(
        select(Contract).where(Contract.starts_on <= last_day, Contract.ends_on >= first_day).order_by(Contract.code)
    ).all()
    months = sorted(
        (_contract_month(session, c, _Month(month, start, end, rules, calendar)) for c in contracts),
        key=lambda m: (-m.score, m.contract.code),
    )
    ranked: list[ContractMonth] = []
    for position, scored in enumerate(months, start=1):
        tied = ranked[-1] if ranked and ranked[-1].score == scored.score else None
        band, withheld = rules.fee_effect(scored.score, scored.contract.monthly_fee)
        ranked.append(replace(scored, rank=tied.rank if tied else position, fee_band=band, withheld=withheld))
    return ranked


@dataclass(frozen=True)
class _Month:
    name: str  # "2026-11"
    start: datetime  # [start, end) in UTC
    end: datetime
    rules: AssessmentRules
    calendar: WorkCalendar


def _contract_month(session: Session, contract: Contract, month: _Month) -> ContractMonth:
    """The month scored, not yet ranked."""
    start, end = month.start, month.end
    checklist = checklists.version_of(ChecklistKind.property, contract.checklist_version)
    rows = session.execute(
        select(InspectionFinding, Inspection.at, Alley.name)
        .join(Inspection, Inspection.id == InspectionFinding.inspection_id)
        .join(Alley, Alley.id == Inspection.alley_id)
        .where(Inspection.contract_id == contract.id, Inspection.at >= start, Inspection.at < end)
        .order_by(Inspection.at, InspectionFinding.id)
    ).all()
    inspections = session.scalar(
        select(func.count(Inspection.id)).where(
            Inspection.contract_id == contract.id, Inspection.at >= start, Inspection.at < end
        )
    )
    lines = []
    for finding, at, alley in rows:
        found = checklist.item(finding.item)
        counted = Finding(finding.item, finding.count, finding.after_complaint)
        lines.append(
            FindingLine(
                finding.inspection_id,
                at,
                alley,
                finding.item,
                finding.count,
                finding.after_complaint,
                deduction(found[1], counted) if found else 0,
                finding.fixed_at,
                finding.case_id,
            )
        )
    result = score(checklist, [Finding(f.item, f.count, f.after_complaint) for f in lines])
    measures = tuple(_measures(session, contract, month))
    total = max(0, min(FULL_MARKS, result.score + sum(m.points for m in measures)))
    return ContractMonth(contract, inspections or 0, tuple(lines), result, measures, total, 0, None, Decimal(0))


def _measures(session: Session, contract: Contract, month: _Month) -> list[MeasureResult]:
    start, end = month.start, month.end
    alleys = Scope(alley_ids=frozenset(a.alley_id for a in contract.alleys))
    company = Scope(unit_id=contract.unit_id)
    rates: dict[str, tuple[float | None, int]] = {}
    handled = session.execute(
        select(
            func.count(Case.id),
            func.count(Case.id).filter(or_(Case.handle_due_at.is_(None), Case.feedback_at <= Case.handle_due_at)),
        ).where(Case.handling_unit_id == contract.unit_id, Case.feedback_at >= start, Case.feedback_at < end)
    ).one()
    rates["handled_on_time"] = (handled[1] / handled[0] if handled[0] else None, handled[0])
    cases = next(iter(assess(session, start=start, end=end, by="unit", calendar=month.calendar, scope=company)), None)
    rates["closed_on_time"] = (cases.on_time_close_rate, cases.due) if cases else (None, 0)
    _, hotline = period_rates(
        session, period=month.name, by="subdistrict", scope=alleys, scoring=hotline_rules().scoring
    )
    answered = hotline.satisfied + hotline.basically + hotline.unsatisfied if hotline else 0
    rates["hotline_satisfaction"] = (hotline.satisfy_rate if hotline else None, answered)
    sorting = sorting_in(session, alleys.alley_ids, start=start, end=end - timedelta(microseconds=1))
    rates["sorting_participation"] = (sorting["participation_rate"], sorting["households"])
    results = []
    for measure in month.rules.measures:
        rate, count = rates.get(measure.code, (None, 0))
        results.append(
            MeasureResult(measure.code, measure.name, measure.about, rate, count, measure.points(rate, count))
        )
    return results


def sorting_in(session: Session, alley_ids: frozenset[int], *, start: datetime, end: datetime) -> dict[str, Any]:
    """Garbage sorting in a company's alleys from `start` to `end` (both included), added up over its alleys: the
    households holding a card, those that handed over a bag, the bags and those sorted right, and the two rates."""
    rows = sorting_rates(session, scope=Scope(alley_ids=alley_ids), by="alley", start=start, end=end)
    total = {key: sum(row[key] for row in rows) for key in ("households", "participating", "deposits", "correct")}
    return total | {
        "participation_rate": total["participating"] / total["households"] if total["households"] else None,
        "correct_rate": total["correct"] / total["deposits"] if total["deposits"] else None,
    }
