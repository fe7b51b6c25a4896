"""Chinese street addresses as people write them, matched against the subdistrict's own gazetteer.

The parser is driven by the gazetteer rather than by a grammar: the alley is the longest known alley
name or alias found in the text (after dropping 市/区/街道/社区 prefixes), allowing one wrong character
(力学胡通 → 力学胡同); then a house number (甲12号, 12号院, 十二号, 12号附3号), a landmark, an intersection
(A与B交叉口) or a side or end (东侧, 北口) refine the point. Pure: the gazetteer is plain data.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from shapely.geometry import LineString, MultiLineString, Point
from shapely.geometry.base import BaseGeometry

CONFIDENCE = {
    "address": 0.95,
    "landmark": 0.9,
    "intersection": 0.85,
    "house_number": 0.75,
    "alley_end": 0.65,
    "alley": 0.5,
}

_PREFIX = re.compile(
    r"^(北京市?|北京)?([\u4e00-\u9fa5]{1,6}区)?([\u4e00-\u9fa5]{1,8}街道)?([\u4e00-\u9fa5]{1,10}社区)?"
)
_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_NUMBER = re.compile(r"(甲|乙|丙|丁)?(\d+)\s*(?:号院|号楼|号|院)")
_CN_NUMBER = re.compile(r"([零〇一二两三四五六七八九十百]+)\s*(?:号院|号楼|号)")
_ENDS = {"东口": (1, 0), "西口": (-1, 0), "南口": (0, -1), "北口": (0, 1)}
_CROSSING = re.compile(r"与(.+?)(?:交叉口|交口|路口|交汇处|十字路口)")


def normalise(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def chinese_number(text: str) -> int | None:
    """十二 → 12, 一百零五 → 105, 二十 → 20; None if it is not a plain Chinese numeral."""
    total, current = 0, 0
    for char in text:
        if char in _CN_DIGITS:
            current = _CN_DIGITS[char]
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


@dataclass(frozen=True)
class GazetteerAlley:
    id: int
    name: str
    aliases: tuple[str, ...]
    line: LineString | MultiLineString


@dataclass(frozen=True)
class GazetteerEntry:
    """A house number, courtyard or landmark with its point."""

    name: str
    point: Point
    alley_id: int | None
    number: int | None = None  # the numeric part of a house number, for nearby-number guesses
    prefix: str = ""  # 甲/乙/丙/丁
    landmark: bool = False
    aliases: tuple[str, ...] = ()


@dataclass
class Gazetteer:
    alleys: list[GazetteerAlley]
    entries: list[GazetteerEntry]
    _names: list[tuple[str, GazetteerAlley]] = field(init=False, repr=False)
    _landmarks: list[tuple[str, GazetteerEntry]] = field(init=False, repr=False)
    _by_alley: dict[int, list[GazetteerEntry]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        names = [(n, a) for a in self.alleys for n in (a.name, *a.aliases)]
        self._names = sorted(names, key=lambda item: -len(item[0]))
        landmarks = [(normalise(n), e) for e in self.entries if e.landmark for n in (e.name, *e.aliases)]
        self._landmarks = sorted(landmarks, key=lambda item: -len(item[0]))
        self._by_alley = {}
        for entry in self.entries:
            if entry.alley_id is not None and not entry.landmark:
                self._by_alley.setdefault(entry.alley_id, []).append(entry)

    def landmark_in(self, text: str) -> GazetteerEntry | None:
        return next((entry for name, entry in self._landmarks if name and name in text), None)

    def entries_on(self, alley_id: int) -> list[GazetteerEntry]:
        return self._by_alley.get(alley_id, [])

    def alley(self, alley_id: int) -> GazetteerAlley:
        return next(a for a in self.alleys if a.id == alley_id)

    def find_alley(self, text: str, *, start: int = 0) -> tuple[GazetteerAlley, int, int] | None:
        """The longest alley name or alias in `text[start:]` (exact, else one character off):
        (alley, start, end)."""
        for name, alley in self._names:
            position = text.find(name, start)
            if position >= 0:
                return alley, position, position + len(name)
        for name, alley in self._names:
            if len(name) < 3:
                continue  # one character off in a two-character name is another name
            for position in range(start, len(text) - len(name) + 1):
                window = text[position : position + len(name)]
                if window[-1] == name[-1] and sum(a != b for a, b in zip(window, name, strict=True)) == 1:
                    return alley, position, position + len(name)
        return None


@dataclass(frozen=True)
class Geocode:
    lon: float
    lat: float
    alley_id: int | None
    confidence: float
    method: str  # a key of CONFIDENCE
    house_number: str | None = None


def geocode(text: str, gazetteer: Gazetteer) -> Geocode | None:
    """Where an address written by a person is, or None when nothing in it is known (→ review queue)."""
    cleaned = normalise(text)
    cleaned = _PREFIX.sub("", cleaned, count=1) or cleaned
    landmark = gazetteer.landmark_in(cleaned)
    if landmark is not None:
        return _at(landmark.point, landmark.alley_id, "landmark")
    found = gazetteer.find_alley(cleaned)
    if found is None:
        return None
    alley, _, end = found
    rest = cleaned[end:]
    crossing = _CROSSING.search(rest)
    if crossing:
        other = gazetteer.find_alley(crossing.group(1))
        if other is not None:
            meeting = alley.line.intersection(other[0].line)
            if not meeting.is_empty:
                return _at(meeting.representative_point(), alley.id, "intersection")
    number = _house_number(rest)
    if number is not None:
        prefix, value = number
        entry = _nearest_number(gazetteer, alley.id, prefix, value)
        label = f"{prefix}{value}号"
        if entry is not None:
            exact = entry.number == value and entry.prefix == prefix
            return _at(entry.point, alley.id, "address" if exact else "house_number", label)
    for word, direction in _ENDS.items():
        if rest.startswith(word) or word in rest[:4]:
            return _at(_end_towards(alley.line, direction), alley.id, "alley_end")
    return _at(alley.line.interpolate(0.5, normalized=True), alley.id, "alley")


def _at(point: BaseGeometry, alley_id: int | None, method: str, house_number: str | None = None) -> Geocode:
    assert isinstance(point, Point)
    return Geocode(point.x, point.y, alley_id, CONFIDENCE[method], method, house_number)


def _house_number(rest: str) -> tuple[str, int] | None:
    match = _NUMBER.search(rest[:12])
    if match:
        return match.group(1) or "", int(match.group(2))
    match = _CN_NUMBER.search(rest[:12])
    if match:
        value = chinese_number(match.group(1))
        if value:
            return "", value
    return None


def _nearest_number(gazetteer: Gazetteer, alley_id: int, prefix: str, value: int) -> GazetteerEntry | None:
    """The entry on this alley with this number, else the nearest number on the same side (same parity)."""
    candidates = [e for e in gazetteer.entries_on(alley_id) if e.number is not None]
    exact = [e for e in candidates if e.number == value and e.prefix == prefix]
    if exact:
        return exact[0]
    same_side = [e for e in candidates if e.number is not None and e.number % 2 == value % 2]
    pool = same_side or candidates
    return min(pool, key=lambda e: (abs((e.number or 0) - value), e.prefix), default=None)


def _end_towards(line: LineString | MultiLineString, direction: tuple[int, int]) -> Point:
    ends = [Point(c) for part in getattr(line, "geoms", [line]) for c in (part.coords[0], part.coords[-1])]
    return max(ends, key=lambda p: p.x * direction[0] + p.y * direction[1])


def parse_house_number(text: str | None) -> tuple[str, int | None]:
    """("甲", 12) from "甲12号"; ("", None) when there is no number."""
    if not text:
        return "", None
    found = _house_number(normalise(text))
    return found if found else ("", None)
