"""Matching the many header spellings of exported tables to the fields a connector needs."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from jiexiang.core.errors import InvalidInput
from jiexiang.core.tables import open_table

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


def export_rows(
    path: Path, variants: Mapping[str, Sequence[str]], required: Sequence[str], *, kind: str
) -> Iterator[tuple[dict[str, Any], list[Any], dict[str, int], int]]:
    """(raw row as a dict, cells, field → column, row number) for each row of an export, after checking
    that its required columns are there (`kind` names the export in the error)."""
    with open_table(path) as (header, rows):
        columns = match_columns(header, variants)
        missing = [variants[f][0] for f in required if f not in columns]
        if missing:
            raise InvalidInput(f"不是{kind}：缺少列 {'、'.join(missing)}（现有列：{'、'.join(header)}）")
        for number, cells in rows:
            raw = {name: _jsonable(value) for name, value in zip(header, cells, strict=False) if name}
            yield raw, cells, columns, number


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)
