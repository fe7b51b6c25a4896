"""Cases as Open311 GeoReport v2 sees them: services (the taxonomy's 小类), service definitions with
attributes, and service requests (cases, open or closed with a status note). Plain dicts in the
specification's field order; the HTTP layer writes them as JSON or XML.

What the public may read: a request shows its category, place, stage and dates; its description only when
the request itself came in through Open311 (hotline callers and residents did not publish what they said)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from jiexiang.core.errors import InvalidInput, NotFound
from jiexiang.core.paging import Paging
from jiexiang.core.time import to_local
from jiexiang.domains.cases.enums import FINISHED, OPEN_STATUSES, STATUS_LABELS, CaseStatus, ReportSource
from jiexiang.domains.cases.models import Case, Report
from jiexiang.domains.cases.taxonomy import KIND_LABELS, Category, load_taxonomy

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
DEFAULT_SPAN = timedelta(days=90)  # the specification's default window, and the longest one allowed
MAX_PAGE_SIZE = 1000


def w3c(value: datetime | None) -> str | None:
    """W3C datetime in Beijing time: 2026-11-27T09:30:00+08:00."""
    return to_local(value).isoformat(timespec="seconds") if value is not None else None


def services() -> list[dict[str, Any]]:
    """Every category a client may report, that is all but the one for reports nothing could classify."""
    taxonomy = load_taxonomy()
    offered = [c for c in taxonomy.categories.values() if c is not taxonomy.unclassified]
    return [_service(c) for c in sorted(offered, key=lambda c: c.code)]


def _service(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": f"{KIND_LABELS[category.kind]} · {category.major_name} · {category.name}",
        "metadata": bool(category.attributes),
        "type": "realtime",
        "keywords": ",".join(category.keywords),
        "group": category.major_name,
    }


def service_definition(code: str) -> dict[str, Any]:
    category = load_taxonomy().categories.get(code)
    if category is None:
        raise NotFound(f"服务 {code} 不存在", code="service_not_found")
    return {
        "service_code": category.code,
        "attributes": [
            {
                "variable": True,
                "code": a.code,
                "datatype": a.datatype,
                "required": a.required,
                "datatype_description": _DATATYPE_DESCRIPTIONS[a.datatype],
                "order": a.order,
                "description": a.description,
                "values": [{"key": key, "name": name} for key, name in a.values],
            }
            for a in category.attributes
        ],
    }


_DATATYPE_DESCRIPTIONS = {
    "string": "一行文字",
    "number": "数字",
    "datetime": "W3C 日期时间，如 2026-11-27T09:30:00+08:00",
    "text": "多行文字",
    "singlevaluelist": "从列表中选一项（填 key）",
    "multivaluelist": "从列表中选一项或多项（每项一个 attribute[code][]）",
}


@dataclass(frozen=True)
class RequestQuery:
    """GET requests filters; ids override all the others, as the specification says."""

    ids: Sequence[int] = ()
    service_codes: Sequence[str] = ()
    start: datetime | None = None
    end: datetime | None = None
    statuses: Sequence[str] = ()  # "open" / "closed"
    page: int = 1
    page_size: int = MAX_PAGE_SIZE


def find_requests(session: Session, *, query: RequestQuery, now: datetime, media_base: str) -> list[dict[str, Any]]:
    statement = select(Case).where(Case.id.in_(query.ids)) if query.ids else _filtered(select(Case), query, now)
    paging = Paging(page=query.page, page_size=query.page_size)  # GeoReport pages carry no total
    ordered = statement.order_by(Case.reported_at.desc(), Case.id.desc())
    cases = list(session.scalars(ordered.offset(paging.offset).limit(paging.page_size)))
    return _as_requests(session, cases, media_base)


def _filtered(statement: Select[Case], query: RequestQuery, now: datetime) -> Select[Case]:
    end = query.end or (query.start + DEFAULT_SPAN if query.start else now)
    start = query.start or end - DEFAULT_SPAN
    if end < start:
        raise InvalidInput("end_date 早于 start_date", code="date_range")
    if end - start > DEFAULT_SPAN:
        raise InvalidInput("start_date 与 end_date 相隔不能超过 90 天", code="date_range")
    statement = statement.where(Case.reported_at >= start, Case.reported_at <= end)
    if query.service_codes:
        statement = statement.where(Case.category_code.in_(query.service_codes))
    wanted: set[CaseStatus] = set()
    for status in query.statuses:
        wanted |= OPEN_STATUSES if status == "open" else FINISHED
    if wanted:
        statement = statement.where(Case.status.in_(wanted))
    return statement


def request_by_id(session: Session, *, case_id: int, media_base: str) -> list[dict[str, Any]]:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"服务请求 {case_id} 不存在", code="request_not_found")
    return _as_requests(session, [case], media_base)


def request_for_token(session: Session, *, token: str) -> list[dict[str, Any]]:
    case_id = session.scalar(
        select(Report.case_id).where(Report.source == ReportSource.open311, Report.external_id == token)
    )
    if case_id is None:
        raise NotFound(f"令牌 {token} 不存在", code="token_not_found")
    return [{"service_request_id": str(case_id), "token": token}]


def _as_requests(session: Session, cases: list[Case], media_base: str) -> list[dict[str, Any]]:
    first = _first_reports(session, [c.id for c in cases])
    taxonomy = load_taxonomy()
    return [_request(case, first.get(case.id), taxonomy.categories[case.category_code], media_base) for case in cases]


def _first_reports(session: Session, case_ids: list[int]) -> dict[int, Report]:
    """Each case's earliest report: whether it was published through Open311, and its photos."""
    if not case_ids:
        return {}
    earliest = (
        select(func.min(Report.id)).where(Report.case_id.in_(case_ids)).group_by(Report.case_id).scalar_subquery()
    )
    return {r.case_id: r for r in session.scalars(select(Report).where(Report.id.in_(earliest)))}


def _request(case: Case, first: Report | None, category: Category, media_base: str) -> dict[str, Any]:
    public = first is not None and first.source is ReportSource.open311
    photos = list(first.photos) if public and first is not None else []
    address = case.address_text or (case.alley.name if case.alley else None)
    return {
        "service_request_id": str(case.id),
        "status": "closed" if case.status in FINISHED else "open",
        "status_notes": _status_notes(case),
        "service_name": category.name,
        "service_code": category.code,
        "description": case.description if public else category.name,
        "agency_responsible": case.handling_unit.name if case.handling_unit else None,
        "service_notice": _service_notice(case),
        "requested_datetime": w3c(case.reported_at),
        "updated_datetime": w3c(case.updated_at),
        "expected_datetime": w3c(case.close_due_at) if case.status not in FINISHED else None,
        "address": address,
        "address_id": None,
        "zipcode": None,
        "lat": case.lat,
        "long": case.lon,
        "media_url": f"{media_base}/{photos[0]}" if photos else None,
    }


def _status_notes(case: Case) -> str:
    note = f"{STATUS_LABELS[case.status]}（{case.report_count} 人次反映）"
    if case.status is CaseStatus.rejected and case.rejected_at is not None:
        note += "：经核实不予立案"
    return note


def _service_notice(case: Case) -> str | None:
    if case.status in FINISHED or case.close_due_at is None:
        return None
    return f"按规定应于 {w3c(case.close_due_at)} 前办结"
