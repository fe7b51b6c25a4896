"""The same commands on a local Dask cluster give the same answers as in this process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from jiexiang.cli import app
from tests.helpers import city, write_csv

runner = CliRunner()


@pytest.fixture(scope="module")
def dask_address() -> Iterator[str]:
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster:
        yield cluster.scheduler_address


def test_forecasts_and_hotspots_on_a_dask_cluster_match_the_local_run(dask_address: str, tmp_path: Path) -> None:
    events = city(days=400)
    csv = write_csv(events, tmp_path / "events.csv")

    def run(*args: str) -> None:
        result = runner.invoke(app, ["analytics", *args, "--events", str(csv)])
        assert result.exit_code == 0, result.output

    common = ["forecast", "--as-of", "2025-01-06", "--freq", "W", "--horizon", "2", "--h3-res", "9"]
    run(*common, "--out", str(tmp_path / "local.csv"))
    run(*common, "--out", str(tmp_path / "dask.csv"), "--dask", dask_address)
    local, distributed = (pd.read_csv(tmp_path / f, keep_default_na=False) for f in ("local.csv", "dask.csv"))
    pd.testing.assert_frame_equal(local, distributed, check_exact=False, rtol=1e-6)

    ranked = ["predict-hotspots", "--as-of", "2025-01-06", "--category", "manhole"]
    run(*ranked, "--out", str(tmp_path / "rl.csv"))
    run(*ranked, "--out", str(tmp_path / "rd.csv"), "--dask", dask_address)
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "rl.csv"), pd.read_csv(tmp_path / "rd.csv"))

    unreachable = runner.invoke(
        app,
        ["analytics", *ranked, "--events", str(csv), "--out", str(tmp_path / "x.csv"), "--dask", "tcp://127.0.0.1:1"],
    )
    assert unreachable.exit_code == 1 and "Dask" in unreachable.output
