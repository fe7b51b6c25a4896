"""Reading proactive work (主动治理): the tasks in the account's scope, what each did to the tickets around it
(`effect`), and 每月一题 — the topic × community pairs most worth a campaign this month, by last month's volume,
its growth over the three months before, and how often callers were left unsatisfied."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_, select, true
from sqlalchemy.orm import Session

from jiexiang.core.db import locked
from jiexiang.core.errors import NotFound
from jiexiang.core.geo import h3_parent
from jiexiang.domains.accounts.service import Scope
from jiexiang.domains.cases.assessment import period_bounds
from jiexiang.domains.cases.models import Case, Report
from jiexiang.domains.cases.taxonomy import load_taxonomy
from jiexiang.domains.hotline.effect import Counts, Effect, estimate
from jiexiang.domains.hotline.enums import CallbackSource, Satisfaction, TaskOrigin, TaskStatus
from jiexiang.domains.hotline.models import Callback, ProactiveTask, Ticket
from jiexiang.domains.hotline.queries import shift_month, visible
from jiexiang.domains.places.models import Community

WEEKS = 8  # the windows before and after a task that its effect compares
MONTHLY_RESOLUTION = 9
MONTHLY_MIN_TICKETS = 3


def visible_tasks(scope: Scope) -> ColumnElement[bool]:
    """A unit-limited account sees its unit's tasks; a place-limited one the tasks of its communities."""
    conditions: list[ColumnElement[bool]] = []
    if scope.unit_id is not None:
        conditions.append(ProactiveTask.owner_unit_id == scope.unit_id)
    if scope.limited_to_places:
        conditions.append(ProactiveTask.community_id.in_(scope.community_ids))
    return and_(true(), *conditions)


def get_task(session: Session, *, task_id: int, scope: Scope, lock: bool = False) -> ProactiveTask:
    query = select(ProactiveTask).where(ProactiveTask.id == task_id, visible_tasks(scope))
    task = session.scalars(locked(query) if lock else query).first()
    if task is None:
        raise NotFound(f"主动治理任务 {task_id} 不存在", code="task_not_found")
    return task


def tasks(scope: Scope, *, status: TaskStatus | None = None, month: str | None = None) -> Select[Any]:
    query = select(ProactiveTask).where(visible_tasks(scope))
    if status is not None:
        query = query.where(ProactiveTask.status == status)
    if month is not None:
        query = query.where(ProactiveTask.month == month)
    return query.order_by(ProactiveTask.status, ProactiveTask.due_at, ProactiveTask.id)


# ---- effect ---------------------------------------------------------------------------------------


def measured_from(task: ProactiveTask) -> datetime | None:
    """When the weeks after a finished task are all in."""
    return task.finished_at + timedelta(weeks=WEEKS) if task.finished_at else None


def _in_topic(topic: str | None) -> ColumnElement[bool]:
    if topic is None:
        return true()
    group = load_taxonomy().in_group(topic)
    return Case.category_code.in_([c.code for c in group] if group else [topic])


def measure(session: Session, task: ProactiveTask, *, now: datetime) -> Effect | None:
    """The task's difference in differences, once its weeks after are all in (None before, or without data)."""
    ready = measured_from(task)
    if task.status is not TaskStatus.done or ready is None or ready > now or task.finished_at is None:
        return None
    window = timedelta(weeks=WEEKS)
    # Three windows per cell: the weeks before the weeks before the task, the weeks before it, the weeks after it.
    starts = (task.created_at - 2 * window, task.created_at - window, task.finished_at)
    resolution = task.h3_resolution
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    rows = session.execute(
        select(Ticket.dispatched_at, Case.h3_cell)
        .join(Report, Report.id == Ticket.report_id)
        .join(Case, Case.id == Report.case_id)
        .where(
            Ticket.repeat_of_id.is_(None),
            Case.h3_cell.is_not(None),
            _in_topic(task.topic),
            or_(*(and_(Ticket.dispatched_at >= start, Ticket.dispatched_at < start + window) for start in starts)),
        )
    )
    for dispatched_at, cell in rows:
        if cell is None:
            continue
        which = next(i for i, start in enumerate(starts) if start <= dispatched_at < start + window)
        counts[h3_parent(cell, resolution)][which] += 1
    worked = set(task.cells)
    touched = worked | _cells_of_other_tasks(session, task, start=starts[0], end=starts[2] + window)
    treated = {cell: _counts(counts.get(cell, [0, 0, 0])) for cell in worked}
    untouched = {cell: _counts(windows) for cell, windows in counts.items() if cell not in touched}
    return estimate(treated, untouched)


