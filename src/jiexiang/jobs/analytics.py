"""The analytics run on the platform's own data: every located report is an event of its topic (the
taxonomy's analytics group, e.g. debris, manhole_cover; its own code where it has none). The run computes
hotspots of the last 90 days (per H3 cell with Gi*, and per 100 m of alley), where-next risk, weekly
forecasts and the early warnings, and stores each as a snapshot for `/api/analytics/…`. The server runs it
every `JIEXIANG_ANALYTICS_HOURS`."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import h3
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jiexiang.analytics import forecast, hotspots, risk, warnings
from jiexiang.analytics.events import with_cells
from jiexiang.core.db import unit_of_work
from jiexiang.core.errors import NotFound
from jiexiang.core.events import publish
from jiexiang.core.jobs import Job, JobContext
from jiexiang.domains.cases.models import Case, Report
from jiexiang.domains.cases.taxonomy import load_taxonomy
from jiexiang.domains.insights import service as insights
from jiexiang.domains.insights.enums import SnapshotKind
from jiexiang.domains.insights.events import AnalyticsUpdated, WarningRaised
from jiexiang.domains.places.models import Alley, Community

log = logging.getLogger(__name__)
HOTSPOT_DAYS = 90
RISK_TOP = 50


@dataclass(frozen=True)
class RunSummary:
    events: int
    hotspots: int
    risk: int
    forecasts: int
    warnings: list[dict[str, Any]]


def platform_events(session: Session, *, resolution: int) -> pd.DataFrame:
    taxonomy = load_taxonomy()
    rows = session.execute(
        select(
            Report.id,
            Report.category_code,
            Report.received_at,
            Report.lon,
            Report.lat,
            Case.alley_id,
            Case.community_id,
        )
        .join(Case, Case.id == Report.case_id)
        .where(Report.lon.is_not(None), Report.lat.is_not(None))
    ).all()
    frame = pd.DataFrame(
        {
            "id": [r.id for r in rows],
            "category": [
                (taxonomy.categories[r.category_code].group if r.category_code in taxonomy.categories else None)
                or r.category_code
                for r in rows
            ],
            "occurred_at": pd.to_datetime([r.received_at for r in rows], utc=True),
            "lon": [r.lon for r in rows],
            "lat": [r.lat for r in rows],
            "alley_id": [r.alley_id for r in rows],
            "community_id": [r.community_id for r in rows],
        }
    )
    return with_cells(frame, resolution=resolution)


def _clean(value: Any) -> Any:
    """A frame's cell as JSON takes it: missing values as null, times as ISO text, numpy scalars as numbers."""
    if value is None or (not isinstance(value, (str, list, dict)) and pd.isna(value)):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _clean(v) for k, v in row.items()} for row in frame.to_dict("records")]


