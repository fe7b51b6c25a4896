"""Waste routes: stops, households with their points and cards, deposits at the truck, rewards and redemptions,
and the sorting rates."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Annotated, Literal

import segno
from fastapi import APIRouter, Query, Response

from jiexiang.core.errors import NotFound, PermissionDenied
from jiexiang.core.http import ClockDep, PagingDep, SessionDep, SettingsDep
from jiexiang.core.paging import paginate
from jiexiang.core.photos import check_photos
from jiexiang.domains.accounts.dependencies import CurrentUser, require
from jiexiang.domains.accounts.models import User
from jiexiang.domains.accounts.permissions import Permission, can
from jiexiang.domains.accounts.service import scope_of
from jiexiang.domains.places import households as register
from jiexiang.domains.places.models import Household
from jiexiang.domains.waste import queries, service
from jiexiang.domains.waste.enums import ENTRY_REASON_LABELS, WASTE_KIND_LABELS
from jiexiang.domains.waste.models import Reward
from jiexiang.domains.waste.presenters import deposit_read, redemption_read, stop_read, waste_household_read
from jiexiang.domains.waste.rules import rules_of
from jiexiang.domains.waste.schemas import (
    CardRead,
    DepositCreate,
    DepositRead,
    EntryPage,
    EntryRead,
    RedemptionCreate,
    RedemptionRead,
    RewardCreate,
    RewardPage,
    RewardRead,
    SortingRate,
    StopCreate,
    StopRead,
    WasteHouseholdPage,
    WasteVocabularyRead,
)

router = APIRouter(prefix="/api/waste", tags=["垃圾分类"])
_READ = require(Permission.waste_read)
_MANAGE = require(Permission.waste_manage)


def _own_household(session: SessionDep, user: User) -> int | None:
    """None for staff (who see their places); a resident's own household, or 404 if they have none."""
    if can(user.role, Permission.waste_read):
        return None
    if not can(user.role, Permission.waste_redeem):
        raise PermissionDenied("您的角色无权查看垃圾分类积分", code="forbidden")
    household = register.of_user(session, user_id=user.id)
    if household is None:
        raise NotFound("您的账号尚未绑定登记户，请到社区居委会登记", code="no_household")
    return household.id


def _visible_household(session: SessionDep, user: User, household_id: int) -> None:
    own = _own_household(session, user)
    query = queries.households(scope_of(user), household_id=household_id)
    if (own is not None and own != household_id) or session.scalar(query) is None:
        raise NotFound(f"没有编号为 {household_id} 的登记户", code="household_not_found")


@router.get("/vocabulary", summary="垃圾分类的名称：四类垃圾、积分变动原因")
def vocabulary(user: CurrentUser) -> WasteVocabularyRead:
    return WasteVocabularyRead(kinds=dict(WASTE_KIND_LABELS), reasons=dict(ENTRY_REASON_LABELS))


@router.get("/stops", dependencies=[_READ], summary="收运点及每日收运时段（垃圾不落地：定时定点交给收运车）")
def list_stops(
    user: CurrentUser, session: SessionDep, alley_id: Annotated[int | None, Query()] = None
) -> list[StopRead]:
    return [stop_read(s) for s in session.scalars(queries.stops(scope_of(user), alley_id=alley_id))]


@router.post("/stops", status_code=201, dependencies=[_MANAGE], summary="设立收运点")
def create_stop(body: StopCreate, session: SessionDep, clock: ClockDep) -> StopRead:
    return stop_read(service.create_stop(session, data=body, now=clock.now()))


@router.get("/households", summary="住户及其积分余额（居民只看本户）")
def list_households(
    user: CurrentUser,
    session: SessionDep,
    paging: PagingDep,
    alley_id: Annotated[int | None, Query()] = None,
    card_code: Annotated[str | None, Query(max_length=16, description="按卡号查（扫卡）")] = None,
) -> WasteHouseholdPage:
    own = _own_household(session, user)
    query = queries.households(scope_of(user), household_id=own, alley_id=alley_id, card_code=card_code)
    rows, total = paginate(session, query, paging)
    balances, cards = queries.balances_and_cards(session, [h.id for h in rows])
    items = [waste_household_read(h, balance=balances.get(h.id, 0), card_code=cards.get(h.id)) for h in rows]
    return WasteHouseholdPage.of(items, total, paging)