def _counts(windows: list[int]) -> Counts:
    earlier, before, after = windows
    return Counts(before=before, after=after, earlier=earlier)


def _cells_of_other_tasks(session: Session, task: ProactiveTask, *, start: datetime, end: datetime) -> set[str]:
    """Cells other tasks worked on during the windows (at this task's resolution): not fair controls."""
    others = session.scalars(
        select(ProactiveTask).where(
            ProactiveTask.id != task.id,
            ProactiveTask.status != TaskStatus.cancelled,
            ProactiveTask.created_at < end,
            or_(ProactiveTask.finished_at.is_(None), ProactiveTask.finished_at > start),
        )
    )
    cells: set[str] = set()
    for other in others:
        for cell in other.cells:
            if other.h3_resolution >= task.h3_resolution:
                cells.add(h3_parent(cell, task.h3_resolution))
            else:
                cells.add(cell)  # a coarser cell: its children are not listed; compared as they are
    return cells


@dataclass(frozen=True)
class EffectSummary:
    tasks: int
    estimate: float | None
    low: float | None
    high: float | None


def effect_summary(session: Session, *, scope: Scope, now: datetime) -> EffectSummary:
    """All measured tasks together: the sum of their effects, and an interval as if they were independent."""
    effects = [
        found
        for task in session.scalars(tasks(scope, status=TaskStatus.done))
        if (found := measure(session, task, now=now)) is not None
    ]
    if not effects:
        return EffectSummary(0, None, None, None)
    total = sum(e.estimate for e in effects)
    se = math.sqrt(sum(((e.high - e.low) / (2 * 1.96)) ** 2 for e in effects))
    return EffectSummary(len(effects), total, total - 1.96 * se, total + 1.96 * se)


# ---- 每月一题 -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthlyTopic:
    topic: str
    topic_name: str
    community_id: int | None
    community_name: str
    tickets: int
    baseline: float
    growth: float | None
    unsatisfied_share: float | None
    score: float
    cells: list[str]
    suggested_unit_id: int | None
    reason: str
    adopted_task_id: int | None


