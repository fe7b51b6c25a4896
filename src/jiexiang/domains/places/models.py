"""Places tables. Geometry is stored portably: GeoJSON text (WGS-84) plus a bounding box for
lines and polygons; lon/lat plus an indexed H3 cell for points. No spatial extension is required."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from jiexiang.core.db import Base, UTCDateTime, enum_type
from jiexiang.domains.accounts.models import Unit, User
from jiexiang.domains.places.enums import AddressKind, ComponentState


class ShapeColumns:
    """A line or polygon: GeoJSON text and its bounding box (for portable bbox prefilters)."""

    geometry: Mapped[str] = mapped_column(Text)
    min_lon: Mapped[float] = mapped_column(Float)
    min_lat: Mapped[float] = mapped_column(Float)
    max_lon: Mapped[float] = mapped_column(Float)
    max_lat: Mapped[float] = mapped_column(Float)

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Index, ...]:  # noqa: N805 - SQLAlchemy's declared_attr signature
        table = cls.__tablename__  # type: ignore[attr-defined]
        return (Index(f"ix_{table}_bbox", "min_lon", "max_lon", "min_lat", "max_lat"),)


class PointColumns:
    """A point in WGS-84 and the H3 cell it falls in (at core.geo.H3_STORAGE_RESOLUTION)."""

    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    h3_cell: Mapped[str] = mapped_column(String(16), index=True)

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Index, ...]:  # noqa: N805
        table = cls.__tablename__  # type: ignore[attr-defined]
        return (Index(f"ix_{table}_lon_lat", "lon", "lat"),)


class Subdistrict(ShapeColumns, Base):
    __tablename__ = "subdistricts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(9), unique=True)  # 9-digit 乡级区划代码, e.g. 110102001
    name: Mapped[str] = mapped_column(String(64))
    area_m2: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    @property
    def admin_code(self) -> str:
        """The 6-digit county-level code (区县) the subdistrict belongs to."""
        return self.code[:6]


class Community(ShapeColumns, Base):
    __tablename__ = "communities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)  # subdistrict code + 3 digits
    name: Mapped[str] = mapped_column(String(64))
    subdistrict_id: Mapped[int] = mapped_column(ForeignKey("subdistricts.id", ondelete="RESTRICT"), index=True)
    area_m2: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    subdistrict: Mapped[Subdistrict] = relationship(lazy="selectin")


class Alley(ShapeColumns, Base):
    __tablename__ = "alleys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64), index=True)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    is_back_alley: Mapped[bool] = mapped_column(Boolean, default=True)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id", ondelete="RESTRICT"), index=True)
    chief_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    length_m: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    community: Mapped[Community | None] = relationship(lazy="selectin")
    chief: Mapped[User | None] = relationship(lazy="selectin")


class GridCell(ShapeColumns, Base):
    __tablename__ = "grid_cells"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(15), unique=True)  # community code + 3-digit serial
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="RESTRICT"), index=True)
    area_m2: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    community: Mapped[Community] = relationship(lazy="selectin")


class Building(ShapeColumns, Base):
    """A building footprint with its height, for the 2.5D map and address context."""

    __tablename__ = "buildings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str | None] = mapped_column(String(64))
    height_m: Mapped[float] = mapped_column(Float)
    floors: Mapped[int | None] = mapped_column(Integer)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id", ondelete="RESTRICT"), index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    community: Mapped[Community | None] = relationship(lazy="selectin")


class Component(PointColumns, Base):
    """A public facility with an identity (部件): 16-digit code = 6 admin + 2 大类 + 2 小类 + 6 serial."""

    __tablename__ = "components"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    class_code: Mapped[str] = mapped_column(String(4), index=True)
    name: Mapped[str] = mapped_column(String(64))
    state: Mapped[ComponentState] = mapped_column(enum_type(ComponentState, name="state", length=16))
    owner_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    maintainer_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id", ondelete="RESTRICT"), index=True)
    alley_id: Mapped[int | None] = mapped_column(ForeignKey("alleys.id", ondelete="SET NULL"), index=True)
    grid_cell_id: Mapped[int | None] = mapped_column(ForeignKey("grid_cells.id", ondelete="SET NULL"), index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    owner_unit: Mapped[Unit | None] = relationship(foreign_keys=[owner_unit_id], lazy="selectin")
    maintainer_unit: Mapped[Unit | None] = relationship(foreign_keys=[maintainer_unit_id], lazy="selectin")
    community: Mapped[Community | None] = relationship(lazy="selectin")
    alley: Mapped[Alley | None] = relationship(lazy="selectin")
    grid_cell: Mapped[GridCell | None] = relationship(lazy="selectin")


class Address(PointColumns, Base):
    """A gazetteer entry: a house number (门牌), courtyard (院) or landmark name → point and alley."""

    __tablename__ = "addresses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    kind: Mapped[AddressKind] = mapped_column(enum_type(AddressKind, name="kind", length=16))
    house_number: Mapped[str | None] = mapped_column(String(32))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id", ondelete="RESTRICT"), index=True)
    alley_id: Mapped[int | None] = mapped_column(ForeignKey("alleys.id", ondelete="SET NULL"), index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    community: Mapped[Community | None] = relationship(lazy="selectin")
    alley: Mapped[Alley | None] = relationship(lazy="selectin")


class Household(Base):
    """A household (户) registered at a gazetteer address: who holds a parking permit, who votes on an alley's
    rules. `user_id` is the resident's own account, when they have one; representatives (居民代表) vote on
    ballots limited to them."""

    __tablename__ = "households"
    __table_args__ = (UniqueConstraint("address_id", "label"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    address_id: Mapped[int] = mapped_column(ForeignKey("addresses.id", ondelete="RESTRICT"), index=True)
    label: Mapped[str] = mapped_column(String(64))  # which household at the address: 东厢房, 2单元301 …
    head_name: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str | None] = mapped_column(String(32))
    is_representative: Mapped[bool] = mapped_column(Boolean, default=False)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), unique=True)
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime)

    address: Mapped[Address] = relationship(lazy="joined", innerjoin=True)
