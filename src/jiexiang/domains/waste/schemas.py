"""What the waste routes take and give."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from jiexiang.core.paging import Page
from jiexiang.domains.waste.enums import EntryReason, WasteKind

_KEY = Field(
    min_length=8,
    max_length=64,
    pattern=r"^[A-Za-z0-9_.:-]+$",
    description="幂等键：客户端为每笔操作生成一次（如 UUID），重试时原样再发，只记一次",
)


class StopCreate(BaseModel):
    alley_id: int
    name: str = Field(min_length=1, max_length=120)
    lon: float = Field(ge=73, le=136)
    lat: float = Field(ge=3, le=54)
    windows: str = Field(
        description="每日收运时段，逗号分隔，如 07:00-08:30,18:30-20:00", examples=["07:00-08:30,18:30-20:00"]
    )


class StopRead(BaseModel):
    id: int
    alley_id: int
    alley_name: str
    name: str
    lon: float
    lat: float
    windows: list[str]  # 07:00–08:30 …


class CardRead(BaseModel):
    id: int
    household_id: int
    code: str  # what the QR code on the card holds
    issued_at: datetime


class DepositCreate(BaseModel):
    card_code: str = Field(min_length=4, max_length=16, description="扫卡得到的卡号")
    kind: WasteKind
    correct: bool = Field(description="分类是否正确")
    stop_id: int | None = None
    photo: str | None = Field(default=None, max_length=120, description="POST /api/photos 返回的名称")
    idempotency_key: str = _KEY


class DepositRead(BaseModel):
    id: int
    household_id: int
    household: str
    kind: WasteKind
    correct: bool
    points: int  # earned by this deposit (none beyond the daily cap)
    balance: int  # the household's balance after it
    at: datetime
    replayed: bool  # this key was registered before: nothing was added now


class RewardCreate(BaseModel):
    name: str = Field(min_length=1, max_length=120)
    points: int = Field(gt=0, le=1_000_000)
    stock: int = Field(ge=0, le=1_000_000)


class RewardRead(RewardCreate):
    id: int


class RewardPage(Page[RewardRead]):
    pass


class RedemptionCreate(BaseModel):
    household_id: int
    reward_id: int
    idempotency_key: str = _KEY


class RedemptionRead(BaseModel):
    id: int
    household_id: int
    reward_id: int
    reward_name: str
    points: int
    balance: int  # the household's balance after it
    at: datetime
    replayed: bool


class WasteHouseholdRead(BaseModel):
    id: int
    address_name: str
    label: str
    alley_id: int | None
    card_code: str | None  # the card in use (for the household itself and staff)
    balance: int


class WasteHouseholdPage(Page[WasteHouseholdRead]):
    pass


class EntryRead(BaseModel):
    id: int
    amount: int
    reason: EntryReason
    at: datetime


class EntryPage(Page[EntryRead]):
    pass


class SortingRate(BaseModel):
    id: int | None
    name: str
    households: int  # with a card
    participating: int  # handed over at least one bag in the period
    deposits: int
    correct: int
    participation_rate: float | None
    correct_rate: float | None


class WasteVocabularyRead(BaseModel):
    kinds: dict[str, str]
    reasons: dict[str, str]
