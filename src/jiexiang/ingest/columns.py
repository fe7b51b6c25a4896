"""Matching the many header spellings of exported tables to the fields a connector needs."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

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
