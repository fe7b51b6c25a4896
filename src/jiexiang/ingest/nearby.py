"""The open cases a new report may join, indexed by category and ~100 m square and kept in time order in each,
so that finding the one a report joins looks only at cases near it in space and in time."""

from __future__ import annotations

import bisect
import math
from datetime import datetime, timedelta

from jiexiang.core.geo import LocalFrame
from jiexiang.domains.cases.opening import NewCase
from jiexiang.domains.cases.taxonomy import Category


class OpenCase:
    """An open, located case as the de-duplicator sees it; `id` is None until a new one (`pending`) is opened."""

    __slots__ = ("id", "lat", "lon", "pending", "reported_at")

    def __init__(
        self, case_id: int | None, lon: float, lat: float, reported_at: datetime, pending: NewCase | None = None
    ) -> None:
        self.id, self.lon, self.lat, self.reported_at, self.pending = case_id, lon, lat, reported_at, pending


class OpenCases:
    """Open located cases by category and ~100 m square, each square's cases kept in time order, so that
    finding the one a new report joins looks only at cases near it in space and in time."""

    SQUARE = 0.001  # degrees: 85 m east–west, 111 m north–south at Beijing

    def __init__(self, frame: LocalFrame) -> None:
        self.frame = frame
        self._squares: dict[tuple[str, int, int], tuple[list[datetime], list[OpenCase]]] = {}

    def add(self, code: str, case: OpenCase) -> None:
        key = (code, int(case.lon // self.SQUARE), int(case.lat // self.SQUARE))
        times, cases = self._squares.setdefault(key, ([], []))
        at = bisect.bisect_right(times, case.reported_at)  # exports come in time order: usually the end
        times.insert(at, case.reported_at)
        cases.insert(at, case)

    def nearest(self, category: Category, lon: float, lat: float, when: datetime) -> OpenCase | None:
        radius = category.dedupe_radius_m
        if radius <= 0:  # a category whose reports never merge (待分类: nothing says they are the same problem)
            return None
        window = timedelta(hours=category.dedupe_window_hours)
        reach = math.ceil(radius / 80_000 / self.SQUARE)  # squares to look at each way
        x, y = int(lon // self.SQUARE), int(lat // self.SQUARE)
        best: tuple[float, OpenCase] | None = None
        for dx in range(-reach, reach + 1):
            for dy in range(-reach, reach + 1):
                square = self._squares.get((category.code, x + dx, y + dy))
                if square is None:
                    continue
                times, cases = square
                first, last = bisect.bisect_left(times, when - window), bisect.bisect_right(times, when + window)
                for candidate in cases[first:last]:
                    distance = self.frame.distance(candidate.lon, candidate.lat, lon, lat)
                    if distance <= radius and (best is None or distance < best[0]):
                        best = (distance, candidate)
        return best[1] if best else None
