from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from jiexiang.core.config import Settings
from jiexiang.core.geo import CoordinateSystem, from_wgs84
from jiexiang.core.time import FixedClock
from jiexiang.domains.cases.models import QuarantinedRow, Report
from jiexiang.ingest import command_centre
from jiexiang.ingest.service import Intake
from tests.factories import make_town


def test_command_centre_export_with_declared_coordinate_systems(
    session: Session, settings: Settings, clock: FixedClock, tmp_path: Path
) -> None:
    make_town(session, settings, clock)
    bd_lon, bd_lat = from_wgs84(116.3680, 39.90201, CoordinateSystem.bd09)
    path = tmp_path / "cases.csv"
    with path.open("w", encoding="gbk", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["案件编号", "发现时间", "案件类型", "大类名称", "小类名称", "街道", "社区", "地址", "X", "Y", "坐标系"]
        )
        writer.writerow(
            [
                "C1",
                "2026-11-20 08:00:00",
                "部件",
                "公用设施",
                "雨水井盖",
                "测试街道",
                "西社区",
                "光明胡同",
                bd_lon,
                bd_lat,
                "BD09",
            ]
        )
        writer.writerow(
            [
                "C2",
                "2026-11-20 08:30:00",
                "事件",
                "街面秩序",
                "无照经营游商",
                "测试街道",
                "东社区",
                "力学胡同",
                "",
                "",
                "",
            ]
        )
        writer.writerow(["C3", "2026-11-20 09:00:00", "事件", "街面秩序", "外星飞船", "", "", "力学胡同", "", "", ""])
        writer.writerow(["C4", "2026-11-20 09:00:00", "事件", "市容环境", "暴露垃圾", "", "", "", "1", "2", "CGCS2000"])
    intake = Intake(session, settings=settings, clock=clock)
    for item in command_centre.read(path):
        intake.apply(item)
    session.flush()
    assert intake.summary.created == 3 and sum(intake.summary.quarantined.values()) == 1
    assert intake.summary.needs_category == 1  # 外星飞船: no category of ours; an operator will choose
    cover = session.scalars(select(Report).where(Report.external_id == "C1")).one()
    assert cover.category_code == "0103"
    assert (cover.lon, cover.lat) == pytest.approx((116.3680, 39.90201), abs=5e-6)  # BD-09 → WGS-84
    vendor = session.scalars(select(Report).where(Report.external_id == "C2")).one()
    assert vendor.category_code == "1504" and vendor.case.alley is not None
    assert "部件" in cover.text and "雨水井盖" in cover.text  # no description column: built from the row
    reasons = {q.external_id: q.reason_code.value for q in session.scalars(select(QuarantinedRow))}
    assert reasons == {"C4": "bad_coordinates"}
