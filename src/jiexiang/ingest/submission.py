"""Reports submitted through the API by grid workers (patrol) and residents (随手拍), with photos."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session, sessionmaker

from jiexiang.core.config import Settings
from jiexiang.core.errors import InvalidInput
from jiexiang.core.events import publish
from jiexiang.core.geo import CoordinateSystem
from jiexiang.core.time import Clock
from jiexiang.domains.accounts.enums import Role
from jiexiang.domains.accounts.models import User
from jiexiang.domains.cases.enums import ReportSource
from jiexiang.domains.cases.events import CaseChanged, CaseOpened
from jiexiang.domains.cases.models import Report
from jiexiang.domains.cases.taxonomy import load_taxonomy
from jiexiang.ingest.incoming import IncomingReport
from jiexiang.ingest.photos import process_photos, store_photo
from jiexiang.ingest.service import Intake

MAX_TEXT = 2000  # characters of a report's description: a screenful, far more than any real report needs


@dataclass
class Submission:
    text: str
    category: str | None = None
    lon: float | None = None
    lat: float | None = None
    crs: CoordinateSystem = CoordinateSystem.wgs84
    address: str | None = None
    client_id: str | None = None  # the app's own id for this report: a retried upload is not a second report
    photos: list[tuple[str, bytes]] = field(default_factory=list)


class ReceiptRead(BaseModel):
    report_id: int
    case_id: int
    outcome: str  # created | merged | unchanged | updated
    category_code: str
    category_name: str
    lon: float | None
    lat: float | None
    alley_name: str | None
    photos: list[str]


def submit(
    session: Session,
    *,
    reference: sessionmaker[Session],
    submission: Submission,
    user: User,
    settings: Settings,
    clock: Clock,
) -> ReceiptRead:
    """A report from a signed-in account: 随手拍 for residents, a patrol report for staff."""
    source = ReportSource.snap if user.role is Role.resident else ReportSource.patrol
    client_id = submission.client_id or uuid.uuid4().hex
    report, outcome = apply_submission(
        session,
        reference=reference,
        submission=submission,
        source=source,
        external_id=f"u{user.id}-{client_id}"[:64],
        reporter_name=user.full_name,
        reporter_phone=user.phone,
        provenance={"user": user.username},
        submitted_by_id=user.id,
        settings=settings,
        clock=clock,
    )
    category = load_taxonomy().categories[report.category_code]
    return ReceiptRead(
        report_id=report.id,
        case_id=report.case_id,
        outcome=outcome,
        category_code=category.code,
        category_name=category.name,
        lon=report.lon,
        lat=report.lat,
        alley_name=report.case.alley.name if report.case.alley else None,
        photos=list(report.photos),
    )


def apply_submission(
    session: Session,
    *,
    reference: sessionmaker[Session],
    submission: Submission,
    source: ReportSource,
    external_id: str,
    reporter_name: str | None,
    reporter_phone: str | None,
    provenance: dict[str, Any],
    settings: Settings,
    clock: Clock,
    submitted_by_id: int | None = None,
    api_key_id: int | None = None,
) -> tuple[Report, str]:
    """Check a submitted report, store its photos and apply it through the intake. Every API source (the
    app's own report form, Open311) comes through here. Returns the stored report and what happened.

    The slow part — decoding photos, classifying, placing — happens before `session` (the writing transaction,
    which on SQLite holds the write lock) begins: what it needs is looked up in a short read-only transaction
    from `reference`."""
    if not submission.text.strip() and not submission.category:
        raise InvalidInput("请描述问题或选择问题类别", code="report_empty")
    if len(submission.text) > MAX_TEXT:
        raise InvalidInput(f"问题描述不能超过 {MAX_TEXT} 字（现有 {len(submission.text)} 字）", code="report_too_long")
    if submission.category is not None and submission.category not in load_taxonomy().categories:
        raise InvalidInput(f"问题类别 {submission.category} 不存在", code="unknown_category")
    photos = process_photos(submission.photos)
    lon, lat, crs = submission.lon, submission.lat, submission.crs
    if (lon is None) != (lat is None):
        raise InvalidInput("经度和纬度要同时提供", code="report_location")
    if lon is None:
        located = next((p.gps for p in photos if p.gps is not None), None)
        if located is not None:
            (lon, lat), crs = located, CoordinateSystem.wgs84
    if lon is None and not submission.address:
        raise InvalidInput("请提供位置：在地图上选点、填写地址，或上传带定位的照片", code="report_location")
    names = [store_photo(photo, settings.media_dir) for photo in photos]
    item = IncomingReport(
        source=source,
        external_id=external_id,
        received_at=clock.now(),
        text=submission.text.strip() or load_taxonomy().categories[submission.category or ""].name,
        raw={
            "text": submission.text,
            "category": submission.category,
            "lon": submission.lon,
            "lat": submission.lat,
            "address": submission.address,
            "photos": names,
        }
        | provenance,
        source_category=submission.category,
        address=submission.address,
        lon=lon,
        lat=lat,
        crs=crs,
        reporter_name=reporter_name,
        reporter_phone=reporter_phone,
        photos=tuple(names),
        submitted_by_id=submitted_by_id,
        api_key_id=api_key_id,
    )
    with reference() as reading:
        intake = Intake(reading, settings=settings, clock=clock)
    report, outcome = intake.submit(item, session=session)
    announce(session, report, outcome)
    return report, outcome


def announce(session: Session, report: Report, outcome: str) -> None:
    """Tell the rest of the platform (the live map, dispatch of urgent cases) about a report submitted now, once
    its transaction commits."""
    if outcome in ("created", "merged"):
        publish(session, CaseChanged.of(report.case, None))
    if outcome == "created":
        publish(session, CaseOpened(report.case_id))
