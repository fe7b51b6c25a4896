"""What the stewardship routes give."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, Field

from jiexiang.core.paging import Page
from jiexiang.domains.stewardship.enums import ChecklistKind


class ChecklistItemRead(BaseModel):
    code: str
    text: str
    deduction: int  # points one finding deducts (double after a verified complaint on the item)
    cap: int  # the most the item deducts in one assessment
    case_category: str | None  # the case a finding opens when not put right in time (none: stays on the record)


class ChecklistCategoryRead(BaseModel):
    code: str
    name: str
    cap: int
    items: list[ChecklistItemRead]


class ChecklistRead(BaseModel):
    kind: ChecklistKind
    kind_label: str
    version: int
    title: str
    effective_from: date
    items: int  # how many items in all
    categories: list[ChecklistCategoryRead]


class FindingCreate(BaseModel):
    item: str = Field(min_length=1, max_length=40, description="检查表细项编码，如 clean.debris")
    count: int = Field(default=1, ge=1, le=100)
    after_complaint: bool = Field(default=False, description="该细项本月已有核实的投诉（扣分加倍）")
    note: str | None = Field(default=None, max_length=500)
    photos: list[str] = Field(default_factory=list, max_length=9, description="POST /api/photos 返回的名称")
    lon: float | None = Field(default=None, ge=73, le=136)
    lat: float | None = Field(default=None, ge=3, le=54)
    fix_hours: int = Field(default=48, ge=1, le=24 * 30, description="限期整改的小时数")


class InspectionCreate(BaseModel):
    alley_id: int
    kind: ChecklistKind
    note: str | None = Field(default=None, max_length=500)
    findings: list[FindingCreate] = Field(default_factory=list, max_length=200)


class FindingRead(BaseModel):
    id: int
    item: str
    item_text: str
    category: str
    count: int
    after_complaint: bool
    note: str | None
    photos: list[str]
    lon: float | None
    lat: float | None
    due_at: datetime
    fixed_at: datetime | None
    overdue: bool  # past its deadline and not put right
    case_id: int | None  # the case it became when overdue


class ScoreLine(BaseModel):
    category: str
    item: str
    findings: int
    raw: int
    deducted: int


class InspectionRead(BaseModel):
    id: int
    alley_id: int
    alley_name: str
    kind: ChecklistKind
    version: int
    at: datetime
    note: str | None
    findings: list[FindingRead]
    lines: list[ScoreLine]  # what each item deducted, after its cap
    category_deductions: dict[str, int]  # after each category's cap
    score: int  # 100 minus the deductions


class InspectionPage(Page[InspectionRead]):
    pass


class FindingFixedCreate(BaseModel):
    photos: list[str] = Field(default_factory=list, max_length=9, description="整改后的照片")


class ContractCreate(BaseModel):
    code: str = Field(min_length=1, max_length=40, description="合同编号")
    unit_id: int = Field(description="物业公司（单位）编号")
    starts_on: date
    ends_on: date
    monthly_fee: Decimal = Field(ge=0, max_digits=12, decimal_places=2, description="每月服务费（元）")
    checklist_version: int = Field(default=1, ge=1, description="考核所用的准物业检查表版本")
    alley_ids: list[int] = Field(min_length=1, max_length=500)
    note: str | None = Field(default=None, max_length=500)


class ContractRead(BaseModel):
    id: int
    code: str
    unit_id: int
    company: str
    starts_on: date
    ends_on: date
    monthly_fee: Decimal
    checklist_version: int
    alley_ids: list[int]
    alley_names: list[str]
    note: str | None


class MeasureRead(BaseModel):
    code: str
    name: str
    about: str
    rate: float | None
    count: int  # how many were behind the rate
    points: int  # what it added to (or took from) the score


class ContractMonthRead(BaseModel):
    """One contract's month: the checklist's deductions line by line, the measures, the score, rank and fee."""

    contract_id: int
    contract_code: str
    unit_id: int
    company: str
    alleys: int
    inspections: int
    findings: int
    checklist_deducted: int  # after the item and category caps
    category_deductions: dict[str, int]
    lines: list[ScoreLine]
    measures: list[MeasureRead]
    measure_points: int
    score: int
    rank: int
    monthly_fee: Decimal
    withhold_percent: int
    withheld: Decimal
    fee_effect: str


class RankingRead(BaseModel):
    month: str
    rows: list[ContractMonthRead]


class ChiefScorecardRead(BaseModel):
    """A 街巷长's month: walks against those required, problems reported, cases verified, 十有十无 walks and gaps."""

    user_id: int
    full_name: str
    alleys: int
    required_walks: int  # alley-days: each alley on each working day of the month so far
    walks: int
    walk_rate: float | None
    problems_reported: int
    cases_verified: int
    patrols: int
    gaps: int
