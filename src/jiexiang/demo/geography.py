"""Generates the demo subdistrict's geography in a local metric frame and returns it as import rows.

Layout (synthetic, at the real location ≈ 39.90 N, 116.37 E; 1.6 km × 1.4 km = 2.24 km²): five north–south
and five east–west main streets cut the area into 16 blocks; inside each block hutongs run east–west
(some ending blind) with north–south lanes between them, lined by courtyard houses, with taller buildings
on the main avenue. 102 streets in all, 92 of them back alleys, as in 西长安街.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from shapely.affinity import translate
from shapely.geometry import LineString, Point, box
from shapely.geometry.base import BaseGeometry

from jiexiang.core.geo import from_metric, to_metric
from jiexiang.demo import names
from jiexiang.domains.places.enums import Layer
from jiexiang.domains.places.fileio import RawRow

SOUTH_WEST = (116.3645, 39.8965)  # WGS-84 corner of the demo area
WIDTH, HEIGHT = 1600.0, 1400.0
AREA = box(0, 0, WIDTH, HEIGHT)
STREET_XS = [0.0, 400.0, 800.0, 1200.0, 1600.0]
STREET_YS = [0.0, 350.0, 700.0, 1050.0, 1400.0]
ALLEY_OFFSETS = [70.0, 140.0, 210.0, 280.0]  # east–west hutongs inside a block, from its south street
ALLEYS_PER_CHIEF = 3
SUBDISTRICT_CODE = names.SUBDISTRICT[0]
ADMIN_CODE = SUBDISTRICT_CODE[:6]

# Which unit owns / maintains each component class in the demo.
COMPONENT_UNITS = {
    "0101": ("北京市自来水集团", "北京市自来水集团"),
    "0102": ("北京城市排水集团", "北京城市排水集团"),
    "0103": ("北京城市排水集团", "北京城市排水集团"),
    "0105": ("国网北京城区供电公司", "国网北京城区供电公司"),
    "0107": ("北京联通西城分公司", "北京联通西城分公司"),
    "0108": ("北京市热力集团", "北京市热力集团"),
    "0109": ("北京燃气集团", "北京燃气集团"),
    "0111": ("北京市自来水集团", "北京市自来水集团"),
    "0114": ("北京市路灯管理中心", "北京市路灯管理中心"),
    "0301": ("西城区城市管理委员会", "西长安街街道城市管理办公室"),
    "0304": ("西城区城市管理委员会", "长安物业管理有限公司"),
    "0305": ("西城区城市管理委员会", "长安物业管理有限公司"),
    "0402": ("西城区园林绿化局", "西城区园林绿化局"),
}
MANHOLE_CLASSES = ["0101", "0102", "0103", "0103", "0105", "0107", "0108", "0109"]


@dataclass
class _Alley:
    code: str
    name: str
    line: LineString  # local metres
    is_back_alley: bool
    chief: str


@dataclass
class DemoGeography:
    rows: dict[Layer, list[RawRow]] = field(default_factory=lambda: {layer: [] for layer in Layer})
    alley_codes_by_chief: dict[str, list[str]] = field(default_factory=dict)
    community_codes: list[str] = field(default_factory=list)

    def add(self, layer: Layer, values: dict[str, Any], geometry: BaseGeometry) -> None:
        rows = self.rows[layer]
        rows.append(RawRow(layer, len(rows) + 1, values, geometry))


class _Frame:
    """Local metres (x east, y north from the south-west corner) ⇄ WGS-84."""

    def __init__(self) -> None:
        origin, self.epsg = to_metric(Point(*SOUTH_WEST))
        assert isinstance(origin, Point)
        self.dx, self.dy = origin.x, origin.y

    def wgs84(self, geom: BaseGeometry) -> BaseGeometry:
        return from_metric(translate(geom, self.dx, self.dy), self.epsg)


def alley_names(rng: random.Random, count: int) -> list[str]:
    chosen = list(names.BRIEFING_ALLEYS) + list(names.REAL_ALLEYS)
    generated = [p + b + "胡同" for b in names.GENERATED_BASES for p in names.GENERATED_PREFIXES]
    rng.shuffle(generated)
    for name in generated:
        if len(chosen) >= count:
            break
        if name not in chosen:
            chosen.append(name)
    head, tail = chosen[: len(names.BRIEFING_ALLEYS)], chosen[len(names.BRIEFING_ALLEYS) : count]
    rng.shuffle(tail)
    return head + tail


def _wobbly(rng: random.Random, start: tuple[float, float], end: tuple[float, float], steps: int) -> LineString:
    """A hutong centre line: straight ends on the streets, a gentle wobble in between."""
    points = [start]
    for i in range(1, steps):
        t = i / steps
        x = start[0] + (end[0] - start[0]) * t
        y = start[1] + (end[1] - start[1]) * t
        if start[1] == end[1]:
            y += rng.uniform(-4, 4)
        else:
            x += rng.uniform(-4, 4)
        points.append((x, y))
    points.append(end)
    return LineString(points)


def _alleys(
    rng: random.Random,
) -> tuple[list[_Alley], dict[tuple[int, int], list[float]], dict[tuple[int, int], list[float]]]:
    """All 102 streets and alleys; also each block's alley y positions and lane x positions."""
    main: list[tuple[str, LineString]] = [
        (name, LineString([(x, 0.0), (x, HEIGHT)]))
        for name, x in zip(names.NORTH_SOUTH_STREETS, STREET_XS, strict=True)
    ] + [(name, LineString([(0.0, y), (WIDTH, y)])) for name, y in zip(names.EAST_WEST_STREETS, STREET_YS, strict=True)]
    back: list[LineString] = []
    block_alley_ys: dict[tuple[int, int], list[float]] = {}
    block_lane_xs: dict[tuple[int, int], list[float]] = {}
    blocks = [(col, row) for row in range(4) for col in range(4)]
    lane_blocks = set(rng.sample(blocks, 14))
    for col, row in blocks:
        x0, y0 = STREET_XS[col], STREET_YS[row]
        ys = [y0 + offset + rng.uniform(-8, 8) for offset in ALLEY_OFFSETS]
        block_alley_ys[(col, row)] = ys
        for y in ys:
            kind = rng.random()
            if kind < 0.75:
                back.append(_wobbly(rng, (x0, y), (x0 + 400, y), 4))
            elif kind < 0.875:  # blind alley entered from the west
                back.append(_wobbly(rng, (x0, y), (x0 + rng.uniform(220, 300), y), 3))
            else:  # blind alley entered from the east
                back.append(_wobbly(rng, (x0 + 400, y), (x0 + rng.uniform(100, 180), y), 3))
        xs: list[float] = []
        if (col, row) in lane_blocks:
            lane_a = x0 + rng.uniform(120, 160)
            lane_b = x0 + rng.uniform(250, 290)
            back.append(_wobbly(rng, (lane_a, y0), (lane_a, y0 + 350), 5))
            back.append(_wobbly(rng, (lane_b, ys[0]), (lane_b, ys[3]), 3))
            xs = [lane_a, lane_b]
        block_lane_xs[(col, row)] = xs
    alley_list: list[_Alley] = []
    back_names = alley_names(rng, len(back))
    ordered = [(n, line, False) for n, line in main] + [
        (n, line, True) for n, line in zip(back_names, back, strict=True)
    ]
    for index, (name, line, is_back) in enumerate(ordered):
        alley_list.append(
            _Alley(
                code=f"{SUBDISTRICT_CODE}-{index + 1:03d}",
                name=name,
                line=line,
                is_back_alley=is_back,
                chief=f"chief{index // ALLEYS_PER_CHIEF + 1:02d}",
            )
        )
    return alley_list, block_alley_ys, block_lane_xs


