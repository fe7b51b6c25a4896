"""Changing cases outside the workflow's stages: placing one by hand, choosing or correcting its category, and
checking the photos a change refers to. (The stages themselves: `workflow`; reading: `queries`.)"""

from __future__ import annotations

from shapely.geometry import Point
from sqlalchemy.orm import Session

from jiexiang.core.errors import InvalidInput
from jiexiang.core.geo import CoordinateSystem, h3_cell, to_wgs84
from jiexiang.core.time import Clock, WorkCalendar
from jiexiang.domains.accounts.models import User
from jiexiang.domains.cases.enums import FINISHED, Action, ReviewReason
from jiexiang.domains.cases.history import record_event
from jiexiang.domains.cases.models import Case
from jiexiang.domains.cases.sla import recomputed_deadlines
from jiexiang.domains.cases.taxonomy import load_taxonomy
from jiexiang.domains.places.spatial import SpatialIndex


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
