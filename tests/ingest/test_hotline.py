from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiexiang.core.config import Settings
from jiexiang.core.errors import InvalidInput
from jiexiang.core.geo import wgs84_to_gcj02
from jiexiang.core.protect import protector
from jiexiang.core.time import BEIJING, FixedClock
from jiexiang.domains.cases.enums import CaseStatus, CategoryMethod, ReviewReason
from jiexiang.domains.cases.models import Case, QuarantinedRow, Report
from jiexiang.ingest import hotline
from jiexiang.ingest.service import Intake

HEADER = ["工单编号", "来电时间", "问题描述", "地址", "诉求分类", "来电人", "来电号码", "经度", "纬度"]
GOOD = [
    [
        "GD001",
        "2026-11-20 09:15:00",
        "光明胡同1号门口堆了很多杂物",
        "西城区光明胡同1号",
        "堆物堆料",
        "张三",
        "13812345678",
        "",
        "",
    ],
    # Same place and category a day later: "me too", joins GD001's case.
    [
        "GD002",
        "2026/11/21 10:00",
        "光明胡同1号那堆杂物还在",
        "光明胡同1号",
        "市容环境-乱堆物堆料",
        "李四",
        "13900001111",
        "",
        "",
    ],
    # No category: classified from the text by keyword rules; coordinates given.
    ["GD003", "2026年11月22日 08:30", "力学胡同路灯不亮了", "", "", "", "", "116.372", "39.90201"],
    # An address nobody can place: stored, waits for review.
    ["GD004", "2026-11-22 11:00", "有人占道经营", "后海某处", "占道经营", "", "", "", ""],
]
DIRTY = [
    ["", "2026-11-20 09:00", "没有编号", "光明胡同", "堆物堆料", "", "", "", ""],
    ["GD101", "昨天下午", "时间写错了", "光明胡同", "堆物堆料", "", "", "", ""],
    ["GD102", "2026-11-20 09:00", "", "光明胡同", "堆物堆料", "", "", "", ""],
    ["GD103", "2026-11-20 09:00", "外星人来了", "光明胡同", "外星事务", "", "", "", ""],
    ["GD104", "2026-11-20 09:00", "在天安门", "", "乱停乱放", "", "", "116.3974", "39.9087"],
    ["GD105", "2026-11-20 09:00", "坐标乱写", "", "乱停乱放", "", "", "东经", "北纬"],
    ["GD001", "2026-11-20 09:15:00", "同一编号又出现一次", "光明胡同1号", "堆物堆料", "", "", "", ""],
    ["GD106", "2035-01-01 00:00", "未来的工单", "光明胡同", "堆物堆料", "", "", "", ""],
]


def write_csv(path: Path, rows: list[list[str]], encoding: str = "gbk") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
        writer.writerow([""] * len(HEADER))  # an empty trailing row, as exports have
    return path


def run(session: Session, settings: Settings, clock: FixedClock, path: Path) -> Intake:
    intake = Intake(session, settings=settings, clock=clock, file_name=path.name)
    for item in hotline.read(path):
        intake.apply(item)
    session.flush()
    return intake


def test_a_dirty_gbk_export_imports_good_rows_and_quarantines_bad_ones(
    session: Session, settings: Settings, clock: FixedClock, town: None, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "12345.csv", GOOD + DIRTY)
    summary = run(session, settings, clock, path).summary.as_dict()
    assert summary == {
        "read": 12,
        "created": 5,
        "updated": 0,
        "unchanged": 0,
        "merged": 1,
        "needs_review": 1,
        "needs_category": 1,
        "quarantined": 7,
        "quarantined_by_reason": {
            "missing_id": 1,
            "bad_time": 2,
            "empty_text": 1,
            "outside_area": 1,
            "bad_coordinates": 1,
            "duplicate_in_file": 1,
        },
    }
    reasons = {row.external_id: row.reason for row in session.scalars(select(QuarantinedRow))}
    # A complaint nothing can classify is still a complaint: a case waiting for an operator to choose.
    unknown = session.scalars(select(Report).where(Report.external_id == "GD103")).one()
    assert "GD103" not in reasons and unknown.category_method is CategoryMethod.none
    assert (unknown.case.category_code, unknown.case.review_reason) == ("1999", ReviewReason.category)
    assert reasons["GD104"].startswith("坐标不在辖区内")
    assert (
        session.scalars(select(QuarantinedRow).where(QuarantinedRow.external_id == "GD101")).one().raw["来电时间"]
        == "昨天下午"
    )

    first = session.scalars(select(Report).where(Report.external_id == "GD001")).one()
    second = session.scalars(select(Report).where(Report.external_id == "GD002")).one()
    assert first.case_id == second.case_id and first.case.report_count == 2
    assert first.category_code == "1101" and first.category_method is CategoryMethod.source
    assert first.received_at == datetime(2026, 11, 20, 9, 15, tzinfo=BEIJING)
    assert first.case.alley is not None and first.case.alley.name == "光明胡同"
    assert first.case.status is CaseStatus.reported

    lamp = session.scalars(select(Report).where(Report.external_id == "GD003")).one()
    assert lamp.category_code == "0114" and lamp.category_method is CategoryMethod.rules
    assert lamp.case.alley is not None and lamp.case.alley.name == "力学胡同"

    unplaced = session.scalars(select(Report).where(Report.external_id == "GD004")).one()
    assert unplaced.case.review_reason is ReviewReason.location and unplaced.lon is None

    # Personal data is sealed at rest and readable only with the installation's secret.
    assert "13812345678" not in (first.reporter_phone_sealed or "")
    assert protector(settings.secret_key).open(first.reporter_phone_sealed) == "13812345678"


