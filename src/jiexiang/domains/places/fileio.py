"""Import and export of the places registry as GeoJSON, CSV and XLSX.

An import is all or nothing: every row is validated first, then applied inside one savepoint; any
error — in any row — rolls the whole file back and is reported by layer, row and field, in Chinese.
Rows are keyed by their natural key (code, or name for addresses), so importing a file twice changes
nothing the second time.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import numpy as np
import shapely
from openpyxl import load_workbook
from pydantic import ValidationError
from shapely import wkt
from shapely.errors import ShapelyError
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jiexiang.core.errors import InvalidInput
from jiexiang.core.geo import CoordinateSystem, geometry_from_geojson, to_wgs84
from jiexiang.core.tables import csv_bytes, read_csv_rows, xlsx_bytes
from jiexiang.core.time import Clock
from jiexiang.domains.accounts.service import Scope
from jiexiang.domains.places.enums import LAYER_LABELS, Layer
from jiexiang.domains.places.layers import SPECS, Applier, LayerSpec, RowProblem, check_geometry, to_feature
from jiexiang.domains.places.schemas import ImportRead, ImportRowErrorRead, LayerCountsRead
from jiexiang.domains.places.service import scoped_query
from jiexiang.domains.places.validation import describe_error

log = logging.getLogger(__name__)

LON_HEADERS = ("经度", "lon", "lng", "longitude")
LAT_HEADERS = ("纬度", "lat", "latitude")
SHAPE_HEADERS = ("几何(WKT)", "几何", "geometry", "wkt")
DERIVED_LABELS = {
    "id": "ID",
    "area_m2": "面积（平方米）",
    "length_m": "长度（米）",
    "subdistrict_name": "所属街道",
    "community_name": "所属社区名称",
    "chief_name": "街巷长姓名",
    "chief_phone": "街巷长电话",
    "class_code": "类别代码",
    "major_class": "部件大类",
    "alley_name": "所在街巷名称",
    "grid_cell_code": "所在网格编码",
}
# Short headers people use in their own spreadsheets, accepted for whichever layer has the field.
HEADER_ALIASES = {
    "名称": "name",
    "编码": "code",
    "类型": "kind",
    "状态": "state",
    "高度": "height_m",
    "别称": "aliases",
    "街巷长": "chief_username",
    "社区编码": "community_code",
}
# In spreadsheets an enum column shows its Chinese label (which imports back to the same value).
_LABEL_COLUMNS = {"state": "state_label", "kind": "kind_label"}


class ImportRejected(InvalidInput):
    code = "import_rejected"


@dataclass
class RawRow:
    layer: Layer
    number: int  # row number as the user sees it: spreadsheet row, or feature position in GeoJSON
    values: dict[str, Any]
    geometry: dict[str, Any] | BaseGeometry | None
    problem: RowProblem | None = None


def layer_named(name: str) -> Layer | None:
    """The layer a file, sheet or collection name refers to (English or Chinese)."""
    cleaned = name.strip().lower().replace("_", "-")
    for layer in Layer:
        if cleaned in (layer.value, layer.value.replace("-", ""), LAYER_LABELS[layer]):
            return layer
    return None


# ---- reading ---------------------------------------------------------------------------------------


def read_rows(data: bytes, *, filename: str, layer: Layer | None) -> dict[Layer, list[RawRow]]:
    suffix = PurePath(filename).suffix.lower()
    stem_layer = layer or layer_named(PurePath(filename).stem)
    if suffix in (".geojson", ".json"):
        return _read_geojson(data, stem_layer)
    if suffix == ".csv":
        if stem_layer is None:
            raise InvalidInput("无法判断 CSV 文件属于哪个图层：请用 --layer 指定，或把文件命名为 alleys.csv 等")
        return {stem_layer: list(_rows_from_table(stem_layer, read_csv_rows(data)))}
    if suffix == ".xlsx":
        return _read_xlsx(data, layer)
    raise InvalidInput(f"不支持的文件类型“{suffix}”：请使用 GeoJSON、CSV 或 XLSX")


def _read_geojson(data: bytes, layer: Layer | None) -> dict[Layer, list[RawRow]]:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"GeoJSON 文件无法解析：{exc}") from exc
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise InvalidInput("GeoJSON 文件应为 FeatureCollection")
    layer = layer or layer_named(str(document.get("name", "")))
    if layer is None:
        raise InvalidInput('无法判断 GeoJSON 属于哪个图层：请用 --layer 指定，或在文件中写 "name": "alleys"')
    rows = []
    for number, feature in enumerate(document.get("features") or [], start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            rows.append(RawRow(layer, number, {}, None, RowProblem(None, "不是 GeoJSON Feature")))
            continue
        properties = feature.get("properties") or {}
        rows.append(RawRow(layer, number, dict(properties), feature.get("geometry")))
    return {layer: rows}


def _read_xlsx(data: bytes, layer: Layer | None) -> dict[Layer, list[RawRow]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise InvalidInput(f"XLSX 文件无法打开：{exc}") from exc
    result: dict[Layer, list[RawRow]] = {}
    try:
        for sheet in workbook.worksheets:
            sheet_layer = layer if layer is not None and len(workbook.worksheets) == 1 else layer_named(sheet.title)
            if sheet_layer is None:
                raise InvalidInput(
                    f"工作表“{sheet.title}”不对应任何图层：请命名为 社区、街巷、网格、建筑、部件、门牌地址 等"
                )
            table = [list(row) for row in sheet.iter_rows(values_only=True)]
            result.setdefault(sheet_layer, []).extend(_rows_from_table(sheet_layer, table))
    finally:
        workbook.close()
    return result


def _rows_from_table(layer: Layer, table: list[list[Any]]) -> Iterator[RawRow]:
    """Rows of a CSV/XLSX table (header on the first row) as RawRows; blank rows are skipped."""
    if not table:
        return
    spec = SPECS[layer]
    header = [str(cell).strip() if cell is not None else "" for cell in table[0]]
    columns = _header_map(spec)
    point = spec.geometry_types == ("Point",)
    for offset, cells in enumerate(table[1:], start=2):
        if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells):
            continue
        values: dict[str, Any] = {}
        geometry_cells: dict[str, Any] = {}
        for name, cell in zip(header, cells, strict=False):
            key = columns.get(name) or columns.get(name.lower())
            if key is not None:
                values[key] = cell
            elif name in LON_HEADERS or name.lower() in LON_HEADERS:
                geometry_cells["lon"] = cell
            elif name in LAT_HEADERS or name.lower() in LAT_HEADERS:
                geometry_cells["lat"] = cell
            elif name in SHAPE_HEADERS or name.lower() in SHAPE_HEADERS:
                geometry_cells["shape"] = cell
        try:
            geometry = _cell_geometry(geometry_cells, point=point)
        except RowProblem as problem:
            yield RawRow(layer, offset, values, None, problem)
            continue
        yield RawRow(layer, offset, values, geometry)


def _header_map(spec: LayerSpec) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for name, info in spec.props.model_fields.items():
        mapping[name] = name
        mapping[name.lower()] = name
        if info.title:
            mapping[info.title] = name
    for header, name in HEADER_ALIASES.items():
        if name in spec.props.model_fields:
            mapping.setdefault(header, name)
    return mapping


def _cell_geometry(cells: dict[str, Any], *, point: bool) -> dict[str, Any] | BaseGeometry | None:
    if point and ("lon" in cells or "lat" in cells):
        try:
            return Point(float(cells["lon"]), float(cells["lat"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise RowProblem("经度/纬度", "经度和纬度都必须填写数字") from exc
    text = cells.get("shape")
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    text = str(text).strip()
    try:
        return geometry_from_geojson(text) if text.startswith("{") else wkt.loads(text)
    except (ValueError, ShapelyError, KeyError, AttributeError) as exc:
        raise RowProblem(
            "几何(WKT)", "几何图形无法解析：应为 WKT（如 LINESTRING (116.37 39.90, …)）或 GeoJSON"
        ) from exc


# ---- importing ------------------------------------------------------------------------------------


def _in_wgs84(geom: BaseGeometry, crs: CoordinateSystem) -> BaseGeometry:
    if crs is CoordinateSystem.wgs84:
        return geom

    def convert(coords: np.ndarray) -> np.ndarray:
        return np.array([to_wgs84(float(x), float(y), crs) for x, y in coords])

    return shapely.transform(geom, convert)


def import_places(
    session: Session,
    *,
    data: bytes,
    filename: str,
    clock: Clock,
    layer: Layer | None = None,
    crs: CoordinateSystem = CoordinateSystem.wgs84,
) -> ImportRead:
    """Validate and apply a whole file; raises ImportRejected (changing nothing) if any row is bad."""
    return import_rows(session, batches=read_rows(data, filename=filename, layer=layer), clock=clock, crs=crs)


def import_rows(
    session: Session,
    *,
    batches: dict[Layer, list[RawRow]],
    clock: Clock,
    crs: CoordinateSystem = CoordinateSystem.wgs84,
) -> ImportRead:
    """Validate every row of every layer, then apply them parents first, all or nothing."""
    errors: list[ImportRowErrorRead] = []
    validated: list[tuple[LayerSpec, RawRow, Any, BaseGeometry]] = []
    for batch_layer in Layer:  # parents before children
        spec = SPECS[batch_layer]
        seen: dict[str, int] = {}
        for raw in batches.get(batch_layer, []):
            label = LAYER_LABELS[batch_layer]
            if raw.problem is not None:
                errors.append(
                    ImportRowErrorRead(
                        layer=label, row=raw.number, field=raw.problem.field, message=raw.problem.message
                    )
                )
                continue
            try:
                props = spec.props.model_validate(raw.values)
            except ValidationError as exc:
                for error in exc.errors():
                    field, message = describe_error(spec.props, error)
                    errors.append(ImportRowErrorRead(layer=label, row=raw.number, field=field, message=message))
                props = None
            try:
                geom = _in_wgs84(check_geometry(spec, raw.geometry), crs)
                check_geometry(spec, geom)
            except RowProblem as problem:
                errors.append(
                    ImportRowErrorRead(layer=label, row=raw.number, field=problem.field, message=problem.message)
                )
                continue
            if props is None:
                continue
            key = str(getattr(props, spec.key))
            if key in seen:
                errors.append(
                    ImportRowErrorRead(
                        layer=label, row=raw.number, field=None, message=f"“{key}”与第 {seen[key]} 行重复"
                    )
                )
                continue
            seen[key] = raw.number
            validated.append((spec, raw, props, geom))
    if not validated and not errors:
        raise ImportRejected("文件中没有可导入的数据行")

    # Valid rows are applied even when others failed, so that one report lists every problem
    # (such as unknown parents); the savepoint is rolled back if there is any.
    counts: dict[str, LayerCountsRead] = {}
    savepoint = session.begin_nested()
    applier = Applier(session, clock=clock)
    try:
        for batch_layer in Layer:
            rows = [item for item in validated if item[0].layer is batch_layer]
            if not rows:
                continue
            spec = SPECS[batch_layer]
            applier.preload(spec, [str(getattr(props, spec.key)) for _, _, props, _ in rows])
            for _, raw, props, geom in rows:
                try:
                    _, outcome = applier.apply(spec, props, geom)
                except RowProblem as problem:
                    errors.append(
                        ImportRowErrorRead(
                            layer=LAYER_LABELS[spec.layer], row=raw.number, field=problem.field, message=problem.message
                        )
                    )
                    continue
                tally = counts.setdefault(spec.layer.value, LayerCountsRead())
                setattr(tally, outcome, getattr(tally, outcome) + 1)
            applier.flush()  # the next layer refers to this one's ids
    except IntegrityError as exc:
        savepoint.rollback()
        log.warning("places import violated a database constraint: %s", exc)
        raise ImportRejected("导入失败，数据库未作任何修改：数据与已有记录冲突（违反唯一性或引用约束）") from exc
    if errors:
        savepoint.rollback()
        errors.sort(key=lambda e: (list(LAYER_LABELS.values()).index(e.layer), e.row))
        raise _rejected(errors)
    savepoint.commit()
    return ImportRead(counts=counts)


def _rejected(errors: list[ImportRowErrorRead]) -> ImportRejected:
    shown = "；".join(error.describe() for error in errors[:5])
    more = f"；另有 {len(errors) - 5} 处错误" if len(errors) > 5 else ""
    return ImportRejected(
        f"导入失败，数据库未作任何修改。共 {len(errors)} 处错误：{shown}{more}",
        details=[error.model_dump() for error in errors],
    )


# ---- exporting ------------------------------------------------------------------------------------


def features(session: Session, *, layer: Layer, scope: Scope) -> list[dict[str, Any]]:
    spec = SPECS[layer]
    model: Any = spec.model
    query = scoped_query(spec, scope=scope).order_by(getattr(model, spec.key))
    return [to_feature(spec, row) for row in session.scalars(query).unique()]


def export_geojson(session: Session, *, layer: Layer, scope: Scope) -> bytes:
    collection = {
        "type": "FeatureCollection",
        "name": layer.value,
        "features": features(session, layer=layer, scope=scope),
    }
    return json.dumps(collection, ensure_ascii=False, indent=1).encode("utf-8")


def _table(layer: Layer, items: Iterable[dict[str, Any]]) -> list[list[Any]]:
    """Header (Chinese) and rows for CSV/XLSX: input fields first, derived fields after, then geometry."""
    spec = SPECS[layer]
    point = spec.geometry_types == ("Point",)
    items = list(items)
    names = [name for name in (items[0]["properties"] if items else {}) if name not in _LABEL_COLUMNS.values()]
    if not names:
        names = ["id", *spec.props.model_fields]
    header = [
        (spec.props.model_fields[n].title or n) if n in spec.props.model_fields else DERIVED_LABELS.get(n, n)
        for n in names
    ]
    header += ["经度", "纬度"] if point else ["几何(WKT)"]
    rows: list[list[Any]] = [header]
    for item in items:
        props = item["properties"]
        row = [_cell(props[_LABEL_COLUMNS.get(name, name)]) for name in names]
        geom = item["geometry"]
        row += geom["coordinates"][:2] if point else [geometry_from_geojson(geom).wkt]
        rows.append(row)
    return rows


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(value)
    return value


def export_csv(session: Session, *, layer: Layer, scope: Scope) -> bytes:
    return csv_bytes(_table(layer, features(session, layer=layer, scope=scope)))


def export_xlsx(session: Session, *, layers: Iterable[Layer], scope: Scope) -> bytes:
    return xlsx_bytes(
        (LAYER_LABELS[layer], _table(layer, features(session, layer=layer, scope=scope))) for layer in layers
    )
