"""Every analytics command on an events CSV of the kind another city would export."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from jiexiang.cli import app
from tests.helpers import city, write_csv

runner = CliRunner()


def test_each_command_runs_on_an_events_csv(tmp_path: Path) -> None:
    events = city(days=450)
    csv = write_csv(events, tmp_path / "events.csv")

    def run(*args: str) -> str:
        result = runner.invoke(app, ["analytics", *args, "--events", str(csv)])
        assert result.exit_code == 0, result.output
        return result.output

    run(
        "predict-hotspots",
        "--as-of",
        "2025-03-03",
        "--horizon-days",
        "7",
        "--h3-res",
        "9",
        "--out",
        str(tmp_path / "p.csv"),
    )
    ranked = pd.read_csv(tmp_path / "p.csv")
    assert list(ranked.columns) == ["h3_cell", "score"] and ranked["score"].is_monotonic_decreasing
    run(
        "forecast",
        "--as-of",
        "2025-03-03",
        "--freq",
        "W",
        "--horizon",
        "2",
        "--h3-res",
        "9",
        "--out",
        str(tmp_path / "f.csv"),
    )
    forecasts = pd.read_csv(tmp_path / "f.csv", keep_default_na=False)
    assert list(forecasts.columns) == ["category", "h3_cell", "period_start", "mean", "lo_80", "hi_80"]
    assert set(forecasts["period_start"]) == {"2025-03-03", "2025-03-10"} and "" in set(forecasts["h3_cell"])
    run(
        "hotspots",
        "--from",
        "2024-06-01",
        "--to",
        "2025-03-01",
        "--category",
        "debris",
        "--out",
        str(tmp_path / "h.geojson"),
    )
    collection = json.loads((tmp_path / "h.geojson").read_text("utf-8"))
    assert {"count", "gi_z", "p", "p_fdr", "significant"} <= set(collection["features"][0]["properties"])
    assert any(f["properties"]["significant"] for f in collection["features"])
    run("warnings", "--as-of", "2025-03-03", "--threshold", "debris=1", "--out", str(tmp_path / "w.csv"))
    assert "threshold" in set(pd.read_csv(tmp_path / "w.csv")["kind"])
    output = run("backtest", "--start", "2025-01-06", "--end", "2025-03-03")
    assert "trailing_52w" in output and "kde" in output and "MASE" in output
    assert "命中率 5%：模型胜过全部基线" in output

    bad = runner.invoke(
        app, ["analytics", "forecast", "--events", str(csv), "--as-of", "someday", "--out", str(tmp_path / "x.csv")]
    )
    assert bad.exit_code == 1 and "无法识别的时间" in bad.output
