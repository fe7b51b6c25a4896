"""Dispatch API shapes."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from jiexiang.core.time import LocalDateTime
from jiexiang.domains.dispatch.enums import OfferStatus


class CandidateRead(BaseModel):
    user_id: int
    full_name: str
    walking_m: float
    straight_m: float
    open_tasks: int
    score: float


class OfferRead(BaseModel):
    id: int
    case_id: int
    user_id: int
    full_name: str
    status: OfferStatus
    status_label: str
    rank: int
    walking_m: float
    offered_at: LocalDateTime
    respond_by: LocalDateTime
    responded_at: LocalDateTime | None
    category_name: str
    address: str | None
    lon: float | None
    lat: float | None


class PatrolPlanCreate(BaseModel):
    usernames: list[str] = []  # default: the field workers on shift now
    alley_ids: list[int] = []  # default: every back alley
    starts: dict[str, tuple[float, float]] = {}  # username → (lon, lat); default: their latest position


class PatrolRouteRead(BaseModel):
    user_id: int
    full_name: str
    alleys: list[str]
    alley_ids: list[int]
    effort: float  # metres × risk
    walking_m: float
    minutes: int
    path: dict[str, Any]  # GeoJSON LineString along the alleys


class PatrolPlanRead(BaseModel):
    routes: list[PatrolRouteRead]


class WarningPatrolCreate(BaseModel):
    """Send workers to look at the place a warning is about (an H3 cell from /api/analytics/warnings)."""

    h3_cell: str
    usernames: list[str] = []  # default: the field workers on shift now
    radius_m: float = 150.0  # alleys this close to the cell's centre are walked
