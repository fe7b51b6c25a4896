"""Stewardship tables: inspections of an alley against one version of a checklist, and the findings made in them,
each with its place, photos and the deadline by which it is to be put right."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jiexiang.core.db import Base, UTCDateTime, enum_type
from jiexiang.domains.places.models import Alley
from jiexiang.domains.stewardship.enums import ChecklistKind


class Inspection(Base):
    __tablename__ = "inspections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alley_id: Mapped[int] = mapped_column(ForeignKey("alleys.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[ChecklistKind] = mapped_column(enum_type(ChecklistKind, name="kind", length=16), index=True)
    version: Mapped[int] = mapped_column(Integer)  # the checklist version it was scored against
    inspector_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    note: Mapped[str | None] = mapped_column(String(500))

    alley: Mapped[Alley] = relationship(lazy="joined", innerjoin=True)
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

    inspection: Mapped[Inspection] = relationship(back_populates="findings")
