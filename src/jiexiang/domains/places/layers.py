"""Each place layer described once — model, properties, geometry kind, natural key — and the single
path by which a row is created or updated from validated properties (used by the API and by imports)."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select
from sqlalchemy.orm import Session

from jiexiang.core.geo import (
    area_square_metres,
    geometry_from_geojson,
    geometry_to_geojson,
    h3_cell,
    length_metres,
    stored_precision,
)
from jiexiang.core.time import Clock
from jiexiang.domains.accounts.enums import Role
from jiexiang.domains.accounts.models import Unit, User
from jiexiang.domains.places.enums import (
    ADDRESS_KIND_LABELS,
    COMPONENT_STATE_LABELS,
    Layer,
)
from jiexiang.domains.places.models import (
    Address,
    Alley,
    Building,
    Community,
    Component,
    GridCell,
    Subdistrict,
)
from jiexiang.domains.places.schemas import (
    AddressProps,
    AlleyProps,
    BuildingProps,
    CommunityProps,
    ComponentProps,
    GridCellProps,
    PlaceProps,
    SubdistrictProps,
)
from jiexiang.domains.places.spatial import SpatialIndex

PlaceRow = Subdistrict | Community | Alley | GridCell | Building | Component | Address
Outcome = Literal["created", "updated", "unchanged"]

_POLYGONS = ("Polygon", "MultiPolygon")
_LINES = ("LineString", "MultiLineString")
_POINTS = ("Point",)


class RowProblem(Exception):
    """Something wrong with one row's content, pointing at the field (Chinese title) to fix."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class LayerSpec:
    layer: Layer
    model: type[PlaceRow]
    props: type[PlaceProps]
    geometry_types: tuple[str, ...]
    key: str  # the natural key attribute, also the import's idempotency key
    public: bool  # readable by residents


SPECS: dict[Layer, LayerSpec] = {
    spec.layer: spec
    for spec in (
        LayerSpec(Layer.subdistricts, Subdistrict, SubdistrictProps, _POLYGONS, "code", True),
        LayerSpec(Layer.communities, Community, CommunityProps, _POLYGONS, "code", True),
        LayerSpec(Layer.alleys, Alley, AlleyProps, _LINES, "code", True),
        LayerSpec(Layer.grid_cells, GridCell, GridCellProps, _POLYGONS, "code", False),
        LayerSpec(Layer.buildings, Building, BuildingProps, _POLYGONS, "code", True),
        LayerSpec(Layer.components, Component, ComponentProps, _POINTS, "code", False),
        LayerSpec(Layer.addresses, Address, AddressProps, _POINTS, "name", True),
    )
}


@cache
def component_classes() -> tuple[dict[str, str], dict[str, str]]:
    """(大类 code → name, 小类 code → name) from the shipped data file."""
    text = (resources.files("jiexiang.domains.places") / "data" / "component_classes.toml").read_text("utf-8")
    data = tomllib.loads(text)
    return dict(data["major"]), dict(data["minor"])


def check_geometry(spec: LayerSpec, geometry: dict[str, Any] | BaseGeometry | None) -> BaseGeometry:
    """The geometry as shapely, or RowProblem saying in Chinese what is wrong with it."""
    if geometry is None:
        raise RowProblem("几何", "缺少几何图形（坐标）")
    try:
        geom = geometry if isinstance(geometry, BaseGeometry) else geometry_from_geojson(geometry)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise RowProblem("几何", f"无法识别的几何图形：{exc}") from exc
    if geom.geom_type not in spec.geometry_types:
        wanted = "、".join(spec.geometry_types)
        raise RowProblem("几何", f"几何类型应为 {wanted}，实际为 {geom.geom_type}")
    if geom.is_empty:
        raise RowProblem("几何", "几何图形为空")
    min_lon, min_lat, max_lon, max_lat = geom.bounds
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise RowProblem("几何", "经纬度超出范围（经度应在 ±180、纬度应在 ±90 之间；是否把经纬度写反了？）")
    if not geom.is_valid:
        raise RowProblem("几何", "几何图形无效（例如自相交或未闭合）")
    return geom


