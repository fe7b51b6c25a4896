"""The difference in differences on data built with a known effect."""

from __future__ import annotations

import numpy as np
import pytest

from jiexiang.domains.hotline.effect import Counts, estimate


def _city(
    rng: np.random.Generator, *, effect: float, trend: float = 1.3
) -> tuple[dict[str, Counts], dict[str, Counts], float]:
    """200 cells with their own busyness; everywhere the after-period is `trend` × busier (the season), and the
    20 treated cells lose `effect` of their tickets on top of that. Also returns the true effect: the tickets
    the work removed from the treated cells (in expectation)."""
    rates = rng.gamma(2.0, 3.0, size=200)
    treated, untouched = {}, {}
    for i, rate in enumerate(rates):
        worked = i < 20
        after = rate * trend * ((1 - effect) if worked else 1)
        counts = Counts(int(rng.poisson(rate)), int(rng.poisson(after)))
        (treated if worked else untouched)[f"c{i}"] = counts
    return treated, untouched, -effect * trend * float(rates[:20].sum())


def test_a_known_effect_is_found_within_its_interval() -> None:
    rng = np.random.default_rng(7)
    covered, estimates = 0, []
    for _ in range(200):
        treated, untouched, truth = _city(rng, effect=0.4)
        found = estimate(treated, untouched)
        assert found is not None
        estimates.append(found.estimate - truth)
        covered += found.low <= truth <= found.high
    assert abs(np.mean(estimates)) < 3  # about 50 tickets removed on average: found without bias
    assert covered / 200 > 0.85


def test_no_effect_gives_an_interval_around_zero_and_a_season_is_not_an_effect() -> None:
    rng = np.random.default_rng(11)
    found = [estimate(*_city(rng, effect=0.0, trend=1.8)[:2]) for _ in range(200)]
    assert sum(f is not None and f.low <= 0 <= f.high for f in found) / 200 > 0.9


def test_by_hand() -> None:
    treated = {"a": Counts(10, 4), "b": Counts(6, 4)}
    untouched = {"x": Counts(8, 9), "y": Counts(8, 7), "z": Counts(50, 60)}
    found = estimate(treated, untouched, max_controls=2)
    assert found is not None
    # Per cell: (8 − 16) / 2 = −4, controls x and y (closest to 8 a cell) change +1 and −1: mean 0.
    assert (found.before, found.after, found.controls, found.control_change) == (16, 8, 2, 0.0)
    assert found.estimate == -8
    se = ((8 + 16) / 4 + 2.0 / 2) ** 0.5  # variance of (+1, −1) is 2
    assert found.low == pytest.approx(2 * (-4 - 1.96 * se)) and found.high == pytest.approx(2 * (-4 + 1.96 * se))
    assert estimate({}, untouched) is None and estimate(treated, {}) is None
