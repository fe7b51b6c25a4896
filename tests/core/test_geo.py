from __future__ import annotations

import math

import h3
import pytest
from shapely.geometry import LineString, Point

from jiexiang.core import geo
from jiexiang.core.geo import CoordinateSystem

# Published pairs for (116.404, 39.915), the reference values of the widely used `coordtransform` library.
PUBLISHED = {
    "wgs84_to_gcj02": (116.41024449916938, 39.91640428150164),
    "gcj02_to_bd09": (116.41036949371029, 39.92133699351021),
    "bd09_to_gcj02": (116.39762729119315, 39.90865673957631),
    # The library's one-step inverse; ours iterates, so it agrees to ~1e-6° and round-trips exactly.
    "gcj02_to_wgs84": (116.39775550083061, 39.91359571849836),
}


@pytest.mark.parametrize("name", ["wgs84_to_gcj02", "gcj02_to_bd09", "bd09_to_gcj02"])
def test_forward_conversions_match_published_values(name: str) -> None:
    lon, lat = getattr(geo, name)(116.404, 39.915)
    assert lon == pytest.approx(PUBLISHED[name][0], abs=1e-9)
    assert lat == pytest.approx(PUBLISHED[name][1], abs=1e-9)


def test_gcj02_inverse_is_close_to_published_and_round_trips_to_a_centimetre() -> None:
    lon, lat = geo.gcj02_to_wgs84(116.404, 39.915)
    assert lon == pytest.approx(PUBLISHED["gcj02_to_wgs84"][0], abs=2e-5)
    assert lat == pytest.approx(PUBLISHED["gcj02_to_wgs84"][1], abs=2e-5)
    back = geo.wgs84_to_gcj02(lon, lat)
    assert geo.distance_metres(*back, 116.404, 39.915) < 0.01


def test_bd09_round_trip_through_wgs84() -> None:
    wgs = (116.3739, 39.9028)
    bd = geo.from_wgs84(*wgs, CoordinateSystem.bd09)
    assert geo.distance_metres(*bd, *wgs) > 100  # the Baidu offset is hundreds of metres in Beijing
    # BD-09's inverse formula is itself approximate (as in Baidu's own API): decimetres, not centimetres.
    assert geo.distance_metres(*geo.to_wgs84(*bd, CoordinateSystem.bd09), *wgs) < 0.5


def test_outside_china_gcj02_is_wgs84() -> None:
    assert geo.wgs84_to_gcj02(2.35, 48.85) == (2.35, 48.85)


def test_lengths_are_geodesic_metres() -> None:
    # Along a meridian at 39.905° N the WGS-84 radius of curvature is M = a(1−e²)/(1−e²sin²φ)^1.5
    # ≈ 6,361,670 m, so 0.01° (1.74533e-4 rad) is ≈ 1,110.33 m.
    line = LineString([(116.37, 39.90), (116.37, 39.91)])
    assert geo.length_metres(line) == pytest.approx(1110.33, abs=0.05)


def test_buffer_is_in_metres() -> None:
    area = geo.area_square_metres(geo.buffer_metres(Point(116.37, 39.90), 10))
    assert area == pytest.approx(math.pi * 100, rel=0.01)


def test_beijing_projects_to_utm_50n() -> None:
    assert geo.utm_epsg(116.37, 39.90) == 32650


def test_h3_cells_and_parents() -> None:
    cell = geo.h3_cell(116.37, 39.90)
    assert h3.get_resolution(cell) == geo.H3_STORAGE_RESOLUTION
    parent = geo.h3_parent(cell, 9)
    assert h3.get_resolution(parent) == 9 and h3.cell_to_parent(cell, 9) == parent


def test_the_local_frame_agrees_with_geodesic_distance_across_a_subdistrict() -> None:
    frame = geo.LocalFrame(116.374, 39.903)
    for lon, lat in ((116.3645, 39.8965), (116.384, 39.9095), (116.375, 39.904)):
        exact = geo.distance_metres(116.374, 39.903, lon, lat)
        assert frame.distance(116.374, 39.903, lon, lat) == pytest.approx(exact, rel=1e-3)
