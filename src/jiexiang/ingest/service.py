"""Applying incoming reports: quarantine what cannot be used, place, classify, join an open case nearby or
open a new one, and store — exactly once per (source, external id). The caller owns the transaction."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any, cast

from shapely.geometry import Point
from shapely.ops import unary_union
from sqlalchemy import Table, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jiexiang.core.config import Settings
from jiexiang.core.db import serialize_on
from jiexiang.core.errors import InvalidInput
from jiexiang.core.geo import buffer_metres, geometry_from_geojson, h3_cell, to_wgs84
from jiexiang.core.protect import protector
from jiexiang.core.time import Clock
from jiexiang.domains.cases import opening
from jiexiang.domains.cases.calendars import load_calendar
from jiexiang.domains.cases.enums import (
    OPEN_STATUSES,
    QUARANTINE_LABELS,
    CategoryMethod,
    QuarantineReason,
    ReportSource,
)
from jiexiang.domains.cases.models import Case, QuarantinedRow, Report
from jiexiang.domains.cases.opening import Areas, CaseOpener, NewCase
from jiexiang.domains.cases.taxonomy import Category, load_taxonomy
from jiexiang.domains.hotline.intake import Arrival, record_tickets
from jiexiang.domains.hotline.models import Ticket
from jiexiang.domains.hotline.rules import load_rules
from jiexiang.domains.places.models import Subdistrict
from jiexiang.domains.places.spatial import SpatialIndex
from jiexiang.ingest.address import Geocode, geocode
from jiexiang.ingest.classifier import TextClassifier, classify_by_keywords
from jiexiang.ingest.gazetteer import load_gazetteer
from jiexiang.ingest.incoming import IncomingReport, Rejected, content_hash
from jiexiang.ingest.nearby import OpenCase, OpenCases

_CASES = cast(Table, Case.__table__)
_REPORTS = cast(Table, Report.__table__)
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
    needs_category: int = 0  # stored, but nothing could tell its category: an operator chooses
    quarantined: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "merged": self.merged,
            "needs_review": self.needs_review,
            "needs_category": self.needs_category,
            "quarantined": sum(self.quarantined.values()),
            "quarantined_by_reason": dict(self.quarantined),
        }

    def describe(self) -> str:
        reasons = "，".join(f"{QUARANTINE_LABELS[QuarantineReason(r)]} {n}" for r, n in self.quarantined.items())
        return (
            f"读取 {self.read} 行：新增 {self.created}（其中并入已有案件 {self.merged}），更新 {self.updated}，"
            f"未变 {self.unchanged}，待核实地址 {self.needs_review}，待定类别 {self.needs_category}，"
            f"隔离 {sum(self.quarantined.values())}" + (f"（{reasons}）" if reasons else "")
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


@dataclass(frozen=True)
class _Prepared:
    category: Category
    method: CategoryMethod
    confidence: float
    placed: _Placed


class Intake:
    """One intake run. Loads the gazetteer, area, taxonomy and open cases once, then applies items in
    batches with a few set-based statements each, so that large exports import at bulk speed."""

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
        self._protector = protector(settings.secret_key, settings.previous_keys)
        outlines = [geometry_from_geojson(g) for g in session.scalars(select(Subdistrict.geometry))]
        self._area = buffer_metres(unary_union(outlines), AREA_MARGIN_METRES) if outlines else None
        self._seen: set[tuple[str, str]] = set()
        self._calendar = load_calendar(session, settings)
        self._opener = CaseOpener(self._calendar)
        self._open = OpenCases(self._index.frame)
        self._open_loaded = False  # batch imports load every open case once; a single report only nearby ones
        # Exports repeat the same addresses and places over and over: remember the answers.
        self._geocode = lru_cache(maxsize=100_000)(self._geocode_uncached)
        self._areas_of = lru_cache(maxsize=100_000)(self._areas_of_uncached)
        self._alley_near = lru_cache(maxsize=100_000)(self._alley_near_uncached)

    # ---- entry points --------------------------------------------------------------------------
    def apply(self, item: IncomingReport | Rejected) -> None:
        self.apply_many([item])

    def apply_many(self, items: Sequence[IncomingReport | Rejected]) -> None:
        """Apply a batch: quarantine what cannot be used, store the rest, update what changed."""
        rejected: list[Rejected] = []
        fresh: list[IncomingReport] = []
        for item in items:
            self.summary.read += 1
            if isinstance(item, Rejected):
                rejected.append(item)
                continue
            key = (item.source.value, item.external_id)
            if key in self._seen:
                rejected.append(
                    self._rejected(
                        item, QuarantineReason.duplicate_in_file, f"编号 {item.external_id} 在本次导入中重复出现"
                    )
                )
                continue
            self._seen.add(key)
            fresh.append(item)
        self._load_open_cases()
        known = self._existing(fresh)
        new: list[tuple[IncomingReport, _Prepared]] = []
        changed: list[tuple[IncomingReport, _Prepared, int]] = []
        unchanged: list[IncomingReport] = []
        for item in fresh:
            stored = known.get((item.source.value, item.external_id))
            if stored is not None and stored[1] == item.content_hash:
                self.summary.unchanged += 1
                unchanged.append(item)
                continue
            try:
                prepared = self._prepare(item)
            except _Quarantine as problem:
                rejected.append(self._rejected(item, problem.reason, problem.detail))
                continue
            if stored is None:
                new.append((item, prepared))
            else:
                changed.append((item, prepared, stored[0]))
        self._serialize(prepared for _, prepared in new)
        self._insert(new)
        self._update(changed)
        self._record_tickets([item for item, _ in new] + [item for item, _, _ in changed], unchanged)
        self._quarantine(rejected)

    def submit(self, item: IncomingReport, *, session: Session) -> tuple[Report, str]:
        """Apply a report somebody is submitting right now: problems are refused with a Chinese message
        for them to fix (not quarantined). Returns the stored report and what happened; a retry of a report
        already stored (the same source and id) is answered with the stored one, also when both arrive at once.

        Classified and placed on what the constructor loaded, then stored through `session`: the transaction
        that writes begins only when there is something to write."""
        try:
            prepared = self._prepare(item)
        except _Quarantine as problem:
            raise InvalidInput(
                f"{QUARANTINE_LABELS[problem.reason]}：{problem.detail}", code=f"report_{problem.reason.value}"
            ) from problem
        if prepared.category is self.taxonomy.unclassified:  # the one reporting is here to say what it is
            raise InvalidInput("无法从描述判断问题类别，请选择问题类别", code="report_unknown_category")
        self.session = session
        self._serialize([prepared])
        stored = select(Report).where(Report.source == item.source, Report.external_id == item.external_id)
        try:
            with self.session.begin_nested():
                outcome = self._store(item, prepared)
        except IntegrityError:
            # The same report was committed by a concurrent request since we looked: theirs stands.
            if self.session.scalars(stored).first() is None:
                raise
            outcome = "unchanged"
        return self.session.scalars(stored).one(), outcome

    def _store(self, item: IncomingReport, prepared: _Prepared) -> str:
        stored = self._existing([item]).get((item.source.value, item.external_id))
        if stored is not None and stored[1] == item.content_hash:
            return "unchanged"
        if stored is not None:
            self._update([(item, prepared, stored[0])])
            return "updated"
        placed = prepared.placed
        if placed.lon is not None and placed.lat is not None:
            self._load_open_cases(near=(placed.lon, placed.lat))
        return self._insert([(item, prepared)])[0]

    def _serialize(self, prepared: Iterable[_Prepared]) -> None:
        """Whether a report joins an open case or opens one is decided by looking for open cases nearby: one
        transaction at a time per category, so that reports arriving together about one problem make one case."""
        serialize_on(self.session, (f"intake:{p.category.code}" for p in prepared))

    def _load_open_cases(self, near: tuple[float, float] | None = None) -> None:
        """Open located cases into the de-duplication index: all of them (once), or those near a point."""
        if self._open_loaded:
            return
        query = select(Case.id, Case.category_code, Case.lon, Case.lat, Case.reported_at).where(
            Case.status.in_(OPEN_STATUSES), Case.lon.is_not(None), Case.lat.is_not(None)
        )
        if near is None:
            self._open_loaded = True
        else:
            margin = 0.003  # degrees; more than any category's merging radius
            query = query.where(
                Case.lon.between(near[0] - margin, near[0] + margin),
                Case.lat.between(near[1] - margin, near[1] + margin),
            )
        for row in self.session.execute(query):
            self._open.add(row.category_code, OpenCase(row.id, row.lon, row.lat, row.reported_at))

    # ---- deciding --------------------------------------------------------------------------------
    def _existing(self, items: Sequence[IncomingReport]) -> dict[tuple[str, str], tuple[int, str]]:
        """(source, external id) → (report id, content hash) for the items already stored."""
        found: dict[tuple[str, str], tuple[int, str]] = {}
        for source, ids in _by_source((i.source, i.external_id) for i in items):
            # One source at a time: SQLite searches its index for `source = ? AND id IN (…)`, but scans
            # the whole table for a row-value IN over both columns.
            rows = self.session.execute(
                select(Report.external_id, Report.id, Report.content_hash).where(
                    Report.source == source, Report.external_id.in_(ids)
                )
            )
            for row in rows:
                found[(source.value, row.external_id)] = (row.id, row.content_hash)
        return found

    def _prepare(self, item: IncomingReport) -> _Prepared:
        if not EARLIEST_REPORT <= item.received_at <= self.clock.now() + MAX_CLOCK_SKEW:
            raise _Quarantine(QuarantineReason.bad_time, f"受理时间 {item.received_at:%Y-%m-%d %H:%M} 不合理")
        category, method, confidence = self._classify(item)
        return _Prepared(category, method, confidence, self._place(item))

    def _classify(self, item: IncomingReport) -> tuple[Category, CategoryMethod, float]:
        """The source's own label, else (also when the label is not in our tables) the trained model, else the
        keyword rules; when none can tell, the report is still a real complaint: it is filed as 待分类 and waits
        for an operator to choose (not quarantined)."""
        if item.source_category:
            category = self.taxonomy.for_source(item.source.value, item.source_category)
            if category is not None:
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
            return self.taxonomy.unclassified, CategoryMethod.none, 0.0
        return self.taxonomy.categories[code], CategoryMethod.rules, 0.5

    def _place(self, item: IncomingReport) -> _Placed:
        if item.lon is not None and item.lat is not None:
            if not (-180 <= item.lon <= 180 and -90 <= item.lat <= 90):
                raise _Quarantine(QuarantineReason.bad_coordinates, f"经纬度 ({item.lon}, {item.lat}) 超出范围")
            lon, lat = to_wgs84(item.lon, item.lat, item.crs)
            if self._area is not None and not self._area.contains(Point(lon, lat)):
                raise _Quarantine(QuarantineReason.outside_area, f"坐标 ({lon:.6f}, {lat:.6f}) 不在本街道范围内")
            return _Placed(lon, lat, "coordinates", 1.0, self._alley_near(round(lon, 5), round(lat, 5)))
        if item.address:
            found = self._geocode(item.address)
            if found is not None:
                return _Placed(found.lon, found.lat, found.method, found.confidence, found.alley_id)
        return _Placed(None, None, None, None, None)

    def _geocode_uncached(self, address: str) -> Geocode | None:
        return geocode(address, self._gazetteer)

    def _alley_near_uncached(self, lon: float, lat: float) -> int | None:
        return self._index.nearest_alley(Point(lon, lat))

    def _areas_of_uncached(self, lon: float, lat: float) -> tuple[int | None, int | None, str]:
        point = Point(lon, lat)
        return self._index.community_at(point), self._index.grid_cell_at(point), h3_cell(lon, lat)

    # ---- writing -------------------------------------------------------------------------------
    def _insert(self, new: list[tuple[IncomingReport, _Prepared]]) -> list[str]:
        """Store new reports: each joins an open case nearby or opens one. Returns created/merged each."""
        if not new:
            return []
        now = self.clock.now()
        outcomes: list[str] = []
        targets: list[OpenCase] = []  # the case each report belongs to
        opened: list[OpenCase] = []
        joined: dict[int, tuple[int, datetime]] = {}  # stored case id → (reports added, earliest)
        for item, prepared in new:
            placed = prepared.placed
            target = None
            if placed.lon is not None and placed.lat is not None:
                target = self._open.nearest(prepared.category, placed.lon, placed.lat, item.received_at)
            if target is None:
                target = OpenCase(
                    None, placed.lon or 0.0, placed.lat or 0.0, item.received_at, self._new_case(item, prepared)
                )
                opened.append(target)
                if placed.lon is not None and placed.lat is not None:
                    self._open.add(prepared.category.code, target)
                else:
                    self.summary.needs_review += 1
                if prepared.category is self.taxonomy.unclassified:
                    self.summary.needs_category += 1
                outcomes.append("created")
            else:
                self.summary.merged += 1
                outcomes.append("merged")
                if target.pending is not None:  # opened earlier in this batch
                    target.pending.report_count += 1
                    target.pending.reported_at = min(target.pending.reported_at, item.received_at)
                else:
                    assert target.id is not None
                    count, earliest = joined.get(target.id, (0, item.received_at))
                    joined[target.id] = (count + 1, min(earliest, item.received_at))
            targets.append(target)
        pending = [t.pending for t in opened if t.pending is not None]
        for record, case_id in zip(opened, self._opener.open(self.session, pending, now=now), strict=True):
            record.id, record.pending = case_id, None
        opening.join(self.session, joined, now=now)
        rows = [
            self._report_values(item, prepared, now)
            | {"source": item.source, "external_id": item.external_id, "case_id": target.id, "created_at": now}
            for (item, prepared), target in zip(new, targets, strict=True)
        ]
        self.session.execute(insert(_REPORTS), rows)
        self.summary.created += len(rows)
        return outcomes

    def _update(self, changed: list[tuple[IncomingReport, _Prepared, int]]) -> None:
        if not changed:
            return
        now = self.clock.now()
        self.session.execute(
            update(Report),
            [self._report_values(item, prepared, now) | {"id": report_id} for item, prepared, report_id in changed],
        )
        self.summary.updated += len(changed)

    def _record_tickets(self, stored: list[IncomingReport], unchanged: list[IncomingReport]) -> None:
        """The 12345 tickets of the hotline rows just stored or changed, and of unchanged rows whose ticket is
        missing (stored before tickets were kept)."""
        items = [item for item in (*stored, *unchanged) if item.ticket is not None]
        if not items:
            return
        report_ids = {key: report_id for key, (report_id, _) in self._existing(items).items()}
        unchanged_ids = [report_ids[(i.source.value, i.external_id)] for i in unchanged if i.ticket is not None]
        have_ticket = set(self.session.scalars(select(Ticket.report_id).where(Ticket.report_id.in_(unchanged_ids))))
        arrivals = []
        for item in items:
            report_id = report_ids[(item.source.value, item.external_id)]
            if item.ticket is not None and report_id not in have_ticket:
                arrivals.append(Arrival(report_id, item.external_id, item.received_at, item.ticket))
        record_tickets(self.session, arrivals, rules=load_rules(), calendar=self._calendar, now=self.clock.now())

    def _new_case(self, item: IncomingReport, prepared: _Prepared) -> NewCase:
        placed = prepared.placed
        located = placed.lon is not None and placed.lat is not None
        return NewCase(
            category=prepared.category,
            reported_at=item.received_at,
            description=item.text,
            address_text=item.address,
            lon=placed.lon,
            lat=placed.lat,
            alley_id=placed.alley_id,
            areas=Areas(*self._areas_of(placed.lon, placed.lat)) if located else None,
        )

    def _report_values(self, item: IncomingReport, prepared: _Prepared, now: datetime) -> dict[str, Any]:
        placed = prepared.placed
        return {
            "received_at": item.received_at,
            "text": item.text,
            "category_code": prepared.category.code,
            "category_method": prepared.method,
            "category_confidence": round(prepared.confidence, 4),
            "source_category": item.source_category,
            "address_text": item.address,
            "lon": placed.lon,
            "lat": placed.lat,
            "location_method": placed.method,
            "location_confidence": placed.confidence,
            "reporter_name_sealed": self._protector.seal(item.reporter_name),
            "reporter_phone_sealed": self._protector.seal(item.reporter_phone),
            "reporter_fingerprint": self._protector.fingerprint(item.reporter_phone),
            "photos": list(item.photos),
            "content_hash": item.content_hash,
            "file_name": self.file_name,
            "row_number": item.row_number,
            "submitted_by_id": item.submitted_by_id,
            "api_key_id": item.api_key_id,
            "updated_at": now,
        }

    # ---- quarantine ----------------------------------------------------------------------------
    @staticmethod
    def _rejected(item: IncomingReport, reason: QuarantineReason, detail: str) -> Rejected:
        return Rejected(item.source, reason, detail, item.raw, item.external_id, item.row_number)

    def _quarantine(self, rejected: list[Rejected]) -> None:
        """Keep each distinct bad row once (by source and content), with its reason and the row itself."""
        if not rejected:
            return
        for item in rejected:
            self.summary.quarantined[item.reason.value] += 1
        by_key = {(r.source.value, content_hash(r.raw)): r for r in rejected}
        stored: set[tuple[str, str]] = set()
        for source, digests in _by_source((r.source, digest) for (_, digest), r in by_key.items()):
            stored.update(
                (source.value, digest)
                for digest in self.session.scalars(
                    select(QuarantinedRow.content_hash).where(
                        QuarantinedRow.source == source, QuarantinedRow.content_hash.in_(digests)
                    )
                )
            )
        now = self.clock.now()
        rows = [
            {
                "source": r.source,
                "external_id": r.external_id,
                "file_name": self.file_name,
                "row_number": r.row_number,
                "reason_code": r.reason,
                "reason": r.message[:255],
                "raw": r.raw,
                "content_hash": digest,
                "created_at": now,
            }
            for (source, digest), r in by_key.items()
            if (source, digest) not in stored
        ]
        if rows:
            self.session.execute(insert(QuarantinedRow), rows)


def _by_source(pairs: Iterable[tuple[ReportSource, str]], size: int = 500) -> Iterator[tuple[ReportSource, list[str]]]:
    """Keys grouped by source, in lists of at most `size` (to stay within bound-parameter limits)."""
    grouped: dict[ReportSource, list[str]] = defaultdict(list)
    for source, key in pairs:
        grouped[source].append(key)
    for source, keys in grouped.items():
        for start in range(0, len(keys), size):
            yield source, keys[start : start + size]