@router.get("/households/{household_id}/entries", summary="一户的积分明细（只增不改：余额即明细之和）")
def list_entries(household_id: int, user: CurrentUser, session: SessionDep, paging: PagingDep) -> EntryPage:
    _visible_household(session, user, household_id)
    rows, total = paginate(session, queries.entries(household_id), paging)
    return EntryPage.of([EntryRead(id=e.id, amount=e.amount, reason=e.reason, at=e.at) for e in rows], total, paging)


@router.get(
    "/households/{household_id}/card/qr",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}}},
    summary="一户在用卡的二维码（SVG，可打印；收运员扫码登记）",
)
def card_qr(household_id: int, user: CurrentUser, session: SessionDep) -> Response:
    _visible_household(session, user, household_id)
    _, cards = queries.balances_and_cards(session, [household_id])
    if household_id not in cards:
        raise NotFound("该户尚未发卡", code="card_not_found")
    buffer = io.BytesIO()
    segno.make(cards[household_id], error="m").save(buffer, kind="svg", scale=8, border=2, title=cards[household_id])
    return Response(buffer.getvalue(), media_type="image/svg+xml")


@router.post(
    "/households/{household_id}/card", status_code=201, dependencies=[_MANAGE], summary="发卡或补卡（旧卡即作废）"
)
def issue_card(household_id: int, user: CurrentUser, session: SessionDep, clock: ClockDep) -> CardRead:
    _visible_household(session, user, household_id)
    card = service.issue_card(session, household_id=household_id, now=clock.now())
    return CardRead(id=card.id, household_id=card.household_id, code=card.code, issued_at=card.issued_at)


@router.post(
    "/deposits",
    status_code=201,
    dependencies=[require(Permission.waste_collect)],
    summary="收运车前扫卡登记投放：分类正确得积分（每日有上限）；同一幂等键只记一次（重发答 200）",
)
def register_deposit(
    body: DepositCreate,
    response: Response,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> DepositRead:
    if body.photo:
        check_photos([body.photo], media_dir=settings.media_dir)
    deposit, replayed = service.register_deposit(
        session, data=body, collector=user, rules=rules_of(settings), now=clock.now()
    )
    if replayed:
        response.status_code = 200
    household = session.get_one(Household, deposit.household_id)
    return deposit_read(
        deposit, household=household, balance=service.balance(session, deposit.household_id), replayed=replayed
    )


@router.get("/rewards", summary="奖品目录及库存")
def list_rewards(user: CurrentUser, session: SessionDep, paging: PagingDep) -> RewardPage:
    if not (can(user.role, Permission.waste_read) or can(user.role, Permission.waste_redeem)):
        raise PermissionDenied("您的角色无权查看奖品", code="forbidden")
    rows, total = paginate(session, queries.rewards(), paging)
    return RewardPage.of([_reward(r) for r in rows], total, paging)


def _reward(reward: Reward) -> RewardRead:
    return RewardRead(id=reward.id, name=reward.name, points=reward.points, stock=reward.stock)


@router.post("/rewards", status_code=201, dependencies=[_MANAGE], summary="上架奖品（名称、所需积分、库存）")
def create_reward(body: RewardCreate, session: SessionDep, clock: ClockDep) -> RewardRead:
    return _reward(service.create_reward(session, data=body, now=clock.now()))


@router.post(
    "/redemptions",
    status_code=201,
    summary="积分兑换：积分不足或奖品兑完答 409 并说明原因；同一幂等键只兑一次（重发答 200）",
)
def redeem(
    body: RedemptionCreate, response: Response, user: CurrentUser, session: SessionDep, clock: ClockDep
) -> RedemptionRead:
    if not (can(user.role, Permission.waste_manage) or can(user.role, Permission.waste_redeem)):
        raise PermissionDenied("您的角色不能兑换积分", code="forbidden")
    _visible_household(session, user, body.household_id)
    redemption, replayed = service.redeem(session, data=body, actor=user, now=clock.now())
    if replayed:
        response.status_code = 200
    return redemption_read(redemption, balance=service.balance(session, body.household_id), replayed=replayed)


@router.get("/rates", dependencies=[_READ], summary="分类参与率与准确率（按街巷或社区）")
def rates(
    user: CurrentUser,
    session: SessionDep,
    clock: ClockDep,
    by: Annotated[Literal["alley", "community"], Query()] = "community",
    days: Annotated[int, Query(ge=1, le=366, description="统计最近多少天")] = 30,
) -> list[SortingRate]:
    end = clock.now()
    rows = queries.sorting_rates(session, scope=scope_of(user), by=by, start=end - timedelta(days=days), end=end)
    return [SortingRate.model_validate(row) for row in rows]
