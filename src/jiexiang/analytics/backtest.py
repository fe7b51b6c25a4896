"""Honest backtests. Hotspot predictions: at weekly origins from `start` to `end`, each method ranks the
cells that had events before the origin; the hit rate at p % is the share of the next week's events that
fall in its top p % of those cells (events in cells no method could rank count as misses for all), and the
PAI divides that by the p % of area. Count forecasts: MASE (scaled by the in-sample seasonal naive) and
80 % interval coverage, against seasonal naive itself.

The model's weights are fitted once, on the history before `start`, and kept for the whole test period:
nothing after an origin is ever seen at that origin."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from jiexiang.analytics import forecast as forecasting
from jiexiang.analytics import hotspots, risk

SHARES = (0.01, 0.05, 0.10)
WEEK = pd.Timedelta(days=7)
Ranker = Callable[[pd.DataFrame, pd.Timestamp, list[str]], np.ndarray]


def _trailing(weeks: int) -> Ranker:
    def rank(history: pd.DataFrame, origin: pd.Timestamp, cells: list[str]) -> np.ndarray:
        recent = history.loc[history["occurred_at"] >= origin - WEEK * weeks, "h3_cell"].value_counts()
        return np.array([recent.get(c, 0) for c in cells], dtype=float)

    return rank


def _kde(history: pd.DataFrame, origin: pd.Timestamp, cells: list[str]) -> np.ndarray:
    recent = history.loc[history["occurred_at"] >= origin - WEEK * 52]
    density: np.ndarray = hotspots.kernel_density(recent, cells)["density"].to_numpy()
    return density


BASELINES: dict[str, Ranker] = {"trailing_4w": _trailing(4), "trailing_52w": _trailing(52), "kde": _kde}


def hotspot_backtest(
    events: pd.DataFrame, *, start: pd.Timestamp, end: pd.Timestamp, horizon_days: int = 7
) -> pd.DataFrame:
    """`category, method, share, hit_rate, pai, events` pooled over the weekly origins, per category."""
    rows = []
    horizon = pd.Timedelta(days=horizon_days)
    for category, frame in events.groupby("category"):
        weights = risk.fit_weights(frame, as_of=start, horizon_days=horizon_days)

        def model(
            history: pd.DataFrame, origin: pd.Timestamp, cells: list[str], w: risk.Weights = weights
        ) -> np.ndarray:
            return risk.score(history, as_of=origin, cells=cells, weights=w)

        methods: dict[str, Ranker] = {"model": model, **BASELINES}
        caught = {(m, s): 0.0 for m in methods for s in SHARES}
        area = {(m, s): 0.0 for m in methods for s in SHARES}
        total = origins = 0
        origin = start
        while origin + horizon <= end:
            history = frame.loc[frame["occurred_at"] < origin]
            cells = risk.candidate_cells(history)
            outcome = frame.loc[(frame["occurred_at"] >= origin) & (frame["occurred_at"] < origin + horizon)]
            if cells and not outcome.empty:
                origins += 1
                total += len(outcome)
                for name, ranker in methods.items():
                    scores = ranker(history, origin, cells)
                    for share in SHARES:
                        caught[(name, share)] += risk.hit_rate(scores, cells, outcome, share=share) * len(outcome)
                        area[(name, share)] += max(1, round(share * len(cells))) / len(cells)
            origin += horizon
        for (name, share), hits in caught.items():
            rate = hits / total if total else float("nan")
            mean_area = area[(name, share)] / origins if origins else float("nan")
            rows.append(
                {
                    "category": category,
                    "method": name,
                    "share": share,
                    "hit_rate": rate,
                    "pai": rate / mean_area if origins else float("nan"),
                    "events": total,
                }
            )
    return pd.DataFrame(rows)


def verdicts(table: pd.DataFrame) -> pd.DataFrame:
    """From `hotspot_backtest`'s table: per category and share, whether the model's hit rate beats the best
    baseline (`win`), equals it (`tie`) or falls short (`loss`) — the test a model must pass against every one."""
    rates = table.pivot_table(index=["category", "share"], columns="method", values="hit_rate")
    best = rates.drop(columns="model").max(axis=1)
    gap = rates["model"] - best
    outcome = np.where(gap > 1e-9, "win", np.where(gap < -1e-9, "loss", "tie"))
    return pd.DataFrame({"model": rates["model"], "best_baseline": best, "verdict": outcome}).reset_index()


def forecast_backtest(
    events: pd.DataFrame, *, start: pd.Timestamp, end: pd.Timestamp, freq: str = "W", horizon: int = 4
) -> pd.DataFrame:
    """Category totals forecast at origins every `horizon` periods from `start`: `category, method, mase,
    coverage_80, periods` for the selected model and for seasonal naive."""
    season = forecasting.FREQUENCIES[freq][1]
    step = pd.Timedelta(days=7 if freq == "W" else 1) * horizon
    results: dict[tuple[str, str], list[tuple[float, float]]] = {}
    origin = start
    while origin + step <= end:
        predicted = forecasting.forecast(events, as_of=origin, freq=freq, horizon=horizon, cells=False)
        actual = forecasting.series(events, as_of=origin + step, freq=freq, cells=False)
        history = forecasting.series(events, as_of=origin, freq=freq, cells=False)
        for category, block in predicted.groupby("category"):
            uid = f"{category}{forecasting.SEPARATOR}"
            past = history.loc[history["unique_id"] == uid, "y"].to_numpy()
            seen = actual.loc[actual["unique_id"] == uid].set_index("ds")["y"]
            periods = pd.to_datetime(block["period_start"])
            observed = seen.reindex(periods).fillna(0).to_numpy()
            naive = past[-season:][: len(observed)] if len(past) >= season else np.full(len(observed), np.nan)
            for method, values, lo, hi in (
                ("model", block["mean"].to_numpy(), block["lo_80"].to_numpy(), block["hi_80"].to_numpy()),
                ("seasonal_naive", naive, None, None),
            ):
                error = forecasting.mase(observed, values, past, season)
                inside = float(np.mean((observed >= lo) & (observed <= hi))) if lo is not None else float("nan")
                results.setdefault((str(category), method), []).append((error, inside))
        origin += step
    rows = [
        {
            "category": category,
            "method": method,
            "mase": float(np.nanmean([e for e, _ in values])) if values else float("nan"),
            "coverage_80": float(np.nanmean([c for _, c in values])) if method == "model" else float("nan"),
            "origins": len(values),
        }
        for (category, method), values in sorted(results.items())
    ]
    return pd.DataFrame(rows)
