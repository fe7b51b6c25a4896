"""Engagement tables: proposals with their audited steps, one vote per household per ballot, and notices."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jiexiang.core.db import Base, UTCDateTime, enum_type
from jiexiang.domains.accounts.models import User
from jiexiang.domains.engagement.enums import Choice, Electorate, ProposalAction, ProposalStatus, VoteChannel
from jiexiang.domains.places.models import Alley, Household


class Proposal(Base):
    """A proposal of an alley council (街巷理事会), e.g. 单行单停 on 光明胡同 with its spaces drawn on the map, and
    the ballot on it. The tally is written once, when the ballot closes; until then nobody can read it."""

    __tablename__ = "proposals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alley_id: Mapped[int] = mapped_column(ForeignKey("alleys.id", ondelete="RESTRICT"), index=True)
    council: Mapped[str] = mapped_column(String(120))  # who proposes: 光明胡同街巷理事会
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    rule_kind: Mapped[str | None] = mapped_column(String(32))  # the alley rule it would adopt (one_way_one_side)
    # Marked spaces as GeoJSON points (a FeatureCollection), each with its painted code.
    layout: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    status: Mapped[ProposalStatus] = mapped_column(enum_type(ProposalStatus, name="status", length=16), index=True)
    electorate: Mapped[Electorate] = mapped_column(enum_type(Electorate, name="electorate", length=16))
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The ballot, set when it opens: its rules are fixed then, as is who may vote (households registered by then).
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    quorum: Mapped[float | None] = mapped_column(Float)  # more than this share of those entitled must take part
    majority: Mapped[float | None] = mapped_column(Float)  # more than this share of those taking part must agree
    entitled: Mapped[int | None] = mapped_column(Integer)
    # The tally, written at close.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    agree: Mapped[int | None] = mapped_column(Integer)
    disagree: Mapped[int | None] = mapped_column(Integer)
    abstain: Mapped[int | None] = mapped_column(Integer)

    alley: Mapped[Alley] = relationship(lazy="joined", innerjoin=True)
    steps: Mapped[list[ProposalStep]] = relationship(order_by="ProposalStep.id")


class ProposalStep(Base):
    """Append-only audit of a proposal: who did what when (a paper vote's step names the paper, not the choice)."""

    __tablename__ = "proposal_steps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    action: Mapped[ProposalAction] = mapped_column(enum_type(ProposalAction, name="action", length=24))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(String(300))

    actor: Mapped[User | None] = relationship(lazy="joined")


class Vote(Base):
    __tablename__ = "ballot_votes"
    __table_args__ = (
        # One vote per household, however many try at once; a paper is recorded once.
        UniqueConstraint("proposal_id", "household_id", name="uq_ballot_votes_one_per_household"),
        UniqueConstraint("proposal_id", "paper_number", name="uq_ballot_votes_paper_once"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="RESTRICT"), index=True)
    choice: Mapped[Choice] = mapped_column(enum_type(Choice, name="choice", length=16))
    channel: Mapped[VoteChannel] = mapped_column(enum_type(VoteChannel, name="channel", length=16))
    paper_number: Mapped[str | None] = mapped_column(String(32))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    cast_at: Mapped[datetime] = mapped_column(UTCDateTime)

    household: Mapped[Household] = relationship(lazy="joined", innerjoin=True)


class Notice(Base):
    """A notice to an alley, a community or the whole subdistrict (neither set), read on residents' phones."""

    __tablename__ = "notices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"), index=True)
    alley_id: Mapped[int | None] = mapped_column(ForeignKey("alleys.id", ondelete="CASCADE"), index=True)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
