"""Places service: list, read, create, change and delete places within the caller's scope."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from shapely.geometry import box
from sqlalchemy import ColumnElement, Select, false, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jiexiang.core.errors import Conflict, InvalidInput, NotFound
from jiexiang.core.geo import geometry_from_geojson
from jiexiang.core.paging import Paging, paginate
from jiexiang.core.time import Clock
from jiexiang.domains.accounts.service import Scope
from jiexiang.domains.places.enums import LAYER_LABELS, Layer
from jiexiang.domains.places.layers import (
    SPECS,
    Applier,
    LayerSpec,
    PlaceRow,
    RowProblem,
    check_geometry,
    properties_of,
    to_feature,
)
from jiexiang.domains.places.models import Alley, Community, Component, Subdistrict
from jiexiang.domains.places.schemas import FeatureCreate, PlacePage
from jiexiang.domains.places.validation import describe_validation_error

MAX_PAGE_SIZE = 1000


@dataclass(frozen=True)
class BBox:
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float

    @classmethod
    def parse(cls, text: str) -> BBox:
        try:
            min_lon, min_lat, max_lon, max_lat = (float(part) for part in text.split(","))
        except ValueError as exc:
            raise InvalidInput("bbox 应为“最小经度,最小纬度,最大经度,最大纬度”四个数", code="bad_bbox") from exc
        if not (min_lon <= max_lon and min_lat <= max_lat):
            raise InvalidInput("bbox 的最小值不能大于最大值", code="bad_bbox")
        return cls(min_lon, min_lat, max_lon, max_lat)


def _scope_filter(spec: LayerSpec, scope: Scope) -> ColumnElement[bool] | None:
    """The SQL condition that keeps a row inside the caller's scope (None: no limit)."""
    model: Any = spec.model
    conditions: list[ColumnElement[bool]] = []
    if scope.limited_to_places:
        if spec.layer is Layer.subdistricts:
            pass  # the subdistrict outline is context everyone needs
        elif spec.layer is Layer.communities:
            alley_communities = select(Alley.community_id).where(Alley.id.in_(scope.alley_ids))
            conditions.append(or_(model.id.in_(scope.community_ids), model.id.in_(alley_communities)))
        elif spec.layer is Layer.alleys:
            conditions.append(or_(model.community_id.in_(scope.community_ids), model.id.in_(scope.alley_ids)))
        elif hasattr(model, "alley_id"):
            conditions.append(or_(model.community_id.in_(scope.community_ids), model.alley_id.in_(scope.alley_ids)))
        else:
            conditions.append(model.community_id.in_(scope.community_ids) if scope.community_ids else false())
    if scope.unit_id is not None and spec.layer is Layer.components:
        conditions.append(or_(Component.owner_unit_id == scope.unit_id, Component.maintainer_unit_id == scope.unit_id))
    if not conditions:
        return None
    combined = conditions[0]
    for condition in conditions[1:]:
        combined = combined & condition
    return combined


def scoped_query(spec: LayerSpec, *, scope: Scope) -> Select[Any]:
    query = select(spec.model)
    condition = _scope_filter(spec, scope)
    return query if condition is None else query.where(condition)


def alley_ids_in(session: Session, *, scope: Scope) -> set[int] | None:
    """The alleys an account's view is limited to; None when it is not limited to places."""
    if not scope.limited_to_places:
        return None
    condition = _scope_filter(SPECS[Layer.alleys], scope)
    return set(session.scalars(select(Alley.id).where(condition) if condition is not None else select(Alley.id)))


def list_(
    session: Session,
    *,
    layer: Layer,
    scope: Scope,
    community_id: int | None = None,
    bbox: BBox | None = None,
    q: str | None = None,
    paging: Paging,
) -> PlacePage:
    spec = SPECS[layer]
    model: Any = spec.model
    query = scoped_query(spec, scope=scope)
    if community_id is not None:
        if layer is Layer.subdistricts:
            query = query.where(
                model.id == select(Community.subdistrict_id).where(Community.id == community_id).scalar_subquery()
            )
        else:
            query = query.where((model.id if layer is Layer.communities else model.community_id) == community_id)
    if q:  # by name where the layer has one (grid cells and components have codes only), and by key
        searched = [getattr(model, spec.key)] + ([model.name] if hasattr(model, "name") else [])
        query = query.where(or_(*(column.contains(q) for column in searched)))
    if bbox is not None:
        query = _bbox_prefilter(query, model, bbox)
    query = query.order_by(getattr(model, spec.key), model.id)
    if bbox is not None and not hasattr(model, "lon"):
        # Lines and polygons: the bbox columns only prefilter; keep what really intersects.
        window = box(bbox.min_lon, bbox.min_lat, bbox.max_lon, bbox.max_lat)
        ids = [
            row_id
            for row_id, text in session.execute(query.with_only_columns(model.id, model.geometry))
            if geometry_from_geojson(text).intersects(window)
        ]
        total = len(ids)
        page_ids = ids[paging.offset : paging.offset + paging.page_size]
        rows_by_id = {r.id: r for r in session.scalars(select(model).where(model.id.in_(page_ids)))}
        rows = [rows_by_id[i] for i in page_ids]
    else:
        rows, total = paginate(session, query, paging)
    features = [to_feature(spec, row) for row in rows]
    return PlacePage(
        features=features,
        numberMatched=total,
        numberReturned=len(features),
        page=paging.page,
        page_size=paging.page_size,
    )


