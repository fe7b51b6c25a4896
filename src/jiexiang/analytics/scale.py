"""The heavy parts on a Dask cluster when one is given: reading, cleaning and placing large event files
(partition by partition), and statsforecast's fitting (which runs on Dask through fugue). Without an
address everything runs in this process, which is the default and enough for a subdistrict."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from jiexiang.analytics.events import COLUMNS, Events, clean_events, with_cells
from jiexiang.core.errors import InvalidInput


@contextmanager
def cluster(address: str | None) -> Iterator[Any]:
    """A Dask client for `address` (e.g. tcp://10.0.0.5:8786), or None to stay in this process."""
    if not address:
        yield None
        return
    from distributed import Client

    try:
        client = Client(address, timeout=5)
    except OSError as error:
        raise InvalidInput(f"无法连接 Dask 集群 {address}：{error}", code="dask_unreachable") from error
    try:
        yield client
    finally:
        client.close()


def read_events_on(client: Any, path: Path, *, resolution: int) -> Events:
    """Read, clean and place an events CSV on the cluster, a block per task; returns the usable events."""
    import dask.dataframe as dd
    from dask.delayed import delayed

    raw = dd.read_csv(str(path), dtype=str, keep_default_na=False, blocksize="64MB", encoding="utf-8-sig")
    missing = [c for c in COLUMNS if c not in raw.columns]
    if missing:
        raise InvalidInput(f"事件文件缺少列 {'、'.join(missing)}（需要 {','.join(COLUMNS)}）", code="events_columns")
    tasks = [delayed(_prepare)(part, resolution) for part in raw.to_delayed()]
    done = client.gather(client.compute(tasks))
    dropped: Counter[str] = Counter()
    for _, counts in done:
        dropped.update(counts)
    frame = pd.concat([placed for placed, _ in done], ignore_index=True)
    return Events(frame=frame, dropped=dict(dropped))


def _prepare(part: pd.DataFrame, resolution: int) -> tuple[pd.DataFrame, dict[str, int]]:
    events = clean_events(part)
    return with_cells(events.frame, resolution=resolution), events.dropped


def partitioned(frame: pd.DataFrame, client: Any) -> Any:
    """`frame` as a Dask data frame spread over the cluster's workers, whole series kept together."""
    import dask.dataframe as dd

    workers = max(1, len(client.scheduler_info().get("workers", {})))
    return dd.from_pandas(frame.sort_values("unique_id", kind="stable"), npartitions=max(2, 2 * workers))