def _points_along(line: LineString, spacing: float, *, start: float, offset: float) -> Iterator[Point]:
    """Points every `spacing` metres along a line, shifted `offset` metres to its left (right if < 0)."""
    distance = start
    while distance < line.length:
        here = line.interpolate(distance)
        ahead = line.interpolate(min(distance + 0.5, line.length))
        behind = line.interpolate(max(distance - 0.5, 0.0))
        tx, ty = ahead.x - behind.x, ahead.y - behind.y
        norm = math.hypot(tx, ty) or 1.0
        yield Point(here.x - ty / norm * offset, here.y + tx / norm * offset)
        distance += spacing


ALIASES = {"西交民巷": ["西江米巷"], "东太平街": ["太平街"], "背阴胡同": ["背荫胡同"], "力学胡同": ["驴肉胡同"]}


def build(seed: int) -> DemoGeography:
    rng = random.Random(seed)
    frame = _Frame()
    geo = DemoGeography()
    geo.add(
        Layer.subdistricts,
        {"code": SUBDISTRICT_CODE, "name": names.SUBDISTRICT[1]},
        frame.wgs84(box(0, 0, WIDTH, HEIGHT)),
    )
    for index, (suffix, name) in enumerate(names.COMMUNITIES):
        col, row = index % 4, index // 4
        code = SUBDISTRICT_CODE + suffix
        geo.community_codes.append(code)
        geo.add(
            Layer.communities,
            {"code": code, "name": name},
            frame.wgs84(box(col * 400, row * 700, col * 400 + 400, row * 700 + 700)),
        )

    alleys, block_alley_ys, block_lane_xs = _alleys(rng)
    for alley in alleys:
        geo.alley_codes_by_chief.setdefault(alley.chief, []).append(alley.code)
        geo.add(
            Layer.alleys,
            {
                "code": alley.code,
                "name": alley.name,
                "is_back_alley": alley.is_back_alley,
                "aliases": ALIASES.get(alley.name, []),
                "chief_username": alley.chief,
            },
            frame.wgs84(alley.line),
        )

    serials: dict[str, int] = {}
    for gy in range(int(HEIGHT // 100)):
        for gx in range(int(WIDTH // 100)):
            community = geo.community_codes[(gy // 7) * 4 + gx // 4]
            serials[community] = serials.get(community, 0) + 1
            geo.add(
                Layer.grid_cells,
                {"code": f"{community}{serials[community]:03d}"},
                frame.wgs84(box(gx * 100, gy * 100, gx * 100 + 100, gy * 100 + 100)),
            )

    _buildings(rng, frame, geo, block_alley_ys, block_lane_xs)
    _components(rng, frame, geo, alleys)
    _addresses(rng, frame, geo, alleys)
    return geo


def _buildings(
    rng: random.Random,
    frame: _Frame,
    geo: DemoGeography,
    block_alley_ys: dict[tuple[int, int], list[float]],
    block_lane_xs: dict[tuple[int, int], list[float]],
) -> None:
    count = 0
    for (col, row), ys in sorted(block_alley_ys.items()):
        x0, y0 = STREET_XS[col], STREET_YS[row]
        lines = [y0, *ys, y0 + 350]
        lanes = block_lane_xs[(col, row)]
        for south, north in itertools.pairwise(lines):
            depth = min(22.0, (north - south - 14 - 6) / 2)
            on_avenue = abs(south - 700) < 1 or abs(north - 700) < 1  # facing 西长安街
            for y_from, y_to in ((south + 7, south + 7 + depth), (north - 7 - depth, north - 7)):
                x = x0 + 9
                while True:
                    width = rng.uniform(12, 28)
                    if x + width > x0 + 391:
                        break
                    if any(x - 8 < lane < x + width + 8 for lane in lanes):
                        x += width + 4
                        continue
                    count += 1
                    tall = on_avenue and rng.random() < 0.6
                    height = rng.uniform(18, 60) if tall else rng.uniform(4, 7.5)
                    geo.add(
                        Layer.buildings,
                        {
                            "code": f"B{count:05d}",
                            "height_m": round(height, 1),
                            "floors": max(1, round(height / 3.2)),
                        },
                        frame.wgs84(box(x, y_from, x + width, y_to)),
                    )
                    x += width + rng.uniform(2, 5)


def _components(rng: random.Random, frame: _Frame, geo: DemoGeography, alleys: list[_Alley]) -> None:
    serials: dict[str, int] = {}

    def add(class_code: str, point: Point, alley: _Alley) -> None:
        if not AREA.contains(point):  # the far side of a boundary street belongs to the neighbours
            return
        serials[class_code] = serials.get(class_code, 0) + 1
        owner, maintainer = COMPONENT_UNITS[class_code]
        roll = rng.random()
        state = "damaged" if roll < 0.03 else "missing" if roll < 0.045 else "normal"
        geo.add(
            Layer.components,
            {
                "code": f"{ADMIN_CODE}{class_code}{serials[class_code]:06d}",
                "state": state,
                "owner_unit": owner,
                "maintainer_unit": maintainer,
                "alley_code": alley.code,
            },
            frame.wgs84(point),
        )

    for index, alley in enumerate(alleys):
        line = alley.line
        for point in _points_along(line, rng.uniform(35, 45), start=rng.uniform(5, 20), offset=0.0):
            add(rng.choice(MANHOLE_CLASSES), point, alley)
        light_spacing = 35.0 if not alley.is_back_alley else 45.0
        for i, point in enumerate(_points_along(line, light_spacing, start=10, offset=3.5)):
            add("0114", point if i % 2 == 0 else _mirror(point, line), alley)
        for point in _points_along(line, 120, start=rng.uniform(20, 60), offset=3.0):
            add("0305", point, alley)
        for point in _points_along(line, 150, start=rng.uniform(30, 80), offset=-3.0):
            add("0111", point, alley)
        if alley.is_back_alley:
            add("0304", line.interpolate(0.5, normalized=True), alley)
            if index % 6 == 0:
                add("0301", next(_points_along(line, 1e9, start=line.length / 3, offset=5.0)), alley)
        else:
            for point in _points_along(line, 25, start=12, offset=6.0):
                add("0402", point, alley)


def _mirror(point: Point, line: LineString) -> Point:
    """The point on the other side of the line (street lights alternate sides)."""
    foot = line.interpolate(line.project(point))
    return Point(2 * foot.x - point.x, 2 * foot.y - point.y)


def _addresses(rng: random.Random, frame: _Frame, geo: DemoGeography, alleys: list[_Alley]) -> None:
    for alley in alleys:
        line = alley.line
        for side, offset in ((1, 9.0), (0, -9.0)):  # odd numbers on the left, even on the right
            number = side if side else 2
            for point in _points_along(line, rng.uniform(22, 30), start=rng.uniform(6, 14), offset=offset):
                if not AREA.contains(point):
                    continue
                courtyard = rng.random() < 0.15
                name = f"{alley.name}{number}号{'院' if courtyard else ''}"
                geo.add(
                    Layer.addresses,
                    {
                        "name": name,
                        "kind": "courtyard" if courtyard else "house_number",
                        "house_number": f"{number}号",
                        "alley_code": alley.code,
                    },
                    frame.wgs84(point),
                )
                if rng.random() < 0.05:  # an inserted 甲 number beside it
                    geo.add(
                        Layer.addresses,
                        {
                            "name": f"{alley.name}甲{number}号",
                            "kind": "house_number",
                            "house_number": f"甲{number}号",
                            "alley_code": alley.code,
                        },
                        frame.wgs84(translate(point, 4, 0)),
                    )
                number += 2
    spots = rng.sample([a for a in alleys if not a.is_back_alley], k=min(len(names.LANDMARKS), 10))
    for name, alley in zip(names.LANDMARKS, spots, strict=False):
        point = alley.line.interpolate(rng.uniform(0.1, 0.9), normalized=True)
        geo.add(
            Layer.addresses,
            {"name": name, "kind": "landmark", "alley_code": alley.code},
            frame.wgs84(translate(point, 12, 12)),
        )