class Applier:
    """Writes validated rows of any layer. It caches key → row and key → id lookups, so that an import
    of thousands of rows costs a few queries per layer rather than several per row; `flush()` after a
    layer makes its new ids visible to the next one."""

    def __init__(self, session: Session, *, clock: Clock) -> None:
        self.session = session
        self.clock = clock
        self._index: SpatialIndex | None = None
        self._rows: dict[Layer, dict[str, PlaceRow]] = {}
        self._preloaded: dict[Layer, set[str]] = {}  # keys known to be absent if not in _rows
        self._ids: dict[Any, dict[str, int]] = {}

    def flush(self) -> None:
        self.session.flush()
        self._ids.clear()
        self._index = None

    @property
    def index(self) -> SpatialIndex:
        if self._index is None:
            self._index = SpatialIndex(self.session)
        return self._index

    def preload(self, spec: LayerSpec, keys: list[str]) -> None:
        """Fetch the existing rows for these natural keys in a few queries."""
        column = getattr(spec.model, spec.key)
        cache = self._rows.setdefault(spec.layer, {})
        self._preloaded.setdefault(spec.layer, set()).update(keys)
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            rows: Any = self.session.scalars(select(spec.model).where(column.in_(chunk))).unique()
            for row in rows:
                cache[getattr(row, spec.key)] = row

    def find(self, spec: LayerSpec, key: str) -> PlaceRow | None:
        if key in self._preloaded.get(spec.layer, ()):
            return self._rows[spec.layer].get(key)
        column = getattr(spec.model, spec.key)
        row: PlaceRow | None = self.session.scalars(select(spec.model).where(column == key)).unique().first()  # type: ignore[assignment]
        return row

    def _id_of(self, column: Any, key: str) -> int | None:
        """Id of the row whose `column` equals `key` (whole small tables are cached: units, alleys …)."""
        if column not in self._ids:
            model = column.class_
            self._ids[column] = dict(self.session.execute(select(column, model.id)).all())
        return self._ids[column].get(key)

    def apply(
        self, spec: LayerSpec, props: PlaceProps, geom: BaseGeometry, *, existing: PlaceRow | None = None
    ) -> tuple[PlaceRow, Outcome]:
        """Create the row with this natural key, or update it; report whether anything changed.
        New rows get their id at the next flush."""
        row = existing if existing is not None else self.find(spec, getattr(props, spec.key))
        created = row is None
        if row is None:
            row = spec.model()
        # Derive lengths, areas and parents from the coordinates as stored, so that re-importing an
        # export computes exactly the same values (and reports "unchanged").
        geom = stored_precision(geom)
        with self.session.no_autoflush:  # the fillers look things up before the row is complete
            _FILLERS[spec.layer](self, row, props, geom)
        if created:
            row.updated_at = self.clock.now()
            self.session.add(row)
            return row, "created"
        if self.session.is_modified(row):
            row.updated_at = self.clock.now()
            return row, "updated"
        return row, "unchanged"

    # ---- per-layer filling ---------------------------------------------------------------------
    def _community_id(self, code: str, field: str) -> int:
        community_id = self._id_of(Community.code, code)
        if community_id is None:
            raise RowProblem(field, f"社区 {code} 不存在，请先导入社区")
        return community_id

    def _alley_id(self, code: str | None, point: Point) -> int | None:
        if code is None:
            return self.index.nearest_alley(point)
        alley_id = self._id_of(Alley.code, code)
        if alley_id is None:
            raise RowProblem("所在街巷编码", f"街巷 {code} 不存在")
        return alley_id

    def _all_keys(self, column: Any) -> list[str]:
        self._id_of(column, "")
        return list(self._ids[column])

    def _unit_id(self, name: str | None, field: str) -> int | None:
        if name is None:
            return None
        unit_id = self._id_of(Unit.name, name)
        if unit_id is None:
            raise RowProblem(field, f"单位“{name}”不存在，请先创建该单位")
        return unit_id

    def _fill_subdistrict(self, row: Any, props: Any, geom: BaseGeometry) -> None:
        row.code, row.name = props.code, props.name
        _set_shape(row, geom)
        row.area_m2 = round(area_square_metres(geom), 1)

    def _fill_community(self, row: Any, props: Any, geom: BaseGeometry) -> None:
        subdistrict_id = self._id_of(Subdistrict.code, props.code[:9])
        if subdistrict_id is None:
            raise RowProblem("社区编码", f"编码前9位对应的街道 {props.code[:9]} 不存在，请先导入街道")
        row.code, row.name, row.subdistrict_id = props.code, props.name, subdistrict_id
        _set_shape(row, geom)
        row.area_m2 = round(area_square_metres(geom), 1)

    def _fill_alley(self, row: Any, props: Any, geom: BaseGeometry) -> None:
        if props.community_code is not None:
            community_id: int | None = self._community_id(props.community_code, "所属社区编码")
        else:  # the community holding the middle of the centre line
            community_id = self.index.community_at(geom.interpolate(0.5, normalized=True))
        chief_id = None
        if props.chief_username is not None:
            chief = self.session.scalar(select(User).where(User.username == props.chief_username))
            if chief is None:
                raise RowProblem("街巷长账号", f"账号 {props.chief_username} 不存在")
            if chief.role is not Role.alley_chief:
                raise RowProblem("街巷长账号", f"账号 {props.chief_username} 的角色不是街巷长")
            chief_id = chief.id
        row.code, row.name, row.aliases = props.code, props.name, list(props.aliases)
        row.is_back_alley, row.community_id, row.chief_id = props.is_back_alley, community_id, chief_id
        _set_shape(row, geom)
        row.length_m = round(length_metres(geom), 1)

    def _fill_grid_cell(self, row: Any, props: Any, geom: BaseGeometry) -> None:
        row.code, row.community_id = props.code, self._community_id(props.code[:12], "网格编码")
        _set_shape(row, geom)
        row.area_m2 = round(area_square_metres(geom), 1)

    def _fill_building(self, row: Any, props: Any, geom: BaseGeometry) -> None:
        row.code, row.name, row.height_m, row.floors = props.code, props.name, props.height_m, props.floors
        row.community_id = self.index.community_at(geom.representative_point())
        _set_shape(row, geom)

    def _fill_component(self, row: Any, props: Any, geom: BaseGeometry) -> None:
        majors, minors = component_classes()
        class_code = props.code[6:10]
        if class_code[:2] not in majors or class_code not in minors:
            raise RowProblem("部件编码", f"第7–10位的部件类别 {class_code} 不在部件分类表中")
        if not any(code.startswith(props.code[:6]) for code in self._all_keys(Subdistrict.code)):
            raise RowProblem("部件编码", f"前6位行政区划代码 {props.code[:6]} 与已登记的街道不符")
        assert isinstance(geom, Point)
        row.code, row.class_code = props.code, class_code
        row.name = props.name or minors[class_code]
        row.state = props.state
        row.owner_unit_id = self._unit_id(props.owner_unit, "权属单位")
        row.maintainer_unit_id = self._unit_id(props.maintainer_unit, "养护单位")
        row.alley_id = self._alley_id(props.alley_code, geom)
        row.grid_cell_id = self.index.grid_cell_at(geom)
        row.community_id = self.index.community_at(geom)
        _set_point(row, geom)

    def _fill_address(self, row: Any, props: Any, geom: BaseGeometry) -> None:
        assert isinstance(geom, Point)
        row.name, row.kind, row.house_number = props.name, props.kind, props.house_number
        row.aliases = list(props.aliases)
        row.alley_id = self._alley_id(props.alley_code, geom)
        row.community_id = self.index.community_at(geom)
        _set_point(row, geom)


