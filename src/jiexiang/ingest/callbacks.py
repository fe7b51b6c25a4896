"""The city's 12345 callback results (回访结果: CSV or XLSX, GBK or UTF-8) → CityCallbacks, and the rows that cannot
be used with the reason in Chinese. Pure: no database."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from jiexiang.core.tables import BadRow, cell, open_matched, text_of
from jiexiang.core.time import parse_source_time
from jiexiang.domains.hotline.enums import SATISFACTION_LABELS
from jiexiang.domains.hotline.service import CallbackAnswer, CityCallback

COLUMNS = {
    "id": ["工单编号", "工单号", "编号"],
    "time": ["回访时间", "回访日期"],
    "contacted": ["是否联系", "是否响应", "是否联系诉求人"],
    "resolved": ["是否解决", "解决情况"],
    "satisfaction": ["满意度", "是否满意", "满意情况"],
}
REQUIRED = ("id", "time")
T = TypeVar("T")
_YES_NO = {"是": True, "已联系": True, "已解决": True, "否": False, "未联系": False, "未解决": False}
_SATISFACTION = {label: value for value, label in SATISFACTION_LABELS.items()}


@dataclass(frozen=True)
class BadCallback:
    row_number: int
    problem: str


def read(path: Path) -> Iterator[CityCallback | BadCallback]:
    with open_matched(path, COLUMNS, required=REQUIRED, what=" 12345 回访结果文件") as (columns, rows):
        for number, cells in rows:
            yield BadCallback(number, cells.problem) if isinstance(cells, BadRow) else _parse(number, cells, columns)


def _parse(number: int, cells: list[object], columns: dict[str, int]) -> CityCallback | BadCallback:
    ticket_no = text_of(cell(cells, columns, "id"))
    if ticket_no is None:
        return BadCallback(number, "工单编号为空")
    value = cell(cells, columns, "time")
    called_at = parse_source_time(value)
    if called_at is None:
        return BadCallback(number, f"回访时间“{value}”无法识别")
    try:
        answer = CallbackAnswer(
            called_at,
            contacted=_choice(cells, columns, "contacted", _YES_NO),
            resolved=_choice(cells, columns, "resolved", _YES_NO),
            satisfaction=_choice(cells, columns, "satisfaction", _SATISFACTION),
        )
    except ValueError as problem:
        return BadCallback(number, str(problem))
    return CityCallback(ticket_no, answer, number)


def _choice(cells: list[object], columns: dict[str, int], field: str, choices: Mapping[str, T]) -> T | None:
    text = text_of(cell(cells, columns, field))
    if text is None:
        return None
    if text not in choices:
        raise ValueError(f"{COLUMNS[field][0]}“{text}”无法识别（应为 {'、'.join(choices)}）")
    return choices[text]
