"""Geography: China's coordinate systems (WGS-84 ⇄ GCJ-02 ⇄ BD-09), metric projection, lengths and H3.

Storage is always WGS-84 lon/lat. GCJ-02 (the offset of Chinese web maps such as 高德/腾讯/天地图 tiles
shown in China) and BD-09 (百度) are converted at the edges. The GCJ-02 offset formula is the publicly
documented one; its inverse has no closed form and is solved by fixed-point iteration to < 1 cm.
"""

from __future__ import annotations

import json
import math
from enum import StrEnum
from functools import lru_cache
from typing import Any

import h3
import numpy as np
import shapely
from pyproj import CRS, Geod, Transformer
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

STORED_DECIMALS = 7  # coordinate decimals kept in the database: ≈ 1 cm
H3_STORAGE_RESOLUTION = 12  # ≈ 300 m² cells: fine enough for any coarser parent that analytics asks for

_GCJ_A = 6378245.0  # Krasovsky 1940 semi-major axis used by the GCJ-02 formula
_GCJ_EE = 0.00669342162296594323
_BD_X_PI = math.pi * 3000.0 / 180.0
_GEOD = Geod(ellps="WGS84")


class CoordinateSystem(StrEnum):
    wgs84 = "wgs84"
    gcj02 = "gcj02"
    bd09 = "bd09"


def in_china(lon: float, lat: float) -> bool:
    """The rough rectangle where the GCJ-02 offset applies (outside it, GCJ-02 equals WGS-84)."""
    return 72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271


def _gcj_delta(lon: float, lat: float) -> tuple[float, float]:
    x, y = lon - 105.0, lat - 35.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    dlat += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    dlat += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    dlat += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    dlon += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    dlon += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    dlon += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    radlat = lat / 180.0 * math.pi
    magic = 1 - _GCJ_EE * math.sin(radlat) ** 2
    sqrt_magic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_GCJ_A * (1 - _GCJ_EE)) / (magic * sqrt_magic) * math.pi)
    dlon = (dlon * 180.0) / (_GCJ_A / sqrt_magic * math.cos(radlat) * math.pi)
    return dlon, dlat


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    if not in_china(lon, lat):
        return lon, lat
    dlon, dlat = _gcj_delta(lon, lat)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    if not in_china(lon, lat):
        return lon, lat
    wlon, wlat = lon, lat
    for _ in range(30):
        glon, glat = wgs84_to_gcj02(wlon, wlat)
        dlon, dlat = glon - lon, glat - lat
        wlon, wlat = wlon - dlon, wlat - dlat
        if abs(dlon) < 1e-10 and abs(dlat) < 1e-10:
            break
    return wlon, wlat


def gcj02_to_bd09(lon: float, lat: float) -> tuple[float, float]:
    z = math.sqrt(lon * lon + lat * lat) + 0.00002 * math.sin(lat * _BD_X_PI)
    theta = math.atan2(lat, lon) + 0.000003 * math.cos(lon * _BD_X_PI)
    return z * math.cos(theta) + 0.0065, z * math.sin(theta) + 0.006


def bd09_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    x, y = lon - 0.0065, lat - 0.006
    z = math.sqrt(x * x + y * y) - 0.00002 * math.sin(y * _BD_X_PI)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * _BD_X_PI)
    return z * math.cos(theta), z * math.sin(theta)


def to_wgs84(lon: float, lat: float, crs: CoordinateSystem) -> tuple[float, float]:
    """Convert a point declared in `crs` to WGS-84."""
    if crs is CoordinateSystem.gcj02:
        return gcj02_to_wgs84(lon, lat)
    if crs is CoordinateSystem.bd09:
        return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))
    return lon, lat


def from_wgs84(lon: float, lat: float, crs: CoordinateSystem) -> tuple[float, float]:
    """Convert a WGS-84 point to `crs` (e.g. to draw it on a GCJ-02 basemap)."""
    if crs is CoordinateSystem.gcj02:
        return wgs84_to_gcj02(lon, lat)
    if crs is CoordinateSystem.bd09:
        return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))
    return lon, lat


# ---- metric work -------------------------------------------------------------------------------


