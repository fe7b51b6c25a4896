"""Counts ahead: weekly or daily forecasts per category, for the category total and per H3 cell, with 80 %
prediction intervals.

Each series is forecast by the method that did best (mean absolute error) in rolling-origin
cross-validation on its own history, from methods fit for sparse counts (Croston SBA, TSB, ADIDA, iMAPA),
plain averages, and seasonal naive (statsforecast). Intervals are the wider of conformal ones (from
rolling-window errors, where the history allows) and the Poisson spread around the mean. The levels (total,
cells; or total, communities, alleys) are then reconciled by OLS so that each adds up to the one above."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from statsforecast import StatsForecast
from statsforecast.models import ADIDA, IMAPA, TSB, CrostonSBA, HistoricAverage, SeasonalNaive, WindowAverage
from statsforecast.utils import ConformalIntervals

from jiexiang.core.errors import InvalidInput

FREQUENCIES = {"W": ("W-MON", 52), "D": ("D", 7)}
SEPARATOR = "|"  # category | area path
PATH = "/"  # between the levels of an area path
UNKNOWN = "?"  # an event without a value at some level
CV_WINDOWS = 3


def _period_start(times: pd.Series, freq: str) -> pd.Series:
    """The start of each time's period (UTC, naive): its day, or the Monday of its week."""
    local = times.dt.tz_convert("UTC").dt.tz_localize(None)
    if freq == "W":
        return (local - pd.to_timedelta(local.dt.weekday, unit="D")).dt.normalize()
    return local.dt.normalize()


def _step(freq: str) -> pd.Timedelta:
    return pd.Timedelta(days=7 if freq == "W" else 1)


def first_forecast_period(as_of: pd.Timestamp, freq: str) -> pd.Timestamp:
    """The first period wholly after `as_of`: its own if `as_of` opens it, else the next."""
    start = _period_start(pd.Series([as_of]), freq).iloc[0]
    return start if start == as_of.tz_convert("UTC").tz_localize(None) else start + _step(freq)


def series(events: pd.DataFrame, *, as_of: pd.Timestamp, freq: str, cells: bool, area: str = "h3_cell") -> pd.DataFrame:
    """`unique_id, ds, y` per category total (id `category|`) and, with `cells`, per category and area
    (id `category|area`; the area is the `area` column: an H3 cell, an alley, a community), zeros included,
    over the whole periods that end by `as_of`."""
    return hierarchy_series(events, as_of=as_of, freq=freq, levels=(area,) if cells else ())


def hierarchy_series(events: pd.DataFrame, *, as_of: pd.Timestamp, freq: str, levels: tuple[str, ...]) -> pd.DataFrame:
    """Series for every node of the hierarchy category → levels[0] → levels[1] …: ids `category|` (total),
    `category|a`, `category|a/b` …; an event without a value at some level counts under "?" there, so that
    each level adds up to the one above."""
    if freq not in FREQUENCIES:
        raise InvalidInput("--freq 应为 W（周）或 D（日）", code="freq")
    complete_until = _period_start(pd.Series([as_of]), freq).iloc[0]  # periods before this one are whole
    past = events.loc[events["occurred_at"] < as_of].assign(ds=lambda f: _period_start(f["occurred_at"], freq))
    past = past.loc[past["ds"] < complete_until]
    if past.empty:
        return pd.DataFrame(columns=["unique_id", "ds", "y"])
    periods = pd.date_range(past["ds"].min(), complete_until - _step(freq), freq=FREQUENCIES[freq][0])
    path = pd.Series("", index=past.index)
    keys = [past["category"] + SEPARATOR]
    for depth, level in enumerate(levels):
        column = past[level]
        if pd.api.types.is_float_dtype(column):  # integer ids with gaps arrive as floats: 3.0 → "3"
            column = column.astype("Int64")
        value = column.astype("string").fillna(UNKNOWN).astype(str)
        path = value if depth == 0 else path + PATH + value
        keys.append(past["category"] + SEPARATOR + path)
    frames = []
    for key in keys:
        counted = past.assign(unique_id=key).groupby(["unique_id", "ds"]).size().rename("y")
        full = pd.MultiIndex.from_product([sorted(set(key)), periods], names=["unique_id", "ds"])
        frames.append(counted.reindex(full, fill_value=0).reset_index())
    return pd.concat(frames, ignore_index=True).astype({"y": float})


def _models(season: int) -> list[object]:
    return [
        CrostonSBA(),
        TSB(alpha_d=0.1, alpha_p=0.1),
        ADIDA(),
        IMAPA(),
        HistoricAverage(),
        WindowAverage(window_size=4),
        SeasonalNaive(season_length=season),
    ]


