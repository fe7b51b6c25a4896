"""Parking's use routes: cars checked in and out by inspectors, gate exports, violations and occupancy by hour.
(Beside `api.py`, which holds the supply and the permits; the same prefix.)"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Query, UploadFile

from jiexiang.core.errors import NotFound, PermissionDenied
from jiexiang.core.http import CalendarDep, ClockDep, PagingDep, SessionDep, SettingsDep, uploaded_table
from jiexiang.core.paging import paginate
from jiexiang.core.photos import check_photos
from jiexiang.core.tables import RejectedRow
from jiexiang.domains.accounts.dependencies import CurrentUser, require
from jiexiang.domains.accounts.permissions import Permission, can
from jiexiang.domains.accounts.service import scope_of
from jiexiang.domains.parking import gate, queries, use
from jiexiang.domains.parking.enums import ViolationKind
from jiexiang.domains.parking.models import Visit
from jiexiang.domains.parking.presenters import violation_read, visit_read
from jiexiang.domains.parking.rules import rules_of
from jiexiang.domains.parking.schemas import (
    CheckIn,
    CheckOut,
    GateImportRead,
    OccupancyRead,
    ViolationPage,
    VisitPage,
    VisitRead,
)
from jiexiang.domains.parking.terms import today

router = APIRouter(prefix="/api/parking", tags=["停车"])
_READ = require(Permission.parking_read)
_MANAGE = require(Permission.parking_manage)
_INSPECT = require(Permission.parking_inspect)


def _judge(settings: SettingsDep, calendar: CalendarDep) -> use.Judge:
    return use.Judge(calendar, use.Penalties.of(settings))


def _visit_page(rows: list[Visit], *, settings: SettingsDep, calendar: CalendarDep, clock: ClockDep) -> list[VisitRead]:
    now = clock.now()
    return [visit_read(v, now=now, calendar=calendar, grace_minutes=settings.parking_grace_minutes) for v in rows]


@router.get("/visits", summary="车辆停放记录（在场车辆及是否超时）")
def list_visits(
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    calendar: CalendarDep,
    clock: ClockDep,
    paging: PagingDep,
    lot_id: Annotated[int | None, Query()] = None,
    plate: Annotated[str | None, Query(max_length=16)] = None,
    present: Annotated[bool, Query(description="只看当前在场的")] = False,
) -> VisitPage:
    if not (can(user.role, Permission.parking_inspect) or can(user.role, Permission.parking_read)):
        raise PermissionDenied("您的角色无权查看停车记录", code="forbidden")
    query = queries.visits(scope_of(user), lot_id=lot_id, plate=plate, present=present)
    rows, total = paginate(session, query, paging)
    return VisitPage.of(_visit_page(rows, settings=settings, calendar=calendar, clock=clock), total, paging)


@router.post("/visits", status_code=201, dependencies=[_INSPECT], summary="巡查登记入场：核对停车证，无证即记违规")
def check_in(
    body: CheckIn,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    calendar: CalendarDep,
    clock: ClockDep,
) -> VisitRead:
    check_photos(body.photos, media_dir=settings.media_dir)
    lot = queries.get_lot(session, lot_id=body.lot_id, scope=scope_of(user))
    now = clock.now()
    visit = use.check_in(
        session,
        lot=lot,
        plate=body.plate,
        space_code=body.space_code,
        photos=body.photos,
        at=body.at or now,
        actor_id=user.id,
        rules=rules_of(settings),
        judge=_judge(settings, calendar),
        now=now,
    )
    return _visit_page([visit], settings=settings, calendar=calendar, clock=clock)[0]


@router.post(
    "/visits/{visit_id}/check-out",
    dependencies=[_INSPECT],
    summary="登记离场：超出停车证时段（扣除宽限）即记违规，累计达到次数暂停其停车证",
)
def check_out(
    visit_id: int,
    body: CheckOut,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    calendar: CalendarDep,
    clock: ClockDep,
) -> VisitRead:
    check_photos(body.photos, media_dir=settings.media_dir)
    if session.scalar(queries.visits(scope_of(user)).where(Visit.id == visit_id)) is None:
        raise NotFound(f"没有编号为 {visit_id} 的停车记录", code="visit_not_found")
    now = clock.now()
    visit = use.check_out(
        session,
        visit_id=visit_id,
        photos=body.photos,
        at=body.at or now,
        actor_id=user.id,
        judge=_judge(settings, calendar),
        now=now,
    )
    return _visit_page([visit], settings=settings, calendar=calendar, clock=clock)[0]


@router.post(
    "/lots/{lot_id}/gate-records",
    dependencies=[_MANAGE],
    summary="导入道闸出入场记录（CSV / XLSX）：同一记录只导入一次，在场车辆的离场由下次导出补上",
)
def import_gate_records(
    lot_id: int,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    calendar: CalendarDep,
    clock: ClockDep,
    file: Annotated[
        UploadFile, File(description="道闸导出的出入场记录：车牌号、入场时间、出场时间（可含记录编号、车位号）")
    ],
) -> GateImportRead:
    lot = queries.get_lot(session, lot_id=lot_id, scope=scope_of(user))
    with uploaded_table(file) as path:
        records, bad = gate.split(gate.read(path))
    summary = use.import_gate(
        session, lot=lot, records=records, rules=rules_of(settings), judge=_judge(settings, calendar), now=clock.now()
    )
    summary.add_unreadable((row.row_number, row.problem) for row in bad)
    return GateImportRead(
        read=summary.read,
        arrived=summary.arrived,
        departed=summary.departed,
        unchanged=summary.unchanged,
        violations=summary.violations,
        rejected=[RejectedRow(row=row, problem=problem) for row, problem in summary.rejected],
    )


@router.get("/violations", dependencies=[_READ], summary="违规停放记录（含证据照片、罚款档次、暂停停车证）")
def list_violations(
    user: CurrentUser,
    session: SessionDep,
    paging: PagingDep,
    lot_id: Annotated[int | None, Query()] = None,
    plate: Annotated[str | None, Query(max_length=16)] = None,
    kind: Annotated[ViolationKind | None, Query()] = None,
) -> ViolationPage:
    query = queries.violations(scope_of(user), lot_id=lot_id, plate=plate, kind=kind)
    rows, total = paginate(session, query, paging)
    return ViolationPage.of([violation_read(v) for v in rows], total, paging)


@router.get("/occupancy", dependencies=[_READ], summary="逐小时占用：三个来源及每个停车场（错时车位只计出借时段）")
def occupancy(
    user: CurrentUser,
    session: SessionDep,
    calendar: CalendarDep,
    clock: ClockDep,
    day: Annotated[date | None, Query(description="日期；不填即今天")] = None,
    community_id: Annotated[int | None, Query()] = None,
) -> OccupancyRead:
    now = clock.now()
    data = queries.occupancy(
        session, scope=scope_of(user), community_id=community_id, day=day or today(now), calendar=calendar, now=now
    )
    return OccupancyRead.model_validate(data)