def run(factory: sessionmaker[Session], *, now: datetime, resolution: int = 9) -> RunSummary:
    """Read in one short transaction, compute outside any, store in another: the computing takes long, and a
    transaction held open meanwhile would keep SQLite's write lock from phones and sweeps."""
    with unit_of_work(factory) as session:
        events = platform_events(session, resolution=resolution)
        alleys_known = session.execute(select(Alley.id, Alley.name, Alley.length_m)).all()
        communities = dict(session.execute(select(Community.id, Community.name)).all())
    lengths = pd.Series({a.id: a.length_m for a in alleys_known}, dtype=float)
    names = {a.id: a.name for a in alleys_known}
    as_of = pd.Timestamp(now).tz_convert("UTC")
    spots, ranked = [], []
    for category, frame in events.groupby("category"):
        recent = frame.loc[frame["occurred_at"] >= as_of - pd.Timedelta(days=HOTSPOT_DAYS)]
        if not recent.empty:
            found = hotspots.getis_ord(hotspots.cell_counts(recent), permutations=199, seed=0)
            found = found.loc[found["count"] > 0].assign(category=category, level="cell")
            found[["lat", "lon"]] = [h3.cell_to_latlng(c) for c in found["h3_cell"]]
            alleys = hotspots.alley_rates(recent, lengths)
            alleys = alleys.loc[alleys["count"] > 0].assign(
                category=category, level="alley", alley_name=lambda f: f["alley_id"].map(names)
            )
            spots += [found, alleys]
        top = risk.predict_hotspots(frame, as_of=as_of, horizon_days=7).head(RISK_TOP)
        ranked.append(top.assign(category=category, rank=range(1, len(top) + 1)))
    levels = pd.DataFrame()
    if not events.empty:  # subdistrict → community → alley, each level adding up to the one above
        levels = forecast.forecast_levels(events, as_of=as_of, levels=("community_id", "alley_id"), freq="W", horizon=4)
        known = {0: {}, 1: communities, 2: names}
        levels = levels.assign(
            level=levels["depth"].map({0: "subdistrict", 1: "community", 2: "alley"}),
            area_id=[int(a) if a.isdigit() else None for a in levels["area"]],
            area_name=[
                known[d].get(int(a)) if a.isdigit() else None
                for d, a in zip(levels["depth"], levels["area"], strict=True)
            ],
        ).drop(columns=["depth", "area"])
    # Messages name topics in Chinese, and a cell by the alley most of its reports are on, not by its H3 index.
    topics = load_taxonomy().groups
    located = events.dropna(subset=["alley_id"])
    usual_alley = located.groupby("h3_cell")["alley_id"].agg(lambda alleys: int(alleys.mode().iloc[0]))
    places = {cell: f"{names[alley]}一带" for cell, alley in usual_alley.items() if alley in names}
    alerts = (
        warnings.early_warnings(events, as_of=as_of, names=topics, places=places)
        if not events.empty
        else pd.DataFrame()
    )
    stored = {
        "hotspots": _records(pd.concat(spots)) if spots else [],
        "risk": _records(pd.concat(ranked)) if ranked else [],
        "forecasts": _records(levels),
        "warnings": _records(alerts),
    }
    with unit_of_work(factory) as session:
        for kind, rows in stored.items():
            insights.store(
                session, kind=SnapshotKind(kind), rows=rows, as_of=now, computed_at=now, resolution=resolution
            )
        for warning in stored["warnings"]:
            publish(session, WarningRaised(warning))
        publish(session, AnalyticsUpdated(events=len(events)))
    return RunSummary(
        events=len(events),
        hotspots=sum(1 for r in stored["hotspots"] if r.get("significant")),
        risk=len(stored["risk"]),
        forecasts=len(stored["forecasts"]),
        warnings=stored["warnings"],
    )


def run_job(context: JobContext) -> RunSummary:
    summary = run(context.sessions, now=context.clock.now())
    log.info("analytics: %d events, %d hot cells, %d warnings", summary.events, summary.hotspots, len(summary.warnings))
    return summary


def _first_run_in(context: JobContext, period: float) -> float:
    """Results younger than the period (such as those computed when the demo was generated) stand until due;
    never sooner than 30 s after start-up, which has better things to do."""
    with unit_of_work(context.sessions) as session:
        try:
            computed_at = insights.latest(session, kind=SnapshotKind.hotspots).computed_at
        except NotFound:
            return 30.0
    return max(30.0, period - (context.clock.now() - computed_at).total_seconds())


def _describe(summary: RunSummary) -> str:
    return (
        f"分析完成：{summary.events} 个事件，显著热点网格 {summary.hotspots} 个，风险排序 {summary.risk} 行，"
        f"预测 {summary.forecasts} 行，预警 {len(summary.warnings)} 条"
    )


JOBS = [
    Job(
        "analytics",
        every=lambda settings: settings.analytics_hours * 3600,
        run=run_job,
        first_in=_first_run_in,
        help="计算热点、风险排序、周预测和预警，存为最新分析结果（服务运行时也会定时执行）。",
        describe=_describe,
    )
]
