"""Did a proactive task work? Tickets in its cells in the weeks after it was finished, against what cells nobody
worked on say they would have been: a difference in differences, adjusted for where each cell came from.

Tasks go where tickets just rose, so a task's cells would often fall back by themselves (regression to the mean),
and a comparison with cells that merely had as many tickets before would credit the task with that fall. So the
untouched cells teach what a cell's weeks after are, given its weeks before and the weeks before those (a linear
fit of after on before and earlier: it learns how far a sudden rise falls back, and the season everyone shares);
the task's cells are held against that:

    effect = Σ over the task's cells (after − predicted after)

with a 95 % interval from the fit's residual spread (the noise of the task's own weeks after) and the uncertainty
of the fit. Negative means fewer tickets than similar places had."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

Z95 = 1.96
MIN_CONTROLS = 5


@dataclass(frozen=True)
class Counts:
    before: int  # the weeks before the task
    after: int  # the weeks after it was finished
    earlier: int = 0  # the weeks before "before"


@dataclass(frozen=True)
class Effect:
    before: int  # tickets in the task's cells, the weeks before
    after: int  # and after
    cells: int
    controls: int  # untouched cells the expectation was learnt from
    expected: float  # tickets the task's cells would have had after, by the untouched cells
    estimate: float  # after − expected (negative: fewer than expected)
    low: float  # 95 % interval
    high: float


def _design(counts: list[Counts]) -> np.ndarray:
    return np.array([[1.0, c.before, c.earlier] for c in counts])


def estimate(treated: Mapping[str, Counts], untouched: Mapping[str, Counts]) -> Effect | None:
    """The task's cells against what the untouched cells predict for them; None without a treated cell or with
    fewer than a handful of untouched ones to learn from."""
    if not treated or len(untouched) < MIN_CONTROLS:
        return None
    controls, cells = list(untouched.values()), list(treated.values())
    x, y = _design(controls), np.array([c.after for c in controls], dtype=float)
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    residual = y - x @ beta
    spread = float(residual @ residual) / max(1, len(y) - x.shape[1])
    xt = _design(cells)
    expected = float((xt @ beta).sum())
    total = xt.sum(axis=0)
    fit_variance = spread * float(total @ np.linalg.pinv(x.T @ x) @ total)
    after = sum(c.after for c in cells)
    effect = after - expected
    se = math.sqrt(spread * len(cells) + fit_variance)
    return Effect(
        before=sum(c.before for c in cells),
        after=after,
        cells=len(cells),
        controls=len(controls),
        expected=expected,
        estimate=effect,
        low=effect - Z95 * se,
        high=effect + Z95 * se,
    )
