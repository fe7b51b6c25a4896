"""Dispatch routes: the ranking a dispatcher sees, offering a case, and the worker's answer."""

from __future__ import annotations

from typing import Literal

import h3
from fastapi import APIRouter, BackgroundTasks, Request
from sqlalchemy.orm import Session

from jiexiang.core.errors import InvalidInput, NotFound
from jiexiang.core.http import ClockDep, SessionDep, SettingsDep
from jiexiang.core.live import LiveHub
from jiexiang.domains.accounts.api import CurrentUser, require
from jiexiang.domains.accounts.permissions import Permission
from jiexiang.domains.cases.models import Case
from jiexiang.domains.cases.taxonomy import load_taxonomy
from jiexiang.domains.dispatch import patrol, service
from jiexiang.domains.dispatch.enums import OFFER_LABELS
from jiexiang.domains.dispatch.models import DispatchOffer
from jiexiang.domains.dispatch.schemas import (
    CandidateRead,
    OfferRead,
    PatrolPlanIn,
    PatrolPlanRead,
    PatrolRouteRead,
    WarningPatrolIn,
)

router = APIRouter(prefix="/api/dispatch", tags=["派单"])
_dispatchers = require(Permission.routing_manage)


def to_read(offer: DispatchOffer) -> OfferRead:
    case = offer.case
    category = load_taxonomy().categories.get(case.category_code)
    return OfferRead(
        id=offer.id,
        case_id=case.id,
        user_id=offer.user_id,
        full_name=offer.user.full_name,
        status=offer.status,
        status_label=OFFER_LABELS[offer.status],
        rank=offer.rank,
        walking_m=offer.walking_m,
        offered_at=offer.offered_at,
        respond_by=offer.respond_by,
        responded_at=offer.responded_at,
        category_name=category.name if category else case.category_code,
        address=case.address_text or (case.alley.name if case.alley else None),
        lon=case.lon,
        lat=case.lat,
    )


def publish_offer(hub: LiveHub, offer: OfferRead) -> None:
    hub.publish("offer", offer.model_dump(mode="json"))


def dispatch_if_urgent(request: Request, session: Session, background: BackgroundTasks, case_id: int) -> None:
    """After a report came in live (not from an import): an urgent case gets a worker sent at once."""
    now = request.app.state.clock.now()
    offer = service.offer_if_urgent(
        session, case_id=case_id, now=now, rules=service.Rules.of(request.app.state.settings)
    )
    if offer is not None:
        background.add_task(publish_offer, request.app.state.live, to_read(offer))


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
    ranked = service.rank(session, case=_case(session, case_id), now=clock.now(), rules=service.Rules.of(settings))
    return [CandidateRead(**vars(c)) for c in ranked]


@router.post(
    "/cases/{case_id}/offer",
    response_model=OfferRead | None,
    dependencies=[_dispatchers],
    summary="派单给最合适的外勤人员（无人可派时升级提醒）",
)
def offer_case(
    case_id: int,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    background: BackgroundTasks,
) -> OfferRead | None:
    offer = service.offer_next(session, case=_case(session, case_id), now=clock.now(), rules=service.Rules.of(settings))
    if offer is None:
        return None
    read = to_read(offer)
    background.add_task(publish_offer, request.app.state.live, read)
    return read


@router.get("/offers/mine", response_model=list[OfferRead], summary="我的待接派单")
def my_offers(user: CurrentUser, session: SessionDep) -> list[OfferRead]:
    return [to_read(o) for o in service.pending_for(session, user=user)]


@router.post(
    "/offers/{offer_id}/{answer}", response_model=OfferRead, summary="接单（accept）或不接（decline，转给下一位）"
)
def answer_offer(
    offer_id: int,
    answer: Literal["accept", "decline"],
    user: CurrentUser,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    background: BackgroundTasks,
) -> OfferRead:
    offer, following = service.respond(
        session,
        offer_id=offer_id,
        user=user,
        accept=answer == "accept",
        now=clock.now(),
        rules=service.Rules.of(settings),
    )
    if following is not None:
        background.add_task(publish_offer, request.app.state.live, to_read(following))
    return to_read(offer)


@router.post(
    "/warning-patrol",
    response_model=PatrolPlanRead,
    dependencies=[_dispatchers],
    summary="按预警派巡查：为预警所在网格附近的街巷安排人员和路线",
)
def warning_patrol(body: WarningPatrolIn, session: SessionDep, clock: ClockDep) -> PatrolPlanRead:
    if not h3.is_valid_cell(body.h3_cell):
        raise InvalidInput(f"{body.h3_cell} 不是有效的 H3 网格编号", code="bad_cell")
    lat, lon = h3.cell_to_latlng(body.h3_cell)
    alley_ids = patrol.alleys_near(session, lon=lon, lat=lat, metres=body.radius_m)
    if not alley_ids:
        raise InvalidInput(f"网格 {body.h3_cell} 附近 {body.radius_m:.0f} 米内没有街巷", code="no_alleys_near")
    return patrol_plan(PatrolPlanIn(usernames=body.usernames, alley_ids=alley_ids), session, clock)


@router.post("/patrol-plan", response_model=PatrolPlanRead, dependencies=[_dispatchers], summary="巡查计划：分片与路线")
def patrol_plan(body: PatrolPlanIn, session: SessionDep, clock: ClockDep) -> PatrolPlanRead:
    routes = patrol.plan_for(
        session, usernames=body.usernames, alley_ids=body.alley_ids, starts=body.starts, now=clock.now()
    )
    return PatrolPlanRead(
        routes=[
            PatrolRouteRead(
                **{k: v for k, v in vars(r).items() if k != "path"},
                path={"type": "LineString", "coordinates": [list(p) for p in r.path]},
            )
            for r in routes
        ]
    )
