"""数字城管 (urban-management command centre) case exports → IncomingReports. Pure: no database.

Columns: 案件编号, 发现时间, 案件类型 (部件/事件), 大类名称, 小类名称, 街道, 社区, 地址, and X/Y or 经度/纬度.
The coordinate system is declared per file (`--crs`) or per row (a 坐标系 column: WGS84 / GCJ02 / BD09).
"""

from __future__ import annotations

from jiexiang.core.geo import CoordinateSystem
from jiexiang.domains.cases.enums import QuarantineReason, ReportSource
from jiexiang.ingest.columns import ExportFormat, Row
from jiexiang.ingest.incoming import IncomingReport, Rejected

COLUMNS = {
    "id": ["案件编号", "案卷编号", "案件号", "编号"],
    "time": ["发现时间", "上报时间", "采集时间", "立案时间"],
    "kind": ["案件类型", "案件类别", "类型"],
    "major": ["大类名称", "大类"],
    "minor": ["小类名称", "小类"],
    "text": ["问题描述", "案件描述", "描述"],
    "subdistrict": ["街道", "所属街道"],
    "community": ["社区", "所属社区"],
    "address": ["地址", "发生地址", "位置描述"],
    "lon": ["经度", "lon", "X", "X坐标"],
    "lat": ["纬度", "lat", "Y", "Y坐标"],
    "crs": ["坐标系", "坐标系统"],
}
_CRS_NAMES = {
    "wgs84": CoordinateSystem.wgs84,
    "wgs-84": CoordinateSystem.wgs84,
    "gps": CoordinateSystem.wgs84,
    "gcj02": CoordinateSystem.gcj02,
    "gcj-02": CoordinateSystem.gcj02,
    "火星坐标": CoordinateSystem.gcj02,
    "bd09": CoordinateSystem.bd09,
    "bd-09": CoordinateSystem.bd09,
    "百度坐标": CoordinateSystem.bd09,
}


def parse_row(row: Row, crs: CoordinateSystem) -> IncomingReport | Rejected:
    major, minor = row.text("major"), row.text("minor")
    if minor is None:
        return row.reject(QuarantineReason.unknown_category, "小类名称为空")
    row_crs = crs
    declared = row.text("crs")
    if declared is not None:
        key = declared.lower().replace(" ", "")
        if key not in _CRS_NAMES:
            return row.reject(QuarantineReason.bad_coordinates, f"坐标系“{declared}”无法识别")
        row_crs = _CRS_NAMES[key]
    try:
        lon, lat = row.number("lon"), row.number("lat")
    except (TypeError, ValueError):
        return row.reject(QuarantineReason.bad_coordinates, "坐标不是数字")
    address = row.text("address")
    kind = row.text("kind") or ""
    text = row.text("text") or "：".join(part for part in (kind, major, minor, address) if part)
    return row.report(
        text=text,
        source_category=minor,
        address=address,
        lon=lon,
        lat=lat,
        crs=row_crs,
    )


EXPORT = ExportFormat(
    kind="数字城管案件导出文件",
    source=ReportSource.command_centre,
    columns=COLUMNS,
    required=("id", "time", "minor"),
    id_label="案件编号",
    time_label="发现时间",
    parse=parse_row,
)
read = EXPORT.read
