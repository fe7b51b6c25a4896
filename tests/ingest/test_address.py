from __future__ import annotations

import pytest
from shapely.geometry import LineString, Point
from sqlalchemy.orm import Session

from jiexiang.core.config import Settings
from jiexiang.core.time import FixedClock
from jiexiang.ingest.address import Gazetteer, GazetteerAlley, GazetteerEntry, chinese_number, geocode
from jiexiang.ingest.gazetteer import load_gazetteer
from tests.factories import make_town

# A cross of two streets and one hutong, in plain lon/lat.
EAST_WEST = LineString([(116.360, 39.900), (116.370, 39.900)])  # 光明胡同, west → east
NORTH_SOUTH = LineString([(116.365, 39.895), (116.365, 39.905)])  # 府右街, south → north
SIDE = LineString([(116.360, 39.910), (116.370, 39.910)])  # 西交民巷 (old name 西江米巷)


@pytest.fixture
def gazetteer() -> Gazetteer:
    return Gazetteer(
        alleys=[
            GazetteerAlley(1, "光明胡同", (), EAST_WEST),
            GazetteerAlley(2, "府右街", (), NORTH_SOUTH),
            GazetteerAlley(3, "西交民巷", ("西江米巷",), SIDE),
        ],
        entries=[
            GazetteerEntry("光明胡同1号", Point(116.3610, 39.9001), 1, 1),
            GazetteerEntry("光明胡同3号", Point(116.3620, 39.9001), 1, 3),
            GazetteerEntry("光明胡同12号院", Point(116.3640, 39.8999), 1, 12),
            GazetteerEntry("光明胡同甲12号", Point(116.3641, 39.8999), 1, 12, prefix="甲"),
            GazetteerEntry("北京音乐厅", Point(116.3700, 39.9050), 2, landmark=True, aliases=("音乐厅",)),
        ],
    )


@pytest.mark.parametrize(
    ("text", "method", "where"),
    [
        ("北京市西城区西长安街街道光明胡同12号院", "address", (116.3640, 39.8999)),
        ("光明胡同甲12号门口", "address", (116.3641, 39.8999)),
        ("光明胡同十二号", "address", (116.3640, 39.8999)),
        ("光明胡同 5号", "house_number", (116.3620, 39.9001)),  # unknown 5: nearest odd number, 3
        ("光明胡同与府右街交叉口", "intersection", (116.365, 39.900)),
        ("府右街北口", "alley_end", (116.365, 39.905)),
        ("光明胡同西口往东50米", "alley_end", (116.360, 39.900)),
        ("西江米巷", "alley", (116.365, 39.910)),  # an old name (alias)
        ("力学胡同", None, None),
        ("光名胡同1号", "address", (116.3610, 39.9001)),  # one wrong character
        ("音乐厅东侧", "landmark", (116.3700, 39.9050)),
    ],
)
def test_addresses_as_people_write_them(
    gazetteer: Gazetteer, text: str, method: str | None, where: tuple[float, float] | None
) -> None:
    result = geocode(text, gazetteer)
    if method is None:
        assert result is None
        return
    assert result is not None and result.method == method
    assert (result.lon, result.lat) == pytest.approx(where, abs=1e-6)
    assert 0 < result.confidence <= 1


def test_chinese_numerals() -> None:
    assert [chinese_number(t) for t in ("十二", "二十", "一百零五", "九", "十", "号")] == [12, 20, 105, 9, 10, None]


def test_the_gazetteer_comes_from_the_places_registry(session: Session, settings: Settings, clock: FixedClock) -> None:
    make_town(session, settings, clock)
    gazetteer = load_gazetteer(session)
    result = geocode("西城区光明巷1号", gazetteer)  # 光明巷 is the alias of 光明胡同 in the test town
    assert result is not None and result.method == "address"
    assert (result.lon, result.lat) == pytest.approx((116.3675, 39.90208))
    courtyard = geocode("力学胡同2号院", gazetteer)
    assert courtyard is not None and courtyard.method == "address"