def _bbox_prefilter(query: Select[Any], model: Any, bbox: BBox) -> Select[Any]:
    if hasattr(model, "lon"):
        return query.where(model.lon.between(bbox.min_lon, bbox.max_lon), model.lat.between(bbox.min_lat, bbox.max_lat))
    return query.where(
        model.max_lon >= bbox.min_lon,
        model.min_lon <= bbox.max_lon,
        model.max_lat >= bbox.min_lat,
        model.min_lat <= bbox.max_lat,
    )


def get(session: Session, *, layer: Layer, place_id: int, scope: Scope) -> PlaceRow:
    spec = SPECS[layer]
    model: Any = spec.model
    row: PlaceRow | None = session.scalars(scoped_query(spec, scope=scope).where(model.id == place_id)).unique().first()
    if row is None:
        raise NotFound(f"{LAYER_LABELS[layer]} {place_id} 不存在或不在您的管辖范围内", code="place_not_found")
    return row


def _validated(spec: LayerSpec, feature: FeatureCreate) -> tuple[Any, Any]:
    try:
        props = spec.props.model_validate(feature.properties)
        geom = check_geometry(spec, feature.geometry)
    except ValidationError as exc:
        raise InvalidInput(describe_validation_error(spec.props, exc), code="invalid_place") from exc
    except RowProblem as problem:
        raise InvalidInput(f"字段“{problem.field}”：{problem.message}", code="invalid_place") from problem
    return props, geom


def _apply(applier: Applier, spec: LayerSpec, props: Any, geom: Any, existing: PlaceRow | None) -> PlaceRow:
    try:
        row, _ = applier.apply(spec, props, geom, existing=existing)
    except RowProblem as problem:
        raise InvalidInput(f"字段“{problem.field}”：{problem.message}", code="invalid_place") from problem
    applier.session.flush()
    applier.session.refresh(row)  # load the parents (community, chief …) the feature shows
    return row


def create(session: Session, *, layer: Layer, feature: FeatureCreate, clock: Clock) -> dict[str, Any]:
    spec = SPECS[layer]
    props, geom = _validated(spec, feature)
    applier = Applier(session, clock=clock)
    key = getattr(props, spec.key)
    if applier.find(spec, key) is not None:
        raise Conflict(f"{LAYER_LABELS[layer]}“{key}”已存在", code="place_exists")
    return to_feature(spec, _apply(applier, spec, props, geom, None))


def update(
    session: Session, *, layer: Layer, place_id: int, feature: FeatureCreate, scope: Scope, clock: Clock
) -> dict[str, Any]:
    """Change some properties and/or the geometry; what is not sent stays as it was."""
    spec = SPECS[layer]
    row = get(session, layer=layer, place_id=place_id, scope=scope)
    current = to_feature(spec, row)
    merged = FeatureCreate(
        properties=current["properties"] | feature.properties,
        geometry=feature.geometry if feature.geometry is not None else current["geometry"],
    )
    props, geom = _validated(spec, merged)
    key = getattr(props, spec.key)
    applier = Applier(session, clock=clock)
    other = applier.find(spec, key)
    if other is not None and other.id != row.id:
        raise Conflict(f"{LAYER_LABELS[layer]}“{key}”已被其他记录使用", code="place_exists")
    return to_feature(spec, _apply(applier, spec, props, geom, row))


def delete(session: Session, *, layer: Layer, place_id: int, scope: Scope) -> None:
    row = get(session, layer=layer, place_id=place_id, scope=scope)
    try:
        with session.begin_nested():
            session.delete(row)
            session.flush()
    except IntegrityError as exc:
        raise Conflict(
            f"{LAYER_LABELS[layer]} {place_id} 仍被其他数据引用（例如下属的社区、网格或部件），不能删除",
            code="place_in_use",
        ) from exc


def subdistrict_summary(session: Session) -> list[dict[str, Any]]:
    """Name and counts per subdistrict, for health checks and the front page."""
    rows = session.scalars(select(Subdistrict).order_by(Subdistrict.code))
    return [properties_of(SPECS[Layer.subdistricts], row) for row in rows]


def ids_by_code(session: Session, *, layer: Layer, codes: Iterable[str]) -> list[int]:
    """Ids of the places with these natural keys, in the same order; unknown ones are an error."""
    spec = SPECS[layer]
    model: Any = spec.model
    wanted = list(codes)
    if not wanted:
        return []
    column = getattr(model, spec.key)
    found: dict[str, int] = {
        key: row_id for key, row_id in session.execute(select(column, model.id).where(column.in_(wanted)))
    }
    missing = [code for code in wanted if code not in found]
    if missing:
        raise NotFound(f"{LAYER_LABELS[layer]} {'、'.join(missing)} 不存在", code="place_not_found")
    return [found[code] for code in wanted]
