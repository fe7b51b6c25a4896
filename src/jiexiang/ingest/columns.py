"""Matching the many header spellings of exported tables to the fields a connector needs."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from jiexiang.core.errors import InvalidInput
from jiexiang.core.tables import BadRow, open_table
from jiexiang.core.time import parse_source_time
from jiexiang.domains.cases.enums import QuarantineReason, ReportSource
from jiexiang.ingest.incoming import IncomingReport, Rejected

_NOISE = re.compile(r"[\s（）()【】\[\]:：*＊]")


def _clean(header: str) -> str:
    return _NOISE.sub("", header).lower()


def match_columns(header: Sequence[str], variants: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """field → column index, for every field whose header (any listed variant) is present."""
    cleaned = [_clean(h) for h in header]
    found: dict[str, int] = {}
    for field, names in variants.items():
        for name in names:
            target = _clean(name)
            if target in cleaned:
                found[field] = cleaned.index(target)
                break
    return found


def cell(cells: Sequence[Any], columns: Mapping[str, int], field: str) -> Any:
    index = columns.get(field)
    if index is None or index >= len(cells):
        return None
    value = cells[index]
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def text_of(value: Any) -> str | None:
    """Cell as text; integral floats (Excel numbers) without ".0"."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() or None


def number_of(value: Any) -> float | None:
    """Cell as a number; None when empty; ValueError when it is not a number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return float(value)


# Reads one row of an export: (raw row as a dict, cells, field → column, row number) → a report or a rejection.
RowParser = Callable[[dict[str, Any], list[Any], dict[str, int], int], IncomingReport | Rejected]


def read_export(
    path: Path,
    variants: Mapping[str, Sequence[str]],
    required: Sequence[str],
    *,
    kind: str,
    source: ReportSource,
    parse: RowParser,
) -> Iterator[IncomingReport | Rejected]:
    """Each row of an export through `parse`, after checking that its required columns are there (`kind` names
    the export in the error); a row that cannot be read as the header says is Rejected (quarantined with what it
    holds), and the rows after it are read on."""
    with open_table(path) as (header, rows):
        columns = match_columns(header, variants)
        missing = [variants[f][0] for f in required if f not in columns]
        if missing:
            raise InvalidInput(f"不是{kind}：缺少列 {'、'.join(missing)}（现有列：{'、'.join(header)}）")
        for number, cells in rows:
            if isinstance(cells, BadRow):
                raw = {"第几行": number, "读到的字段": cells.cells}
                yield Rejected(source, QuarantineReason.malformed_row, cells.problem, raw, row_number=number)
                continue
            raw = {name: _jsonable(value) for name, value in zip(header, cells, strict=False) if name}
            yield parse(raw, cells, columns, number)


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def identified(
    source: ReportSource,
    raw: dict[str, Any],
    cells: Sequence[Any],
    columns: Mapping[str, int],
    number: int,
    *,
    id_label: str,
    time_label: str,
) -> tuple[str, datetime] | Rejected:
    """The row's external id and time (aware UTC), or the Rejected row saying which one is missing or unreadable."""
    external_id = text_of(cell(cells, columns, "id"))
    if external_id is None:
        return Rejected(source, QuarantineReason.missing_id, f"{id_label}为空", raw, row_number=number)
    value = cell(cells, columns, "time")
    received_at = parse_source_time(value)
    if received_at is None:
        return Rejected(source, QuarantineReason.bad_time, f"{time_label}“{value}”无法识别", raw, external_id, number)
    return external_id, received_at
