"""Applying incoming reports: quarantine what cannot be used, place, classify, join an open case nearby or
open a new one, and store — exactly once per (source, external id). The caller owns the transaction."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from shapely.geometry import Point
from shapely.ops import unary_union
from sqlalchemy import select
from sqlalchemy.orm import Session

from jiexiang.core.config import Settings
from jiexiang.core.errors import InvalidInput
from jiexiang.core.geo import buffer_metres, distance_metres, geometry_from_geojson, h3_cell, to_wgs84
from jiexiang.core.protect import protector
from jiexiang.core.time import Clock
from jiexiang.domains.cases.enums import (
    OPEN_STATUSES,
    QUARANTINE_LABELS,
    CaseStatus,
    CategoryMethod,
    QuarantineReason,
    ReviewReason,
)
from jiexiang.domains.cases.models import Case, QuarantinedRow, Report
from jiexiang.domains.cases.taxonomy import Category, load_taxonomy
from jiexiang.domains.places.models import Subdistrict
from jiexiang.domains.places.spatial import SpatialIndex
from jiexiang.ingest.address import geocode
from jiexiang.ingest.classifier import TextClassifier, classify_by_keywords
from jiexiang.ingest.gazetteer import load_gazetteer
from jiexiang.ingest.incoming import IncomingReport, Rejected, content_hash

AREA_MARGIN_METRES = 200.0  # reports just across the boundary street still belong to us
EARLIEST_REPORT = datetime(2000, 1, 1, tzinfo=UTC)
MAX_CLOCK_SKEW = timedelta(days=1)
DEFAULT_MIN_CONFIDENCE = 0.6


@dataclass
class IntakeSummary:
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    merged: int = 0  # new reports that joined an existing open case ("me too")
    needs_review: int = 0  # stored, but the address could not be placed
    quarantined: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "merged": self.merged,
            "needs_review": self.needs_review,
            "quarantined": sum(self.quarantined.values()),
            "quarantined_by_reason": dict(self.quarantined),
        }

    def describe(self) -> str:
        reasons = "，".join(f"{QUARANTINE_LABELS[QuarantineReason(r)]} {n}" for r, n in self.quarantined.items())
        return (
            f"读取 {self.read} 行：新增 {self.created}（其中并入已有案件 {self.merged}），更新 {self.updated}，"
            f"未变 {self.unchanged}，待核实地址 {self.needs_review}，隔离 {sum(self.quarantined.values())}"
            + (f"（{reasons}）" if reasons else "")
        )


class _Quarantine(Exception):
    def __init__(self, reason: QuarantineReason, detail: str) -> None:
        super().__init__(detail)
        self.reason, self.detail = reason, detail


@dataclass(frozen=True)
class _Placed:
    lon: float | None
    lat: float | None
    method: str | None
    confidence: float | None
    alley_id: int | None


class Intake:
    """One intake run: loads the gazetteer, area and taxonomy once, then applies items one by one."""

    def __init__(
        self,
        session: Session,
        *,
        settings: Settings,
        clock: Clock,
        classifier: TextClassifier | None = None,
        min_confidence: float = DEFAULT_MIN_CONFIDENCE,
        file_name: str | None = None,
    ) -> None:
        self.session = session
        self.clock = clock
        self.classifier = classifier
        self.min_confidence = min_confidence
        self.file_name = file_name
        self.summary = IntakeSummary()
        self.taxonomy = load_taxonomy()
        self._rules = self.taxonomy.keyword_rules()
        self._gazetteer = load_gazetteer(session)
        self._index = SpatialIndex(session)
        self._protector = protector(settings.secret_key)
        outlines = [geometry_from_geojson(g) for g in session.scalars(select(Subdistrict.geometry))]
        self._area = buffer_metres(unary_union(outlines), AREA_MARGIN_METRES) if outlines else None
        self._seen: set[tuple[str, str]] = set()

    # ---- the one entry point -------------------------------------------------------------------
    def apply(self, item: IncomingReport | Rejected) -> str:
        """Apply one item; returns what happened: created, merged, updated, unchanged or quarantined."""
        self.summary.read += 1
        if isinstance(item, Rejected):
            return self._quarantine(item)
        key = (item.source.value, item.external_id)
        if key in self._seen:
            return self._quarantine(
                self._rejected(
                    item, QuarantineReason.duplicate_in_file, f"编号 {item.external_id} 在本次导入中重复出现"
                )
            )
        self._seen.add(key)
        try:
            return self._store(item)
        except _Quarantine as problem:
            return self._quarantine(self._rejected(item, problem.reason, problem.detail))

    def submit(self, item: IncomingReport) -> tuple[Report, str]:
        """Apply a report somebody is submitting right now: problems are refused with a Chinese message
        for them to fix (not quarantined). Returns the stored report and what happened."""
        try:
            outcome = self._store(item)
        except _Quarantine as problem:
            raise InvalidInput(
                f"{QUARANTINE_LABELS[problem.reason]}：{problem.detail}", code=f"report_{problem.reason.value}"
            ) from problem
        report = self.session.scalars(
            select(Report).where(Report.source == item.source, Report.external_id == item.external_id)
        ).one()
        return report, outcome

    # ---- steps ---------------------------------------------------------------------------------
    def _store(self, item: IncomingReport) -> str:
        existing = self.session.scalar(
            select(Report).where(Report.source == item.source, Report.external_id == item.external_id)
        )
        if existing is not None and existing.content_hash == item.content_hash:
            self.summary.unchanged += 1
            return "unchanged"
        now = self.clock.now()
        if not EARLIEST_REPORT <= item.received_at <= now + MAX_CLOCK_SKEW:
            raise _Quarantine(QuarantineReason.bad_time, f"受理时间 {item.received_at:%Y-%m-%d %H:%M} 不合理")
        category, method, confidence = self._classify(item)
        placed = self._place(item)
        if existing is not None:
            self._fill(existing, item, category, method, confidence, placed, now)
            self.summary.updated += 1
            return "updated"
        case = self._open_case_nearby(category, placed, item.received_at)
        outcome = "merged" if case is not None else "created"
        if case is None:
            case = self._new_case(item, category, placed, now)
        else:
            case.report_count += 1
            case.updated_at = now
            if item.received_at < case.reported_at:
                case.reported_at = item.received_at
        report = Report(source=item.source, external_id=item.external_id, case=case, created_at=now)
        self._fill(report, item, category, method, confidence, placed, now)
        self.session.add(report)
        self.session.flush()  # the next report must find this case when de-duplicating
        self.summary.created += 1
        if outcome == "merged":
            self.summary.merged += 1
        if case.review_reason is not None and outcome == "created":
            self.summary.needs_review += 1
        return outcome

    def _classify(self, item: IncomingReport) -> tuple[Category, CategoryMethod, float]:
        if item.source_category:
            category = self.taxonomy.for_source(item.source.value, item.source_category)
            if category is None:
                raise _Quarantine(
                    QuarantineReason.unknown_category, f"“{item.source_category}”不在分类表或本来源的对照表中"
                )
            return category, CategoryMethod.source, 1.0
        if self.classifier is not None:
            prediction = self.classifier.predict([item.text])[0]
            if (
                prediction is not None
                and prediction.confidence >= self.min_confidence
                and prediction.label in self.taxonomy.categories
            ):
                return self.taxonomy.categories[prediction.label], CategoryMethod.model, prediction.confidence
        code = classify_by_keywords(item.text, self._rules)
        if code is None:
            raise _Quarantine(QuarantineReason.unknown_category, "没有问题分类，也无法从诉求内容判断")
        return self.taxonomy.categories[code], CategoryMethod.rules, 0.5

    def _place(self, item: IncomingReport) -> _Placed:
        if item.lon is not None and item.lat is not None:
            if not (-180 <= item.lon <= 180 and -90 <= item.lat <= 90):
                raise _Quarantine(QuarantineReason.bad_coordinates, f"经纬度 ({item.lon}, {item.lat}) 超出范围")
            lon, lat = to_wgs84(item.lon, item.lat, item.crs)
            point = Point(lon, lat)
            if self._area is not None and not self._area.contains(point):
                raise _Quarantine(QuarantineReason.outside_area, f"坐标 ({lon:.6f}, {lat:.6f}) 不在本街道范围内")
            return _Placed(lon, lat, "coordinates", 1.0, self._index.nearest_alley(point))
        if item.address:
            found = geocode(item.address, self._gazetteer)
            if found is not None:
                return _Placed(found.lon, found.lat, found.method, found.confidence, found.alley_id)
        return _Placed(None, None, None, None, None)

    def _open_case_nearby(self, category: Category, placed: _Placed, received_at: datetime) -> Case | None:
        if placed.lon is None or placed.lat is None:
            return None  # without a place there is nothing to compare
        radius = category.dedupe_radius_m
        margin = radius / 80_000  # degrees; generous at Beijing's latitude, the exact test follows
        candidates = self.session.scalars(
            select(Case).where(
                Case.category_code == category.code,
                Case.status.in_(OPEN_STATUSES),
                Case.reported_at >= received_at - timedelta(hours=category.dedupe_window_hours),
                Case.reported_at <= received_at + timedelta(hours=category.dedupe_window_hours),
                Case.lon.between(placed.lon - margin, placed.lon + margin),
                Case.lat.between(placed.lat - margin, placed.lat + margin),
            )
        )
        best = None
        for case in candidates:
            assert case.lon is not None and case.lat is not None
            distance = distance_metres(case.lon, case.lat, placed.lon, placed.lat)
            if distance <= radius and (best is None or distance < best[0]):
                best = (distance, case)
        return best[1] if best else None

    def _new_case(self, item: IncomingReport, category: Category, placed: _Placed, now: datetime) -> Case:
        case = Case(
            category_code=category.code,
            status=CaseStatus.reported,
            description=item.text,
            address_text=item.address,
            lon=placed.lon,
            lat=placed.lat,
            alley_id=placed.alley_id,
            reported_at=item.received_at,
            report_count=1,
            created_at=now,
            updated_at=now,
        )
        if placed.lon is not None and placed.lat is not None:
            point = Point(placed.lon, placed.lat)
            case.h3_cell = h3_cell(placed.lon, placed.lat)
            case.community_id = self._index.community_at(point)
            case.grid_cell_id = self._index.grid_cell_at(point)
        else:
            case.review_reason = ReviewReason.location
        self.session.add(case)
        return case

    def _fill(
        self,
        report: Report,
        item: IncomingReport,
        category: Category,
        method: CategoryMethod,
        confidence: float,
        placed: _Placed,
        now: datetime,
    ) -> None:
        report.received_at = item.received_at
        report.text = item.text
        report.category_code = category.code
        report.category_method = method
        report.category_confidence = round(confidence, 4)
        report.source_category = item.source_category
        report.address_text = item.address
        report.lon, report.lat = placed.lon, placed.lat
        report.location_method, report.location_confidence = placed.method, placed.confidence
        report.reporter_name_sealed = self._protector.seal(item.reporter_name)
        report.reporter_phone_sealed = self._protector.seal(item.reporter_phone)
        report.reporter_fingerprint = self._protector.fingerprint(item.reporter_phone)
        report.photos = list(item.photos)
        report.content_hash = item.content_hash
        report.updated_at = now

    # ---- quarantine ----------------------------------------------------------------------------
    @staticmethod
    def _rejected(item: IncomingReport, reason: QuarantineReason, detail: str) -> Rejected:
        return Rejected(item.source, reason, detail, item.raw, item.external_id, item.row_number)

    def _quarantine(self, rejected: Rejected) -> str:
        digest = content_hash(rejected.raw)
        exists = self.session.scalar(
            select(QuarantinedRow.id).where(
                QuarantinedRow.source == rejected.source, QuarantinedRow.content_hash == digest
            )
        )
        if exists is None:
            self.session.add(
                QuarantinedRow(
                    source=rejected.source,
                    external_id=rejected.external_id,
                    file_name=self.file_name,
                    row_number=rejected.row_number,
                    reason_code=rejected.reason,
                    reason=rejected.message[:255],
                    raw=rejected.raw,
                    content_hash=digest,
                    created_at=self.clock.now(),
                )
            )
        self.summary.quarantined[rejected.reason.value] += 1
        return "quarantined"
