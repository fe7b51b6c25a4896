"""What the parking routes take and give."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from jiexiang.core.paging import Page
from jiexiang.domains.parking.enums import ApplicationStatus, DayPattern, LotKind, PermitStatus


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


class ParkingSummaryRead(BaseModel):
    new_lot: NewLotCount
    time_shared: TimeSharedCount
    marked: MarkedCount
    permits: PermitCount


class ParkingVocabularyRead(BaseModel):
    kinds: dict[str, str]
    days: dict[str, str]
    application_statuses: dict[str, str]
    permit_statuses: dict[str, str]
    priority_groups: dict[str, str]
