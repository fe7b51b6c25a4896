"""Where next: rank cells by the expected number of events of a category in the coming days.

A cell's expected count is a weighted sum of rates per day, each from events before the moment of prediction:
  - background: its long-run rate over all the history there is, and over the last year;
  - recency: its last four weeks, and its events weighted by exp(-age / half-life) for half-lives of a week,
    a month and four months (a burst counts while it lasts, a fixed defect fades);
  - near-repeat: events of the last two weeks in its six neighbours (one piece of debris invites another
    next door — a self-exciting effect that the cell's own counts miss);
  - neighbourhood: its neighbours' long-run rate (smoothing for cells with little history).
The weights are fitted per category by rolling-origin validation on history only: at weekly origins over the
year before the moment of prediction, the rates as they stood then against the counts of the week that followed,
with non-negative weights of the greatest Poisson likelihood (stacking, Breiman 1996). Each baseline is one of
these rates alone, so the fit can lean on the year's counts where a problem recurs in the same places and on
recency and near-repeats where defects are fixed once; fitting the weights jointly on a year of origins, rather
than picking the best of a grid of settings on a few, keeps the winner's curse of such a search out of the choice."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import h3
import numpy as np
import pandas as pd
from scipy.optimize import minimize, nnls

DAY = pd.Timedelta(days=1)
HALF_LIVES = (7.0, 30.0, 120.0)
NEAR_REPEAT_DAYS = 14
RECENT_DAYS = 28
YEAR_DAYS = 365
FEATURES = (
    "background_all",
    "background_year",
    "last_4_weeks",
    *(f"decay_{int(h)}d" for h in HALF_LIVES),
    "near_repeat",
    "neighbours",
)
VALIDATION_ORIGINS = 52  # weekly: the year before the moment of prediction
MIN_HISTORY_DAYS = 56  # an origin needs some past for its rates to mean anything


@dataclass(frozen=True)
class Weights:
    """How much each rate in `FEATURES` counts towards the expected number of events per day."""

    values: tuple[float, ...]

    @classmethod
    def background_only(cls) -> Weights:
        """Plain long-run counts: what is used until there is history enough to fit anything."""
        return cls(tuple(1.0 if name == "background_all" else 0.0 for name in FEATURES))

    def as_dict(self) -> dict[str, float]:
        return dict(zip(FEATURES, self.values, strict=True))


def candidate_cells(events: pd.DataFrame) -> list[str]:
    """The cells a prediction ranks: every cell that had at least one event."""
    return sorted(set(events["h3_cell"]))


def rates(events: pd.DataFrame, *, as_of: pd.Timestamp, cells: list[str]) -> np.ndarray:
    """The rates of `FEATURES` (events per day) for each of `cells`, one row per cell, from events before
    `as_of` only."""
    past = events.loc[events["occurred_at"] < as_of]
    age_days = ((as_of - past["occurred_at"]) / DAY).to_numpy()
    index = {c: i for i, c in enumerate(cells)}
    position = past["h3_cell"].map(index)
    known = position.notna().to_numpy()
    where = position.to_numpy()[known].astype(int)
    ages = age_days[known]
    n = len(cells)
    span = max(float(ages.max()) if len(ages) else 1.0, 1.0)  # how far back the history goes
    background = np.bincount(where, minlength=n) / span
    columns = [
        background,
        np.bincount(where[ages < YEAR_DAYS], minlength=n) / min(YEAR_DAYS, span),
        np.bincount(where[ages < RECENT_DAYS], minlength=n) / RECENT_DAYS,
        *(np.bincount(where, weights=np.exp(-ages * np.log(2) / h), minlength=n) / h for h in HALF_LIVES),
    ]
    ring = _ring_matrix(tuple(cells))
    columns.append(ring @ (np.bincount(where[ages < NEAR_REPEAT_DAYS], minlength=n) / NEAR_REPEAT_DAYS))
    columns.append(ring @ background / 6)
    return np.column_stack(columns)


def score(events: pd.DataFrame, *, as_of: pd.Timestamp, cells: list[str], weights: Weights) -> np.ndarray:
    """Expected events per day in each of `cells`, from the events before `as_of` only."""
    expected: np.ndarray = rates(events, as_of=as_of, cells=cells) @ np.asarray(weights.values)
    return expected


@lru_cache(maxsize=256)  # the same cells come back at every origin of a backtest
def _ring_matrix(cells: tuple[str, ...]):  # type: ignore[no-untyped-def]  # scipy sparse has no stubs
    from scipy.sparse import csr_matrix

    index = {c: i for i, c in enumerate(cells)}
    rows, cols = [], []
    for i, cell in enumerate(cells):
        for neighbour in h3.grid_disk(cell, 1):
            j = index.get(neighbour)
            if j is not None and j != i:
                rows.append(i)
                cols.append(j)
    return csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(cells), len(cells)))


def hit_rate(scores: np.ndarray, cells: list[str], outcome: pd.DataFrame, *, share: float) -> float:
    """The share of `outcome` events that fall in the top `share` of cells by score (ties broken by order)."""
    if outcome.empty or not cells:
        return float("nan")
    top = max(1, round(share * len(cells)))
    chosen = {cells[i] for i in np.argsort(-scores, kind="stable")[:top]}
    return float(outcome["h3_cell"].isin(chosen).mean())


def fit_weights(events: pd.DataFrame, *, as_of: pd.Timestamp, horizon_days: int) -> Weights:
    """Weights fitted at weekly origins over the year before `as_of` (events before `as_of` only): the rates at
    each origin against the counts of the `horizon_days` after it, by Poisson likelihood."""
    history = events.loc[events["occurred_at"] < as_of]
    if history.empty:
        return Weights.background_only()
    first = history["occurred_at"].min()
    horizon = pd.Timedelta(days=horizon_days)
    blocks, targets = [], []
    for k in range(1, VALIDATION_ORIGINS + 1):
        origin = as_of - pd.Timedelta(days=7) * k
        if origin + horizon > as_of or origin - first < pd.Timedelta(days=MIN_HISTORY_DAYS):
            continue
        before = history.loc[history["occurred_at"] < origin]
        cells = candidate_cells(before)
        after = history.loc[(history["occurred_at"] >= origin) & (history["occurred_at"] < origin + horizon)]
        counts = after["h3_cell"].value_counts()
        blocks.append(rates(before, as_of=origin, cells=cells))
        targets.append(np.array([counts.get(c, 0) for c in cells], dtype=float))
    if not blocks:
        return Weights.background_only()
    fitted = _poisson_fit(np.vstack(blocks), np.concatenate(targets))
    if not fitted.any():  # nothing predicted anything (no event followed any origin)
        return Weights.background_only()
    return Weights(tuple(float(w) for w in fitted / horizon_days))  # per day, as the rates are


def _poisson_fit(rates_at_origins: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Non-negative weights w maximising the Poisson likelihood of `counts` with means `rates_at_origins @ w`
    (counts of events are Poisson-like: least squares would let the few busiest cells decide), started from the
    least-squares solution."""
    start: np.ndarray = nnls(rates_at_origins, counts)[0]
    if not start.any():
        return start

    def deviance(w: np.ndarray) -> tuple[float, np.ndarray]:
        mean = rates_at_origins @ w + 1e-12
        return float((mean - counts * np.log(mean)).sum()), rates_at_origins.T @ (1 - counts / mean)

    bounds = [(0.0, None)] * rates_at_origins.shape[1]
    found = minimize(deviance, np.maximum(start, 1e-6), jac=True, method="L-BFGS-B", bounds=bounds)
    fitted: np.ndarray = found.x if found.success else start
    return fitted


def predict_hotspots(
    events: pd.DataFrame, *, as_of: pd.Timestamp, horizon_days: int = 7, weights: Weights | None = None
) -> pd.DataFrame:
    """`h3_cell, score` (expected events in the horizon) for every cell with an event before `as_of`,
    highest first. Uses only events before `as_of`."""
    history = events.loc[events["occurred_at"] < as_of]
    cells = candidate_cells(history)
    if not cells:
        return pd.DataFrame({"h3_cell": [], "score": []})
    chosen = weights or fit_weights(history, as_of=as_of, horizon_days=horizon_days)
    values = score(history, as_of=as_of, cells=cells, weights=chosen) * horizon_days
    result = pd.DataFrame({"h3_cell": cells, "score": values})
    return result.sort_values(["score", "h3_cell"], ascending=[False, True], kind="stable").reset_index(drop=True)
