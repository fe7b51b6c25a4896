"""12345 hotline work-order exports (CSV or XLSX, GBK or UTF-8) → IncomingReports with their ticket fields.
Pure: no database."""

from __future__ import annotations

import re
from datetime import datetime

from jiexiang.core.geo import CoordinateSystem
from jiexiang.domains.cases.enums import QuarantineReason, ReportSource
from jiexiang.domains.hotline.enums import KIND_LABELS, TicketKind
from jiexiang.domains.hotline.intake import TicketFields
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
    # The ticket's own fields (接诉即办), read when present.
    "dispatched": ["派单时间", "下派时间", "转办时间", "派发时间"],
    "kind": ["诉求类型", "工单类型", "来电类型", "诉求性质"],
    "urgency": ["紧急程度", "是否紧急", "缓急程度"],
    "lead_unit": ["主办单位", "承办单位", "主责单位", "责任单位"],
    "assisting": ["协办单位", "配合单位"],
    "contacted": ["首次联系时间", "首次响应时间", "联系时间", "响应时间"],
    "finished": ["办结时间", "完成时间", "办理完成时间"],
    "result": ["办理结果", "处理结果", "办理情况"],
    "due": ["办理时限", "办结时限", "要求办结时间", "截止时间"],
}
_KINDS = {label: kind for kind, label in KIND_LABELS.items()} | {"举报": TicketKind.complaint}
_URGENT = {"紧急", "特急", "加急", "是", "急"}
_UNIT_SEPARATORS = re.compile(r"[、,，;；/]+")
_TIMES = {"dispatched": "派单时间", "contacted": "首次联系时间", "finished": "办结时间", "due": "办理时限"}


def parse_row(row: Row, crs: CoordinateSystem) -> IncomingReport | Rejected:
    text = row.text("text")
    if text is None:
        return row.reject(QuarantineReason.empty_text, "诉求内容为空")
    try:
        lon, lat = row.number("lon"), row.number("lat")
    except (TypeError, ValueError):
        return row.reject(QuarantineReason.bad_coordinates, "经纬度不是数字")
    times: dict[str, datetime | None] = {}
    for field, label in _TIMES.items():
        try:
            times[field] = row.time(field)
        except ValueError as problem:
            return row.reject(QuarantineReason.bad_time, f"{label}{problem}")
    kind = row.text("kind")
    ticket = TicketFields(
        kind=_KINDS.get(kind.strip()) if kind else None,
        dispatched_at=times["dispatched"] or row.received_at,
        urgent=(row.text("urgency") or "") in _URGENT,
        lead_unit=row.text("lead_unit"),
        assisting_units=tuple(u.strip() for u in _UNIT_SEPARATORS.split(row.text("assisting") or "") if u.strip()),
        contacted_at=times["contacted"],
        finished_at=times["finished"],
        result=row.text("result"),
        due_at=times["due"],
    )
    return row.report(
        text=text,
        source_category=row.text("category"),
        address=row.text("address"),
        lon=lon,
        lat=lat,
        crs=crs,
        reporter_name=row.text("name"),
        reporter_phone=row.text("phone"),
        ticket=ticket,
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
