"""Finding cases within the caller's scope: the desk's pages, the map's points, the dashboard's statistics,
one case (to read, or locked to change), "my reports" and the quarantine. Every case query is narrowed by
`filters.matching`."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Select, String, select, type_coerce
from sqlalchemy.orm import Session, selectinload

from jiexiang.core.db import locked
from jiexiang.core.errors import NotFound
from jiexiang.core.paging import Paging, paginate
from jiexiang.core.time import WorkCalendar, to_local
from jiexiang.domains.accounts.models import User
from jiexiang.domains.accounts.service import Scope
from jiexiang.domains.cases.enums import CaseSort, QuarantineReason, ReportSource
from jiexiang.domains.cases.filters import CaseFilter, matching
from jiexiang.domains.cases.models import Case, QuarantinedRow, Report
from jiexiang.domains.cases.presenters import my_report_read, to_read
from jiexiang.domains.cases.schemas import CaseRead, MyReportRead, QuarantinedRead
from jiexiang.domains.cases.scopes import visible
from jiexiang.domains.cases.sla import current_deadline_sql, overdue
from jiexiang.domains.cases.taxonomy import load_taxonomy
from jiexiang.domains.places.models import Alley

_ORDER: dict[CaseSort, tuple[Any, ...]] = {
    CaseSort.newest: (Case.reported_at.desc(), Case.id.desc()),
    CaseSort.oldest: (Case.reported_at, Case.id),
    # Overdue cases have the earliest deadlines, so "nearest deadline first" puts them on top.
    CaseSort.deadline: (current_deadline_sql().is_(None), current_deadline_sql(), Case.id),
}


def list_(
    session: Session,
    *,
    scope: Scope,
    filters: CaseFilter,
    paging: Paging,
    now: datetime,
    calendar: WorkCalendar,
    sort: CaseSort = CaseSort.newest,
) -> tuple[list[CaseRead], int]:
    query = matching(select(Case), scope=scope, filters=filters).order_by(*_ORDER[sort])
    cases, total = paginate(session, query, paging)
    # Only the sources of each case's reports, not the reports (with who submitted them) themselves.
    sources: dict[int, set[ReportSource]] = defaultdict(set)
    pairs = select(Report.case_id, Report.source).where(Report.case_id.in_([c.id for c in cases])).distinct()
    for case_id, source in session.execute(pairs):
        sources[case_id].add(source)
    return [to_read(c, now=now, calendar=calendar, sources=sources[c.id]) for c in cases], total


def _matching_with_overdue(*columns: Any, scope: Scope, filters: CaseFilter, now: datetime) -> Select[Any]:
    """`columns` of the cases in `scope` matching `filters`, and whether each is overdue at `now`."""
    query = cast("Select[Any]", select(*columns))
    return matching(query, scope=scope, filters=filters).add_columns(overdue(now).label("overdue"))


def _topic_by_code() -> dict[str, str]:
    """Each category code's topic (its analytics group), "other" for codes without one."""
    return {code: c.group or "other" for code, c in load_taxonomy().categories.items()}


def points(session: Session, *, scope: Scope, filters: CaseFilter, now: datetime) -> dict[str, list[Any]]:
    """Every located case matching `filters`, as columns (id, lon, lat, topic, status, overdue): what the map
    draws and clusters. Columns rather than GeoJSON features keep 50,000 cases near a megabyte."""
    # The status as stored text: turning 50,000 values into enum members and back costs more than the query.
    status = type_coerce(Case.status, String)
    query = _matching_with_overdue(
        Case.id, Case.lon, Case.lat, Case.category_code, status, scope=scope, filters=filters, now=now
    )
    rows = session.execute(query.where(Case.lon.is_not(None), Case.lat.is_not(None)).order_by(Case.id)).all()
    ids, lons, lats, codes, statuses, late = (list(column) for column in zip(*rows, strict=True)) if rows else ([],) * 6
    topic_of = _topic_by_code()
    return {  # columns, not row objects: this is the hot path of a map with every case on it
        "id": ids,
        "lon": [round(x, 6) for x in lons],  # 10 cm: enough for a map, and half the bytes to send
        "lat": [round(y, 6) for y in lats],
        "category": codes,
        "topic": [topic_of.get(code, "other") for code in codes],
        "status": statuses,
        "overdue": [bool(x) for x in late],
    }


