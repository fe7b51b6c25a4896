"""A car park barrier gate's export (出入场记录: CSV or XLSX, GBK or UTF-8) → GateRecords, and the rows that cannot be
used with the reason in Chinese. Pure: no database."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from jiexiang.core.tables import BadRow, cell, open_matched, text_of
from jiexiang.core.time import parse_source_time

COLUMNS = {
    "id": ["记录编号", "记录号", "流水号", "订单号", "停车记录ID", "编号"],
    "plate": ["车牌号", "车牌号码", "车牌"],
    "arrived": ["入场时间", "进场时间", "驶入时间", "入口时间"],
    "departed": ["出场时间", "离场时间", "驶出时间", "出口时间"],
    "space": ["车位号", "车位编号", "车位"],
}
REQUIRED = ("plate", "arrived")


@dataclass(frozen=True)
class GateRecord:
    """One stay as a barrier gate exported it."""

    row_number: int
    ref: str  # the gate's record number; without one, the plate and the arrival (what identifies a stay)
    plate: str  # as the gate read it; checked against the plate rules on import
    arrived_at: datetime
    departed_at: datetime | None  # None: the car is still in
    space_code: str | None


@dataclass(frozen=True)
class BadGateRow:
    row_number: int
    problem: str


def read(path: Path) -> Iterator[GateRecord | BadGateRow]:
    with open_matched(path, COLUMNS, required=REQUIRED, what="道闸出入场记录") as (columns, rows):
        for number, cells in rows:
            yield BadGateRow(number, cells.problem) if isinstance(cells, BadRow) else _parse(number, cells, columns)


def _parse(number: int, cells: list[object], columns: dict[str, int]) -> GateRecord | BadGateRow:
    plate = text_of(cell(cells, columns, "plate"))
    if plate is None:
        return BadGateRow(number, "车牌号为空（道闸未识别的车辆请人工核对后补录）")
    value = cell(cells, columns, "arrived")
    arrived_at = parse_source_time(value)
    if arrived_at is None:
        return BadGateRow(number, f"入场时间“{value}”无法识别")
    value = cell(cells, columns, "departed")
    departed_at = parse_source_time(value)
    if value is not None and departed_at is None:
        return BadGateRow(number, f"出场时间“{value}”无法识别")
    if departed_at is not None and departed_at < arrived_at:
        return BadGateRow(number, "出场时间早于入场时间")
    ref = text_of(cell(cells, columns, "id")) or f"{plate}@{arrived_at:%Y%m%d%H%M%S}"
    if len(ref) > 64:
        return BadGateRow(number, "记录编号超过 64 个字符")
    return GateRecord(number, ref, plate, arrived_at, departed_at, text_of(cell(cells, columns, "space")))


def split(rows: Iterable[GateRecord | BadGateRow]) -> tuple[list[GateRecord], list[BadGateRow]]:
    records: list[GateRecord] = []
    bad: list[BadGateRow] = []
    for row in rows:
        if isinstance(row, GateRecord):
            records.append(row)
        else:
            bad.append(row)
    return records, bad
