"""Cases and the reports that feed them, and rows that could not be used (quarantine)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Enum, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jiexiang.core.db import Base, UTCDateTime, enum_type
from jiexiang.domains.accounts.models import ApiKey, Unit, User
from jiexiang.domains.cases.enums import (
    Action,
    CaseStatus,
    CategoryMethod,
    QuarantineReason,
    ReportSource,
    ReviewReason,
    SlaState,
)
from jiexiang.domains.places.models import Alley, Community


def _enum(enum: Any, name: str | None = None) -> Enum:
    """Cases' enum columns: the constraint is named after the enum unless a table has two of one kind."""
    return enum_type(enum, name=name or enum.__name__.lower())


class Case(Base):
    """One problem being handled, fed by one or more reports."""

    __tablename__ = "cases"
    __table_args__ = (Index("ix_cases_category_status_reported", "category_code", "status", "reported_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    category_code: Mapped[str] = mapped_column(String(4))
    status: Mapped[CaseStatus] = mapped_column(_enum(CaseStatus), index=True)
    description: Mapped[str] = mapped_column(Text)
    address_text: Mapped[str | None] = mapped_column(String(255))
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    h3_cell: Mapped[str | None] = mapped_column(String(16), index=True)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id", ondelete="SET NULL"), index=True)
    alley_id: Mapped[int | None] = mapped_column(ForeignKey("alleys.id", ondelete="SET NULL"), index=True)
    grid_cell_id: Mapped[int | None] = mapped_column(ForeignKey("grid_cells.id", ondelete="SET NULL"), index=True)
    review_reason: Mapped[ReviewReason | None] = mapped_column(_enum(ReviewReason), index=True)
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    report_count: Mapped[int] = mapped_column(Integer, default=1)
    # The workflow (workflow.py is the only writer of these): who handles it, when each stage began.
    handling_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"), index=True)
    registered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    dispatched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handling_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    feedback_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    rejected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    register_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handle_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    close_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # Written by the deadline sweep (jobs.sla_sweep) so that lists and maps can colour cases cheaply.
    sla_state: Mapped[SlaState] = mapped_column(
        _enum(SlaState), default=SlaState.on_time, server_default=SlaState.on_time.value, index=True
    )
    rework_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    return_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    extension_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    reports: Mapped[list[Report]] = relationship(back_populates="case", order_by="Report.received_at")
    community: Mapped[Community | None] = relationship(lazy="selectin")
    alley: Mapped[Alley | None] = relationship(lazy="selectin")
    handling_unit: Mapped[Unit | None] = relationship(lazy="selectin")
    events: Mapped[list[CaseEvent]] = relationship(back_populates="case", order_by="CaseEvent.id")


class CaseEvent(Base):
    """One change to a case, appended and never edited: who did what, when, from which stage to which."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    action: Mapped[Action] = mapped_column(_enum(Action))
    from_status: Mapped[CaseStatus] = mapped_column(_enum(CaseStatus, name="from_status"))
    to_status: Mapped[CaseStatus] = mapped_column(_enum(CaseStatus, name="to_status"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(Text)
    photos: Mapped[list[str]] = mapped_column(JSON, default=list)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)

    case: Mapped[Case] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship(lazy="selectin")


class Report(Base):
    """A single incoming report, exactly once per (source, external id)."""

    __tablename__ = "reports"
    __table_args__ = (UniqueConstraint("source", "external_id", name="uq_reports_source_external_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[ReportSource] = mapped_column(_enum(ReportSource))
    external_id: Mapped[str] = mapped_column(String(64))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    text: Mapped[str] = mapped_column(Text)
    category_code: Mapped[str] = mapped_column(String(4))
    category_method: Mapped[CategoryMethod] = mapped_column(_enum(CategoryMethod))
    category_confidence: Mapped[float] = mapped_column(Float)
    source_category: Mapped[str | None] = mapped_column(String(128))
    address_text: Mapped[str | None] = mapped_column(String(255))
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    location_method: Mapped[str | None] = mapped_column(String(24))
    location_confidence: Mapped[float | None] = mapped_column(Float)
    # Personal data: sealed at rest (core.protect), a keyed fingerprint to find the same caller.
    reporter_name_sealed: Mapped[str | None] = mapped_column(Text)
    reporter_phone_sealed: Mapped[str | None] = mapped_column(Text)
    reporter_fingerprint: Mapped[str | None] = mapped_column(String(32), index=True)
    photos: Mapped[list[str]] = mapped_column(JSON, default=list)
    content_hash: Mapped[str] = mapped_column(String(40))  # of the source row: "has it changed?"
    # Provenance: the file and row it was last imported from, or the account or API key that submitted it.
    file_name: Mapped[str | None] = mapped_column(String(255))
    row_number: Mapped[int | None] = mapped_column(Integer)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    api_key_id: Mapped[int | None] = mapped_column(ForeignKey("api_keys.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    case: Mapped[Case] = relationship(back_populates="reports")
    submitted_by: Mapped[User | None] = relationship(lazy="selectin")
    api_key: Mapped[ApiKey | None] = relationship(lazy="selectin")


class QuarantinedRow(Base):
    """A source row that could not be used, kept whole with the reason, once per distinct row."""

    __tablename__ = "quarantined_rows"
    __table_args__ = (UniqueConstraint("source", "content_hash", name="uq_quarantined_rows_source_content_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[ReportSource] = mapped_column(_enum(ReportSource))
    external_id: Mapped[str | None] = mapped_column(String(64))
    file_name: Mapped[str | None] = mapped_column(String(255))
    row_number: Mapped[int | None] = mapped_column(Integer)
    reason_code: Mapped[QuarantineReason] = mapped_column(_enum(QuarantineReason), index=True)
    reason: Mapped[str] = mapped_column(String(255))
    raw: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CalendarNotice(Base):
    """The State Council's holiday schedule for one year, as imported (`jiexiang calendar import`): it replaces
    the provisional calendar of that year in every process that computes deadlines."""

    __tablename__ = "calendar_notices"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    content: Mapped[str] = mapped_column(Text)  # the TOML as imported, the same format as the shipped years
    file_name: Mapped[str | None] = mapped_column(String(255))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RoutingRule(Base):
    """Who handles what where: a category (or a whole topic group) in an alley, a community or anywhere goes
    to a unit. The most specific matching rule suggests the unit for 派遣; the dispatcher may choose another."""

    __tablename__ = "routing_rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    category_code: Mapped[str | None] = mapped_column(String(4), index=True)
    group: Mapped[str | None] = mapped_column(String(32))
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    alley_id: Mapped[int | None] = mapped_column(ForeignKey("alleys.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    unit: Mapped[Unit] = relationship(lazy="selectin")
