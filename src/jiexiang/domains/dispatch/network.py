"""The walking network: alley centre lines as a graph (networkx), noded where alleys meet, with short gaps
between an alley's end and the street it opens onto bridged (registry lines rarely touch exactly).

Distances are in metres, in the alley registry's local metric frame. A point off the network (a worker in
a courtyard, a case at a house door) walks straight to the nearest point of the network first."""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import ClassVar

import networkx as nx
import shapely
from shapely import STRtree
from shapely.geometry import LineString, MultiLineString, Point
from shapely.ops import nearest_points
from sqlalchemy.orm import Session

from jiexiang.domains.places.spatial import SpatialIndex

GAP_M = 15.0  # an alley ending this close to another line opens onto it
Node = tuple[float, float]


@dataclass(frozen=True)
class Snap:
    """Where a point joins the network: on edge (u, v), `to_u`/`to_v` metres along it, `access` metres off it."""

    u: Node
    v: Node
    to_u: float
    to_v: float
    access: float
    edge: int


class WalkingNetwork:
    _lock: ClassVar[threading.Lock] = threading.Lock()
    _cached: ClassVar[dict[str, tuple[SpatialIndex, WalkingNetwork]]] = {}

    def __init__(self, index: SpatialIndex) -> None:
        self.index = index
        self.frame = index.frame
        lines = list(index.alley_lines.values())
        noded = shapely.unary_union([*lines, *_bridges(lines)])
        parts = list(noded.geoms) if isinstance(noded, MultiLineString) else [noded]
        self.graph: nx.Graph = nx.Graph()
        self._edges: list[tuple[Node, Node, LineString]] = []
        for part in parts:
            for a, b in pairwise(part.coords):
                u, v = _node(a), _node(b)
                if u == v:
                    continue
                length = math.dist(a, b)
                if not self.graph.has_edge(u, v) or self.graph[u][v]["weight"] > length:
                    self.graph.add_edge(u, v, weight=length)
                    self._edges.append((u, v, LineString([a, b])))
        self._tree = STRtree([edge[2] for edge in self._edges])

    @classmethod
    def for_session(cls, session: Session) -> WalkingNetwork:
        """The network of the registry as it is now, rebuilt whenever the shared spatial index is."""
        index = SpatialIndex.for_session(session)
        key = str(session.get_bind().engine.url)
        with cls._lock:
            cached = cls._cached.get(key)
            if cached is None or cached[0] is not index:
                cached = (index, cls(index))
                cls._cached[key] = cached
            return cached[1]

    def snap(self, lon: float, lat: float) -> Snap | None:
        if not self._edges:
            return None
        point = Point(self.frame.xy(lon, lat))
        edge = int(self._tree.nearest(point))
        u, v, line = self._edges[edge]
        along = line.project(point)
        return Snap(u, v, along, line.length - along, line.distance(point), edge)

    def distances_from(self, lon: float, lat: float) -> WalkingDistances | None:
        """Walking distances from a point to everywhere on the network (one search, then any number of
        look-ups), or None when there is no network."""
        origin = self.snap(lon, lat)
        if origin is None:
            return None
        from_u = nx.single_source_dijkstra_path_length(self.graph, origin.u, weight="weight")
        from_v = nx.single_source_dijkstra_path_length(self.graph, origin.v, weight="weight")
        return WalkingDistances(self, origin, from_u, from_v)

    def route(self, points: Iterable[tuple[float, float]]) -> list[Node]:
        """The network nodes of a walk through `points` (lon, lat) in order, for drawing a route."""
        nodes: list[Node] = []
        previous: Node | None = None
        for lon, lat in points:
            snap = self.snap(lon, lat)
            if snap is None:
                continue
            target = snap.u if snap.to_u <= snap.to_v else snap.v
            if previous is not None and nx.has_path(self.graph, previous, target):
                path = nx.dijkstra_path(self.graph, previous, target, weight="weight")
                nodes.extend(path[1:] if nodes else path)
            elif not nodes or nodes[-1] != target:
                nodes.append(target)
            previous = target
        return nodes

    def to_lonlat(self, node: Node) -> tuple[float, float]:
        x, y = node
        return self.frame.lon0 + x / self.frame.kx, self.frame.lat0 + y / self.frame.ky


class WalkingDistances:
    def __init__(self, network: WalkingNetwork, origin: Snap, from_u: dict[Node, float], from_v: dict[Node, float]):
        self.network, self.origin, self.from_u, self.from_v = network, origin, from_u, from_v

    def _to_node(self, node: Node) -> float:
        return min(
            self.origin.to_u + self.from_u.get(node, math.inf),
            self.origin.to_v + self.from_v.get(node, math.inf),
        )

    def to(self, lon: float, lat: float) -> float:
        """Metres walked from the origin to (lon, lat): off the network, along it, and off it again."""
        target = self.network.snap(lon, lat)
        if target is None:
            return math.inf
        along = min(target.to_u + self._to_node(target.u), target.to_v + self._to_node(target.v))
        if target.edge == self.origin.edge:  # on the same stretch: straight along it
            along = min(along, abs(self.origin.to_u - target.to_u))
        return self.origin.access + along + target.access


def _node(coords: tuple[float, ...]) -> Node:
    return round(coords[0], 1), round(coords[1], 1)  # 10 cm: the same junction from two lines is one node


def _bridges(lines: list[LineString]) -> list[LineString]:
    """Short connectors from each alley end to the nearest other line within GAP_M."""
    tree = STRtree(lines)
    bridges: list[LineString] = []
    for i, line in enumerate(lines):
        for end in (Point(line.coords[0]), Point(line.coords[-1])):
            for j in tree.query(end.buffer(GAP_M)):
                other = lines[int(j)]
                if int(j) == i or other.distance(end) == 0 or other.distance(end) > GAP_M:
                    continue
                _, nearest = nearest_points(end, other)
                bridges.append(LineString([end, nearest]))
    return bridges
