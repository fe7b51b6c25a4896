"""Dispatch tables: offers of urgent cases to field workers, each answered, expired or cancelled."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, Integer
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jiexiang.core.db import Base, UTCDateTime, enum_type
from jiexiang.domains.accounts.models import User
from jiexiang.domains.cases.models import Case
from jiexiang.domains.dispatch.enums import OfferStatus


class DispatchOffer(Base):
    __tablename__ = "dispatch_offers"
    __table_args__ = (Index("ix_dispatch_offers_status_respond_by", "status", "respond_by"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[OfferStatus] = mapped_column(enum_type(OfferStatus, name="status", length=16))
    rank: Mapped[int] = mapped_column(Integer)  # 1 = the best placed worker at the time
    walking_m: Mapped[float] = mapped_column(Float)
    offered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    respond_by: Mapped[datetime] = mapped_column(UTCDateTime)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    case: Mapped[Case] = relationship(lazy="selectin")
    user: Mapped[User] = relationship(lazy="selectin")
