"""Hotline tables: a 12345 ticket beside the report it came in as, the steps taken on it, and the callbacks."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jiexiang.core.db import Base, UTCDateTime, enum_type
from jiexiang.domains.accounts.models import Unit, User
from jiexiang.domains.cases.models import Report
from jiexiang.domains.hotline.enums import (
    AppealStatus,
    CallbackSource,
    ContactMethod,
    Satisfaction,
    TaskOrigin,
    TaskStatus,
    TicketAction,
    TicketKind,
    TicketStatus,
)


class Ticket(Base):
    """One promise to one caller. Several tickets may share a case ("me too" merging): the case is shared work,
    each ticket is answered and counted on its own."""

    __tablename__ = "hotline_tickets"
    __table_args__ = (Index("ix_hotline_tickets_caller_dispatched", "caller_fingerprint", "dispatched_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), unique=True)
    ticket_no: Mapped[str] = mapped_column(String(64), unique=True)  # 工单编号
    kind: Mapped[TicketKind | None] = mapped_column(enum_type(TicketKind, name="kind", length=16))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    dispatched_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)  # 派单时间
    respond_by: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finish_by: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lead_unit_name: Mapped[str | None] = mapped_column(String(128))  # 主办单位, as the city wrote it
    lead_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"), index=True)
    assisting_units: Mapped[list[str]] = mapped_column(JSON, default=list)  # 协办单位
    status: Mapped[TicketStatus] = mapped_column(enum_type(TicketStatus, name="status", length=16), index=True)
    appeal: Mapped[AppealStatus] = mapped_column(enum_type(AppealStatus, name="appeal", length=16))
    contacted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the first contact with the caller
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # 办结
    result: Mapped[str | None] = mapped_column(String(64))  # 办理结果
    reply: Mapped[str | None] = mapped_column(Text)  # 答复内容
    extension_count: Mapped[int] = mapped_column(Integer, default=0)
    caller_fingerprint: Mapped[str | None] = mapped_column(String(32))
    repeat_of_id: Mapped[int | None] = mapped_column(ForeignKey("hotline_tickets.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    report: Mapped[Report] = relationship(lazy="joined", innerjoin=True)
    lead_unit: Mapped[Unit | None] = relationship()
    steps: Mapped[list[TicketStep]] = relationship(back_populates="ticket", order_by="TicketStep.at, TicketStep.id")
    callbacks: Mapped[list[Callback]] = relationship(back_populates="ticket")


class TicketStep(Base):
    """One action on a ticket, with who and when: the ticket's history (the case's own stages stay on the case)."""

    __tablename__ = "hotline_steps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("hotline_tickets.id", ondelete="CASCADE"), index=True)
    action: Mapped[TicketAction] = mapped_column(enum_type(TicketAction, name="action", length=16))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(Text)
    method: Mapped[ContactMethod | None] = mapped_column(enum_type(ContactMethod, name="method", length=16))
    result: Mapped[str | None] = mapped_column(String(64))
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # 延期: the new deadline
    photos: Mapped[list[str]] = mapped_column(JSON, default=list)

    ticket: Mapped[Ticket] = relationship(back_populates="steps")
    actor: Mapped[User | None] = relationship(lazy="selectin")


class Callback(Base):
    """回访: what the caller said when called back — the city's (counted in the rates) and our own (自查), the
    latest of each kind per ticket."""

    __tablename__ = "hotline_callbacks"
    __table_args__ = (UniqueConstraint("ticket_id", "source", name="uq_hotline_callbacks_ticket_source"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("hotline_tickets.id", ondelete="CASCADE"))
    source: Mapped[CallbackSource] = mapped_column(enum_type(CallbackSource, name="source", length=8))
    called_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    contacted: Mapped[bool | None] = mapped_column(Boolean)  # 是否联系
    resolved: Mapped[bool | None] = mapped_column(Boolean)  # 是否解决
    satisfaction: Mapped[Satisfaction | None] = mapped_column(enum_type(Satisfaction, name="satisfaction", length=16))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)

    ticket: Mapped[Ticket] = relationship(back_populates="callbacks")


class ProactiveTask(Base):
    """主动治理任务: acting where tickets are likely before anyone calls — what, where (H3 cells at the resolution
    they were found at, and alleys), who, by when, and what counts as done; closed with evidence."""

    __tablename__ = "proactive_tasks"
    # 每月一题: a topic of a community is adopted once a month.
    __table_args__ = (UniqueConstraint("month", "topic", "community_id", name="uq_proactive_tasks_month_topic"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    topic: Mapped[str | None] = mapped_column(String(32))  # a category code or an analytics group
    origin: Mapped[TaskOrigin] = mapped_column(enum_type(TaskOrigin, name="origin", length=16))
    month: Mapped[str | None] = mapped_column(String(7), index=True)  # 每月一题: the month adopted for
    cells: Mapped[list[str]] = mapped_column(JSON, default=list)
    h3_resolution: Mapped[int] = mapped_column(Integer)
    alley_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id", ondelete="SET NULL"), index=True)
    owner_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    done_when: Mapped[str] = mapped_column(Text)  # 完成标准
    status: Mapped[TaskStatus] = mapped_column(enum_type(TaskStatus, name="status", length=16), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    evidence: Mapped[str | None] = mapped_column(Text)
    evidence_photos: Mapped[list[str]] = mapped_column(JSON, default=list)

    owner_unit: Mapped[Unit] = relationship(lazy="joined", innerjoin=True)
