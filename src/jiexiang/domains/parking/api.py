"""Parking routes: the summary of the three sources, lots and their spaces (the map's layers), lenders and
agreements, applications with the waiting list, and permits (renew, revoke, transfer, reinstate). Their use —
check-in and check-out, gate exports, violations, occupancy — is in `use_api.py`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from jiexiang.core.errors import NotFound, PermissionDenied
from jiexiang.core.http import CalendarDep, ClockDep, PagingDep, SessionDep, SettingsDep
from jiexiang.core.paging import paginate
from jiexiang.core.photos import check_photos
from jiexiang.domains.accounts.dependencies import CurrentUser, require
from jiexiang.domains.accounts.models import User
from jiexiang.domains.accounts.permissions import Permission, can
from jiexiang.domains.accounts.service import Scope, scope_of
from jiexiang.domains.parking import queries, service, supply, use
from jiexiang.domains.parking.enums import (
    APPLICATION_STATUS_LABELS,
    DAY_PATTERN_LABELS,
    LOT_KIND_LABELS,
    PERMIT_STATUS_LABELS,
    VIOLATION_KIND_LABELS,
    VISIT_SOURCE_LABELS,
    ApplicationStatus,
    LotKind,
)
from jiexiang.domains.parking.models import Application, Lot, Permit
from jiexiang.domains.parking.presenters import (
    agreement_read,
    application_read,
    lot_read,
    permit_read,
)
from jiexiang.domains.parking.rules import rules_of
from jiexiang.domains.parking.schemas import (
    AgreementRead,
    ApplicationCreate,
    ApplicationPage,
    ApplicationRead,
    LenderCreate,
    LenderRead,
    LotCreate,
    LotPage,
    LotRead,
    ParkingSummaryRead,
    ParkingVocabularyRead,
    PermitPage,
    PermitRead,
    RefuseBody,
    RevokeBody,
    SpaceRead,
    SuspendBody,
    TransferBody,
)
from jiexiang.domains.parking.terms import today

router = APIRouter(prefix="/api/parking", tags=["停车"])
_READ = require(Permission.parking_read)
_MANAGE = require(Permission.parking_manage)
_INSPECT = require(Permission.parking_inspect)


def _manages(user: User) -> bool:
    return can(user.role, Permission.parking_manage)


def _viewer(user: User) -> Scope:
    """Staff see the lots of their places; a resident every lot they may apply to."""
    if can(user.role, Permission.parking_read):
        return scope_of(user)
    if can(user.role, Permission.parking_apply):
        return Scope()
    raise PermissionDenied("您的角色无权查看停车信息", code="forbidden")


def _own_scope(session: SessionDep, user: User) -> tuple[Scope, int | None]:
    """Staff see the applications and permits of their places; a resident only their household's."""
    scope = _viewer(user)
    if can(user.role, Permission.parking_read):
        return scope, None
    return scope, service.household_of(session, user=user, household_id=None, on_behalf=False).id


@router.get("/vocabulary", summary="停车的名称：车位来源、时段、申请和停车证状态、优先群体")
def vocabulary(user: CurrentUser, settings: SettingsDep) -> ParkingVocabularyRead:
    rules = rules_of(settings)
    return ParkingVocabularyRead(
        kinds=dict(LOT_KIND_LABELS),
        days=dict(DAY_PATTERN_LABELS),
        application_statuses=dict(APPLICATION_STATUS_LABELS),
        permit_statuses=dict(PERMIT_STATUS_LABELS),
        priority_groups={code: group.label for code, group in rules.groups.items()},
        visit_sources=dict(VISIT_SOURCE_LABELS),
        violation_kinds=dict(VIOLATION_KIND_LABELS),
    )


@router.get("/summary", dependencies=[_READ], summary="车位三个来源（新建、错时共享、胡同施划）与停车证发放、排队情况")
def summary(
    user: CurrentUser,
    session: SessionDep,
    clock: ClockDep,
    community_id: Annotated[int | None, Query(description="只统计一个社区")] = None,
) -> ParkingSummaryRead:
    scope, now = scope_of(user), clock.now()
    data = queries.summary(session, scope=scope, community_id=community_id, day=today(now))
    data["violations"] = queries.violation_counts(session, scope=scope, community_id=community_id, now=now)
    return ParkingSummaryRead.model_validate(data)


def _lot_page(session: SessionDep, rows: list[Lot], *, clock: ClockDep, calendar: CalendarDep) -> list[LotRead]:
    now = clock.now()
    day = today(now)
    spaces, held, waiting = queries.lot_counts(session, [lot.id for lot in rows], day)
    return [
        lot_read(
            lot,
            spaces=spaces[lot.id],
            held=held[lot.id],
            waiting=waiting[lot.id],
            day=day,
            moment=now,
            calendar=calendar,
        )
        for lot in rows
    ]


