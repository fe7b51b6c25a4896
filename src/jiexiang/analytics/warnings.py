"""Early warnings, each with its evidence and a severity:
- `exceedance`: last week's count of a category (in the subdistrict, or in a cell) above the upper bound of
  the 80 % interval that was forecast for it a week earlier;
- `emerging`: a cell whose last four weeks are improbably busy against its own year (after FDR);
- `threshold`: next week's forecast for a category at or above a level the office set."""

from __future__ import annotations

import pandas as pd

from jiexiang.analytics import forecast as forecasting
from jiexiang.analytics import hotspots

COLUMNS = [
    "kind",
    "category",
    "h3_cell",
    "period_start",
    "expected",
    "observed",
    "lo_80",
    "hi_80",
    "severity",
    "message",
]


def _severity(observed: float, mean: float, hi: float) -> str:
    spread = max(hi - mean, 1.0)
    return "high" if observed >= hi + 2 * spread else "medium" if observed >= hi + spread else "low"


def early_warnings(
    events: pd.DataFrame,
    *,
    as_of: pd.Timestamp,
    thresholds: dict[str, float] | None = None,
    names: dict[str, str] | None = None,
    places: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Warnings as of `as_of`. For the messages, `names` gives categories' display names and `places` the cells'
    (e.g. the alley through it); by default both are shown as given."""

    def name(category: object) -> str:
        return (names or {}).get(str(category), str(category))

    def place(cell: str) -> str:
        return (places or {}).get(cell) or f"网格 {cell}"

    rows: list[dict[str, object]] = []
    week = pd.Timedelta(days=7)
    current = forecasting.first_forecast_period(as_of, "W")  # the first week not yet seen whole
    last_week = pd.Timestamp(current - week, tz="UTC")
    # What was forecast for last week, from what was known before it began, against what happened.
    predicted = forecasting.forecast(events, as_of=last_week, freq="W", horizon=1, cells=True)
    seen = forecasting.series(events, as_of=last_week + week, freq="W", cells=True)
    observed = seen.loc[seen["ds"] == last_week.tz_localize(None)].set_index("unique_id")["y"]
    for row in predicted.itertuples(index=False):
        uid = f"{row.category}{forecasting.SEPARATOR}{row.h3_cell or ''}"
        count = float(observed.get(uid, 0.0))
        if count > row.hi_80 and count >= 2:
            where = place(row.h3_cell) if row.h3_cell else "全街道"
            rows.append(
                {
                    "kind": "exceedance",
                    "category": row.category,
                    "h3_cell": row.h3_cell or "",
                    "period_start": row.period_start,
                    "expected": round(row.mean, 2),
                    "observed": count,
                    "lo_80": round(row.lo_80, 2),
                    "hi_80": round(row.hi_80, 2),
                    "severity": _severity(count, row.mean, row.hi_80),
                    "message": f"{name(row.category)}：{where}上周 {count:.0f} 起，超出预测上限 {row.hi_80:.1f}",
                }
            )
    for category, frame in events.groupby("category"):
        found = hotspots.emerging(frame, as_of=as_of)
        for cell in found.loc[found["emerging"]].itertuples(index=False):
            rows.append(
                {
                    "kind": "emerging",
                    "category": category,
                    "h3_cell": cell.h3_cell,
                    "period_start": (as_of - pd.Timedelta(days=28)).date(),
                    "expected": round(cell.expected, 2),
                    "observed": float(cell.recent),
                    "lo_80": None,
                    "hi_80": None,
                    "severity": "high" if cell.p_fdr < 0.001 else "medium",
                    "message": (
                        f"{name(category)}：{place(cell.h3_cell)} 近四周 {cell.recent} 起，"
                        f"按其过去一年应约 {cell.expected:.1f} 起"
                    ),
                }
            )
    if thresholds:
        ahead = forecasting.forecast(events, as_of=as_of, freq="W", horizon=1, cells=False)
        for row in ahead.itertuples(index=False):
            level = thresholds.get(str(row.category))
            if level is not None and row.mean >= level:
                rows.append(
                    {
                        "kind": "threshold",
                        "category": row.category,
                        "h3_cell": "",
                        "period_start": row.period_start,
                        "expected": round(row.mean, 2),
                        "observed": None,
                        "lo_80": round(row.lo_80, 2),
                        "hi_80": round(row.hi_80, 2),
                        "severity": "high" if row.lo_80 >= level else "medium",
                        "message": f"{name(row.category)}：预计下周 {row.mean:.1f} 起，达到预警线 {level:g}",
                    }
                )
    return pd.DataFrame(rows, columns=COLUMNS)
