"""Did a proactive task work? Tickets in its cells in the weeks after it was finished against the weeks before,
compared with similar cells nobody worked on over the same weeks: a difference in differences.

    effect per cell = (after − before in the task's cells) ÷ m  −  mean over controls of (after − before)

with m the task's cells and the controls the untouched cells whose weekly volume before was closest to the
task's. Its 95 % interval takes the Poisson noise of the task's own counts and the spread of the controls'
changes: se² = (after + before) ÷ m² + s²(control changes) ÷ k. The whole-area effect is m × the per-cell one;
negative means fewer tickets than the trend of similar places says there would have been."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from statistics import fmean, variance

MAX_CONTROLS = 20
Z95 = 1.96


@dataclass(frozen=True)
class Counts:
    before: int
    after: int

    @property
    def change(self) -> int:
        return self.after - self.before


@dataclass(frozen=True)
class Effect:
    before: int  # tickets in the task's cells, the weeks before
    after: int  # and after
    cells: int
    controls: int
    control_change: float  # mean change per control cell
    estimate: float  # tickets over the task's cells (negative: fewer than expected)
    low: float  # 95 % interval
    high: float


def estimate(
    treated: Mapping[str, Counts], untouched: Mapping[str, Counts], *, max_controls: int = MAX_CONTROLS
) -> Effect | None:
    """The difference in differences of `treated` against the `max_controls` untouched cells most like them
    before (closest volume per cell); None without any control cell or treated cell."""
    if not treated:
        return None
    m = len(treated)
    before = sum(c.before for c in treated.values())
    after = sum(c.after for c in treated.values())
    level = before / m
    ranked = sorted(untouched.items(), key=lambda item: (abs(item[1].before - level), item[0]))
    controls = [counts.change for _, counts in ranked[:max_controls]]
    if not controls:
        return None
    control_change = fmean(controls)
    per_cell = (after - before) / m - control_change
    spread = variance(controls) if len(controls) > 1 else 0.0
    se = math.sqrt((after + before) / m**2 + spread / len(controls))
    return Effect(
        before=before,
        after=after,
        cells=m,
        controls=len(controls),
        control_change=control_change,
        estimate=m * per_cell,
        low=m * (per_cell - Z95 * se),
        high=m * (per_cell + Z95 * se),
    )