def forecast(
    events: pd.DataFrame,
    *,
    as_of: pd.Timestamp,
    freq: str = "W",
    horizon: int = 4,
    cells: bool = True,
    area: str = "h3_cell",
    client: Any = None,
) -> pd.DataFrame:
    """`category, <area>, period_start, mean, lo_80, hi_80, model` for the `horizon` periods after `as_of`
    (the area empty for the category total). Uses only events before `as_of`. With a Dask `client` the
    series are fitted on its cluster."""
    columns = ["category", area, "period_start", "mean", "lo_80", "hi_80", "model"]
    result = _forecast_nodes(
        events, as_of=as_of, freq=freq, horizon=horizon, levels=(area,) if cells else (), client=client
    )
    if result.empty:
        return pd.DataFrame(columns=columns)
    split = result["unique_id"].str.split(SEPARATOR, n=1, expand=True)
    return (
        result.assign(category=split[0], **{area: split[1]}, period_start=result["ds"].dt.date)
        .loc[:, columns]
        .sort_values(["category", area, "period_start"], kind="stable")
        .reset_index(drop=True)
    )


def forecast_levels(
    events: pd.DataFrame,
    *,
    as_of: pd.Timestamp,
    levels: tuple[str, ...],
    freq: str = "W",
    horizon: int = 4,
    client: Any = None,
) -> pd.DataFrame:
    """Forecasts for a whole hierarchy (e.g. `levels=("community_id", "alley_id")`), reconciled so that each
    level adds up to the one above: `category, depth, path, area, period_start, mean, lo_80, hi_80, model`
    (depth 0 is the category total; `area` the node's own value at its depth, `path` all of them)."""
    columns = ["category", "depth", "path", "area", "period_start", "mean", "lo_80", "hi_80", "model"]
    result = _forecast_nodes(events, as_of=as_of, freq=freq, horizon=horizon, levels=levels, client=client)
    if result.empty:
        return pd.DataFrame(columns=columns)
    split = result["unique_id"].str.split(SEPARATOR, n=1, expand=True)
    paths = split[1]
    return (
        result.assign(
            category=split[0],
            path=paths,
            depth=[_depth(p) for p in paths],
            area=[p.rsplit(PATH, 1)[-1] if p else "" for p in paths],
            period_start=result["ds"].dt.date,
        )
        .loc[:, columns]
        .sort_values(["category", "depth", "path", "period_start"], kind="stable")
        .reset_index(drop=True)
    )


def _depth(path: str) -> int:
    return 0 if not path else path.count(PATH) + 1


def _forecast_nodes(
    events: pd.DataFrame, *, as_of: pd.Timestamp, freq: str, horizon: int, levels: tuple[str, ...], client: Any
) -> pd.DataFrame:
    """Reconciled forecasts (`unique_id, ds, mean, lo_80, hi_80, model`) of every node, periods after `as_of`."""
    data = hierarchy_series(events, as_of=as_of, freq=freq, levels=levels)
    if data.empty:
        return pd.DataFrame(columns=["unique_id", "ds", "mean", "lo_80", "hi_80", "model"])
    alias, season = FREQUENCIES[freq]
    first = first_forecast_period(as_of, freq)
    # The series end where whole periods end; a period cut by `as_of` is forecast too, then dropped.
    steps = horizon + int((first - data["ds"].max()) / _step(freq)) - 1
    lengths = data.groupby("unique_id").size()
    chosen = _select(data, alias=alias, season=season, horizon=steps, lengths=lengths, client=client)
    long_enough = lengths[lengths >= (CV_WINDOWS + 1) * steps + 2].index
    parts = []
    for ids, intervals in ((long_enough, True), (lengths.index.difference(long_enough), False)):
        subset = data.loc[data["unique_id"].isin(ids)]
        if not subset.empty:
            parts.append(
                _forecast(
                    subset, alias=alias, season=season, horizon=steps, chosen=chosen, intervals=intervals, client=client
                )
            )
    result = _reconcile(pd.concat(parts, ignore_index=True))
    return result.loc[result["ds"] >= first]


def _on(data: pd.DataFrame, client: Any) -> Any:
    """The series as statsforecast should receive them: here, or spread over a Dask cluster."""
    if client is None:
        return data
    from jiexiang.analytics.scale import partitioned

    return partitioned(data, client)


def _here(result: Any) -> pd.DataFrame:
    frame = result.compute() if hasattr(result, "compute") else result
    return frame.sort_values(["unique_id", "ds"], kind="stable").reset_index(drop=True)