def statistics(session: Session, *, scope: Scope, filters: CaseFilter, now: datetime) -> dict[str, Any]:
    """What the dashboard charts: cases per Beijing day and topic, per source, per status, the alleys with
    the most cases, and how many are overdue now — all of the cases matching `filters` in the caller's scope."""
    query = _matching_with_overdue(
        Case.id,
        Case.reported_at,
        Case.category_code,
        Case.status,
        Case.alley_id,
        scope=scope,
        filters=filters,
        now=now,
    )
    topic_of = _topic_by_code()
    by_day: Counter[tuple[str, str]] = Counter()
    by_status: Counter[str] = Counter()
    by_alley: Counter[int] = Counter()
    late = 0
    ids = []
    for row in session.execute(query):
        by_day[(to_local(row.reported_at).date().isoformat(), topic_of.get(row.category_code, "other"))] += 1
        by_status[row.status.value] += 1
        if row.alley_id is not None:
            by_alley[row.alley_id] += 1
        late += bool(row.overdue)
        ids.append(row.id)
    sources: Counter[str] = Counter()
    for chunk in range(0, len(ids), 5000):  # one report source per case-and-source, in chunks for the driver
        part = ids[chunk : chunk + 5000]
        pairs = select(Report.case_id, Report.source).where(Report.case_id.in_(part)).distinct()
        sources.update(source.value for _, source in session.execute(pairs))
    top = sorted(by_alley.items(), key=lambda pair: (-pair[1], pair[0]))[:10]
    names = dict(session.execute(select(Alley.id, Alley.name).where(Alley.id.in_([a for a, _ in top]))).all())
    return {
        "total": len(ids),
        "overdue": late,
        "by_day": [{"day": d, "topic": t, "count": n} for (d, t), n in sorted(by_day.items())],
        "by_status": dict(by_status),
        "by_source": dict(sources),
        "top_alleys": [{"alley_id": a, "name": names.get(a, str(a)), "count": n} for a, n in top],
    }


def get(session: Session, *, case_id: int, scope: Scope, for_update: bool = False) -> Case:
    """One case in `scope`; `for_update` to change it (concurrent changes of one case then go one at a time)."""
    query = select(Case).where(visible(scope), Case.id == case_id)
    case: Case | None = session.scalars(locked(query) if for_update else query).first()
    if case is None:
        raise NotFound(f"案件 {case_id} 不存在或不在您的管辖范围内", code="case_not_found")
    return case


def list_quarantine(
    session: Session, *, reason: QuarantineReason | None, source: ReportSource | None, paging: Paging
) -> tuple[list[QuarantinedRead], int]:
    query = select(QuarantinedRow)
    if reason is not None:
        query = query.where(QuarantinedRow.reason_code == reason)
    if source is not None:
        query = query.where(QuarantinedRow.source == source)
    rows, total = paginate(session, query.order_by(QuarantinedRow.id.desc()), paging)
    return [QuarantinedRead.model_validate(row, from_attributes=True) for row in rows], total


def my_reports(session: Session, *, user: User, paging: Paging) -> tuple[list[MyReportRead], int]:
    """What a resident or worker reported through the app, newest first, with how each case is going."""
    query = (
        select(Report)
        .where(Report.submitted_by_id == user.id)
        .options(selectinload(Report.case).selectinload(Case.events))
        .order_by(Report.received_at.desc(), Report.id.desc())
    )
    reports, total = paginate(session, query, paging)
    return [my_report_read(r) for r in reports], total
