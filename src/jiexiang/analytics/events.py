"""Reading an events table: `id, category, occurred_at, lon, lat` (WGS-84; ISO 8601 times, offset optional,
read as UTC when absent). Rows that cannot be used are counted and reported, not silently dropped."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import h3
import numpy as np
import pandas as pd
from h3.api.numpy_int import latlng_to_cell as to_cell

from jiexiang.core.errors import InvalidInput

COLUMNS = ("id", "category", "occurred_at", "lon", "lat")


@dataclass(frozen=True)
class Events:
    """Usable events (occurred_at aware UTC) and how many rows were dropped, by reason."""

    frame: pd.DataFrame
    dropped: dict[str, int]


def read_events(path: Path) -> Events:
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as error:
        raise InvalidInput(f"无法读取事件文件 {path}：{error}", code="events_unreadable") from error
    return clean_events(raw)


def clean_events(raw: pd.DataFrame) -> Events:
    missing = [c for c in COLUMNS if c not in raw.columns]
    if missing:
        raise InvalidInput(f"事件文件缺少列 {'、'.join(missing)}（需要 {','.join(COLUMNS)}）", code="events_columns")
    frame = raw.loc[:, list(COLUMNS)].copy()
    frame["category"] = frame["category"].astype(str).str.strip()
    frame["occurred_at"] = _utc(frame["occurred_at"])
    frame["lon"] = pd.to_numeric(frame["lon"], errors="coerce")
    frame["lat"] = pd.to_numeric(frame["lat"], errors="coerce")
    dropped: dict[str, int] = {}
    checks = {
        "bad_time": frame["occurred_at"].isna(),
        "bad_coordinates": ~(frame["lon"].between(-180, 180) & frame["lat"].between(-90, 90)),
        "no_category": frame["category"] == "",
    }
    bad = np.zeros(len(frame), dtype=bool)
    for reason, mask in checks.items():
        mask = mask.to_numpy() & ~bad
        if mask.any():
            dropped[reason] = int(mask.sum())
        bad |= mask
    frame = frame.loc[~bad].reset_index(drop=True)
    return Events(frame=frame, dropped=dropped)


def _utc(texts: pd.Series) -> pd.Series:
    """ISO 8601 texts as aware UTC: with their own offset where they carry one, as UTC where they do not
    (parsed in two groups: pandas would otherwise lend one row's offset to the naive rows)."""
    texts = texts.astype(str).str.strip()
    zoned = texts.str.contains(r"(?:Z|[+-]\d\d:?\d\d)$", regex=True)
    result = pd.Series(pd.NaT, index=texts.index, dtype="datetime64[ns, UTC]")
    for mask in (zoned, ~zoned):
        if mask.any():
            result[mask] = pd.to_datetime(texts[mask], utc=True, errors="coerce", format="ISO8601")
    return result


def with_cells(frame: pd.DataFrame, *, resolution: int) -> pd.DataFrame:
    """The frame with an `h3_cell` column at `resolution`."""
    if not 0 <= resolution <= 15:
        raise InvalidInput("H3 分辨率应在 0 到 15 之间", code="h3_resolution")
    # Integer cells first (half the time of strings), then one string per distinct cell.
    ids = np.fromiter(
        (to_cell(lat, lon, resolution) for lon, lat in zip(frame["lon"], frame["lat"], strict=True)),
        dtype=np.uint64,
        count=len(frame),
    )
    distinct, position = np.unique(ids, return_inverse=True)
    names = np.array([h3.int_to_str(int(i)) for i in distinct], dtype=object)
    return frame.assign(h3_cell=names[position] if len(frame) else [])


def before(frame: pd.DataFrame, moment: pd.Timestamp) -> pd.DataFrame:
    return frame.loc[frame["occurred_at"] < moment]


def between(frame: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    return frame.loc[(frame["occurred_at"] >= start) & (frame["occurred_at"] < end)]


def moment(text: str) -> pd.Timestamp:
    """An ISO 8601 time from the command line, as aware UTC (UTC when no offset is given)."""
    try:
        value = pd.Timestamp(text)
    except ValueError as error:
        raise InvalidInput(
            f"无法识别的时间 {text!r}（应为 ISO 8601，如 2026-01-01 或 2026-01-01T08:00+08:00）"
        ) from error
    return value.tz_localize("UTC") if value.tzinfo is None else value.tz_convert("UTC")
