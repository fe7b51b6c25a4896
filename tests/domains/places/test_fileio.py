from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from openpyxl import Workbook
from shapely.geometry import LineString, Point, box
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiexiang.core.geo import CoordinateSystem, wgs84_to_gcj02
from jiexiang.core.time import FixedClock
from jiexiang.domains.accounts.service import Scope
from jiexiang.domains.places import fileio
from jiexiang.domains.places.enums import Layer
from jiexiang.domains.places.fileio import ImportRejected
from jiexiang.domains.places.models import Address, Alley, Community, Component
from tests.factories import EAST, WEST, feature


def collection(layer: str, *features: dict[str, Any]) -> bytes:
    return json.dumps({"type": "FeatureCollection", "name": layer, "features": list(features)}).encode()


def counts(session: Session) -> dict[str, int]:
    return {
        m.__tablename__: session.scalar(select(func.count()).select_from(m)) or 0
        for m in (Community, Alley, Component, Address)
    }


def test_import_derives_lengths_parents_and_neighbours(session: Session, town: None) -> None:
    alley = session.scalar(select(Alley).where(Alley.code == "A1"))
    assert alley is not None
    assert alley.community is not None and alley.community.code == WEST
    assert alley.chief is not None and alley.chief.username == "chief"
    assert alley.aliases == ["光明巷"]
    assert alley.length_m == pytest.approx(170.8, abs=0.5)  # 0.002° of longitude at 39.902° N
    lamp = session.scalar(select(Component).where(Component.code == "1101020114000001"))
    assert lamp is not None
    assert lamp.class_code == "0114" and lamp.name == "路灯"  # name defaults to the class name
    assert lamp.alley is not None and lamp.alley.code == "A2"  # nearest alley, 3 m away
    assert lamp.grid_cell is not None and lamp.grid_cell.code == EAST + "001"
    assert lamp.community is not None and lamp.community.code == EAST


def test_reimporting_the_same_file_changes_nothing(session: Session, town: None, clock: FixedClock) -> None:
    data = fileio.export_geojson(session, layer=Layer.alleys, scope=Scope())
    before = counts(session)
    report = fileio.import_places(session, data=data, filename="export.geojson", clock=clock)
    assert report.counts["alleys"].unchanged == 3
    assert report.counts["alleys"].created == report.counts["alleys"].updated == 0
    assert counts(session) == before


def test_a_changed_row_updates_in_place(session: Session, town: None, clock: FixedClock) -> None:
    data = collection(
        "alleys",
        feature(
            LineString([(116.367, 39.903), (116.369, 39.903)]), code="A1", name="光明胡同", aliases="光明巷、光明里"
        ),
    )
    report = fileio.import_places(session, data=data, filename="x.geojson", clock=clock)
    assert report.counts["alleys"].updated == 1
    alley = session.scalar(select(Alley).where(Alley.code == "A1"))
    assert alley is not None and alley.aliases == ["光明巷", "光明里"] and alley.chief is None


def test_a_broken_row_is_reported_and_nothing_changes(session: Session, town: None, clock: FixedClock) -> None:
    before = counts(session)
    data = collection(
        "alleys",
        feature(LineString([(116.367, 39.9025), (116.369, 39.9025)]), code="A9", name="新胡同"),
        feature(LineString([(116.371, 39.9025), (116.373, 39.9025)]), code="A10", name=""),
        feature(Point(116.37, 39.9), code="A11", name="点胡同"),
        feature(
            LineString([(116.371, 39.9026), (116.373, 39.9026)]),
            code="A12",
            name="外社区胡同",
            community_code="110102001999",
        ),
    )
    with pytest.raises(ImportRejected) as raised:
        fileio.import_places(session, data=data, filename="alleys.geojson", clock=clock)
    details = raised.value.details
    assert {"layer": "街巷", "row": 2, "field": "街巷名称", "message": "必填，不能为空"} in details
    assert any(d["row"] == 3 and d["field"] == "几何" and "LineString" in d["message"] for d in details)
    assert "第 2 行" in raised.value.message and "数据库未作任何修改" in raised.value.message
    assert counts(session) == before
    assert session.scalar(select(Alley).where(Alley.code == "A9")) is None


def test_a_reference_error_found_while_applying_rolls_back_earlier_rows(
    session: Session, town: None, clock: FixedClock
) -> None:
    # Row 1 is fine and would be written; row 2 names a community that does not exist.
    data = collection(
        "alleys",
        feature(LineString([(116.367, 39.9025), (116.369, 39.9025)]), code="A9", name="新胡同"),
        feature(
            LineString([(116.371, 39.9026), (116.373, 39.9026)]),
            code="A12",
            name="外社区胡同",
            community_code="110102001999",
        ),
    )
    with pytest.raises(ImportRejected) as raised:
        fileio.import_places(session, data=data, filename="alleys.geojson", clock=clock)
    assert raised.value.details == [
        {"layer": "街巷", "row": 2, "field": "所属社区编码", "message": "社区 110102001999 不存在，请先导入社区"}
    ]
    assert session.scalar(select(Alley).where(Alley.code == "A9")) is None


