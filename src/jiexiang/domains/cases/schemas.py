"""Pydantic shapes of cases, reports and quarantined rows for the API."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, Field

from jiexiang.core.geo import CoordinateSystem
from jiexiang.core.paging import Page
from jiexiang.core.time import LocalDateTime
from jiexiang.domains.cases.enums import (
    Action,
    CaseStatus,
    CategoryMethod,
    QuarantineReason,
    ReportSource,
    ReviewReason,
)


class CaseRead(BaseModel):
    id: int
    category_code: str
    category_name: str
    category_kind: str
    group: str | None
    status: CaseStatus
    status_label: str
    description: str
    address_text: str | None
    lon: float | None
    lat: float | None
    alley_id: int | None
    alley_name: str | None
    community_id: int | None
    community_name: str | None
    review_reason: ReviewReason | None
    reported_at: LocalDateTime
    report_count: int
    sources: list[ReportSource]
    deadline_at: LocalDateTime | None  # of the stage the case is in
    # Counted on a provisional calendar (a year without the official holiday notice yet): may still move.
    deadline_provisional: bool
    overdue: bool


class ReportRead(BaseModel):
    id: int
    source: ReportSource
    source_label: str
    external_id: str
    received_at: LocalDateTime
    text: str
    category_code: str
    category_method: CategoryMethod
    category_confidence: float
    source_category: str | None
    address_text: str | None
    lon: float | None
    lat: float | None
    location_method: str | None
    location_confidence: float | None
    reporter_name: str | None  # masked unless the reader may see personal data
    reporter_phone: str | None
    photos: list[str]
    file_name: str | None  # provenance: the import file and row, or who submitted it
    row_number: int | None
    submitted_by_name: str | None
    api_key_name: str | None
    created_at: LocalDateTime
    updated_at: LocalDateTime


class CaseEventRead(BaseModel):
    id: int
    action: Action
    action_label: str
    from_status: CaseStatus
    to_status: CaseStatus
    actor_name: str | None
    unit_id: int | None
    note: str | None
    photos: list[str]
    at: LocalDateTime


class CaseDetail(CaseRead):
    handling_unit_id: int | None
    handling_unit_name: str | None
    registered_at: LocalDateTime | None
    dispatched_at: LocalDateTime | None
    handling_at: LocalDateTime | None
    feedback_at: LocalDateTime | None
    closed_at: LocalDateTime | None
    rejected_at: LocalDateTime | None
    register_due_at: LocalDateTime | None
    handle_due_at: LocalDateTime | None
    close_due_at: LocalDateTime | None
    provisional_deadlines: list[str]  # of register / handle / close: counted on a provisional calendar
    rework_count: int
    return_count: int
    extension_count: int
    reports: list[ReportRead]
    events: list[CaseEventRead]
    allowed_actions: list[Action]  # what the reader may do now
    suggested_unit_id: int | None  # where the routing rules would dispatch it
    suggested_unit_name: str | None


class TransitionCreate(BaseModel):
    action: Action
    note: str | None = None
    unit_id: int | None = None  # for 派遣: the handling unit
    photos: list[str] = []  # names returned by POST /api/photos (e.g. the repaired spot at 处置反馈)


class CommentCreate(BaseModel):
    note: str | None = None
    photos: list[str] = []  # names returned by POST /api/photos


class ProgressRead(BaseModel):
    action_label: str
    at: LocalDateTime


class MyReportRead(BaseModel):
    report_id: int
    case_id: int
    received_at: LocalDateTime
    text: str
    category_code: str
    category_name: str
    photos: list[str]
    status: CaseStatus
    status_label: str
    report_count: int  # how many people reported the same problem
    closed_at: LocalDateTime | None
    progress: list[ProgressRead]


class MyReportPage(Page[MyReportRead]):
    pass


class CasePage(Page[CaseRead]):
    pass


class QuarantinedRead(BaseModel):
    id: int
    source: ReportSource
    external_id: str | None
    file_name: str | None
    row_number: int | None
    reason_code: QuarantineReason
    reason: str
    raw: dict[str, Any]
    created_at: LocalDateTime


class QuarantinePage(Page[QuarantinedRead]):
    pass


class LocationUpdate(BaseModel):
    lon: float
    lat: float
    crs: CoordinateSystem = CoordinateSystem.wgs84


class CategoryUpdate(BaseModel):
    category_code: str = Field(min_length=4, max_length=4, description="类别代码（4 位）")
    note: str | None = Field(default=None, max_length=2000)


class RoutingRuleCreate(BaseModel):
    unit_id: int
    category_code: str | None = None
    group: str | None = None
    community_id: int | None = None
    alley_id: int | None = None


class RoutingRuleRead(RoutingRuleCreate):
    id: int
    unit_name: str


class AssessmentRowRead(BaseModel):
    key: str | None
    name: str
    registered: int
    due: int
    closed: int
    closed_on_time: int
    reworks: int
    extensions: int
    close_rate: float | None
    on_time_close_rate: float | None
    rework_rate: float | None
    mean_handling_hours: float | None
    score: float | None
    grade: str | None


class AssessmentRead(BaseModel):
    period: str
    by: str
    rows: list[AssessmentRowRead]


class DayOffRead(BaseModel):
    day: date
    name: str


class CalendarYearRead(BaseModel):
    year: int
    official: bool  # false: provisional, from the statutory days off without 调休
    days_off: list[DayOffRead]
    make_up_days: list[date]


class CalendarStatusRead(BaseModel):
    year: int
    year_official: bool
    next_year: int
    next_year_official: bool
    warning: str | None  # from 1 December while next year is still provisional


class CasePointsRead(BaseModel):
    """Every located case matching the filters, as parallel columns (what the map draws and clusters)."""

    id: list[int]
    lon: list[float]
    lat: list[float]
    category: list[str]
    topic: list[str]  # the category's analytics group, "other" for categories without one
    status: list[CaseStatus]
    overdue: list[bool]


class DayTopicCount(BaseModel):
    day: str  # Beijing date, ISO
    topic: str
    count: int


class AlleyCount(BaseModel):
    alley_id: int
    name: str
    count: int


class CaseStatsRead(BaseModel):
    total: int
    overdue: int
    by_day: list[DayTopicCount]
    by_status: dict[str, int]
    by_source: dict[str, int]
    top_alleys: list[AlleyCount]


class CategoryRead(BaseModel):
    code: str
    name: str
    kind: str
    major: str
    topic: str | None


class VocabularyRead(BaseModel):
    categories: list[CategoryRead]
    topics: dict[str, str]  # topic id → Chinese name
    statuses: dict[str, str]
    sources: dict[str, str]
    actions: dict[str, str]
    unclassified: str  # the code of 待分类