@router.get("/lots", summary="停车场与车位来源（地图图层：错时共享车位在出借时段内点亮）")
def list_lots(
    user: CurrentUser,
    session: SessionDep,
    clock: ClockDep,
    calendar: CalendarDep,
    paging: PagingDep,
    kind: Annotated[LotKind | None, Query(description="车位来源")] = None,
    community_id: Annotated[int | None, Query()] = None,
    include_retired: Annotated[bool, Query(description="含已停用的（旧版街巷规则的施划车位）")] = False,
) -> LotPage:
    query = queries.lots(_viewer(user), kind=kind, community_id=community_id, include_retired=include_retired)
    rows, total = paginate(session, query, paging)
    return LotPage.of(_lot_page(session, rows, clock=clock, calendar=calendar), total, paging)


@router.post("/lots", status_code=201, dependencies=[_MANAGE], summary="登记新建停车场或错时共享车位（附出借协议）")
def create_lot(body: LotCreate, session: SessionDep, clock: ClockDep, calendar: CalendarDep) -> LotRead:
    lot = supply.create_lot(session, data=body, now=clock.now())
    return _lot_page(session, [lot], clock=clock, calendar=calendar)[0]


@router.get("/lots/{lot_id}", dependencies=[_READ], summary="一个停车场")
def get_lot(lot_id: int, user: CurrentUser, session: SessionDep, clock: ClockDep, calendar: CalendarDep) -> LotRead:
    lot = queries.get_lot(session, lot_id=lot_id, scope=scope_of(user))
    return _lot_page(session, [lot], clock=clock, calendar=calendar)[0]


@router.get("/lots/{lot_id}/spaces", dependencies=[_READ], summary="一个停车场的车位及当前持证车牌")
def lot_spaces(lot_id: int, user: CurrentUser, session: SessionDep, clock: ClockDep) -> list[SpaceRead]:
    lot = queries.get_lot(session, lot_id=lot_id, scope=scope_of(user))
    return [
        SpaceRead(id=space.id, code=space.code, lon=space.lon, lat=space.lat, plate=plate)
        for space, plate in queries.spaces(session, lot=lot, day=today(clock.now()))
    ]


@router.post("/lenders", status_code=201, dependencies=[_MANAGE], summary="登记错时停车的出借单位")
def create_lender(body: LenderCreate, session: SessionDep, clock: ClockDep) -> LenderRead:
    lender = supply.create_lender(session, data=body, now=clock.now())
    return LenderRead(id=lender.id, name=lender.name, contact=lender.contact, phone=lender.phone)


@router.post(
    "/agreements/{agreement_id}/suspend", dependencies=[_MANAGE], summary="暂停出借协议（暂停期间不再分配新证）"
)
def suspend(agreement_id: int, body: SuspendBody, session: SessionDep, clock: ClockDep) -> AgreementRead:
    agreement = supply.suspend_agreement(session, agreement_id=agreement_id, reason=body.reason, now=clock.now())
    return agreement_read(agreement)


@router.post("/agreements/{agreement_id}/resume", dependencies=[_MANAGE], summary="恢复出借协议")
def resume(agreement_id: int, session: SessionDep, clock: ClockDep, settings: SettingsDep) -> AgreementRead:
    agreement = supply.suspend_agreement(session, agreement_id=agreement_id, reason=None, now=clock.now())
    service.allocate(session, lot_id=agreement.lot_id, rules=rules_of(settings), now=clock.now())
    return agreement_read(agreement)


def _applications(
    session: SessionDep, rows: list[Application], settings: SettingsDep, clock: ClockDep
) -> list[ApplicationRead]:
    waiting = {a.lot_id for a in rows if a.status is ApplicationStatus.waiting}
    positions = queries.queue_positions(session, lot_ids=waiting, rules=rules_of(settings), day=today(clock.now()))
    permits = queries.granted_permits(session, [a.id for a in rows])
    return [application_read(a, position=positions.get(a.id), permit_id=permits.get(a.id)) for a in rows]


@router.post(
    "/applications",
    status_code=201,
    summary="申请停车证：居民为本户申请，工作人员可代某户申请；有空位且轮到即发证，否则排队",
)
def apply(
    body: ApplicationCreate, user: CurrentUser, session: SessionDep, settings: SettingsDep, clock: ClockDep
) -> ApplicationRead:
    if not (can(user.role, Permission.parking_apply) or _manages(user)):
        raise PermissionDenied("您的角色不能申请停车证", code="forbidden")
    check_photos(body.proof_photos, media_dir=settings.media_dir)
    household = service.household_of(session, user=user, household_id=body.household_id, on_behalf=_manages(user))
    application = service.apply(
        session, household=household, applicant=user, data=body, rules=rules_of(settings), now=clock.now()
    )
    return _applications(session, [application], settings, clock)[0]