def test_component_codes_are_checked(session: Session, town: None, clock: FixedClock) -> None:
    data = collection(
        "components",
        feature(Point(116.368, 39.902), code="1101029999000001"),  # unknown class 9999
        feature(Point(116.368, 39.902), code="3101020101000001"),  # Shanghai admin code
        feature(Point(116.368, 39.902), code="11010201010001"),  # 14 digits
        feature(Point(116.368, 39.902), code="1101020101000009", owner_unit="无此单位"),
    )
    with pytest.raises(ImportRejected) as raised:
        fileio.import_places(session, data=data, filename="c.geojson", clock=clock)
    messages = {d["row"]: d["message"] for d in raised.value.details}
    assert "部件类别 9999" in messages[1]
    assert "行政区划代码 310102" in messages[2]
    assert "16位数字" in messages[3]
    assert "无此单位" in messages[4]


def test_duplicate_keys_in_one_file_are_refused(session: Session, town: None, clock: FixedClock) -> None:
    line = LineString([(116.367, 39.9025), (116.369, 39.9025)])
    data = collection("alleys", feature(line, code="A9", name="甲"), feature(line, code="A9", name="乙"))
    with pytest.raises(ImportRejected, match="与第 1 行重复"):
        fileio.import_places(session, data=data, filename="a.geojson", clock=clock)


def test_gbk_csv_with_chinese_headers_and_lon_lat_columns(session: Session, town: None, clock: FixedClock) -> None:
    text = (
        "名称,类型,门牌号,经度,纬度\n"
        "光明胡同3号,门牌,3号,116.3677,39.90208\n"
        "力学胡同5号院,院落,,116.3717,39.90192\n"
        ",,,,\n"
    )
    report = fileio.import_places(session, data=text.encode("gbk"), filename="门牌地址.csv", clock=clock)
    assert report.counts["addresses"].created == 2
    courtyard = session.scalar(select(Address).where(Address.name == "力学胡同5号院"))
    assert courtyard is not None and courtyard.kind.value == "courtyard"
    assert courtyard.alley is not None and courtyard.alley.code == "A2"


def test_csv_errors_name_the_spreadsheet_row(session: Session, town: None, clock: FixedClock) -> None:
    text = "地址名称,经度,纬度\n光明胡同3号,116.3677,39.90208\n光明胡同5号,东经116度,39.9\n"
    with pytest.raises(ImportRejected) as raised:
        fileio.import_places(session, data=text.encode(), filename="addresses.csv", clock=clock)
    assert raised.value.details == [
        {"layer": "门牌地址", "row": 3, "field": "经度/纬度", "message": "经度和纬度都必须填写数字"}
    ]


def test_xlsx_workbook_with_a_sheet_per_layer(session: Session, town: None, clock: FixedClock) -> None:
    workbook = Workbook()
    alleys = workbook.active
    assert alleys is not None
    alleys.title = "街巷"
    alleys.append(["街巷编码", "街巷名称", "背街小巷", "几何(WKT)"])
    alleys.append(["A20", "东斜街", "是", "LINESTRING (116.367 39.9035, 116.369 39.9035)"])
    grid = workbook.create_sheet("网格")
    grid.append(["网格编码", "几何(WKT)"])
    grid.append([float(WEST + "002"), box(116.366, 39.900, 116.367, 39.901).wkt])  # Excel made it a number
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = fileio.import_places(session, data=buffer.getvalue(), filename="places.xlsx", clock=clock)
    assert report.counts["alleys"].created == 1 and report.counts["grid-cells"].created == 1


def test_export_then_import_round_trips_in_every_format(session: Session, town: None, clock: FixedClock) -> None:
    scope = Scope()
    for layer in (Layer.alleys, Layer.components, Layer.addresses, Layer.grid_cells):
        for data, name in (
            (fileio.export_geojson(session, layer=layer, scope=scope), f"{layer.value}.geojson"),
            (fileio.export_csv(session, layer=layer, scope=scope), f"{layer.value}.csv"),
            (fileio.export_xlsx(session, layers=[layer], scope=scope), "places.xlsx"),
        ):
            report = fileio.import_places(session, data=data, filename=name, clock=clock)
            tally = report.counts[layer.value]
            assert (tally.created, tally.updated) == (0, 0), (layer, name, tally)


def test_csv_export_has_chinese_headers_and_a_bom(session: Session, town: None) -> None:
    data = fileio.export_csv(session, layer=Layer.alleys, scope=Scope())
    assert data.startswith("\ufeff".encode())
    header = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert header[:4] == ["ID", "街巷编码", "街巷名称", "别名"] and header[-1] == "几何(WKT)"


def test_gcj02_files_are_converted_to_wgs84(session: Session, town: None, clock: FixedClock) -> None:
    lon, lat = wgs84_to_gcj02(116.3679, 39.90205)
    text = f"name,lon,lat\n光明胡同7号,{lon},{lat}\n"
    fileio.import_places(session, data=text.encode(), filename="addresses.csv", clock=clock, crs=CoordinateSystem.gcj02)
    address = session.scalar(select(Address).where(Address.name == "光明胡同7号"))
    assert address is not None
    assert (address.lon, address.lat) == pytest.approx((116.3679, 39.90205), abs=1e-7)


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"{not json", "a.geojson", "无法解析"),
        (b'{"type": "Feature"}', "alleys.geojson", "FeatureCollection"),
        (b"PK\x03\x04broken", "a.xlsx", "无法打开"),
        (b"code\n1\n", "things.csv", "哪个图层"),
        (b"", "a.shp", "不支持"),
        (b'{"type": "FeatureCollection", "features": []}', "alleys.geojson", "没有可导入"),
    ],
)
def test_unreadable_files_get_a_clear_message(
    session: Session, clock: FixedClock, data: bytes, filename: str, message: str
) -> None:
    with pytest.raises(Exception, match=message):
        fileio.import_places(session, data=data, filename=filename, clock=clock)
