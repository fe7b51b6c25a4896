"""Stewardship tables: the quasi-property companies' contracts (alleys, period, monthly fee, the checklist version they
are assessed on), inspections of an alley against one version of a checklist, and the findings made in them, each
with its place, photos, the deadline by which it is to be put right, and the case opened when it was not."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, Float, ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jiexiang.core.db import Base, UTCDateTime, enum_type
from jiexiang.domains.accounts.models import Unit
from jiexiang.domains.places.models import Alley
from jiexiang.domains.stewardship.enums import ChecklistKind


class Contract(Base):
    """A quasi-property company's (准物业) service contract: the alleys it keeps, from `starts_on` to `ends_on`
    (both included), the monthly fee, and the version of the property checklist it is assessed on. An alley is
    under at most one contract on any day."""

    __tablename__ = "stewardship_contracts"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
        CheckConstraint("monthly_fee >= 0", name="fee_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # the contract's number on paper
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    monthly_fee: Mapped[Decimal] = mapped_column(Numeric(12, 2))  # yuan
    checklist_version: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    unit: Mapped[Unit] = relationship(lazy="joined", innerjoin=True)
    alleys: Mapped[list[ContractAlley]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ContractAlley.alley_id"
    )


class ContractAlley(Base):
    __tablename__ = "stewardship_contract_alleys"

    contract_id: Mapped[int] = mapped_column(
        ForeignKey("stewardship_contracts.id", ondelete="CASCADE"), primary_key=True
    )
    alley_id: Mapped[int] = mapped_column(ForeignKey("alleys.id", ondelete="RESTRICT"), primary_key=True, index=True)


class Inspection(Base):
    __tablename__ = "inspections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alley_id: Mapped[int] = mapped_column(ForeignKey("alleys.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[ChecklistKind] = mapped_column(enum_type(ChecklistKind, name="kind", length=16), index=True)
    version: Mapped[int] = mapped_column(Integer)  # the checklist version it was scored against
    # The contract the alley was under that day (property inspections): whose month it counts in.
    contract_id: Mapped[int | None] = mapped_column(
        ForeignKey("stewardship_contracts.id", ondelete="RESTRICT"), index=True
    )
    inspector_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    note: Mapped[str | None] = mapped_column(String(500))

    alley: Mapped[Alley] = relationship(lazy="joined", innerjoin=True)
    contract: Mapped[Contract | None] = relationship(lazy="joined")
    findings: Mapped[list[InspectionFinding]] = relationship(
        back_populates="inspection", order_by="InspectionFinding.id", lazy="selectin"
    )


class InspectionFinding(Base):
    """Something an inspection found wrong, on one checklist item."""

    __tablename__ = "inspection_findings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"), index=True)
    item: Mapped[str] = mapped_column(String(40))  # the checklist item's code
    count: Mapped[int] = mapped_column(Integer)
    after_complaint: Mapped[bool] = mapped_column(Boolean)  # a verified complaint was about this item: double
    note: Mapped[str | None] = mapped_column(String(500))
    photos: Mapped[list[str]] = mapped_column(JSON, default=list)
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)  # to be put right by then
    fixed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    fixed_photos: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The case the finding became when its deadline passed without a fix (two findings of one kind side by side
    # may become one case, as two reports of one problem do).
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"), index=True)

    inspection: Mapped[Inspection] = relationship(back_populates="findings")
