"""Cases as the API shows them: a list row, the full detail (with reports, personal data masked unless the
reader may see it, and history), a GeoJSON feature, the "my reports" view, the vocabulary of names, and the
quarantine as a CSV for those who fix the source."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from jiexiang.core.protect import Protector, mask_name, mask_phone
from jiexiang.core.records import copied
from jiexiang.core.tables import csv_bytes
from jiexiang.core.time import WorkCalendar
from jiexiang.domains.accounts.models import User
from jiexiang.domains.cases.enums import ACTION_LABELS, SOURCE_LABELS, STATUS_LABELS, Action, CaseStatus, ReportSource
from jiexiang.domains.cases.models import Case, CaseEvent, Report
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
from jiexiang.domains.cases.sla import current_deadline, current_deadline_provisional, provisional_stages
from jiexiang.domains.cases.taxonomy import load_taxonomy
from jiexiang.domains.cases.workflow import allowed_actions

# The fields shown as the row holds them.
_CASE_AS_IS = (
    "id",
    "category_code",
    "status",
    "description",
    "address_text",
    "lon",
    "lat",
    "alley_id",
    "community_id",
    "review_reason",
    "reported_at",
    "report_count",
)
_DETAIL_AS_IS = (
    "handling_unit_id",
    "registered_at",
    "dispatched_at",
    "handling_at",
    "feedback_at",
    "closed_at",
    "rejected_at",
    "register_due_at",
    "handle_due_at",
    "close_due_at",
    "rework_count",
    "return_count",
    "extension_count",
)
_REPORT_AS_IS = (
    "id",
    "source",
    "external_id",
    "received_at",
    "text",
    "category_code",
    "category_method",
    "category_confidence",
    "source_category",
    "address_text",
    "lon",
    "lat",
    "location_method",
    "location_confidence",
    "file_name",
    "row_number",
    "created_at",
    "updated_at",
)


def to_read(case: Case, *, now: datetime, calendar: WorkCalendar, sources: set[ReportSource] | None = None) -> CaseRead:
    """A case as lists show it; `sources` of its reports when known (else read from its loaded reports)."""
    category = load_taxonomy().categories.get(case.category_code)
    deadline = current_deadline(case)
    return CaseRead(
        **copied(case, *_CASE_AS_IS),
        category_name=category.name if category else case.category_code,
        category_kind=category.kind if category else "",
        group=category.group if category else None,
        status_label=STATUS_LABELS[case.status],
        alley_name=case.alley.name if case.alley else None,
        community_name=case.community.name if case.community else None,
        sources=sorted(sources if sources is not None else {r.source for r in case.reports}),
        deadline_at=deadline,
        deadline_provisional=current_deadline_provisional(case, calendar),
        overdue=deadline is not None and deadline < now,
    )


def event_read(event: CaseEvent) -> CaseEventRead:
    """One step of a case's workflow, as its timeline shows it (also on the pages of its 12345 tickets)."""
    return CaseEventRead(
        **copied(event, "id", "action", "from_status", "to_status", "unit_id", "note", "at"),
        action_label=ACTION_LABELS[event.action],
        actor_name=event.actor.full_name if event.actor else None,
        photos=list(event.photos),
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
                **copied(report, *_REPORT_AS_IS),
                source_label=SOURCE_LABELS[report.source],
                reporter_name=name if show_personal_data else mask_name(name),
                reporter_phone=phone if show_personal_data else mask_phone(phone),
                photos=list(report.photos),
                submitted_by_name=report.submitted_by.full_name if report.submitted_by else None,
                api_key_name=report.api_key.name if report.api_key else None,
            )
        )
    events = [event_read(e) for e in case.events]
    return CaseDetail(
        **to_read(case, now=now, calendar=calendar).model_dump(),
        **copied(case, *_DETAIL_AS_IS),
        handling_unit_name=case.handling_unit.name if case.handling_unit else None,
        provisional_deadlines=provisional_stages(case, calendar),
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


def my_report_read(report: Report) -> MyReportRead:
    """A report as the one who sent it follows it: stages and times only (staff notes and names stay inside).
    Needs the report's case and its events loaded."""
    case = report.case
    return MyReportRead(
        report_id=report.id,
        case_id=report.case_id,
        received_at=report.received_at,
        text=report.text,
        category_code=report.category_code,
        category_name=load_taxonomy().categories[report.category_code].name,
        photos=list(report.photos),
        status=case.status,
        status_label=STATUS_LABELS[case.status],
        report_count=case.report_count,
        closed_at=case.closed_at,
        progress=[
            ProgressRead(action_label=ACTION_LABELS[e.action], at=e.at)
            for e in case.events
            if e.action is not Action.comment
        ],
    )


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
