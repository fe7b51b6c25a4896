"""Where problems concentrate: counts per H3 cell and per 100 m of alley, Getis-Ord Gi* with permutation
p-values and a Benjamini–Hochberg false-discovery-rate correction (PySAL esda), kernel density, and emerging
hotspots (cells whose recent count is improbably high against their own history)."""

from __future__ import annotations

import warnings

import h3
import numpy as np
import pandas as pd
from esda.getisord import G_Local
from libpysal.weights import W
from scipy import stats
from sklearn.neighbors import KernelDensity

EARTH_RADIUS_M = 6_371_008.8


def study_cells(cells: pd.Series | list[str]) -> list[str]:
    """The cells with events and their immediate neighbours: zeros around a cluster are part of the test."""
    found: set[str] = set()
    for cell in set(cells):
        found.update(h3.grid_disk(cell, 1))
    return sorted(found)


def cell_counts(events: pd.DataFrame, *, cells: list[str] | None = None) -> pd.DataFrame:
    """`h3_cell, count` for `cells` (default: the study cells of the events), zeros included."""
    counted = events["h3_cell"].value_counts()
    cells = cells if cells is not None else study_cells(events["h3_cell"])
    return pd.DataFrame({"h3_cell": cells, "count": [int(counted.get(c, 0)) for c in cells]})


def neighbour_weights(cells: list[str]) -> W:
    """Binary contiguity between H3 cells (the six cells around each), within `cells`."""
    inside = set(cells)
    neighbours = {c: [n for n in h3.grid_disk(c, 1) if n != c and n in inside] for c in cells}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # islands are legitimate at the edge of a study area
        return W(neighbours, silence_warnings=True)


def getis_ord(counts: pd.DataFrame, *, permutations: int = 999, alpha: float = 0.05, seed: int = 0) -> pd.DataFrame:
    """Gi* per cell: `z` (analytical), `p` (pseudo p-value from conditional permutations), `p_fdr`
    (Benjamini–Hochberg) and `significant` (hot and p_fdr < alpha)."""
    cells = counts["h3_cell"].tolist()
    y = counts["count"].to_numpy(dtype=float)
    result = counts.copy()
    if len(cells) < 3 or y.std() == 0:
        return result.assign(z=0.0, p=1.0, p_fdr=1.0, significant=False)
    weights = neighbour_weights(cells)
    weights.transform = "B"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # constant neighbourhoods give 0/0 in esda's z
        # G_Local offers no way to choose the permutation test's alternative and warns that its default
        # (one-sided, in the observed direction) will change; that default is the hot-spot test we want.
        warnings.filterwarnings("ignore", "The alternative hypothesis", DeprecationWarning)
        warnings.filterwarnings("ignore", "`row_stack` alias is deprecated", DeprecationWarning)  # esda 2.9
        warnings.filterwarnings("ignore", "The weights matrix is not fully connected", UserWarning)  # islands
        # One process: the permutations are reproducible from `seed` and no worker pool is started.
        g = G_Local(y, weights, transform="B", star=True, permutations=permutations, seed=seed, n_jobs=1)
    z = np.nan_to_num(np.asarray(g.Zs, dtype=float))
    p = np.asarray(g.p_sim, dtype=float) if permutations else np.asarray(g.p_norm, dtype=float)
    adjusted = stats.false_discovery_control(p, method="bh")
    return result.assign(z=z, p=p, p_fdr=adjusted, significant=(adjusted < alpha) & (z > 0))


def alley_rates(events: pd.DataFrame, lengths: pd.Series) -> pd.DataFrame:
    """Events per 100 m of alley: `alley_id, count, length_m, per_100m`, densest first. `events` carry an
    `alley_id` (None for events off the alleys); `lengths` is metres by alley id (alleys without events: 0)."""
    counted = events["alley_id"].dropna().astype(int).value_counts()
    frame = pd.DataFrame({"alley_id": lengths.index.astype(int), "length_m": lengths.to_numpy(dtype=float)})
    frame["count"] = [int(counted.get(a, 0)) for a in frame["alley_id"]]
    frame["per_100m"] = frame["count"] / np.maximum(frame["length_m"], 1.0) * 100
    return frame.sort_values(["per_100m", "alley_id"], ascending=[False, True], kind="stable").reset_index(drop=True)


def kernel_density(events: pd.DataFrame, cells: list[str], *, bandwidth_m: float = 150.0) -> pd.DataFrame:
    """Gaussian kernel density of the events at each cell's centre (events per km²)."""
    if events.empty:
        return pd.DataFrame({"h3_cell": cells, "density": np.zeros(len(cells))})
    model = KernelDensity(bandwidth=bandwidth_m / EARTH_RADIUS_M, metric="haversine", kernel="gaussian")
    model.fit(np.radians(events[["lat", "lon"]].to_numpy()))
    centres = np.radians(np.array([h3.cell_to_latlng(c) for c in cells]))
    # score_samples is a log density per steradian; scale to events per km².
    density = np.exp(model.score_samples(centres)) * len(events) / (EARTH_RADIUS_M / 1000) ** 2
    return pd.DataFrame({"h3_cell": cells, "density": density})


def emerging(
    events: pd.DataFrame,
    *,
    as_of: pd.Timestamp,
    recent_days: int = 28,
    history_days: int = 364,
    alpha: float = 0.05,
    min_count: int = 3,
) -> pd.DataFrame:
    """Cells whose count in the last `recent_days` is improbably high for a Poisson at their own rate over
    the `history_days` before (with a floor at a tenth of the average cell's rate, for cells new to trouble).
    Columns: `h3_cell, recent, expected, p, p_fdr, emerging`."""
    recent_start = as_of - pd.Timedelta(days=recent_days)
    history_start = recent_start - pd.Timedelta(days=history_days)
    recent = events.loc[(events["occurred_at"] >= recent_start) & (events["occurred_at"] < as_of), "h3_cell"]
    history = events.loc[(events["occurred_at"] >= history_start) & (events["occurred_at"] < recent_start), "h3_cell"]
    cells = sorted(set(recent))
    if not cells:
        return pd.DataFrame(columns=["h3_cell", "recent", "expected", "p", "p_fdr", "emerging"])
    recent_counts, history_counts = recent.value_counts(), history.value_counts()
    scale = recent_days / history_days
    floor = 0.1 * (len(history) / max(len(set(history)), 1)) * scale
    observed = np.array([recent_counts[c] for c in cells], dtype=float)
    expected = np.maximum(np.array([history_counts.get(c, 0) for c in cells], dtype=float) * scale, max(floor, 1e-3))
    p = stats.poisson.sf(observed - 1, expected)  # P(X >= observed)
    adjusted = stats.false_discovery_control(p, method="bh")
    return pd.DataFrame(
        {
            "h3_cell": cells,
            "recent": observed.astype(int),
            "expected": expected,
            "p": p,
            "p_fdr": adjusted,
            "emerging": (adjusted < alpha) & (observed >= min_count),
        }
    )