def monthly_topics(session: Session, *, month: str, scope: Scope, limit: int = 5) -> list[MonthlyTopic]:
    """The `limit` topic × community pairs most worth a campaign in `month`, from the month before it:
    ranked by volume (half the weight), growth over the three months before (smoothed by one ticket) and the
    share of callers left unsatisfied (a quarter each), each as a percentile among the pairs with a few tickets."""
    period_bounds(month)  # refuses a malformed month, in Chinese
    last_start, last_end = period_bounds(shift_month(month, -1))
    base_start, _ = period_bounds(shift_month(month, -4))
    taxonomy = load_taxonomy()
    rows = session.execute(
        select(
            Ticket.id,
            Ticket.dispatched_at,
            Case.category_code,
            Case.community_id,
            Case.h3_cell,
            Case.handling_unit_id,
            Callback.satisfaction,
        )
        .join(Report, Report.id == Ticket.report_id)
        .join(Case, Case.id == Report.case_id)
        .outerjoin(Callback, and_(Callback.ticket_id == Ticket.id, Callback.source == CallbackSource.city))
        .where(
            visible(scope),
            Ticket.repeat_of_id.is_(None),
            Ticket.dispatched_at >= base_start,
            Ticket.dispatched_at < last_end,
        )
    )
    recent: dict[tuple[str, int | None], list[tuple[str | None, int | None, Satisfaction | None]]] = defaultdict(list)
    earlier: Counter[tuple[str, int | None]] = Counter()
    for _, dispatched_at, code, community_id, cell, unit_id, satisfaction in rows:
        category = taxonomy.categories.get(code)
        key = ((category.group if category and category.group else code), community_id)
        if dispatched_at >= last_start:
            recent[key].append((cell, unit_id, satisfaction))
        else:
            earlier[key] += 1
    candidates = []
    for key, items in recent.items():
        if len(items) < MONTHLY_MIN_TICKETS:
            continue
        baseline = earlier[key] / 3
        answered = [s for _, _, s in items if s is not None]
        unsatisfied = sum(s is Satisfaction.unsatisfied for s in answered) / len(answered) if answered else None
        growth = (len(items) - baseline) / baseline if baseline else None
        candidates.append((key, items, baseline, growth, unsatisfied))
    if not candidates:
        return []
    volume_rank = _percentiles([len(c[1]) for c in candidates])
    # Growth ranks smoothed by one ticket, so that 0.3 → 4 a month does not outrank 6 → 20.
    growth_rank = _percentiles([(len(c[1]) + 1) / (c[2] + 1) for c in candidates])
    unhappy_rank = _percentiles([c[4] or 0.0 for c in candidates])
    communities = dict(session.execute(select(Community.id, Community.name)).all())
    adopted = {
        (topic, community_id): task_id
        for topic, community_id, task_id in session.execute(
            select(ProactiveTask.topic, ProactiveTask.community_id, ProactiveTask.id).where(
                ProactiveTask.month == month, ProactiveTask.origin == TaskOrigin.monthly
            )
        )
    }
    proposals = []
    for i, (key, items, baseline, growth, unsatisfied) in enumerate(candidates):
        topic, community_id = key
        score = 0.5 * volume_rank[i] + 0.25 * growth_rank[i] + 0.25 * unhappy_rank[i]
        cells = Counter(h3_parent(cell, MONTHLY_RESOLUTION) for cell, _, _ in items if cell)
        units = Counter(unit for _, unit, _ in items if unit)
        name = taxonomy.categories[topic].name if topic in taxonomy.categories else taxonomy.groups.get(topic, topic)
        community = communities.get(community_id, "（未定位）") if community_id is not None else "（未定位）"
        proposals.append(
            MonthlyTopic(
                topic=topic,
                topic_name=name,
                community_id=community_id,
                community_name=community,
                tickets=len(items),
                baseline=round(baseline, 1),
                growth=growth,
                unsatisfied_share=unsatisfied,
                score=round(score, 3),
                cells=[cell for cell, _ in cells.most_common(5)],
                suggested_unit_id=units.most_common(1)[0][0] if units else None,
                reason=_reason(len(items), baseline, growth, unsatisfied),
                adopted_task_id=adopted.get((topic, community_id)),
            )
        )
    proposals.sort(key=lambda p: (-p.score, -p.tickets, p.topic, p.community_id or 0))
    return proposals[:limit]


def _reason(tickets: int, baseline: float, growth: float | None, unsatisfied: float | None) -> str:
    parts = [f"上月 {tickets} 件"]
    if growth is None:
        parts.append("前三个月没有")
    else:
        parts.append(f"前三个月月均 {baseline:.1f} 件（{'增长' if growth >= 0 else '下降'} {abs(growth):.0%}）")
    if unsatisfied is not None:
        parts.append(f"回访不满意 {unsatisfied:.0%}")
    return "，".join(parts)


def _percentiles(values: list[float]) -> list[float]:
    """Each value's share of the values at or below it (ties share the higher share), 0–1."""
    ordered = sorted(values)
    return [sum(v <= value for v in ordered) / len(ordered) for value in values]
