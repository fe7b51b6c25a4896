"""What the hotline routes take and give."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from jiexiang.core.paging import Page
from jiexiang.domains.hotline.enums import (
    AppealStatus,
    CallbackSource,
    ContactMethod,
    Satisfaction,
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
    results: list[str]
    definitions: dict[str, str]
