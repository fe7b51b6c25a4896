"""Analytics for the map and dashboards: the latest hotspots, where-next risk, forecasts and warnings."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from jiexiang.core.http import SessionDep
from jiexiang.domains.accounts.dependencies import require
from jiexiang.domains.accounts.permissions import Permission
from jiexiang.domains.insights import service
from jiexiang.domains.insights.enums import SnapshotKind
from jiexiang.domains.insights.schemas import SnapshotRead

router = APIRouter(prefix="/api/analytics", tags=["分析"], dependencies=[require(Permission.cases_read)])


@router.get(
    "/{kind}",
    response_model=SnapshotRead,
    summary="最新分析结果：hotspots 热点 / risk 风险 / forecasts 预测 / warnings 预警",
)
def latest(
    kind: SnapshotKind,
    session: SessionDep,
    category: Annotated[str | None, Query(description="只看这一专题（如 debris、manhole_cover）")] = None,
) -> SnapshotRead:
    snapshot = service.latest(session, kind=kind)
    rows = [r for r in snapshot.rows if category is None or r.get("category") == category]
    return SnapshotRead(
        kind=snapshot.kind,
        as_of=snapshot.as_of,
        computed_at=snapshot.computed_at,
        h3_resolution=snapshot.h3_resolution,
        rows=rows,
    )
