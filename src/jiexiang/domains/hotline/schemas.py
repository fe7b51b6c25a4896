"""What the hotline routes take and give."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from jiexiang.core.paging import Page
from jiexiang.domains.cases.schemas import CaseEventRead
from jiexiang.domains.hotline.enums import (
    AppealStatus,
    CallbackSource,
    ContactMethod,
    Satisfaction,
    TaskOrigin,
    TaskStatus,
    TicketAction,
    TicketKind,
    TicketStatus,
)


class StepCreate(BaseModel):
    action: TicketAction
    note: str | None = Field(default=None, max_length=4000)
    method: ContactMethod | None = None
    result: str | None = Field(default=None, max_length=64)
    due_at: datetime | None = None
    photos: list[str] = Field(default_factory=list, max_length=20)


class CallbackCreate(BaseModel):
    contacted: bool | None = None
    resolved: bool | None = None
    satisfaction: Satisfaction | None = None


class StepRead(BaseModel):
    action: TicketAction
    at: datetime
    actor_name: str | None
    note: str | None
    method: ContactMethod | None
    result: str | None
    due_at: datetime | None
    photos: list[str]


class CallbackRead(BaseModel):
    source: CallbackSource
    called_at: datetime
    contacted: bool | None
    resolved: bool | None
    satisfaction: Satisfaction | None


class TicketRead(BaseModel):
    id: int
    ticket_no: str
    case_id: int
    kind: TicketKind | None
    urgent: bool
    text: str
    address: str | None
    category_code: str
    dispatched_at: datetime
    respond_by: datetime | None
    finish_by: datetime | None
    lead_unit_name: str | None
    assisting_units: list[str]
    status: TicketStatus
    appeal: AppealStatus
    contacted_at: datetime | None
    contacted_in_time: bool | None  # None while it may still be
    finished_at: datetime | None
    result: str | None
    repeat_of_id: int | None
    counts: bool  # whether it counts in the rates
    city_callback: CallbackRead | None


class TicketDetail(TicketRead):
    reply: str | None
    steps: list[StepRead]
    case_events: list[CaseEventRead]  # the case's own workflow: the work done on the ticket's problem
    callbacks: list[CallbackRead]
    allowed_actions: list[TicketAction]


class TicketPage(Page[TicketRead]):
    pass


class RateRowRead(BaseModel):
    name: str
    dispatched: int
    responded: int
    respond_rate: float | None
    callbacks: int
    resolved: int
    resolve_rate: float | None
    satisfied: int
    basically: int
    unsatisfied: int
    satisfy_rate: float | None
    score: float | None
    rank: int | None


class RatesRead(BaseModel):
    period: str
    by: str
    rows: list[RateRowRead]
    total: RateRowRead | None
    definitions: dict[str, str]


class TrendPointRead(BaseModel):
    period: str
    respond_rate: float | None
    resolve_rate: float | None
    satisfy_rate: float | None
    score: float | None
    dispatched: int


class HotlineVocabularyRead(BaseModel):
    """The names of the hotline's kinds, states, steps and answers, the results a reply may choose, and the
    definitions of the rates (for tooltips)."""

    kinds: dict[str, str]
    statuses: dict[str, str]
    appeals: dict[str, str]
    actions: dict[str, str]
    methods: dict[str, str]
    satisfaction: dict[str, str]
    callback_sources: dict[str, str]
    task_statuses: dict[str, str]
    task_origins: dict[str, str]
    results: list[str]
    definitions: dict[str, str]


class TaskCreate(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    origin: TaskOrigin = TaskOrigin.manual
    topic: str | None = Field(default=None, max_length=32)
    month: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}$")
    cells: list[str] = Field(default_factory=list, max_length=200)
    h3_resolution: int = Field(default=9, ge=5, le=12)
    alley_ids: list[int] = Field(default_factory=list, max_length=100)
    community_id: int | None = None
    owner_unit_id: int
    due_at: datetime
    done_when: str = Field(min_length=1, max_length=2000)


class TaskClose(BaseModel):
    note: str | None = Field(default=None, max_length=4000)
    photos: list[str] = Field(default_factory=list, max_length=20)


class EffectRead(BaseModel):
    """The difference in differences of one task, or of all finished ones together (see `effect`)."""

    before: int
    after: int
    cells: int
    controls: int
    estimate: float
    low: float
    high: float


class TaskRead(BaseModel):
    id: int
    title: str
    topic: str | None
    origin: TaskOrigin
    month: str | None
    cells: list[str]
    h3_resolution: int
    alley_ids: list[int]
    community_id: int | None
    owner_unit_id: int
    owner_unit_name: str
    due_at: datetime
    done_when: str
    status: TaskStatus
    created_at: datetime
    finished_at: datetime | None
    evidence: str | None
    evidence_photos: list[str]
    overdue: bool
    measured_from: datetime | None  # when the effect can be read (8 weeks after it was finished)
    effect: EffectRead | None


class TaskPage(Page[TaskRead]):
    pass


class EffectSummaryRead(BaseModel):
    tasks: int  # finished tasks whose 8 weeks after have passed
    estimate: float | None
    low: float | None
    high: float | None


class MonthlyTopicRead(BaseModel):
    """每月一题: a topic × community worth the month's campaign, and why."""

    topic: str
    topic_name: str
    community_id: int | None
    community_name: str
    tickets: int  # last month
    baseline: float  # a month, over the three before
    growth: float | None
    unsatisfied_share: float | None
    score: float
    cells: list[str]
    h3_resolution: int
    suggested_unit_id: int | None
    reason: str
    adopted_task_id: int | None
