from __future__ import annotations

from datetime import UTC, datetime

import pytest

from jiexiang.core.errors import InvalidInput
from jiexiang.domains.workforce.enums import GeofenceEvent
from jiexiang.domains.workforce.protocols import (
    Fix,
    Transition,
    from_osmand,
    from_owntracks,
    from_traccar_json,
    osmand_device,
    parse_time,
)

AT = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "value",
    [
        1795658400,
        "1795658400",
        "1795658400000",
        "2026-11-26T02:00:00Z",
        "2026-11-26T10:00:00+08:00",
        "2026-11-26T02:00:00",
    ],
)
def test_times_in_seconds_milliseconds_or_iso(value: object) -> None:
    assert parse_time(value) == AT


def test_a_traccar_client_query() -> None:
    params = {
        "id": "358240051111110",
        "timestamp": "1795658400",
        "lat": "39.902",
        "lon": "116.368",
        "speed": "2",
        "bearing": "90",
        "altitude": "45",
        "accuracy": "8",
        "batt": "76.5",
        "charge": "true",
    }
    assert osmand_device(params) == "358240051111110"
    fix = from_osmand(params)
    assert (fix.recorded_at, fix.lat, fix.lon, fix.heading, fix.accuracy_m, fix.battery, fix.charging) == (
        AT,
        39.902,
        116.368,
        90.0,
        8.0,
        76.5,
        True,
    )
    assert fix.speed_mps == pytest.approx(1.028888)  # knots to m/s


def test_osmand_location_parameter_and_deviceid() -> None:
    params = {"deviceid": "d1", "timestamp": "2026-11-26T02:00:00Z", "location": "39.902,116.368"}
    assert osmand_device(params) == "d1"
    assert (from_osmand(params).lat, from_osmand(params).lon) == (39.902, 116.368)


@pytest.mark.parametrize(
    "params",
    [
        {"id": "d1", "timestamp": "1795658400", "lat": "39.9"},
        {"id": "d1", "timestamp": "x", "lat": "1", "lon": "2"},
        {"id": "d1", "timestamp": "1795658400", "lat": "北", "lon": "2"},
        {"timestamp": "1795658400"},
    ],
)
def test_bad_osmand_requests_are_refused_in_chinese(params: dict[str, str]) -> None:
    with pytest.raises(InvalidInput) as refused:
        (osmand_device(params), from_osmand(params))
    assert any("\u4e00" <= ch <= "\u9fff" for ch in refused.value.message)


def test_the_newer_traccar_json_body() -> None:
    body = {
        "device_id": "d1",
        "location": {
            "timestamp": "2026-11-26T02:00:00.000Z",
            "coords": {
                "latitude": 39.902,
                "longitude": 116.368,
                "accuracy": 5,
                "speed": 1.5,
                "heading": -1,
                "altitude": 50,
            },
            "is_moving": True,
            "battery": {"level": 0.5, "is_charging": False},
        },
    }
    fix = from_traccar_json(body)
    assert fix == Fix(AT, 116.368, 39.902, 5.0, 1.5, None, 50.0, 50.0, False)


def test_owntracks_locations_and_transitions() -> None:
    location = from_owntracks(
        {
            "_type": "location",
            "lat": 39.902,
            "lon": 116.368,
            "tst": 1795658400,
            "acc": 10,
            "vel": 18,
            "batt": 80,
            "bs": 2,
            "tid": "zs",
        }
    )
    assert isinstance(location, Fix) and location.speed_mps == pytest.approx(5.0) and location.charging is True
    transition = from_owntracks(
        {
            "_type": "transition",
            "event": "leave",
            "desc": "光明胡同",
            "tst": 1795658400,
            "lat": 39.9,
            "lon": 116.3,
            "wtst": 1795650000,
        }
    )
    assert transition == Transition(GeofenceEvent.leave, "光明胡同", AT, 116.3, 39.9)
    assert from_owntracks({"_type": "waypoint", "desc": "x"}) is None
