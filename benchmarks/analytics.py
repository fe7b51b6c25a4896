"""Analytics benchmarks (not part of the test suite).

    .venv/bin/python -m benchmarks.analytics [--rows 24000000] [--skip-forecast]

1. Forecast every series of a demo-sized subdistrict: 100 alleys × 12 topics, two years of daily counts
   (1,200 series of 730 days), with model selection by cross-validation, as `forecast` does for cells.
2. Hotspot counts and Gi* for one year of Beijing-scale events: `--rows` synthetic events over Beijing's
   built-up area (counts per H3 res-9 cell, then Gi* with analytical p-values and FDR; permutation tests
   at this size belong on a cluster).
3. With `--csv-rows N`: the same events written to a CSV and read, cleaned and placed by `jiexiang analytics`'s
   own reader, in this process and on a local Dask cluster of two worker processes.
Prints wall time and peak memory for each.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from jiexiang.analytics import forecast, hotspots
from jiexiang.analytics.events import read_events, with_cells
from jiexiang.analytics.scale import read_events_on


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


def csv_read(rows: int, folder: Path) -> tuple[float, float]:
    """Seconds to read, clean and place an events CSV of `rows` here and on a local two-process cluster."""
    rng = np.random.default_rng(3)
    path = folder / "events.csv"
    start = pd.Timestamp("2025-01-01", tz="UTC").value // 10**9
    with path.open("w", encoding="utf-8") as handle:
        handle.write("id,category,occurred_at,lon,lat\n")
        for first in range(0, rows, 1_000_000):
            n = min(1_000_000, rows - first)
            times = pd.to_datetime(start + rng.integers(0, 365 * 86400, n), unit="s", utc=True)
            block = pd.DataFrame(
                {
                    "id": np.arange(first, first + n),
                    "category": rng.choice(["debris", "parking", "vending", "garbage"], n),
                    "occurred_at": times.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "lon": np.round(rng.uniform(116.15, 116.7, n), 6),
                    "lat": np.round(rng.uniform(39.75, 40.1, n), 6),
                }
            )
            block.to_csv(handle, header=False, index=False)
    started = time.perf_counter()
    with_cells(read_events(path).frame, resolution=9)["h3_cell"].value_counts()
    local = time.perf_counter() - started
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=":0") as cluster, Client(cluster) as client:
        started = time.perf_counter()
        read_events_on(client, path, resolution=9).frame["h3_cell"].value_counts()
        distributed = time.perf_counter() - started
    return local, distributed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=24_000_000)
    parser.add_argument("--skip-forecast", action="store_true")
    parser.add_argument("--csv-rows", type=int, default=0)
    args = parser.parse_args()
    if args.csv_rows:
        local, distributed = csv_read(args.csv_rows, Path(tempfile.mkdtemp(prefix="jiexiang-analytics-")))
        print(
            f"events CSV of {args.csv_rows:,} rows read, cleaned, placed and counted: {local:.0f} s in this "
            f"process, {distributed:.0f} s on a local Dask cluster (2 worker processes)"
        )
        return
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