def _select(
    data: pd.DataFrame, *, alias: str, season: int, horizon: int, lengths: pd.Series, client: Any = None
) -> dict[str, str]:
    """Each series' method: lowest MAE over rolling-origin windows; too short a history → TSB."""
    chosen = {uid: "TSB" for uid in lengths.index}
    testable = lengths[lengths >= (CV_WINDOWS + 1) * horizon].index
    if len(testable) == 0:
        return chosen
    engine = StatsForecast(models=_models(season), freq=alias, n_jobs=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cv = _here(
            engine.cross_validation(
                df=_on(data.loc[data["unique_id"].isin(testable)], client),
                h=horizon,
                n_windows=CV_WINDOWS,
                step_size=horizon,
            )
        )
    names = [str(getattr(m, "alias", type(m).__name__)) for m in _models(season)]
    errors = cv[names].sub(cv["y"], axis=0).abs().assign(unique_id=cv["unique_id"]).groupby("unique_id").mean()
    chosen.update(errors.idxmin(axis=1).to_dict())
    return chosen


def _forecast(
    data: pd.DataFrame,
    *,
    alias: str,
    season: int,
    horizon: int,
    chosen: dict[str, str],
    intervals: bool,
    client: Any = None,
) -> pd.DataFrame:
    engine = StatsForecast(models=_models(season), freq=alias, n_jobs=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if intervals:
            raw = engine.forecast(
                df=_on(data, client),
                h=horizon,
                level=[80],
                prediction_intervals=ConformalIntervals(h=horizon, n_windows=2),
            )
        else:
            raw = engine.forecast(df=_on(data, client), h=horizon)
        raw = _here(raw)
    rows = []
    for uid, block in raw.groupby("unique_id", sort=False):
        model = chosen[str(uid)]
        mean = block[model].clip(lower=0).to_numpy()
        # Counts vary at least as a Poisson does; conformal bounds from few windows can be narrower than that.
        lo, hi = stats.poisson.ppf(0.1, mean), stats.poisson.ppf(0.9, mean)
        if intervals:
            lo = np.minimum(lo, block[f"{model}-lo-80"].clip(lower=0).to_numpy())
            hi = np.maximum(hi, block[f"{model}-hi-80"].to_numpy())
        rows.append(
            pd.DataFrame({"unique_id": uid, "ds": block["ds"], "mean": mean, "lo_80": lo, "hi_80": hi, "model": model})
        )
    return pd.concat(rows, ignore_index=True)


def _reconcile(frame: pd.DataFrame) -> pd.DataFrame:
    """OLS reconciliation (Hyndman et al. 2011) of each category's hierarchy, period by period: with S the
    summing matrix from the finest nodes to every node, the forecasts ŷ become S (SᵀS)⁻¹ Sᵀ ŷ, which add up
    level by level. Intervals move with their means; negative values are cut at zero."""
    frame = frame.astype({"mean": float, "lo_80": float, "hi_80": float})  # fits on Dask come back float32
    split = frame["unique_id"].str.split(SEPARATOR, n=1, expand=True)
    out = frame.copy()
    for _, index in frame.groupby([split[0], frame["ds"]]).groups.items():
        paths = split.loc[index, 1].tolist()
        depths = [_depth(p) for p in paths]
        finest = max(depths)
        if finest == 0:
            continue
        bottom = [p for p, d in zip(paths, depths, strict=True) if d == finest]
        summing = np.array([[_covers(p, b) for b in bottom] for p in paths], dtype=float)
        base = frame.loc[index, "mean"].to_numpy(dtype=float)
        coherent = summing @ np.linalg.lstsq(summing, base, rcond=None)[0]
        for column in ("mean", "lo_80", "hi_80"):
            out.loc[index, column] = frame.loc[index, column].to_numpy(dtype=float) + (coherent - base)
    out[["mean", "lo_80", "hi_80"]] = out[["mean", "lo_80", "hi_80"]].clip(lower=0)
    return out


def _covers(node: str, bottom: str) -> bool:
    return node == "" or bottom == node or bottom.startswith(node + PATH)


def mase(actual: np.ndarray, predicted: np.ndarray, history: np.ndarray, season: int) -> float:
    """Mean absolute scaled error against the in-sample seasonal naive (nan when that scale is zero)."""
    if len(history) <= season:
        return float("nan")
    scale = np.mean(np.abs(history[season:] - history[:-season]))
    return float(np.mean(np.abs(actual - predicted)) / scale) if scale > 0 else float("nan")
