"""12345 hotline work-order exports (CSV or XLSX, GBK or UTF-8) → IncomingReports. Pure: no database."""

from __future__ import annotations

from jiexiang.core.geo import CoordinateSystem
from jiexiang.domains.cases.enums import QuarantineReason, ReportSource
from jiexiang.ingest.columns import ExportFormat, Row
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


def parse_row(row: Row, crs: CoordinateSystem) -> IncomingReport | Rejected:
    text = row.text("text")
    if text is None:
        return row.reject(QuarantineReason.empty_text, "诉求内容为空")
    try:
        lon, lat = row.number("lon"), row.number("lat")
    except (TypeError, ValueError):
        return row.reject(QuarantineReason.bad_coordinates, "经纬度不是数字")
    return row.report(
        text=text,
        source_category=row.text("category"),
        address=row.text("address"),
        lon=lon,
        lat=lat,
        crs=crs,
        reporter_name=row.text("name"),
        reporter_phone=row.text("phone"),
    )


EXPORT = ExportFormat(
    kind=" 12345 工单导出文件",
    source=ReportSource.hotline,
    columns=COLUMNS,
    required=("id", "time", "text"),
    id_label="工单编号",
    time_label="受理时间",
    parse=parse_row,
)
read = EXPORT.read
