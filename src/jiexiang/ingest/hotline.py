"""12345 hotline work-order exports (CSV or XLSX, GBK or UTF-8) → IncomingReports. Pure: no database."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

from jiexiang.core.geo import CoordinateSystem
from jiexiang.domains.cases.enums import QuarantineReason, ReportSource
from jiexiang.ingest.columns import cell, identified, number_of, read_export, text_of
from jiexiang.ingest.incoming import IncomingReport, Rejected

COLUMNS = {
    "id": ["工单编号", "工单号", "受理编号", "编号", "单号"],
    "time": ["受理时间", "来电时间", "登记时间", "派单时间", "创建时间"],
    "text": ["诉求内容", "问题描述", "来电内容", "反映内容", "内容"],
    "address": ["事发地址", "地址", "发生地址", "诉求地址", "事发地点"],
    "category": ["问题分类", "诉求分类", "分类", "问题类别", "类别"],
    "name": ["来电人", "来电人姓名", "联系人", "姓名"],
    "phone": ["联系电话", "来电号码", "电话", "手机号"],
    "lon": ["经度", "lon", "lng", "longitude"],
    "lat": ["纬度", "lat", "latitude"],
}
REQUIRED = ("id", "time", "text")


def read(path: Path, *, crs: CoordinateSystem = CoordinateSystem.wgs84) -> Iterator[IncomingReport | Rejected]:
    return read_export(
        path,
        COLUMNS,
        REQUIRED,
        kind=" 12345 工单导出文件",
        source=ReportSource.hotline,
        parse=partial(parse_row, crs=crs),
    )


def parse_row(
    raw: dict[str, Any], cells: list[Any], columns: dict[str, int], number: int, *, crs: CoordinateSystem
) -> IncomingReport | Rejected:
    source = ReportSource.hotline
    found = identified(source, raw, cells, columns, number, id_label="工单编号", time_label="受理时间")
    if isinstance(found, Rejected):
        return found
    external_id, received_at = found
    text = text_of(cell(cells, columns, "text"))
    if text is None:
        return Rejected(source, QuarantineReason.empty_text, "诉求内容为空", raw, external_id, number)
    try:
        lon = number_of(cell(cells, columns, "lon"))
        lat = number_of(cell(cells, columns, "lat"))
    except (TypeError, ValueError):
        return Rejected(source, QuarantineReason.bad_coordinates, "经纬度不是数字", raw, external_id, number)
    return IncomingReport(
        source=source,
        external_id=external_id,
        received_at=received_at,
        text=text,
        raw=raw,
        source_category=text_of(cell(cells, columns, "category")),
        address=text_of(cell(cells, columns, "address")),
        lon=lon,
        lat=lat,
        crs=crs,
        reporter_name=text_of(cell(cells, columns, "name")),
        reporter_phone=text_of(cell(cells, columns, "phone")),
        row_number=number,
    )
