"""The analytics library on tiny inputs worked out by hand, and on a synthetic city with known structure."""

from __future__ import annotations

from pathlib import Path

import h3
import numpy as np
import pandas as pd
import pytest

from jiexiang.analytics import forecast, hotspots, risk, warnings
from jiexiang.analytics.events import clean_events, moment, read_events, with_cells
from jiexiang.core.errors import InvalidInput
from tests.helpers import CENTRE, city


def events_at(cells_and_times: list[tuple[str, str]], category: str = "debris") -> pd.DataFrame:
    rows = []
    for i, (cell, time) in enumerate(cells_and_times):
        lat, lon = h3.cell_to_latlng(cell)
        rows.append({"id": str(i), "category": category, "occurred_at": time, "lon": str(lon), "lat": str(lat)})
    return with_cells(clean_events(pd.DataFrame(rows)).frame, resolution=9)


def test_the_events_file_is_read_with_its_bad_rows_counted(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_text(
        "id,category,occurred_at,lon,lat\n"
        "1,debris,2026-01-05T08:00:00+08:00,116.37,39.90\n"
        "2,debris,2026-01-05 09:00,116.37,39.90\n"
        "3,debris,yesterday,116.37,39.90\n"
        "4,,2026-01-05,116.37,39.90\n"
        "5,debris,2026-01-05,200,39.90\n",
        "utf-8",
    )
    events = read_events(path)
    assert list(events.frame["id"]) == ["1", "2"]
    assert events.frame["occurred_at"].iloc[0] == pd.Timestamp("2026-01-05T00:00:00Z")  # offsets honoured
    assert events.frame["occurred_at"].iloc[1] == pd.Timestamp("2026-01-05T09:00:00Z")  # none: UTC
    assert events.dropped == {"bad_time": 1, "bad_coordinates": 1, "no_category": 1}
    (tmp_path / "wrong.csv").write_text("a,b\n1,2\n", "utf-8")
    with pytest.raises(InvalidInput, match="缺少列"):
        read_events(tmp_path / "wrong.csv")
    assert moment("2026-01-05") == pd.Timestamp("2026-01-05T00:00:00Z")


def test_gi_star_matches_the_formula_worked_by_hand() -> None:
    # 19 cells (two rings round a centre): 6 events in the centre, 2 in three of its neighbours, 0 elsewhere.
    ring = sorted(set(h3.grid_disk(CENTRE, 1)) - {CENTRE})
    cells = sorted(h3.grid_disk(CENTRE, 2))
    counts = {c: 0 for c in cells} | {CENTRE: 6} | {r: 2 for r in ring[:3]}
    frame = pd.DataFrame({"h3_cell": cells, "count": [counts[c] for c in cells]})
    result = hotspots.getis_ord(frame, permutations=99, seed=1).set_index("h3_cell")
    # Gi* = (Σ w x − x̄ Σ w) / (S √((n Σ w² − (Σ w)²) / (n − 1))), w binary with the cell itself:
    n, mean = 19, 12 / 19
    spread = np.sqrt(((6**2 + 3 * 2**2) / n) - mean**2)
    expected = (12 - mean * 7) / (spread * np.sqrt((n * 7 - 7**2) / (n - 1)))
    assert expected == pytest.approx(2.4053512, abs=1e-6)
    assert result.loc[CENTRE, "z"] == pytest.approx(expected)
    again = hotspots.getis_ord(frame, permutations=99, seed=1).set_index("h3_cell")
    assert (again["p"] == result["p"]).all()  # a seed makes the permutations reproducible


def test_a_cluster_is_a_significant_hotspot_after_fdr() -> None:
    cells = sorted(h3.grid_disk(CENTRE, 4))
    cluster = set(h3.grid_disk(CENTRE, 1))
    frame = pd.DataFrame(
        {"h3_cell": cells, "count": [12 if c in cluster else (1 if i % 5 == 0 else 0) for i, c in enumerate(cells)]}
    )
    result = hotspots.getis_ord(frame, permutations=999, seed=0).set_index("h3_cell")
    assert result.loc[CENTRE, "significant"]
    assert not result.loc[sorted(set(cells) - set(h3.grid_disk(CENTRE, 2))), "significant"].any()
    assert (result["p_fdr"] >= result["p"] - 1e-12).all()


def test_kernel_density_is_highest_where_events_are() -> None:
    far = h3.grid_disk(CENTRE, 5)
    edge = sorted(set(far) - set(h3.grid_disk(CENTRE, 4)))[0]
    events = events_at([(CENTRE, "2026-01-05")] * 5)
    density = hotspots.kernel_density(events, [CENTRE, edge]).set_index("h3_cell")["density"]
    assert density[CENTRE] > 100 * density[edge]
    # 5 events under a 150 m Gaussian: at the centre 5 / (2π 0.15²) ≈ 35.4 events per km².
    assert density[CENTRE] == pytest.approx(5 / (2 * np.pi * 0.15**2), rel=0.02)


def test_emerging_hotspots_against_each_cells_own_history() -> None:
    quiet = sorted(set(h3.grid_disk(CENTRE, 3)) - {CENTRE})
    history = [(quiet[i % len(quiet)], f"2025-0{1 + i % 9}-1{i % 9}") for i in range(200)]
    burst = [(CENTRE, f"2025-12-{10 + i % 15:02d}") for i in range(8)]
    steady = [(quiet[0], f"2025-12-{10 + i % 15:02d}") for i in range(2)]
    found = hotspots.emerging(events_at(history + burst + steady), as_of=moment("2026-01-01")).set_index("h3_cell")
    assert found.loc[CENTRE, "emerging"] and found.loc[CENTRE, "recent"] == 8
    assert not found.loc[quiet[0], "emerging"]


def test_where_next_rates_worked_out_by_hand() -> None:
    neighbour = sorted(set(h3.grid_disk(CENTRE, 1)) - {CENTRE})[0]
    as_of = moment("2026-03-01")
    at = lambda days: (as_of - pd.Timedelta(days=days)).isoformat()  # noqa: E731
    events = events_at([(CENTRE, at(1)), (CENTRE, at(10)), (CENTRE, at(400)), (neighbour, at(3))])
    table = pd.DataFrame(risk.rates(events, as_of=as_of, cells=[CENTRE, neighbour]), columns=risk.FEATURES)
    centre, other = table.iloc[0], table.iloc[1]
    assert centre["background_all"] == pytest.approx(3 / 400) and other["background_all"] == pytest.approx(1 / 400)
    assert centre["background_year"] == pytest.approx(2 / 365) and centre["last_4_weeks"] == pytest.approx(2 / 28)
    assert centre["decay_7d"] == pytest.approx((2 ** (-1 / 7) + 2 ** (-10 / 7) + 2 ** (-400 / 7)) / 7)
    assert other["decay_30d"] == pytest.approx(2 ** (-3 / 30) / 30)
    # Near-repeats: the last fortnight next door (one event beside the centre; two beside its neighbour).
    assert centre["near_repeat"] == pytest.approx(1 / 14) and other["near_repeat"] == pytest.approx(2 / 14)
    assert centre["neighbours"] == pytest.approx(1 / 400 / 6) and other["neighbours"] == pytest.approx(3 / 400 / 6)


def test_where_next_weights_fit_a_steady_city_exactly() -> None:
    # Two events a week in one cell and one in another, week after week: the long-run rates say it all, and
    # the fitted weights expect exactly that for the coming week.
    quiet = sorted(set(h3.grid_disk(CENTRE, 2)) - set(h3.grid_disk(CENTRE, 1)))[0]
    start = moment("2025-01-06")
    weekly = [(CENTRE, 0), (CENTRE, 3), (quiet, 1)]
    events = events_at(
        [(cell, (start + pd.Timedelta(days=7 * w + d, hours=10)).isoformat()) for w in range(60) for cell, d in weekly]
    )
    as_of = start + pd.Timedelta(days=7 * 60)
    ranked = risk.predict_hotspots(events, as_of=as_of, horizon_days=7).set_index("h3_cell")["score"]
    assert ranked[CENTRE] == pytest.approx(2.0, rel=0.05) and ranked[quiet] == pytest.approx(1.0, rel=0.05)
    assert risk.fit_weights(events.iloc[:0], as_of=as_of, horizon_days=7) == risk.Weights.background_only()


def test_where_next_fit_recovers_known_weights_from_poisson_counts() -> None:
    rng = np.random.default_rng(11)
    rates_seen = rng.uniform(0.0, 2.0, size=(4000, 3))
    truth = np.array([1.5, 0.0, 0.5])  # the middle rate tells nothing
    counts = rng.poisson(rates_seen @ truth)
    fitted = risk._poisson_fit(rates_seen, counts.astype(float))
    assert fitted == pytest.approx(truth, abs=0.06) and (fitted >= 0).all()


def test_where_next_uses_no_future_events() -> None:
    events = city()
    as_of = moment("2025-06-02")
    before = risk.predict_hotspots(events, as_of=as_of, horizon_days=7)  # weights fitted too: on the past only
    moved = events.copy()
    future = moved["occurred_at"] >= as_of
    moved.loc[future, "h3_cell"] = CENTRE  # the future rearranged
    moved.loc[future, "occurred_at"] += pd.Timedelta(days=3)
    after = risk.predict_hotspots(moved, as_of=as_of, horizon_days=7)
    pd.testing.assert_frame_equal(before, after)
    assert set(before["h3_cell"]) == set(events.loc[~future, "h3_cell"])


def test_the_model_beats_trailing_counts_where_problems_repeat_next_door() -> None:
    from jiexiang.analytics import backtest

    table = backtest.hotspot_backtest(city(), start=moment("2025-06-02"), end=moment("2025-12-01"))
    at5 = table.loc[table["share"] == 0.05].set_index(["category", "method"])["hit_rate"]
    baselines = ("trailing_4w", "trailing_52w", "kde")
    # Broken covers repeat next door for a fortnight: the near-repeat term catches far more of them …
    assert at5[("manhole", "model")] > 1.3 * max(at5[("manhole", b)] for b in baselines)
    # … while for a hotspot that simply persists, a year's counts are as good as anything (within noise).
    assert at5[("debris", "model")] >= max(at5[("debris", b)] for b in baselines) - 0.04
    assert set(table["method"]) == {"model", *baselines} and (table["pai"] > 0).all()
    judged = backtest.verdicts(table).set_index(["category", "share"])["verdict"]
    assert judged[("manhole", 0.05)] == "win" and set(judged) <= {"win", "tie", "loss"}


def test_forecasts_start_after_as_of_on_mondays_and_use_no_future() -> None:
    events = city(days=400)
    as_of = moment("2025-01-15T12:00")  # a Wednesday
    result = forecast.forecast(events, as_of=as_of, freq="W", horizon=3, cells=False)
    assert list(result["period_start"].astype(str).unique()) == ["2025-01-20", "2025-01-27", "2025-02-03"]
    assert set(result["h3_cell"]) == {None} or set(result["h3_cell"].fillna("")) == {""}
    assert (result["lo_80"] <= result["mean"]).all() and (result["mean"] <= result["hi_80"]).all()
    later = events.assign(
        occurred_at=events["occurred_at"].where(
            events["occurred_at"] < as_of, events["occurred_at"] + pd.Timedelta(days=30)
        )
    )
    pd.testing.assert_frame_equal(result, forecast.forecast(later, as_of=as_of, freq="W", horizon=3, cells=False))


def test_cell_forecasts_add_up_to_the_total() -> None:
    events = city(days=300)
    result = forecast.forecast(events, as_of=moment("2024-10-28"), freq="W", horizon=2, cells=True)
    debris = result.loc[result["category"] == "debris"]
    totals = debris.loc[debris["h3_cell"].fillna("") == ""].set_index("period_start")["mean"]
    cells = debris.loc[debris["h3_cell"].fillna("") != ""].groupby("period_start")["mean"].sum()
    assert np.allclose(totals, cells.reindex(totals.index), rtol=0.02)


def test_warnings_carry_their_evidence() -> None:
    events = city(days=400)
    burst = events_at([(CENTRE, "2025-01-28T10:00:00")] * 30)
    combined = pd.concat([events, burst], ignore_index=True)
    found = warnings.early_warnings(combined, as_of=moment("2025-02-03"), thresholds={"debris": 1})
    exceed = found.loc[(found["kind"] == "exceedance") & (found["h3_cell"] == "")]
    assert not exceed.empty and (exceed["observed"] > exceed["hi_80"]).all()
    assert set(found["kind"]) >= {"exceedance", "emerging", "threshold"}
    assert found["message"].str.len().gt(0).all() and set(found["severity"]) <= {"low", "medium", "high"}


def test_reconciliation_worked_by_hand() -> None:
    # Total forecast 10, cells 3 and 4: d = 3, each moves by d / 3 = 1 → cells 4 and 5, total 9.
    day = pd.Timestamp("2026-01-05")
    frame = pd.DataFrame(
        {
            "unique_id": ["debris|", "debris|a", "debris|b"],
            "ds": [day] * 3,
            "mean": [10.0, 3.0, 4.0],
            "lo_80": [8.0, 1.0, 2.0],
            "hi_80": [12.0, 5.0, 6.0],
            "model": ["TSB"] * 3,
        }
    )
    assert forecast._reconcile(frame)["mean"].tolist() == pytest.approx([9.0, 4.0, 5.0])


def test_alley_rates_are_per_hundred_metres() -> None:
    events = pd.DataFrame({"alley_id": [1, 1, 1, 2, None]})
    rates = hotspots.alley_rates(events, pd.Series({1: 300.0, 2: 50.0, 3: 120.0}))
    assert rates[["alley_id", "count", "per_100m"]].to_dict("records") == [
        {"alley_id": 2, "count": 1, "per_100m": 2.0},
        {"alley_id": 1, "count": 3, "per_100m": 1.0},
        {"alley_id": 3, "count": 0, "per_100m": 0.0},
    ]


def test_a_three_level_hierarchy_adds_up_level_by_level() -> None:
    events = city(days=300)
    events = events.assign(
        community=[f"c{int(c, 16) % 3}" for c in events["h3_cell"]],
        alley=[f"a{int(c, 16) % 11}" for c in events["h3_cell"]],
    )
    result = forecast.forecast_levels(events, as_of=moment("2024-10-28"), levels=("community", "alley"), horizon=1)
    block = result.loc[result["category"] == "debris"]
    total = block.loc[block["depth"] == 0, "mean"].sum()
    assert block.loc[block["depth"] == 1, "mean"].sum() == pytest.approx(total, rel=1e-6)
    assert block.loc[block["depth"] == 2, "mean"].sum() == pytest.approx(total, rel=1e-6)
    for community in block.loc[block["depth"] == 1, "path"]:
        inside = block.loc[(block["depth"] == 2) & block["path"].str.startswith(community + "/"), "mean"].sum()
        assert inside == pytest.approx(block.loc[block["path"] == community, "mean"].iloc[0], rel=1e-6)