_FILLERS: dict[Layer, Callable[[Applier, Any, Any, BaseGeometry], None]] = {
    Layer.subdistricts: Applier._fill_subdistrict,
    Layer.communities: Applier._fill_community,
    Layer.alleys: Applier._fill_alley,
    Layer.grid_cells: Applier._fill_grid_cell,
    Layer.buildings: Applier._fill_building,
    Layer.components: Applier._fill_component,
    Layer.addresses: Applier._fill_address,
}


def _geometry_text(geom: BaseGeometry) -> str:
    return json.dumps(geometry_to_geojson(geom), separators=(",", ":"))


def _set_shape(row: Any, geom: BaseGeometry) -> None:
    row.geometry = _geometry_text(geom)
    row.min_lon, row.min_lat, row.max_lon, row.max_lat = (round(v, 7) for v in geom.bounds)


def _set_point(row: Any, geom: Point) -> None:
    row.lon, row.lat = round(geom.x, 7), round(geom.y, 7)
    row.h3_cell = h3_cell(row.lon, row.lat)


# ---- reading out ---------------------------------------------------------------------------------


def properties_of(spec: LayerSpec, row: Any) -> dict[str, Any]:
    """The exported properties of a row: the layer's input fields first, then derived read-only ones."""
    layer = spec.layer
    props: dict[str, Any] = {"id": row.id}
    if layer is Layer.subdistricts:
        props |= {"code": row.code, "name": row.name, "area_m2": row.area_m2}
    elif layer is Layer.communities:
        props |= {"code": row.code, "name": row.name, "subdistrict_name": row.subdistrict.name, "area_m2": row.area_m2}
    elif layer is Layer.alleys:
        props |= {
            "code": row.code,
            "name": row.name,
            "aliases": list(row.aliases),
            "is_back_alley": row.is_back_alley,
            "community_code": row.community.code if row.community else None,
            "chief_username": row.chief.username if row.chief else None,
            "community_name": row.community.name if row.community else None,
            "chief_name": row.chief.full_name if row.chief else None,
            "chief_phone": row.chief.phone if row.chief else None,
            "length_m": row.length_m,
        }
    elif layer is Layer.grid_cells:
        props |= {"code": row.code, "community_name": row.community.name, "area_m2": row.area_m2}
    elif layer is Layer.buildings:
        props |= {
            "code": row.code,
            "name": row.name,
            "height_m": row.height_m,
            "floors": row.floors,
            "community_name": row.community.name if row.community else None,
        }
    elif layer is Layer.components:
        majors, _ = component_classes()
        props |= {
            "code": row.code,
            "name": row.name,
            "state": row.state.value,
            "owner_unit": row.owner_unit.name if row.owner_unit else None,
            "maintainer_unit": row.maintainer_unit.name if row.maintainer_unit else None,
            "alley_code": row.alley.code if row.alley else None,
            "class_code": row.class_code,
            "major_class": majors.get(row.class_code[:2]),
            "state_label": COMPONENT_STATE_LABELS[row.state],
            "alley_name": row.alley.name if row.alley else None,
            "grid_cell_code": row.grid_cell.code if row.grid_cell else None,
            "community_name": row.community.name if row.community else None,
        }
    elif layer is Layer.addresses:
        props |= {
            "name": row.name,
            "kind": row.kind.value,
            "house_number": row.house_number,
            "aliases": list(row.aliases),
            "alley_code": row.alley.code if row.alley else None,
            "kind_label": ADDRESS_KIND_LABELS[row.kind],
            "alley_name": row.alley.name if row.alley else None,
            "community_name": row.community.name if row.community else None,
        }
    return props


def geometry_of(row: Any) -> dict[str, Any]:
    if isinstance(row, (Component, Address)):
        return {"type": "Point", "coordinates": [row.lon, row.lat]}
    return dict(json.loads(row.geometry))


def to_feature(spec: LayerSpec, row: Any) -> dict[str, Any]:
    return {"type": "Feature", "id": row.id, "geometry": geometry_of(row), "properties": properties_of(spec, row)}
