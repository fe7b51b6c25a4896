"""The task effect on data built with a known effect, on a season that is not an effect, on tasks sent where
tickets just rose by chance (regression to the mean), and by hand."""

from __future__ import annotations

import numpy as np
import pytest

from jiexiang.domains.hotline.effect import Counts, estimate

Cells = dict[str, Counts]


def _city(
    rng: np.random.Generator, *, effect: float = 0.0, trend: float = 1.0, chase_rises: bool = False
) -> tuple[Cells, Cells, float]:
    """300 cells with their own busyness over three windows (earlier, before, after). Everywhere the weeks after
    are `trend` × busier (the season); 15 % of cells have a passing rise in the weeks before. The task takes 20
    cells — the first 20, or (`chase_rises`) the 20 whose tickets rose most, as 每月一题 would — and removes
    `effect` of their tickets after. Returns the cells and the true effect (tickets removed, in expectation)."""
    rates = rng.gamma(2.0, 3.0, size=300)
    rise = np.where(rng.random(300) < 0.15, 3.0, 1.0)
    earlier, before = rng.poisson(rates), rng.poisson(rates * rise)
    chosen = set(np.argsort(-(before + 1) / (earlier + 1))[:20]) if chase_rises else set(range(20))
    worked = np.array([i in chosen for i in range(300)])
    after = rng.poisson(rates * trend * np.where(worked, 1 - effect, 1.0))
    cells = {i: Counts(int(before[i]), int(after[i]), int(earlier[i])) for i in range(300)}
    treated = {f"c{i}": c for i, c in cells.items() if i in chosen}
    untouched = {f"c{i}": c for i, c in cells.items() if i not in chosen}
    return treated, untouched, -effect * trend * float(rates[worked].sum())


@pytest.mark.parametrize(
    ("effect", "trend", "chase_rises"),
    [(0.4, 1.3, False), (0.0, 1.8, False), (0.0, 1.0, True), (0.4, 1.0, True)],
    ids=["a known effect in a busy season", "a season alone", "chasing rises, no effect", "chasing rises, effect"],
)
def test_the_truth_is_found_within_the_interval(effect: float, trend: float, chase_rises: bool) -> None:
    rng = np.random.default_rng(7)
    errors, covered = [], 0
    for _ in range(200):
        treated, untouched, truth = _city(rng, effect=effect, trend=trend, chase_rises=chase_rises)
        found = estimate(treated, untouched)
        assert found is not None
        errors.append(found.estimate - truth)
        covered += found.low <= truth <= found.high
    assert abs(float(np.mean(errors))) < 3  # next to effects of 40–60 tickets: no bias worth the name
    assert covered / 200 > 0.88


def test_by_hand() -> None:
    # Untouched cells where the weeks after are the weeks before plus two, whatever came earlier.
    untouched = {f"u{b}": Counts(b, b + 2, e) for b, e in ((1, 0), (2, 5), (3, 1), (4, 2), (5, 9))}
    treated = {"a": Counts(10, 4), "b": Counts(6, 4)}
    found = estimate(treated, untouched)
    assert found is not None
    # Expected after: 12 and 8; had 4 and 4: 8 − 20 = −12, and no spread to doubt it.
    assert (found.before, found.after, found.cells, found.controls) == (16, 8, 2, 5)
    assert found.expected == pytest.approx(20) and found.estimate == pytest.approx(-12)
    assert found.low == pytest.approx(-12, abs=1e-6) and found.high == pytest.approx(-12, abs=1e-6)
    assert estimate({}, untouched) is None and estimate(treated, dict(list(untouched.items())[:4])) is None
