"""`jiexiang analytics …`: the analytics library on any city's events CSV (`id,category,occurred_at,lon,lat`),
independent of the platform's database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import h3
import pandas as pd
import typer

from jiexiang.analytics import backtest as backtesting
from jiexiang.analytics import forecast as forecasting
from jiexiang.analytics import hotspots as hotspotting
from jiexiang.analytics import risk
from jiexiang.analytics import warnings as warning
from jiexiang.analytics.events import between, moment, read_events, with_cells
from jiexiang.analytics.scale import cluster, read_events_on
from jiexiang.cli.common import command
from jiexiang.core.errors import DomainError

analytics_app = typer.Typer(help="分析：热点、趋势预测、预警、回测（适用于任何城市的事件 CSV）", no_args_is_help=True)

EventsOption = Annotated[
    Path, typer.Option("--events", exists=True, dir_okay=False, help="事件 CSV：id,category,occurred_at,lon,lat")
]
OutOption = Annotated[Path, typer.Option("--out", dir_okay=False, help="输出文件")]
ResolutionOption = Annotated[int, typer.Option("--h3-res", help="H3 网格分辨率（9 约 0.1 平方公里）")]
CategoryOption = Annotated[str | None, typer.Option("--category", help="只看这一类")]


DaskOption = Annotated[
    str | None, typer.Option("--dask", help="Dask 集群地址（如 tcp://10.0.0.5:8786）；不填则在本机计算")
]


def _load(path: Path, *, resolution: int, category: str | None, dask: str | None = None) -> pd.DataFrame:
    """The events of `path`, placed on H3 cells; read on the Dask cluster at `dask` when one is given."""
    with cluster(dask) as client:
        return _read(path, resolution=resolution, category=category, client=client)


def _read(path: Path, *, resolution: int, category: str | None, client: Any) -> pd.DataFrame:
    events = read_events_on(client, path, resolution=resolution) if client else read_events(path)
    if events.dropped:
        reasons = "，".join(f"{k} {v}" for k, v in events.dropped.items())
        typer.echo(f"注意：{sum(events.dropped.values())} 行无法使用，已跳过（{reasons}）", err=True)
    frame = events.frame
    if category is not None:
        frame = frame.loc[frame["category"] == category]
        if frame.empty:
            raise DomainError(f"没有类别为 {category} 的事件")
    return frame if client else with_cells(frame, resolution=resolution)


@command(analytics_app, "predict-hotspots")
def predict_hotspots(
    events: EventsOption,
    as_of: Annotated[str, typer.Option("--as-of", help="预测时点（只用此前的事件）")],
    out: OutOption,
    horizon_days: Annotated[int, typer.Option("--horizon-days", help="预测未来多少天")] = 7,
    resolution: ResolutionOption = 9,
    category: CategoryOption = None,
    dask: DaskOption = None,
) -> None:
    """按未来一段时间的预期事件数给网格排序：写出 h3_cell,score（最高风险在前）。"""
    frame = _load(events, resolution=resolution, category=category, dask=dask)
    ranked = risk.predict_hotspots(frame, as_of=moment(as_of), horizon_days=horizon_days)
    ranked.to_csv(out, index=False)
    typer.echo(f"已写出 {len(ranked)} 个网格的风险排序到 {out}")


@command(analytics_app, "forecast")
def forecast(
    events: EventsOption,
    as_of: Annotated[str, typer.Option("--as-of", help="预测时点（只用此前的事件）")],
    out: OutOption,
    freq: Annotated[str, typer.Option("--freq", help="W 按周（周一开始）或 D 按日")] = "W",
    horizon: Annotated[int, typer.Option("--horizon", help="预测多少期")] = 4,
    resolution: Annotated[int | None, typer.Option("--h3-res", help="同时按此分辨率的网格预测")] = None,
    dask: DaskOption = None,
) -> None:
    """按类别（及网格）预测未来各期的事件数与 80% 区间：category,h3_cell,period_start,mean,lo_80,hi_80。"""
    with cluster(dask) as client:
        frame = _read(events, resolution=resolution or 9, category=None, client=client)
        result = forecasting.forecast(
            frame,
            as_of=moment(as_of),
            freq=freq.upper(),
            horizon=horizon,
            cells=resolution is not None,
            client=client,
        )
    result.drop(columns=["model"]).to_csv(out, index=False, float_format="%.4f")
    typer.echo(f"已写出 {len(result)} 行预测到 {out}")


@command(analytics_app, "hotspots")
def hotspots(
    events: EventsOption,
    start: Annotated[str, typer.Option("--from", help="起（含）")],
    end: Annotated[str, typer.Option("--to", help="止（不含）")],
    out: OutOption,
    resolution: ResolutionOption = 9,
    category: CategoryOption = None,
    permutations: Annotated[int, typer.Option(help="置换检验次数")] = 999,
    seed: Annotated[int, typer.Option(help="随机种子")] = 0,
    dask: DaskOption = None,
) -> None:
    """热点分析：每个网格的事件数、Gi* z 值、p 值与 FDR 校正后的显著性，写成 GeoJSON。"""
    loaded = _load(events, resolution=resolution, category=category, dask=dask)
    frame = between(loaded, moment(start), moment(end))
    if frame.empty:
        raise DomainError("这段时间内没有事件")
    result = hotspotting.getis_ord(hotspotting.cell_counts(frame), permutations=permutations, seed=seed)
    features = [
        {
            "type": "Feature",
            "geometry": {
                "type": "Polygon",
                "coordinates": [_ring(row.h3_cell)],
            },
            "properties": {
                "h3_cell": row.h3_cell,
                "count": int(row.count),
                "gi_z": round(float(row.z), 4),
                "p": round(float(row.p), 4),
                "p_fdr": round(float(row.p_fdr), 4),
                "significant": bool(row.significant),
            },
        }
        for row in result.itertuples(index=False)
    ]
    out.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False), "utf-8")
    typer.echo(f"已写出 {len(features)} 个网格（显著热点 {int(result['significant'].sum())} 个）到 {out}")


def _ring(cell: str) -> list[list[float]]:
    boundary = [[lon, lat] for lat, lon in h3.cell_to_boundary(cell)]
    return [*boundary, boundary[0]]


@command(analytics_app, "warnings")
def warnings(
    events: EventsOption,
    as_of: Annotated[str, typer.Option("--as-of", help="预警时点")],
    out: OutOption,
    resolution: ResolutionOption = 9,
    threshold: Annotated[list[str] | None, typer.Option(help="类别=每周预警线，可重复，如 debris=20")] = None,
    dask: DaskOption = None,
) -> None:
    """预警：上周超出预测上限、新出现的热点、下周预测达到预警线，各附依据与等级。"""
    levels: dict[str, float] = {}
    for item in threshold or []:
        name, _, value = item.partition("=")
        try:
            levels[name.strip()] = float(value)
        except ValueError:
            raise DomainError(f"--threshold 应为 类别=数字，收到 {item!r}") from None
    frame = _load(events, resolution=resolution, category=None, dask=dask)
    result = warning.early_warnings(frame, as_of=moment(as_of), thresholds=levels)
    result.to_csv(out, index=False)
    typer.echo(f"已写出 {len(result)} 条预警到 {out}")


@command(analytics_app, "backtest")
def backtest(
    events: EventsOption,
    start: Annotated[str, typer.Option("--start", help="回测起点")],
    end: Annotated[str, typer.Option("--end", help="回测终点")],
    resolution: ResolutionOption = 9,
    category: CategoryOption = None,
    dask: DaskOption = None,
) -> None:
    """回测：每周滚动，模型与基线（近 4 周、近 52 周、核密度）的命中率和 PAI；预测的 MASE 与区间覆盖率。"""
    frame = _load(events, resolution=resolution, category=category, dask=dask)
    begin, finish = moment(start), moment(end)
    hot = backtesting.hotspot_backtest(frame, start=begin, end=finish)
    for name, block in hot.groupby("category"):
        typer.echo(f"\n{name}（{int(block['events'].iloc[0])} 起）   命中率 1% / 5% / 10%     PAI 1% / 5% / 10%")
        for method, rows in block.groupby("method", sort=False):
            rates = " / ".join(f"{r:5.1%}" for r in rows["hit_rate"])
            pais = " / ".join(f"{p:5.1f}" for p in rows["pai"])
            typer.echo(f"  {method:<14} {rates}   {pais}")
    judged = backtesting.verdicts(hot)
    for share, block in judged.groupby("share"):
        tally = block["verdict"].value_counts()
        win, tie, loss = (tally.get(v, 0) for v in ("win", "tie", "loss"))
        typer.echo(
            f"\n命中率 {share:.0%}：模型胜过全部基线 {win} 类，与最好的基线持平 {tie} 类，"
            f"不及 {loss} 类（共 {len(block)} 类）"
        )
    counts = backtesting.forecast_backtest(frame, start=begin, end=finish)
    typer.echo("\n周预测（类别合计）      MASE    80% 区间覆盖率")
    for row in counts.itertuples(index=False):
        coverage = "" if pd.isna(row.coverage_80) else f"{row.coverage_80:.0%}"
        typer.echo(f"  {row.category:<10} {row.method:<15} {row.mase:6.3f}  {coverage}")
