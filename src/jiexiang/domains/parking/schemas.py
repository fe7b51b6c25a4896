"""What the parking routes take and give."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from jiexiang.core.paging import Page
from jiexiang.core.tables import RejectedRow
from jiexiang.domains.parking.enums import (
    ApplicationStatus,
    DayPattern,
    LotKind,
    PermitStatus,
    ViolationKind,
    VisitSource,
)


class LenderCreate(BaseModel):
    name: str = Field(min_length=1, max_length=120)
    contact: str | None = Field(default=None, max_length=64)
    phone: str | None = Field(default=None, max_length=32)


class LenderRead(LenderCreate):
    id: int


class AgreementCreate(BaseModel):
    lender_id: int
    window: str = Field(description="每日出借时段，如 18:30-07:30（跨零点）", examples=["18:30-07:30"])
    days: DayPattern = DayPattern.every_day
    monthly_fee: int | None = Field(default=None, ge=0, le=100_000, description="每车位每月费用（元）")
    starts_on: date = Field(ge=date(2000, 1, 1), le=date(2099, 12, 31))
    ends_on: date = Field(ge=date(2000, 1, 1), le=date(2099, 12, 31), description="出借的最后一天")


class AgreementRead(BaseModel):
    id: int
    lender_id: int
    lender_name: str
    spaces: int
    window: str  # as a person reads it: 工作日 18:30–次日07:30
    window_start: int
    window_end: int
    days: DayPattern
    monthly_fee: int | None
    starts_on: date
    ends_on: date
    suspended_at: datetime | None
    suspended_reason: str | None


class LotCreate(BaseModel):
    """A new car park or an institution's lent spaces. Marked alley spaces are not created here: they come from
    the alley rule a ballot adopted."""

    name: str = Field(min_length=1, max_length=120)
    kind: LotKind
    geometry: dict[str, Any] = Field(description="GeoJSON 几何（WGS-84）：停车场范围面或一个点")
    spaces: int = Field(ge=1, le=5000, description="车位数，按 编号前缀-001 起编号")
    code_prefix: str = Field(default="P", min_length=1, max_length=6, pattern=r"^[A-Za-z0-9]+$")
    community_id: int | None = None
    alley_id: int | None = None
    operator: str | None = Field(default=None, max_length=120)
    monthly_fee: int | None = Field(default=None, ge=0, le=100_000, description="每月费用（元）")
    agreement: AgreementCreate | None = Field(default=None, description="错时共享车位必填：出借协议")


class LotRead(BaseModel):
    id: int
    name: str
    kind: LotKind
    geometry: dict[str, Any]
    lon: float
    lat: float
    community_id: int | None
    alley_id: int | None
    operator: str | None
    monthly_fee: int | None
    spaces: int
    held: int  # spaces held by a valid permit today
    waiting: int
    window: str | None  # when permit holders may park: 全天, or the current agreement's window
    open_now: bool  # for the map: a time-shared lot is lit only during its window
    lender_name: str | None
    rule_id: int | None
    rule_title: str | None
    agreements: list[AgreementRead]


class LotPage(Page[LotRead]):
    pass


class SpaceRead(BaseModel):
    id: int
    code: str
    lon: float | None
    lat: float | None
    plate: str | None  # of the permit holding it now (for staff)


class SuspendBody(BaseModel):
    reason: str = Field(min_length=1, max_length=200)


class ApplicationCreate(BaseModel):
    lot_id: int
    plate: str = Field(min_length=5, max_length=16, examples=["京A12345"])
    priority_groups: list[str] = Field(default_factory=list, max_length=5)
    proof_photos: list[str] = Field(default_factory=list, max_length=10, description="POST /api/photos 返回的名称")
    household_id: int | None = Field(default=None, description="工作人员代为申请时填写；居民申请的是本人绑定的户")


class ApplicationRead(BaseModel):
    id: int
    household_id: int
    household: str  # 门牌 · 户
    lot_id: int
    lot_name: str
    plate: str
    priority_groups: list[str]
    proof_photos: list[str]
    status: ApplicationStatus
    applied_at: datetime
    decided_at: datetime | None
    note: str | None
    position: int | None  # place in the lot's waiting list (1 = next), while waiting
    permit_id: int | None


class ApplicationPage(Page[ApplicationRead]):
    pass


class RefuseBody(BaseModel):
    note: str = Field(min_length=1, max_length=200)


class PermitRead(BaseModel):
    id: int
    household_id: int
    household: str
    plate: str
    lot_id: int
    lot_name: str
    lot_kind: LotKind
    space_id: int
    space_code: str
    valid_from: date
    valid_until: date  # exclusive: the first day it no longer holds
    window: str
    status: PermitStatus
    valid_today: bool
    suspended_until: date | None  # its car may not park before this day (too many violations)
    issued_at: datetime
    ended_at: datetime | None
    end_reason: str | None
    previous_id: int | None


class PermitPage(Page[PermitRead]):
    pass


class RevokeBody(BaseModel):
    reason: str = Field(min_length=1, max_length=200)


class TransferBody(BaseModel):
    plate: str = Field(min_length=5, max_length=16)
    household_id: int | None = Field(default=None, description="转给另一户时填写；不填即本户换车")


class SourceCount(BaseModel):
    spaces: int


class NewLotCount(SourceCount):
    lots: int


class TimeSharedCount(SourceCount):
    lenders: int


class MarkedCount(SourceCount):
    alleys: int


class PermitCount(BaseModel):
    issued: int  # valid today
    waiting: int  # applications waiting


class ViolationCount(BaseModel):
    last_30_days: int
    suspended_permits: int  # whose cars may not park today


class ParkingSummaryRead(BaseModel):
    new_lot: NewLotCount
    time_shared: TimeSharedCount
    marked: MarkedCount
    permits: PermitCount
    violations: ViolationCount


class ParkingVocabularyRead(BaseModel):
    kinds: dict[str, str]
    days: dict[str, str]
    application_statuses: dict[str, str]
    permit_statuses: dict[str, str]
    priority_groups: dict[str, str]
    visit_sources: dict[str, str]
    violation_kinds: dict[str, str]


class CheckOut(BaseModel):
    photos: list[str] = Field(
        default_factory=list, max_length=9, description="证据照片：先上传（POST /api/photos）再填其文件名"
    )
    at: datetime | None = Field(default=None, description="发生时间；不填即现在")


class CheckIn(CheckOut):
    lot_id: int
    plate: str = Field(min_length=5, max_length=16)
    space_code: str | None = Field(default=None, max_length=16, description="所停车位编号（如 A-017）")


class VisitRead(BaseModel):
    id: int
    lot_id: int
    lot_name: str
    lot_kind: LotKind
    space_code: str | None
    plate: str
    permit_id: int | None  # the permit it parked on; none: no permit in force
    source: VisitSource
    arrived_at: datetime
    departed_at: datetime | None
    minutes_outside: int  # outside the permit's hours: so far while the car is in, in all once it left
    overstaying: bool  # in now, and past the grace outside its hours (or without a permit)
    photos: list[str]


class VisitPage(Page[VisitRead]):
    pass


class ViolationRead(BaseModel):
    id: int
    visit_id: int
    lot_id: int
    lot_name: str
    plate: str
    permit_id: int | None
    kind: ViolationKind
    occurred_at: datetime
    minutes: int
    ordinal: int  # the plate's how-manieth in the counting period
    fine: int  # 元; 0 is a warning
    suspended_until: date | None
    arrived_at: datetime
    departed_at: datetime | None
    photos: list[str]  # the evidence, as the inspector took it


class ViolationPage(Page[ViolationRead]):
    pass


class GateImportRead(BaseModel):
    read: int
    arrived: int
    departed: int
    unchanged: int
    violations: int
    rejected: list[RejectedRow]


class SourceOccupancy(BaseModel):
    cars: float  # cars present on average in the hour
    spaces: float  # spaces open to permits in the hour (a lender's spaces only in its window)
    rate: float | None  # cars / spaces; none when no space is open, or the hour has not begun


class HourOccupancy(BaseModel):
    hour: int
    new_lot: SourceOccupancy
    time_shared: SourceOccupancy
    marked: SourceOccupancy


class LotOccupancy(BaseModel):
    lot_id: int
    name: str
    kind: LotKind
    lon: float
    lat: float
    rates: list[float | None]  # by hour 0–23, as `SourceOccupancy.rate`


class OccupancyRead(BaseModel):
    day: date
    hours: list[HourOccupancy]
    lots: list[LotOccupancy]
    visits_by_source: dict[str, int]  # stays that touched the day, by who recorded them
