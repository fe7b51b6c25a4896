"""In-memory spatial lookups over the registry (which community/grid cell holds a point, which alley
is nearest), so that SQLite needs no spatial extension. Small at subdistrict scale: built per import, or
shared by a server's requests through `SpatialIndex.for_session` until the registry changes."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import ClassVar

from shapely import STRtree
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiexiang.core.geo import LocalFrame, geometry_from_geojson
from jiexiang.domains.places.models import Alley, Community, GridCell

NEAREST_ALLEY_MAX_METRES = 50.0
BOUNDARY_TOLERANCE_DEGREES = 1e-5


@dataclass
class _Polygons:
    ids: list[int]
    tree: STRtree

    @classmethod
    def of(cls, rows: list[tuple[int, str]]) -> _Polygons:
        return cls([r[0] for r in rows], STRtree([geometry_from_geojson(r[1]) for r in rows]))

    def containing(self, geom: BaseGeometry) -> int | None:
        hits = self.tree.query(geom, predicate="intersects")
        if not len(hits):
            # A street on the outer boundary can fall a rounding error outside it: allow ~1 m.
            hits = self.tree.query_nearest(geom, max_distance=BOUNDARY_TOLERANCE_DEGREES)
        return self.ids[int(min(hits))] if len(hits) else None


class SpatialIndex:
    _lock: ClassVar[threading.Lock] = threading.Lock()
    _cached: ClassVar[dict[str, tuple[tuple[object, ...], SpatialIndex]]] = {}

    @classmethod
    def for_session(cls, session: Session) -> SpatialIndex:
        """The index of the registry as it is now: built once per database and rebuilt when communities,
        grid cells or alleys change (their count, id range or latest update)."""
        version = tuple(
            session.execute(
                select(
                    *(
                        aggregate
                        for model in (Community, GridCell, Alley)
                        for aggregate in (
                            select(func.count(model.id)).scalar_subquery(),
                            select(func.min(model.id)).scalar_subquery(),
                            select(func.max(model.id)).scalar_subquery(),
                            select(func.max(model.updated_at)).scalar_subquery(),
                        )
                    )
                )
            ).one()
        )
        key = str(session.get_bind().engine.url)
        with cls._lock:
            cached = cls._cached.get(key)
            if cached is None or cached[0] != version:
                cached = (version, cls(session))
                cls._cached[key] = cached
            return cached[1]

    def __init__(self, session: Session) -> None:
        self.communities = _Polygons.of(
            list(session.execute(select(Community.id, Community.geometry).order_by(Community.id)))
        )
        self.grid_cells = _Polygons.of(
            list(session.execute(select(GridCell.id, GridCell.geometry).order_by(GridCell.id)))
        )
        alleys = list(session.execute(select(Alley.id, Alley.geometry).order_by(Alley.id)))
        self._alley_ids = [a[0] for a in alleys]
        lines = [geometry_from_geojson(text) for _, text in alleys]
        centre = unary_union(lines).centroid if lines else Point(0, 0)
        self.frame = LocalFrame(centre.x, centre.y)
        metric = [self.frame.project(line) for line in lines]
        self.alley_lines = dict(zip(self._alley_ids, metric, strict=True))  # metres, in `frame`
        self._alleys = STRtree(metric)

    def community_at(self, geom: BaseGeometry) -> int | None:
        return self.communities.containing(geom)

    def grid_cell_at(self, point: Point) -> int | None:
        return self.grid_cells.containing(point)

    def nearest_alley(self, point: Point, max_metres: float = NEAREST_ALLEY_MAX_METRES) -> int | None:
        if not self._alley_ids:
            return None
        hits = self._alleys.query_nearest(Point(self.frame.xy(point.x, point.y)), max_distance=max_metres)
        return self._alley_ids[int(min(hits))] if len(hits) else None
