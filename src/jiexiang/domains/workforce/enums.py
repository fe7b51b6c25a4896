"""Where positions come from and why some are refused, with Chinese labels beside them."""

from __future__ import annotations

from enum import StrEnum


class PositionSource(StrEnum):
    osmand = "osmand"  # Traccar Client / OsmAnd protocol (query, form or JSON)
    owntracks = "owntracks"  # OwnTracks over HTTP or MQTT
    app = "app"  # the project's own mobile page (batched)


class RejectReason(StrEnum):
    out_of_range = "out_of_range"
    inaccurate = "inaccurate"
    future = "future"
    too_old = "too_old"
    duplicate = "duplicate"
    impossible_jump = "impossible_jump"
    not_field_staff = "not_field_staff"


REJECT_LABELS: dict[RejectReason, str] = {
    RejectReason.out_of_range: "经纬度超出范围",
    RejectReason.inaccurate: "定位精度太差",
    RejectReason.future: "时间在未来",
    RejectReason.too_old: "时间过早",
    RejectReason.duplicate: "重复的定位",
    RejectReason.not_field_staff: "该账号不是外勤人员，不接收其定位",
    RejectReason.impossible_jump: "移动速度不可能达到",
}


class GeofenceEvent(StrEnum):
    enter = "enter"
    leave = "leave"
