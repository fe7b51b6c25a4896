"""What the engagement routes take and give."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from jiexiang.core.paging import Page
from jiexiang.domains.engagement.enums import Choice, Electorate, ProposalAction, ProposalStatus, VoteChannel


class ProposalCreate(BaseModel):
    alley_id: int
    council: str = Field(min_length=1, max_length=120, examples=["光明胡同街巷理事会"])
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=20_000)
    rule_kind: str | None = Field(
        default=None, max_length=32, pattern=r"^[a-z_]+$", description="通过后成为的街巷规则，如 one_way_one_side"
    )
    layout: dict[str, Any] | None = Field(
        default=None,
        description="施划车位布局：GeoJSON FeatureCollection，每个车位一个 Point，properties.code 为车位编号",
    )
    electorate: Electorate = Electorate.households


class BallotOpen(BaseModel):
    closes_at: datetime = Field(description="表决截止时间，无时区按北京时间")


class VoteCreate(BaseModel):
    choice: Choice


class PaperVoteCreate(BaseModel):
    household_id: int
    choice: Choice
    paper_number: str = Field(min_length=1, max_length=32, description="纸质选票编号")


class StepRead(BaseModel):
    action: ProposalAction
    at: datetime
    actor_name: str | None
    note: str | None


class TallyRead(BaseModel):
    entitled: int
    took_part: int
    agree: int
    disagree: int
    abstain: int
    quorum_met: bool
    majority_met: bool
    words: str


class ProposalRead(BaseModel):
    id: int
    alley_id: int
    alley_name: str
    community_id: int | None
    council: str
    title: str
    body: str
    rule_kind: str | None
    layout: dict[str, Any] | None
    spaces: int
    status: ProposalStatus
    electorate: Electorate
    created_at: datetime
    opened_at: datetime | None
    closes_at: datetime | None
    quorum: float | None
    majority: float | None
    closed_at: datetime | None
    # Sealed until the ballot closes: nobody, staff included, reads a count before then.
    tally: TallyRead | None
    # For a resident: whether their household may vote on it, and whether (not how) it has.
    my_household_entitled: bool | None = None
    my_household_voted: bool | None = None


class ProposalDetail(ProposalRead):
    steps: list[StepRead]


class ProposalPage(Page[ProposalRead]):
    pass


class VoteReceipt(BaseModel):
    proposal_id: int
    household_id: int
    channel: VoteChannel
    paper_number: str | None
    cast_at: datetime


class NoticeCreate(BaseModel):
    community_id: int | None = None
    alley_id: int | None = None
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=20_000)


class NoticeRead(BaseModel):
    id: int
    community_id: int | None
    alley_id: int | None
    proposal_id: int | None
    title: str
    body: str
    published_at: datetime


class NoticePage(Page[NoticeRead]):
    pass


class EngagementVocabularyRead(BaseModel):
    statuses: dict[str, str]
    actions: dict[str, str]
    electorates: dict[str, str]
    choices: dict[str, str]
    channels: dict[str, str]