def utm_epsg(lon: float, lat: float) -> int:
    """EPSG code of the WGS-84 UTM zone containing the point (Beijing: 32650)."""
    zone = int((lon + 180.0) // 6.0) % 60 + 1
    return (32600 if lat >= 0 else 32700) + zone


@lru_cache(maxsize=16)
def _transformers(epsg: int) -> tuple[Transformer, Transformer]:
    wgs84 = CRS.from_epsg(4326)
    metric = CRS.from_epsg(epsg)
    return (
        Transformer.from_crs(wgs84, metric, always_xy=True),
        Transformer.from_crs(metric, wgs84, always_xy=True),
    )


def to_metric(geom: BaseGeometry, epsg: int | None = None) -> tuple[BaseGeometry, int]:
    """Project a WGS-84 geometry to metres (its UTM zone unless `epsg` is given)."""
    if epsg is None:
        centre = geom.centroid
        epsg = utm_epsg(centre.x, centre.y)
    forward, _ = _transformers(epsg)
    return _apply(forward, geom), epsg


def from_metric(geom: BaseGeometry, epsg: int) -> BaseGeometry:
    _, inverse = _transformers(epsg)
    return _apply(inverse, geom)


def _apply(transformer: Transformer, geom: BaseGeometry) -> BaseGeometry:
    def convert(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geom, convert)


def buffer_metres(geom: BaseGeometry, metres: float) -> BaseGeometry:
    """Buffer a WGS-84 geometry by a distance in metres; the result is WGS-84."""
    projected, epsg = to_metric(geom)
    return from_metric(projected.buffer(metres), epsg)


def length_metres(geom: BaseGeometry) -> float:
    """Geodesic length of a (multi)line on the WGS-84 ellipsoid, in metres."""
    return float(_GEOD.geometry_length(geom))


def area_square_metres(geom: BaseGeometry) -> float:
    """Geodesic area of a (multi)polygon on the WGS-84 ellipsoid, in square metres."""
    area, _ = _GEOD.geometry_area_perimeter(geom)
    return abs(float(area))


class LocalFrame:
    """A flat x/y frame in metres around a reference point (equirectangular). Over a subdistrict — a few
    kilometres — it is within 0.1 % of geodesic distance and costs a multiplication instead of a pyproj
    call, which matters when a million reports are placed."""

    def __init__(self, lon0: float, lat0: float) -> None:
        phi = math.radians(lat0)
        # Metres per degree on the WGS-84 ellipsoid at this latitude.
        self.lon0, self.lat0 = lon0, lat0
        self.kx = 111_412.84 * math.cos(phi) - 93.5 * math.cos(3 * phi)
        self.ky = 111_132.92 - 559.82 * math.cos(2 * phi) + 1.175 * math.cos(4 * phi)

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return (lon - self.lon0) * self.kx, (lat - self.lat0) * self.ky

    def project(self, geom: BaseGeometry) -> BaseGeometry:
        def convert(coords: np.ndarray) -> np.ndarray:
            return np.column_stack([(coords[:, 0] - self.lon0) * self.kx, (coords[:, 1] - self.lat0) * self.ky])

        return shapely.transform(geom, convert)

    def distance(self, lon1: float, lat1: float, lon2: float, lat2: float) -> float:
        return math.hypot((lon2 - lon1) * self.kx, (lat2 - lat1) * self.ky)


def distance_metres(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    _, _, dist = _GEOD.inv(lon1, lat1, lon2, lat2)
    return float(dist)


# ---- H3 ---------------------------------------------------------------------------------------


def h3_cell(lon: float, lat: float, resolution: int = H3_STORAGE_RESOLUTION) -> str:
    return str(h3.latlng_to_cell(lat, lon, resolution))


def h3_parent(cell: str, resolution: int) -> str:
    return str(h3.cell_to_parent(cell, resolution))


def h3_cells_along(geom: BaseGeometry, resolution: int, *, step_metres: float = 25.0) -> set[str]:
    """Cells a WGS-84 line (or any geometry's boundary) passes through, sampled every `step_metres`."""
    line = geom if geom.geom_type in ("LineString", "MultiLineString") else geom.boundary
    parts = list(getattr(line, "geoms", [line]))
    cells: set[str] = set()
    for part in parts:
        samples = max(2, int(length_metres(part) / step_metres) + 1)
        for i in range(samples):
            point = part.interpolate(i / (samples - 1), normalized=True)
            cells.add(h3_cell(point.x, point.y, resolution))
    return cells


def h3_cells_in(geom: BaseGeometry, resolution: int) -> set[str]:
    """Cells whose centres lie in a WGS-84 (multi)polygon."""
    return set(h3.geo_to_cells(mapping(geom), resolution))


# ---- GeoJSON text ------------------------------------------------------------------------------


def geometry_from_geojson(value: str | dict[str, Any]) -> BaseGeometry:
    data = json.loads(value) if isinstance(value, str) else value
    return shape(data)


def stored_precision(geom: BaseGeometry) -> BaseGeometry:
    """The geometry with coordinates rounded as they are stored (7 decimals ≈ 1 cm)."""
    return shapely.transform(geom, lambda coords: np.round(coords, STORED_DECIMALS))


def geometry_to_geojson(geom: BaseGeometry, *, precision: int = STORED_DECIMALS) -> dict[str, Any]:
    """GeoJSON dict of a geometry, coordinates rounded (7 decimals ≈ 1 cm, plenty for a street)."""
    rounded: dict[str, Any] = _round_coords(mapping(geom), precision)
    return rounded


def _round_coords(obj: Any, precision: int) -> Any:
    if isinstance(obj, float):
        return round(obj, precision)
    if isinstance(obj, (list, tuple)):
        return [_round_coords(item, precision) for item in obj]
    if isinstance(obj, dict):
        return {key: _round_coords(item, precision) for key, item in obj.items()}
    return obj
