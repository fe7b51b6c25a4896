"""Dispatch routes: the ranking a dispatcher sees, offering a case, and the worker's answer."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import h3
from fastapi import APIRouter
from sqlalchemy.orm import Session

from jiexiang.core.errors import InvalidInput, NotFound
from jiexiang.core.http import ClockDep, SessionDep, SettingsDep
from jiexiang.domains.accounts.dependencies import CurrentUser, require
from jiexiang.domains.accounts.permissions import Permission
from jiexiang.domains.cases.models import Case
from jiexiang.domains.dispatch import patrol, service
from jiexiang.domains.dispatch.presenters import offer_read
from jiexiang.domains.dispatch.schemas import (
    CandidateRead,
    OfferRead,
    PatrolPlanCreate,
    PatrolPlanRead,
    PatrolRouteRead,
    WarningPatrolCreate,
)

router = APIRouter(prefix="/api/dispatch", tags=["派单"])
_dispatchers = require(Permission.routing_manage)


def _case(session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"案件 {case_id} 不存在", code="case_not_found")
    return case


@router.get(
    "/cases/{case_id}/candidates",
    response_model=list[CandidateRead],
    dependencies=[_dispatchers],
    summary="在班外勤人员按步行距离和任务量排序",
)
def candidates(case_id: int, session: SessionDep, settings: SettingsDep, clock: ClockDep) -> list[CandidateRead]:
    return service.rank(session, case=_case(session, case_id), now=clock.now(), rules=service.Rules.of(settings))


@router.post(
    "/cases/{case_id}/offer",
    response_model=OfferRead | None,
    dependencies=[_dispatchers],
    summary="派单给最合适的外勤人员（无人可派时升级提醒）",
)
def offer_case(
    case_id: int,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> OfferRead | None:
    offer = service.offer_next(session, case=_case(session, case_id), now=clock.now(), rules=service.Rules.of(settings))
    return None if offer is None else offer_read(offer)


@router.get("/offers/mine", response_model=list[OfferRead], summary="我的待接派单")
def my_offers(user: CurrentUser, session: SessionDep) -> list[OfferRead]:
    return [offer_read(o) for o in service.pending_for(session, user=user)]


@router.post(
    "/offers/{offer_id}/{answer}", response_model=OfferRead, summary="接单（accept）或不接（decline，转给下一位）"
)
def answer_offer(
    offer_id: int,
    answer: Literal["accept", "decline"],
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> OfferRead:
    offer = service.respond(
        session,
        offer_id=offer_id,
        user=user,
        accept=answer == "accept",
        now=clock.now(),
        rules=service.Rules.of(settings),
    )
    return offer_read(offer)


@router.post(
    "/warning-patrol",
    response_model=PatrolPlanRead,
    dependencies=[_dispatchers],
    summary="按预警派巡查：为预警所在网格附近的街巷安排人员和路线",
)
def warning_patrol(body: WarningPatrolCreate, session: SessionDep, clock: ClockDep) -> PatrolPlanRead:
    if not h3.is_valid_cell(body.h3_cell):
        raise InvalidInput(f"{body.h3_cell} 不是有效的 H3 网格编号", code="bad_cell")
    lat, lon = h3.cell_to_latlng(body.h3_cell)
    alley_ids = patrol.alleys_near(session, lon=lon, lat=lat, metres=body.radius_m)
    if not alley_ids:
        raise InvalidInput(f"网格 {body.h3_cell} 附近 {body.radius_m:.0f} 米内没有街巷", code="no_alleys_near")
    return _plan(session, usernames=body.usernames, alley_ids=alley_ids, starts={}, now=clock.now())


@router.post("/patrol-plan", response_model=PatrolPlanRead, dependencies=[_dispatchers], summary="巡查计划：分片与路线")
def patrol_plan(body: PatrolPlanCreate, session: SessionDep, clock: ClockDep) -> PatrolPlanRead:
    return _plan(session, usernames=body.usernames, alley_ids=body.alley_ids, starts=body.starts, now=clock.now())


def _plan(
    session: Session,
    *,
    usernames: list[str],
    alley_ids: list[int],
    starts: dict[str, tuple[float, float]],
    now: datetime,
) -> PatrolPlanRead:
    routes = patrol.plan_for(session, usernames=usernames, alley_ids=alley_ids, starts=starts, now=now)
    return PatrolPlanRead(
        routes=[
            PatrolRouteRead(
                **{k: v for k, v in vars(r).items() if k != "path"},
                path={"type": "LineString", "coordinates": [list(p) for p in r.path]},
            )
            for r in routes
        ]
    )
