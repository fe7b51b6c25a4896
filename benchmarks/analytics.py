"""Analytics benchmarks (not part of the test suite).

    .venv/bin/python -m benchmarks.analytics [--rows 24000000] [--skip-forecast]

1. Forecast every series of a demo-sized subdistrict: 100 alleys × 12 topics, two years of daily counts
   (1,200 series of 730 days), with model selection by cross-validation, as `forecast` does for cells.
2. Hotspot counts and Gi* for one year of Beijing-scale events: `--rows` synthetic events over Beijing's
   built-up area (counts per H3 res-9 cell, then Gi* with analytical p-values and FDR; permutation tests
   at this size belong on a cluster).
Prints wall time and peak memory for each.
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np
import pandas as pd

from jiexiang.analytics import forecast, hotspots
from jiexiang.analytics.events import with_cells


def forecast_demo_sized(seed: int = 1) -> tuple[float, int]:
    rng = np.random.default_rng(seed)
    days = pd.date_range("2024-11-25", periods=730, freq="D")
    rows = []
    for alley in range(100):
        for topic in range(12):
            rate = rng.gamma(0.6, 0.25)  # most alley × topic series are sparse
            weekly = 1 + 0.3 * np.sin(2 * np.pi * np.arange(730) / 7 + topic)
            counts = rng.poisson(rate * weekly)
            rows.append(pd.DataFrame({"unique_id": f"t{topic}|a{alley}", "ds": days, "y": counts.astype(float)}))
    data = pd.concat(rows, ignore_index=True)
    started = time.perf_counter()
    lengths = data.groupby("unique_id").size()
    chosen = forecast._select(data, alias="D", season=7, horizon=7, lengths=lengths)
    forecast._forecast(data, alias="D", season=7, horizon=7, chosen=chosen, intervals=True)
    return time.perf_counter() - started, data["unique_id"].nunique()


def beijing_hotspots(rows: int, seed: int = 2) -> tuple[float, float, int, int]:
    """Seconds to count and to run Gi*, cells, significant cells."""
    rng = np.random.default_rng(seed)
    # Beijing's built-up area, roughly: 39.7–40.15 N, 116.1–116.75 E, with clustered demand.
    centres = np.column_stack([rng.uniform(39.75, 40.1, 400), rng.uniform(116.15, 116.7, 400)])
    which = rng.integers(0, len(centres), rows)
    lat = centres[which, 0] + rng.normal(0, 0.01, rows)
    lon = centres[which, 1] + rng.normal(0, 0.012, rows)
    started = time.perf_counter()
    events = with_cells(pd.DataFrame({"lon": lon, "lat": lat}), resolution=9)
    del lat, lon
    counts = hotspots.cell_counts(events)  # with the empty cells around them
    counted_at = time.perf_counter() - started
    del events
    started = time.perf_counter()
    result = hotspots.getis_ord(counts, permutations=0)
    gi = time.perf_counter() - started
    return counted_at, gi, len(counts), int(result["significant"].sum())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=24_000_000)
    parser.add_argument("--skip-forecast", action="store_true")
    args = parser.parse_args()
    if not args.skip_forecast:
        seconds, series = forecast_demo_sized()
        print(f"forecast: {series:,} daily series × 730 days, CV selection + conformal intervals: {seconds:.1f} s")
    counting, gi, cells, significant = beijing_hotspots(args.rows)
    print(
        f"hotspots: {args.rows:,} events → {cells:,} H3 res-9 cells counted in {counting:.0f} s; "
        f"Gi* (analytical p, FDR) in {gi:.1f} s; {significant:,} significant hot cells"
    )
    print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
