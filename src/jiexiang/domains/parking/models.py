"""Parking tables: lots of the three sources and their spaces, lenders and agreements, alley rules, applications,
permits and the claims by which a permit holds its space (never two permits on one space at one time), and their
use: cars' visits and the violations found in them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jiexiang.core.db import Base, UTCDateTime, enum_type
from jiexiang.domains.parking.enums import (
    ApplicationStatus,
    DayPattern,
    LotKind,
    PermitStatus,
    ViolationKind,
    VisitSource,
)
from jiexiang.domains.parking.windows import Window
from jiexiang.domains.places.models import Alley, Household


class Lender(Base):
    """An institution lending spaces for set hours (错时停车): an office tower, a hotel, a school."""

    __tablename__ = "parking_lenders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    contact: Mapped[str | None] = mapped_column(String(64))
    phone: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AlleyRule(Base):
    """A rule an alley's residents adopted (单行单停 …), versioned: adopting a new one retires the one before,
    and with it the spaces it marked."""

    __tablename__ = "parking_alley_rules"
    __table_args__ = (UniqueConstraint("alley_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alley_id: Mapped[int] = mapped_column(ForeignKey("alleys.id", ondelete="RESTRICT"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))  # one_way_one_side …
    title: Mapped[str] = mapped_column(String(200))
    # The proposal whose ballot adopted it (engagement's table, named, not imported: the domains sit side by side).
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id", ondelete="SET NULL"), unique=True)
    adopted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    alley: Mapped[Alley] = relationship(lazy="joined", innerjoin=True)


class Lot(Base):
    """Spaces of one source in one place: a new car park, an institution's yard, the marked stretch of an alley."""

    __tablename__ = "parking_lots"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[LotKind] = mapped_column(enum_type(LotKind, name="kind", length=16), index=True)
    geometry: Mapped[str] = mapped_column(Text)  # GeoJSON (WGS-84): a polygon, a line of marked spaces or a point
    lon: Mapped[float] = mapped_column(Float)  # a representative point, for labels and nearest-lot searches
    lat: Mapped[float] = mapped_column(Float)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id", ondelete="RESTRICT"), index=True)
    alley_id: Mapped[int | None] = mapped_column(ForeignKey("alleys.id", ondelete="RESTRICT"), index=True)
    operator: Mapped[str | None] = mapped_column(String(120))
    monthly_fee: Mapped[int | None] = mapped_column(Integer)  # 元 per month for a permit holder
    lender_id: Mapped[int | None] = mapped_column(ForeignKey("parking_lenders.id", ondelete="RESTRICT"), index=True)
    rule_id: Mapped[int | None] = mapped_column(ForeignKey("parking_alley_rules.id", ondelete="RESTRICT"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    lender: Mapped[Lender | None] = relationship(lazy="joined")
    rule: Mapped[AlleyRule | None] = relationship(lazy="joined")
    spaces: Mapped[list[Space]] = relationship(back_populates="lot", order_by="Space.id")
    agreements: Mapped[list[Agreement]] = relationship(back_populates="lot", order_by="Agreement.id")


class Agreement(Base):
    """What a lender lends: how many spaces of which lot, in which daily window, from when to when (错时停车协议)."""

    __tablename__ = "parking_agreements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lender_id: Mapped[int] = mapped_column(ForeignKey("parking_lenders.id", ondelete="RESTRICT"), index=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("parking_lots.id", ondelete="CASCADE"), index=True)
    spaces: Mapped[int] = mapped_column(Integer)
    window_start: Mapped[int] = mapped_column(Integer)  # minutes after midnight
    window_end: Mapped[int] = mapped_column(Integer)
    days: Mapped[DayPattern] = mapped_column(enum_type(DayPattern, name="days", length=16))
    monthly_fee: Mapped[int | None] = mapped_column(Integer)  # 元 per space per month
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)  # the last day of the loan
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    suspended_reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    lender: Mapped[Lender] = relationship(lazy="joined", innerjoin=True)
    lot: Mapped[Lot] = relationship(back_populates="agreements")

    @property
    def window(self) -> Window:
        return Window(self.window_start, self.window_end, self.days)


class Space(Base):
    __tablename__ = "parking_spaces"
    __table_args__ = (UniqueConstraint("lot_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("parking_lots.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(16))  # as painted: A-017
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    lot: Mapped[Lot] = relationship(back_populates="spaces")


class Application(Base):
    """A household's request for a permit in a lot, waiting its turn (the order is `rules.queue_key`)."""

    __tablename__ = "parking_applications"
    __table_args__ = (
        # One waiting application per household and lot, however many arrive at once.
        Index(
            "uq_parking_applications_waiting",
            "household_id",
            "lot_id",
            unique=True,
            sqlite_where=text("status = 'waiting'"),
            postgresql_where=text("status = 'waiting'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="RESTRICT"), index=True)
    applicant_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("parking_lots.id", ondelete="RESTRICT"), index=True)
    plate: Mapped[str] = mapped_column(String(16))
    priority_groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    proof_photos: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[ApplicationStatus] = mapped_column(enum_type(ApplicationStatus, name="status", length=16))
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(String(200))

    household: Mapped[Household] = relationship(lazy="joined", innerjoin=True)
    lot: Mapped[Lot] = relationship(lazy="joined", innerjoin=True)


class Permit(Base):
    """A plate's right to a space in a daily window between two dates. `valid_until` is exclusive. Like expiry,
    suspension is a matter of dates: until `suspended_until` the permit keeps its space but its car may not park
    (too many violations, see `use`)."""

    __tablename__ = "parking_permits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="RESTRICT"), index=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("parking_applications.id", ondelete="SET NULL"))
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("parking_permits.id", ondelete="SET NULL"))
    plate: Mapped[str] = mapped_column(String(16), index=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("parking_lots.id", ondelete="RESTRICT"), index=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("parking_spaces.id", ondelete="RESTRICT"), index=True)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    window_start: Mapped[int] = mapped_column(Integer)
    window_end: Mapped[int] = mapped_column(Integer)
    days: Mapped[DayPattern] = mapped_column(enum_type(DayPattern, name="days", length=16))
    status: Mapped[PermitStatus] = mapped_column(enum_type(PermitStatus, name="status", length=16), index=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str | None] = mapped_column(String(200))
    suspended_until: Mapped[date | None] = mapped_column(Date)  # the first day its car may park again

    household: Mapped[Household] = relationship(lazy="joined", innerjoin=True)
    lot: Mapped[Lot] = relationship(lazy="joined", innerjoin=True)
    space: Mapped[Space] = relationship(lazy="joined", innerjoin=True)

    @property
    def window(self) -> Window:
        return Window(self.window_start, self.window_end, self.days)


class SpaceClaim(Base):
    """The hold of a permit on its space: dates [valid_from, valid_until) × minutes × kinds of day (see
    `windows.Claim`). No two claims on one space overlap in all three: an exclusion constraint on PostgreSQL and
    triggers on SQLite (migration 0015) refuse it, whatever the application code does."""

    __tablename__ = "parking_claims"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    permit_id: Mapped[int] = mapped_column(ForeignKey("parking_permits.id", ondelete="CASCADE"), index=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("parking_spaces.id", ondelete="RESTRICT"), index=True)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    minute_from: Mapped[int] = mapped_column(Integer)
    minute_until: Mapped[int] = mapped_column(Integer)
    day_from: Mapped[int] = mapped_column(Integer)
    day_until: Mapped[int] = mapped_column(Integer)


class Visit(Base):
    """A car's stay in a lot, from arrival to departure (open while it is there), as an inspector's phone or the
    lot's barrier gate recorded it, with the permit it parked on (none: no permit was in force for it)."""

    __tablename__ = "parking_visits"
    __table_args__ = (
        # A gate's record is imported once, however often its export is.
        UniqueConstraint("lot_id", "source", "external_ref", name="uq_parking_visits_external_ref"),
        # A car is in one place at a time, however many check it in at once.
        Index(
            "uq_parking_visits_open_plate",
            "plate",
            unique=True,
            sqlite_where=text("departed_at IS NULL"),
            postgresql_where=text("departed_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("parking_lots.id", ondelete="RESTRICT"), index=True)
    space_id: Mapped[int | None] = mapped_column(ForeignKey("parking_spaces.id", ondelete="SET NULL"))
    plate: Mapped[str] = mapped_column(String(16), index=True)
    permit_id: Mapped[int | None] = mapped_column(ForeignKey("parking_permits.id", ondelete="SET NULL"), index=True)
    source: Mapped[VisitSource] = mapped_column(enum_type(VisitSource, name="source", length=16))
    external_ref: Mapped[str | None] = mapped_column(String(64))  # the gate's record number
    arrived_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    departed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    arrived_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    departed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    photos: Mapped[list[str]] = mapped_column(JSON, default=list)  # evidence: the car on the space, its plate
    minutes_outside: Mapped[int | None] = mapped_column(Integer)  # parked outside the permit's hours, once it left

    lot: Mapped[Lot] = relationship(lazy="joined", innerjoin=True)
    space: Mapped[Space | None] = relationship(lazy="joined")
    permit: Mapped[Permit | None] = relationship(lazy="selectin")


class Violation(Base):
    """A visit that broke the rules, with the penalty it drew: the plate's n-th violation in the counting period
    decides the fine, and from the configured count on, the suspension of the plate's permits."""

    __tablename__ = "parking_violations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("parking_visits.id", ondelete="RESTRICT"), unique=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("parking_lots.id", ondelete="RESTRICT"), index=True)
    plate: Mapped[str] = mapped_column(String(16), index=True)
    permit_id: Mapped[int | None] = mapped_column(ForeignKey("parking_permits.id", ondelete="SET NULL"), index=True)
    kind: Mapped[ViolationKind] = mapped_column(enum_type(ViolationKind, name="kind", length=16))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    minutes: Mapped[int] = mapped_column(Integer)  # outside the permit's hours, beyond the grace (or the stay)
    ordinal: Mapped[int] = mapped_column(Integer)  # the plate's how-manieth within the counting period
    fine: Mapped[int] = mapped_column(Integer)  # 元; 0 is a warning
    suspended_until: Mapped[date | None] = mapped_column(Date)  # when it suspended the plate's permits
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)

    lot: Mapped[Lot] = relationship(lazy="joined", innerjoin=True)
    visit: Mapped[Visit] = relationship(lazy="joined", innerjoin=True)  # its times and photos are the evidence
