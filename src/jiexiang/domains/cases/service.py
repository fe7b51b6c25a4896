"""Cases service: find cases within the caller's scope, read one with its reports, list quarantined rows."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from shapely.geometry import Point
from sqlalchemy import Select, String, func, select, type_coerce
from sqlalchemy.orm import Session, selectinload

from jiexiang.core.db import locked
from jiexiang.core.errors import InvalidInput, NotFound
from jiexiang.core.geo import CoordinateSystem, h3_cell, to_wgs84
from jiexiang.core.protect import Protector, mask_name, mask_phone
from jiexiang.core.tables import csv_bytes
from jiexiang.core.time import Clock, WorkCalendar, to_local
from jiexiang.domains.accounts.models import User
from jiexiang.domains.accounts.service import Scope
from jiexiang.domains.cases.enums import (
    ACTION_LABELS,
    FINISHED,
    SOURCE_LABELS,
    STATUS_LABELS,
    Action,
    CaseSort,
    CaseStatus,
    QuarantineReason,
    ReportSource,
    ReviewReason,
)
from jiexiang.domains.cases.history import record_event
from jiexiang.domains.cases.models import Case, QuarantinedRow, Report
from jiexiang.domains.cases.routing import suggest_unit
from jiexiang.domains.cases.schemas import (
    CaseDetail,
    CaseEventRead,
    CaseRead,
    MyReportRead,
    ProgressRead,
    QuarantinedRead,
    ReportRead,
)
from jiexiang.domains.cases.scopes import visible
from jiexiang.domains.cases.sla import (
    current_deadline,
    current_deadline_provisional,
    current_deadline_sql,
    overdue,
    provisional_stages,
    recomputed_deadlines,
)
from jiexiang.domains.cases.taxonomy import load_taxonomy
from jiexiang.domains.cases.workflow import allowed_actions
from jiexiang.domains.places.models import Alley
from jiexiang.domains.places.spatial import SpatialIndex


@dataclass(frozen=True)
class CaseFilter:
    start: datetime | None = None
    end: datetime | None = None
    category: str | None = None  # a code, or a group id (e.g. manhole_cover)
    source: ReportSource | None = None
    alley_id: int | None = None
    community_id: int | None = None
    status: CaseStatus | None = None
    bbox: tuple[float, float, float, float] | None = None
    needs_review: bool | None = None
    overdue_at: datetime | None = None  # only cases overdue at this moment
    unit_id: int | None = None  # the handling unit (a unit's own desk)


def _scoped(query: Select[Any], scope: Scope) -> Select[Any]:
    return query.where(visible(scope))


def _filtered(query: Select[Any], f: CaseFilter) -> Select[Any]:
    if f.start is not None:
        query = query.where(Case.reported_at >= f.start)
    if f.end is not None:
        query = query.where(Case.reported_at < f.end)
    if f.category is not None:
        group = load_taxonomy().in_group(f.category)
        codes = [c.code for c in group] if group else [f.category]
        query = query.where(Case.category_code.in_(codes))
    if f.source is not None:
        query = query.where(Case.id.in_(select(Report.case_id).where(Report.source == f.source)))
    if f.alley_id is not None:
        query = query.where(Case.alley_id == f.alley_id)
    if f.community_id is not None:
        query = query.where(Case.community_id == f.community_id)
    if f.status is not None:
        query = query.where(Case.status == f.status)
    if f.bbox is not None:
        min_lon, min_lat, max_lon, max_lat = f.bbox
        query = query.where(Case.lon.between(min_lon, max_lon), Case.lat.between(min_lat, max_lat))
    if f.overdue_at is not None:
        query = query.where(overdue(f.overdue_at))
    if f.unit_id is not None:
        query = query.where(Case.handling_unit_id == f.unit_id)
    if f.needs_review is not None:
        query = query.where(Case.review_reason.is_not(None) if f.needs_review else Case.review_reason.is_(None))
    return query


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
    page: int,
    page_size: int,
    now: datetime,
    calendar: WorkCalendar,
    sort: CaseSort = CaseSort.newest,
) -> tuple[list[CaseRead], int]:
    query = _filtered(_scoped(select(Case), scope), filters)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    cases = list(session.scalars(query.order_by(*_ORDER[sort]).offset((page - 1) * page_size).limit(page_size)))
    # Only the sources of each case's reports, not the reports (with who submitted them) themselves.
    sources: dict[int, set[ReportSource]] = defaultdict(set)
    pairs = select(Report.case_id, Report.source).where(Report.case_id.in_([c.id for c in cases])).distinct()
    for case_id, source in session.execute(pairs):
        sources[case_id].add(source)
    return [to_read(c, now=now, calendar=calendar, sources=sources[c.id]) for c in cases], total


def _matching_with_overdue(*columns: Any, scope: Scope, filters: CaseFilter, now: datetime) -> Select[Any]:
    """`columns` of the cases in `scope` matching `filters`, and whether each is overdue at `now`."""
    query = cast("Select[Any]", select(*columns))
    return _filtered(_scoped(query, scope), filters).add_columns(overdue(now).label("overdue"))


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


def vocabulary() -> dict[str, Any]:
    """The names a client shows: categories (with their topic), topics, statuses, sources and actions."""
    taxonomy = load_taxonomy()
    return {
        "categories": [
            {"code": c.code, "name": c.name, "kind": c.kind, "major": c.major_name, "topic": c.group}
            for c in sorted(taxonomy.categories.values(), key=lambda c: c.code)
        ],
        "topics": taxonomy.groups,
        "statuses": {s.value: label for s, label in STATUS_LABELS.items()},
        "sources": {s.value: label for s, label in SOURCE_LABELS.items()},
        "actions": {a.value: label for a, label in ACTION_LABELS.items()},
        "unclassified": taxonomy.unclassified.code,
    }


def get(session: Session, *, case_id: int, scope: Scope, for_update: bool = False) -> Case:
    """One case in `scope`; `for_update` to change it (concurrent changes of one case then go one at a time)."""
    query = _scoped(select(Case), scope).where(Case.id == case_id)
    case: Case | None = session.scalars(locked(query) if for_update else query).first()
    if case is None:
        raise NotFound(f"案件 {case_id} 不存在或不在您的管辖范围内", code="case_not_found")
    return case


def to_read(case: Case, *, now: datetime, calendar: WorkCalendar, sources: set[ReportSource] | None = None) -> CaseRead:
    """A case as lists show it; `sources` of its reports when known (else read from its loaded reports)."""
    category = load_taxonomy().categories.get(case.category_code)
    deadline = current_deadline(case)
    return CaseRead(
        id=case.id,
        category_code=case.category_code,
        category_name=category.name if category else case.category_code,
        category_kind=category.kind if category else "",
        group=category.group if category else None,
        status=case.status,
        status_label=STATUS_LABELS[case.status],
        description=case.description,
        address_text=case.address_text,
        lon=case.lon,
        lat=case.lat,
        alley_id=case.alley_id,
        alley_name=case.alley.name if case.alley else None,
        community_id=case.community_id,
        community_name=case.community.name if case.community else None,
        review_reason=case.review_reason,
        reported_at=case.reported_at,
        report_count=case.report_count,
        sources=sorted(sources if sources is not None else {r.source for r in case.reports}),
        deadline_at=deadline,
        deadline_provisional=current_deadline_provisional(case, calendar),
        overdue=deadline is not None and deadline < now,
    )


def to_detail(
    session: Session,
    case: Case,
    *,
    reader: User,
    protector: Protector,
    show_personal_data: bool,
    now: datetime,
    calendar: WorkCalendar,
) -> CaseDetail:
    suggested = suggest_unit(session, case) if case.status is CaseStatus.registered else None
    reports = []
    for report in case.reports:
        name = protector.open(report.reporter_name_sealed)
        phone = protector.open(report.reporter_phone_sealed)
        reports.append(
            ReportRead(
                id=report.id,
                source=report.source,
                source_label=SOURCE_LABELS[report.source],
                external_id=report.external_id,
                received_at=report.received_at,
                text=report.text,
                category_code=report.category_code,
                category_method=report.category_method,
                category_confidence=report.category_confidence,
                source_category=report.source_category,
                address_text=report.address_text,
                lon=report.lon,
                lat=report.lat,
                location_method=report.location_method,
                location_confidence=report.location_confidence,
                reporter_name=name if show_personal_data else mask_name(name),
                reporter_phone=phone if show_personal_data else mask_phone(phone),
                photos=list(report.photos),
                file_name=report.file_name,
                row_number=report.row_number,
                submitted_by_name=report.submitted_by.full_name if report.submitted_by else None,
                api_key_name=report.api_key.name if report.api_key else None,
                created_at=report.created_at,
                updated_at=report.updated_at,
            )
        )
    events = [
        CaseEventRead(
            id=e.id,
            action=e.action,
            action_label=ACTION_LABELS[e.action],
            from_status=e.from_status,
            to_status=e.to_status,
            actor_name=e.actor.full_name if e.actor else None,
            unit_id=e.unit_id,
            note=e.note,
            photos=list(e.photos),
            at=e.at,
        )
        for e in case.events
    ]
    return CaseDetail(
        **to_read(case, now=now, calendar=calendar).model_dump(),
        handling_unit_id=case.handling_unit_id,
        handling_unit_name=case.handling_unit.name if case.handling_unit else None,
        registered_at=case.registered_at,
        dispatched_at=case.dispatched_at,
        handling_at=case.handling_at,
        feedback_at=case.feedback_at,
        closed_at=case.closed_at,
        rejected_at=case.rejected_at,
        register_due_at=case.register_due_at,
        handle_due_at=case.handle_due_at,
        close_due_at=case.close_due_at,
        provisional_deadlines=provisional_stages(case, calendar),
        rework_count=case.rework_count,
        return_count=case.return_count,
        extension_count=case.extension_count,
        reports=reports,
        events=events,
        allowed_actions=allowed_actions(case, reader),
        suggested_unit_id=suggested.id if suggested else None,
        suggested_unit_name=suggested.name if suggested else None,
    )


def to_feature(case: CaseRead) -> dict[str, Any]:
    geometry = None if case.lon is None else {"type": "Point", "coordinates": [case.lon, case.lat]}
    return {
        "type": "Feature",
        "id": case.id,
        "geometry": geometry,
        "properties": case.model_dump(mode="json", exclude={"lon", "lat"}),
    }


def list_quarantine(
    session: Session, *, reason: QuarantineReason | None, source: ReportSource | None, page: int, page_size: int
) -> tuple[list[QuarantinedRead], int]:
    query = select(QuarantinedRow)
    if reason is not None:
        query = query.where(QuarantinedRow.reason_code == reason)
    if source is not None:
        query = query.where(QuarantinedRow.source == source)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(QuarantinedRow.id.desc()).offset((page - 1) * page_size).limit(page_size))
    return [QuarantinedRead.model_validate(row, from_attributes=True) for row in rows], total


def locate(session: Session, *, case: Case, lon: float, lat: float, crs: CoordinateSystem, clock: Clock) -> Case:
    """Place a case by hand (the review queue): its point, alley, community, grid cell; clears the review."""
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise InvalidInput("经纬度超出范围", code="bad_coordinates")
    lon, lat = to_wgs84(lon, lat, crs)
    index = SpatialIndex(session)
    point = Point(lon, lat)
    community_id = index.community_at(point)
    if community_id is None:
        raise InvalidInput("该位置不在任何社区范围内，请在本街道范围内选点", code="outside_area")
    case.lon, case.lat, case.h3_cell = lon, lat, h3_cell(lon, lat)
    case.community_id, case.grid_cell_id = community_id, index.grid_cell_at(point)
    case.alley_id = index.nearest_alley(point)
    case.review_reason = None
    case.updated_at = clock.now()
    session.flush()
    session.refresh(case)
    return case


def recategorize(
    session: Session,
    *,
    case: Case,
    category_code: str,
    actor: User,
    clock: Clock,
    calendar: WorkCalendar,
    note: str | None = None,
) -> Case:
    """An operator chooses the category of a case nothing could classify, or corrects a wrong one: its deadlines
    are counted again for the new category, and the change is in its history."""
    taxonomy = load_taxonomy()
    chosen = taxonomy.categories.get(category_code)
    if chosen is None or chosen is taxonomy.unclassified:
        raise InvalidInput(f"类别 {category_code} 不存在或不能选择", code="unknown_category")
    if case.status in FINISHED:
        raise InvalidInput("已结案或不予立案的案件不能更改类别", code="case_finished")
    if chosen.code == case.category_code:
        return case
    before = taxonomy.categories.get(case.category_code)
    case.category_code = chosen.code
    deadlines = recomputed_deadlines(case, calendar)
    case.register_due_at, case.handle_due_at, case.close_due_at = (
        deadlines["register"],
        deadlines["handle"] if case.dispatched_at is not None else None,
        deadlines["close"],
    )
    if case.review_reason is ReviewReason.category:
        case.review_reason = ReviewReason.location if case.lon is None else None
    case.updated_at = clock.now()
    words = f"类别：{before.name if before else case.category_code} → {chosen.name}"
    record_event(
        session,
        case=case,
        action=Action.recategorize,
        at=case.updated_at,
        actor_id=actor.id,
        note=f"{words}。{note.strip()}" if note and note.strip() else words,
    )
    session.flush()
    return case


_PHOTO_NAME = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{64}\.jpg$")


def check_photos(names: list[str], *, media_dir: Path) -> list[str]:
    """Photo names as stored by the photo upload; anything else is refused (no paths from clients)."""
    for name in names:
        if not _PHOTO_NAME.match(name) or not (media_dir / name).is_file():
            raise InvalidInput(f"照片“{name}”不存在，请先上传", code="photo_not_found")
    return names


def quarantine_csv(items: list[QuarantinedRead]) -> bytes:
    """Quarantined rows as a CSV for the people who fix the source."""
    header = ["ID", "来源", "编号", "文件", "行号", "原因代码", "原因", "原始内容", "隔离时间"]
    rows = [item.model_dump(mode="json") for item in items]
    return csv_bytes(
        [header]
        + [
            [
                row["id"],
                row["source"],
                row["external_id"],
                row["file_name"],
                row["row_number"],
                row["reason_code"],
                row["reason"],
                json.dumps(row["raw"], ensure_ascii=False),
                row["created_at"],
            ]
            for row in rows
        ]
    )


def my_reports(session: Session, *, user: User, page: int, page_size: int) -> tuple[list[MyReportRead], int]:
    """What a resident or worker reported through the app, newest first, with how each case is going.
    Stages and times only: staff notes and names stay inside."""
    query = select(Report).where(Report.submitted_by_id == user.id)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    reports = list(
        session.scalars(
            query.options(selectinload(Report.case).selectinload(Case.events))
            .order_by(Report.received_at.desc(), Report.id.desc())
            .offset((page - 1) * page_size)
            .limit(page_size)
        )
    )
    taxonomy = load_taxonomy()
    return [
        MyReportRead(
            report_id=r.id,
            case_id=r.case_id,
            received_at=r.received_at,
            text=r.text,
            category_code=r.category_code,
            category_name=taxonomy.categories[r.category_code].name,
            photos=list(r.photos),
            status=r.case.status,
            status_label=STATUS_LABELS[r.case.status],
            report_count=r.case.report_count,
            closed_at=r.case.closed_at,
            progress=[
                ProgressRead(action_label=ACTION_LABELS[e.action], at=e.at)
                for e in r.case.events
                if e.action is not Action.comment
            ],
        )
        for r in reports
    ], total
