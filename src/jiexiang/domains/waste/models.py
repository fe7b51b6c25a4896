"""Waste tables: the truck's stops in the alleys, households' cards, deposits handed to the truck, the points ledger
(append-only: a balance is the sum of a household's entries), rewards and redemptions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, Float, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jiexiang.core.db import Base, UTCDateTime, enum_type
from jiexiang.domains.places.models import Alley, Household
from jiexiang.domains.waste.enums import EntryReason, WasteKind


class Stop(Base):
    """Where the truck stops in an alley, and when (two windows a day, such as 07:00-08:30,18:30-20:00): residents
    hand their sorted bags over there and then, and nothing is left on the ground (垃圾不落地)."""

    __tablename__ = "waste_stops"
    __table_args__ = (UniqueConstraint("alley_id", "name", name="uq_waste_stops_alley_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alley_id: Mapped[int] = mapped_column(ForeignKey("alleys.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(120))  # 光明胡同东口
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    windows: Mapped[str] = mapped_column(String(64))  # as written: 07:00-08:30,18:30-20:00
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    alley: Mapped[Alley] = relationship(lazy="joined", innerjoin=True)


class Card(Base):
    """A household's card, its code printed as a QR code the collector scans (no biometrics). A lost card is
    replaced: the old one stops working."""

    __tablename__ = "waste_cards"
    __table_args__ = (
        Index(
            "uq_waste_cards_one_active",
            "household_id",
            unique=True,
            sqlite_where=text("revoked_at IS NULL"),
            postgresql_where=text("revoked_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="RESTRICT"), index=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    household: Mapped[Household] = relationship(lazy="joined", innerjoin=True)


class Deposit(Base):
    """A bag handed to the truck, registered by the collector scanning the household's card."""

    __tablename__ = "waste_deposits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="RESTRICT"), index=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("waste_cards.id", ondelete="RESTRICT"))
    stop_id: Mapped[int | None] = mapped_column(ForeignKey("waste_stops.id", ondelete="SET NULL"), index=True)
    collector_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[WasteKind] = mapped_column(enum_type(WasteKind, name="kind", length=16))
    correct: Mapped[bool] = mapped_column(Boolean)
    photo: Mapped[str | None] = mapped_column(String(120))
    points: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # The collector's phone sends the same key when it retries: one deposit, however often it arrives.
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)


class Reward(Base):
    """A reward in the catalogue: what it costs in points, and how many are left (never fewer than none)."""

    __tablename__ = "waste_rewards"
    __table_args__ = (
        CheckConstraint("stock >= 0", name="stock_not_negative"),
        CheckConstraint("points > 0", name="points_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    points: Mapped[int] = mapped_column(Integer)
    stock: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Redemption(Base):
    __tablename__ = "waste_redemptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="RESTRICT"), index=True)
    reward_id: Mapped[int] = mapped_column(ForeignKey("waste_rewards.id", ondelete="RESTRICT"), index=True)
    points: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)

    reward: Mapped[Reward] = relationship(lazy="joined", innerjoin=True)


class PointEntry(Base):
    """One line of a household's points: earned (+), spent or lapsed (−). Lines are only ever added; each has a
    key of its own, so that nothing is counted twice."""

    __tablename__ = "waste_point_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="RESTRICT"), index=True)
    amount: Mapped[int] = mapped_column(Integer)
    reason: Mapped[EntryReason] = mapped_column(enum_type(EntryReason, name="reason", length=16))
    deposit_id: Mapped[int | None] = mapped_column(ForeignKey("waste_deposits.id", ondelete="RESTRICT"), unique=True)
    redemption_id: Mapped[int | None] = mapped_column(
        ForeignKey("waste_redemptions.id", ondelete="RESTRICT"), unique=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)  # deposit:…, redemption:…, expiry:2026:…