@router.get("/applications", summary="停车申请与排队位次（居民只看本户的）")
def list_applications(
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    paging: PagingDep,
    lot_id: Annotated[int | None, Query()] = None,
    status: Annotated[ApplicationStatus | None, Query()] = None,
) -> ApplicationPage:
    scope, household_id = _own_scope(session, user)
    query = queries.applications(scope, household_id=household_id, lot_id=lot_id, status=status)
    rows, total = paginate(session, query, paging)
    return ApplicationPage.of(_applications(session, rows, settings, clock), total, paging)


def _own_application(session: SessionDep, user: User, application_id: int) -> Application:
    scope, household_id = _own_scope(session, user)
    query = queries.applications(scope, household_id=household_id).where(Application.id == application_id)
    application: Application | None = session.scalar(query)
    if application is None:
        raise NotFound(f"没有编号为 {application_id} 的停车申请", code="application_not_found")
    return application


@router.post("/applications/{application_id}/withdraw", summary="撤回排队中的申请（居民撤回本户的）")
def withdraw(
    application_id: int, user: CurrentUser, session: SessionDep, settings: SettingsDep, clock: ClockDep
) -> ApplicationRead:
    _own_application(session, user, application_id)
    application = service.withdraw(session, application_id=application_id, now=clock.now())
    return _applications(session, [application], settings, clock)[0]


@router.post("/applications/{application_id}/refuse", dependencies=[_MANAGE], summary="驳回申请（须写明理由）")
def refuse(
    application_id: int,
    body: RefuseBody,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> ApplicationRead:
    _own_application(session, user, application_id)
    application = service.refuse(session, application_id=application_id, note=body.note, now=clock.now())
    return _applications(session, [application], settings, clock)[0]


@router.get("/permits", summary="停车证（居民只看本户的）")
def list_permits(
    user: CurrentUser,
    session: SessionDep,
    clock: ClockDep,
    paging: PagingDep,
    lot_id: Annotated[int | None, Query()] = None,
    plate: Annotated[str | None, Query(max_length=16)] = None,
    current: Annotated[bool, Query(description="只看今天有效的")] = False,
) -> PermitPage:
    scope, household_id = _own_scope(session, user)
    day = today(clock.now())
    query = queries.permits(
        scope, household_id=household_id, lot_id=lot_id, plate=plate, current_on=day if current else None
    )
    rows, total = paginate(session, query, paging)
    return PermitPage.of([permit_read(p, day=day) for p in rows], total, paging)


def _managed_permit(session: SessionDep, user: User, permit_id: int) -> Permit:
    return queries.get_permit(session, permit_id=permit_id, scope=scope_of(user))


@router.post("/permits/{permit_id}/renew", dependencies=[_MANAGE], summary="续期")
def renew(permit_id: int, user: CurrentUser, session: SessionDep, settings: SettingsDep, clock: ClockDep) -> PermitRead:
    _managed_permit(session, user, permit_id)
    permit = service.renew(session, permit_id=permit_id, rules=rules_of(settings), now=clock.now())
    return permit_read(permit, day=today(clock.now()))


@router.post("/permits/{permit_id}/revoke", dependencies=[_MANAGE], summary="吊销（车位即分给排队中的下一户）")
def revoke(
    permit_id: int, body: RevokeBody, user: CurrentUser, session: SessionDep, settings: SettingsDep, clock: ClockDep
) -> PermitRead:
    _managed_permit(session, user, permit_id)
    permit = service.revoke(session, permit_id=permit_id, reason=body.reason, rules=rules_of(settings), now=clock.now())
    return permit_read(permit, day=today(clock.now()))


@router.post("/permits/{permit_id}/transfer", dependencies=[_MANAGE], summary="转让：本户换车，或转给另一户")
def transfer(
    permit_id: int, body: TransferBody, user: CurrentUser, session: SessionDep, settings: SettingsDep, clock: ClockDep
) -> PermitRead:
    _managed_permit(session, user, permit_id)
    household = (
        service.household_of(session, user=user, household_id=body.household_id, on_behalf=True)
        if body.household_id is not None
        else None
    )
    permit = service.transfer(
        session, permit_id=permit_id, plate=body.plate, household=household, rules=rules_of(settings), now=clock.now()
    )
    return permit_read(permit, day=today(clock.now()))


@router.post("/permits/{permit_id}/reinstate", dependencies=[_MANAGE], summary="提前恢复暂停使用的停车证")
def reinstate(permit_id: int, user: CurrentUser, session: SessionDep, clock: ClockDep) -> PermitRead:
    _managed_permit(session, user, permit_id)
    permit = use.reinstate(session, permit_id=permit_id, now=clock.now())
    return permit_read(permit, day=today(clock.now()))
