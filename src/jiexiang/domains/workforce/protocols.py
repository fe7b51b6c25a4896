"""What existing tracking apps send, read into one `Fix` shape. Pure: no database.

- Traccar Client / OsmAnd ("OsmAnd protocol"): query or form parameters `id`/`deviceid`, `timestamp`
  (seconds, milliseconds or ISO 8601), `lat`+`lon` or `location=lat,lon`, `speed` in knots, `bearing`/`heading`,
  `altitude`, `accuracy`, `batt` (percent), `charge`; and the JSON body newer Traccar Clients post
  (`{"device_id", "location": {"timestamp", "coords": {...}, "battery": {"level": 0–1, "is_charging"}}}`,
  speed in m/s).
- OwnTracks (`_type: location`): `lat`, `lon`, `tst` (seconds), `acc`, `vel` (km/h), `cog`, `alt`, `batt`,
  `bs` (2 = charging); `_type: transition` is a region enter/leave.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from jiexiang.core.errors import InvalidInput
from jiexiang.domains.workforce.enums import GeofenceEvent

KNOT = 0.514444  # m/s
KMH = 1 / 3.6  # m/s


@dataclass(frozen=True)
class Fix:
    recorded_at: datetime  # aware UTC
    lon: float
    lat: float
    accuracy_m: float | None = None
    speed_mps: float | None = None
    heading: float | None = None
    altitude_m: float | None = None
    battery: float | None = None  # percent
    charging: bool | None = None


@dataclass(frozen=True)
class Transition:
    event: GeofenceEvent
    region: str
    at: datetime
    lon: float | None
    lat: float | None


def parse_time(value: object) -> datetime:
    """Seconds or milliseconds since 1970, or ISO 8601 (a time without zone is UTC, as the apps send)."""
    if isinstance(value, (int, float)) or (isinstance(value, str) and value.strip().replace(".", "", 1).isdigit()):
        number = float(value)
        if number > 1e11:  # milliseconds: 1e11 s would be the year 5138
            number /= 1000
        try:
            return datetime.fromtimestamp(number, UTC)
        except (OverflowError, OSError, ValueError):  # 10^15 ms and the like: no moment of ours
            raise InvalidInput(f"时间超出范围：{value!r}", code="bad_timestamp") from None
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            pass
        else:
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    raise InvalidInput(f"无法识别的时间：{value!r}", code="bad_timestamp")


def _number(value: object, name: str) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InvalidInput(f"{name} 应为数字（收到 {value!r}）", code="bad_number") from None


def _required(value: float | None, name: str) -> float:
    if value is None:
        raise InvalidInput(f"缺少 {name}", code="missing_field")
    return value


def _truthy(value: object) -> bool | None:
    if value is None or value == "":
        return None
    return str(value).strip().lower() in ("1", "true", "yes")


def osmand_device(params: Mapping[str, str]) -> str:
    device = (params.get("id") or params.get("deviceid") or "").strip()
    if not device:
        raise InvalidInput("缺少设备编号 id", code="missing_device")
    return device


def from_osmand(params: Mapping[str, str]) -> Fix:
    """A Traccar Client / OsmAnd query or form request."""
    lat, lon = _number(params.get("lat"), "lat"), _number(params.get("lon"), "lon")
    if (lat is None or lon is None) and params.get("location"):
        parts = params["location"].split(",")
        if len(parts) != 2:
            raise InvalidInput("location 应为“纬度,经度”", code="bad_number")
        lat, lon = _number(parts[0], "lat"), _number(parts[1], "lon")
    speed = _number(params.get("speed"), "speed")
    return Fix(
        recorded_at=parse_time(params.get("timestamp") or params.get("time") or ""),
        lon=_required(lon, "lon"),
        lat=_required(lat, "lat"),
        accuracy_m=_number(params.get("accuracy"), "accuracy"),
        speed_mps=speed * KNOT if speed is not None else None,
        heading=_number(params.get("bearing") or params.get("heading"), "bearing"),
        altitude_m=_number(params.get("altitude"), "altitude"),
        battery=_number(params.get("batt"), "batt"),
        charging=_truthy(params.get("charge")),
    )


def traccar_json_device(body: Mapping[str, Any]) -> str:
    device = str(body.get("device_id") or "").strip()
    if not device:
        raise InvalidInput("缺少 device_id", code="missing_device")
    return device


def from_traccar_json(body: Mapping[str, Any]) -> Fix:
    """The JSON body newer Traccar Clients post."""
    location = body.get("location")
    if not isinstance(location, Mapping) or not isinstance(location.get("coords"), Mapping):
        raise InvalidInput("缺少 location.coords", code="missing_field")
    coords: Mapping[str, Any] = location["coords"]
    found = location.get("battery")
    battery: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
    level = _number(battery.get("level"), "battery.level")
    return Fix(
        recorded_at=parse_time(location.get("timestamp") or ""),
        lon=_required(_number(coords.get("longitude"), "longitude"), "longitude"),
        lat=_required(_number(coords.get("latitude"), "latitude"), "latitude"),
        accuracy_m=_number(coords.get("accuracy"), "accuracy"),
        speed_mps=_positive_or_none(_number(coords.get("speed"), "speed")),
        heading=_positive_or_none(_number(coords.get("heading"), "heading")),
        altitude_m=_number(coords.get("altitude"), "altitude"),
        battery=level * 100 if level is not None and level >= 0 else None,
        charging=battery.get("is_charging") if isinstance(battery.get("is_charging"), bool) else None,
    )


def _positive_or_none(value: float | None) -> float | None:
    return value if value is not None and value >= 0 else None  # -1 means "unknown" in these apps


def from_owntracks(payload: Mapping[str, Any]) -> Fix | Transition | None:
    """An OwnTracks message: a Fix, a region Transition, or None for the kinds we do not keep."""
    kind = payload.get("_type")
    if kind == "location":
        velocity = _number(payload.get("vel"), "vel")
        return Fix(
            recorded_at=parse_time(payload.get("tst")),
            lon=_required(_number(payload.get("lon"), "lon"), "lon"),
            lat=_required(_number(payload.get("lat"), "lat"), "lat"),
            accuracy_m=_number(payload.get("acc"), "acc"),
            speed_mps=velocity * KMH if velocity is not None and velocity >= 0 else None,
            heading=_positive_or_none(_number(payload.get("cog"), "cog")),
            altitude_m=_number(payload.get("alt"), "alt"),
            battery=_number(payload.get("batt"), "batt"),
            charging=payload.get("bs") == 2 if payload.get("bs") is not None else None,
        )
    if kind == "transition":
        event = payload.get("event")
        if event not in ("enter", "leave"):
            raise InvalidInput(f"未知的 transition 事件 {event!r}", code="bad_event")
        return Transition(
            event=GeofenceEvent(event),
            region=str(payload.get("desc") or payload.get("rid") or "")[:100],
            at=parse_time(payload.get("tst")),
            lon=_number(payload.get("lon"), "lon"),
            lat=_number(payload.get("lat"), "lat"),
        )
    return None