def test_importing_the_same_file_again_adds_nothing(
    session: Session, settings: Settings, clock: FixedClock, town: None, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "12345.csv", GOOD + DIRTY)
    run(session, settings, clock, path)
    counts = [session.scalar(select(func.count()).select_from(m)) for m in (Case, Report, QuarantinedRow)]
    again = run(session, settings, clock, path).summary
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert [session.scalar(select(func.count()).select_from(m)) for m in (Case, Report, QuarantinedRow)] == counts


def test_a_changed_row_updates_its_report(
    session: Session, settings: Settings, clock: FixedClock, town: None, tmp_path: Path
) -> None:
    run(session, settings, clock, write_csv(tmp_path / "a.csv", GOOD[:1], encoding="utf-8-sig"))
    changed = [[*GOOD[0][:2], "光明胡同1号门口堆了很多杂物，已经一周了", *GOOD[0][3:]]]
    summary = run(session, settings, clock, write_csv(tmp_path / "b.csv", changed, encoding="utf-8")).summary
    assert summary.updated == 1
    assert session.scalars(select(Report)).one().text.endswith("已经一周了")


def test_xlsx_exports_with_excel_dates_and_gcj02_coordinates(
    session: Session, settings: Settings, clock: FixedClock, town: None, tmp_path: Path
) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["工单号", "受理时间", "诉求内容", "事发地址", "问题分类", "经度", "纬度"])
    lon, lat = wgs84_to_gcj02(116.368, 39.90201)
    sheet.append([20261120001, datetime(2026, 11, 20, 9, 0), "井盖丢了", None, "井盖缺失", lon, lat])
    sheet.append([20261120002, 46346.5, "路面有坑", "力学胡同", "道路破损", None, None])  # Excel serial date
    path = tmp_path / "orders.xlsx"
    workbook.save(path)
    from jiexiang.core.geo import CoordinateSystem

    intake = Intake(session, settings=settings, clock=clock)
    for item in hotline.read(path, crs=CoordinateSystem.gcj02):
        intake.apply(item)
    session.flush()
    cover = session.scalars(select(Report).where(Report.external_id == "20261120001")).one()
    assert (cover.lon, cover.lat) == pytest.approx((116.368, 39.90201), abs=1e-6)
    assert cover.category_code == "0117"
    pothole = session.scalars(select(Report).where(Report.external_id == "20261120002")).one()
    assert pothole.received_at == datetime(2026, 11, 20, 12, 0, tzinfo=BEIJING)


def test_a_file_that_is_not_a_hotline_export_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="缺少列 工单编号、受理时间、诉求内容"):
        list(hotline.read(path))


def test_quoted_text_stays_whole_and_an_unreadable_row_is_quarantined(
    session: Session, settings: Settings, clock: FixedClock, town: None, tmp_path: Path
) -> None:
    path = tmp_path / "12345.csv"
    path.write_text(
        "工单编号,受理时间,诉求内容,事发地址,问题分类\n"
        'Q1,2026-11-20 09:00,"居民说""快来,这里""有垃圾",光明胡同1号,堆物堆料\n'
        "Q2,2026-11-20 09:10,有人说,这里有垃圾,光明胡同1号,堆物堆料\n"  # an unquoted comma: one field too many
        "Q3,2026-11-20 09:20,路灯不亮,力学胡同2号院,路灯不亮\n",
        "utf-8",
    )
    summary = run(session, settings, clock, path).summary
    assert (summary.created, dict(summary.quarantined)) == (2, {"malformed_row": 1})
    quoted = session.scalars(select(Report).where(Report.external_id == "Q1")).one()
    assert (quoted.text, quoted.address_text) == ('居民说"快来,这里"有垃圾', "光明胡同1号")
    bad = session.scalars(select(QuarantinedRow)).one()
    assert (bad.row_number, bad.reason_code.value) == (3, "malformed_row") and "有 6 个字段，表头有 5 个" in bad.reason
    assert bad.raw["读到的字段"][0] == "Q2"
