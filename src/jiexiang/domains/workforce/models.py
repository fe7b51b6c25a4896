"""Field force tables: tracking devices, shifts, assigned areas, positions (raw trajectories), each worker's
latest position, and geofence transitions reported by OwnTracks."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jiexiang.core.db import Base, UTCDateTime, enum_type
from jiexiang.domains.accounts.models import User
from jiexiang.domains.workforce.enums import GeofenceEvent, PositionSource


class Device(Base):
    """A phone running a tracking app that identifies itself by a device id (Traccar Client, OsmAnd)."""

    __tablename__ = "devices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    label: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(lazy="selectin")


class Shift(Base):
    """A worker is on duty from `starts_at` to `ends_at`."""

    __tablename__ = "shifts"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(lazy="selectin")


class AreaAssignment(Base):
    """A grid cell or an alley a worker is responsible for patrolling (exactly one of the two)."""

    __tablename__ = "area_assignments"
    __table_args__ = (
        CheckConstraint("(alley_id IS NULL) <> (grid_cell_id IS NULL)", name="one_area"),
        UniqueConstraint("user_id", "alley_id", "grid_cell_id", name="once"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    alley_id: Mapped[int | None] = mapped_column(ForeignKey("alleys.id", ondelete="CASCADE"), index=True)
    grid_cell_id: Mapped[int | None] = mapped_column(ForeignKey("grid_cells.id", ondelete="CASCADE"), index=True)


class Position(Base):
    """One accepted fix, WGS-84, with the alley it was matched to (None when off the alley network)."""

    __tablename__ = "positions"
    __table_args__ = (
        UniqueConstraint("user_id", "recorded_at", name="once_per_instant"),
        Index("ix_positions_alley_id_recorded_at", "alley_id", "recorded_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    source: Mapped[PositionSource] = mapped_column(enum_type(PositionSource, name="source", length=16))
    device: Mapped[str | None] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    speed_mps: Mapped[float | None] = mapped_column(Float)
    heading: Mapped[float | None] = mapped_column(Float)
    altitude_m: Mapped[float | None] = mapped_column(Float)
    battery: Mapped[float | None] = mapped_column(Float)  # percent
    charging: Mapped[bool | None] = mapped_column(Boolean)
    alley_id: Mapped[int | None] = mapped_column(ForeignKey("alleys.id", ondelete="SET NULL"))
    # After the raw-retention period a trajectory is thinned to the points that keep its shape.
    simplified: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")


class LivePosition(Base):
    """Each worker's latest accepted fix, kept apart so the live map reads one row per worker."""

    __tablename__ = "live_positions"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    source: Mapped[PositionSource] = mapped_column(enum_type(PositionSource, name="source", length=16))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    speed_mps: Mapped[float | None] = mapped_column(Float)
    battery: Mapped[float | None] = mapped_column(Float)
    alley_id: Mapped[int | None] = mapped_column(ForeignKey("alleys.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(lazy="selectin")


class GeofenceTransition(Base):
    """An OwnTracks region transition (`_type: transition`): the worker entered or left a named region."""

    __tablename__ = "geofence_transitions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    event: Mapped[GeofenceEvent] = mapped_column(enum_type(GeofenceEvent, name="event", length=8))
    region: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)


class AlleyWalk(Base):
    """One worker on one alley on one (Beijing) day: how much of its length their fixes spanned. Kept up to
    date as positions arrive, so that coverage ("which alleys did nobody walk today?") is a plain query."""

    __tablename__ = "alley_walks"
    __table_args__ = (
        UniqueConstraint("user_id", "alley_id", "day", name="once_a_day"),
        Index("ix_alley_walks_day_alley_id", "day", "alley_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    alley_id: Mapped[int] = mapped_column(ForeignKey("alleys.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    first_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Along the alley's centre line, metres from its start: the stretch the fixes reached.
    from_m: Mapped[float] = mapped_column(Float)
    to_m: Mapped[float] = mapped_column(Float)
    fixes: Mapped[int] = mapped_column(Integer)
    alley_length_m: Mapped[float] = mapped_column(Float)  # at the time, so "walked" needs no join
    walked: Mapped[bool] = mapped_column(Boolean)  # the stretch covers enough of the alley
