"""Hotline routes: the ticket desk and one ticket's loop, the callback queue, and the rates."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from jiexiang.core.http import ClockDep, PagingDep, SessionDep, SettingsDep
from jiexiang.core.paging import paginate
from jiexiang.core.time import ensure_aware, to_local
from jiexiang.domains.accounts.dependencies import CurrentUser, require
from jiexiang.domains.accounts.permissions import Permission
from jiexiang.domains.accounts.service import scope_of
from jiexiang.domains.cases.service import check_photos
from jiexiang.domains.hotline import queries, service
from jiexiang.domains.hotline.enums import (
    ACTION_LABELS,
    APPEAL_LABELS,
    CALLBACK_SOURCE_LABELS,
    CONTACT_LABELS,
    KIND_LABELS,
    SATISFACTION_LABELS,
    STATUS_LABELS,
    AppealStatus,
    TicketStatus,
)
from jiexiang.domains.hotline.presenters import ticket_detail, ticket_read
from jiexiang.domains.hotline.queries import Dimension, TicketFilter
from jiexiang.domains.hotline.rules import load_rules
from jiexiang.domains.hotline.schemas import (
    CallbackCreate,
    HotlineVocabularyRead,
    RateRowRead,
    RatesRead,
    StepCreate,
    TicketDetail,
    TicketPage,
    TrendPointRead,
)
from jiexiang.domains.hotline.scoring import GroupRates, definitions

router = APIRouter(prefix="/api/hotline", tags=["接诉即办"])


@router.get("/vocabulary", dependencies=[require(Permission.cases_read)], summary="接诉即办的名称与三率定义")
def vocabulary() -> HotlineVocabularyRead:
    rules = load_rules()
    return HotlineVocabularyRead(
        kinds=dict(KIND_LABELS),
        statuses=dict(STATUS_LABELS),
        appeals=dict(APPEAL_LABELS),
        actions=dict(ACTION_LABELS),
        methods=dict(CONTACT_LABELS),
        satisfaction=dict(SATISFACTION_LABELS),
        callback_sources=dict(CALLBACK_SOURCE_LABELS),
        results=list(rules.results),
        definitions=definitions(rules.scoring),
    )


def ticket_filters(
    clock: ClockDep,
    start: Annotated[datetime | None, Query(description="派单时间起（含），无时区按北京时间")] = None,
    end: Annotated[datetime | None, Query(description="派单时间止（不含）")] = None,
    status: TicketStatus | None = None,
    appeal: AppealStatus | None = None,
    case: Annotated[int | None, Query(description="案件 ID")] = None,
    community: Annotated[int | None, Query(description="社区 ID")] = None,
    unit: Annotated[int | None, Query(description="主办单位 ID")] = None,
    lost: Annotated[bool, Query(description="只看失分工单：未按时联系、回访未解决或不满意")] = False,
    late: Annotated[bool, Query(description="只看未按时联系的工单")] = False,
    ticket_no: Annotated[str | None, Query(description="工单编号")] = None,
) -> TicketFilter:
    now = clock.now()
    return TicketFilter(
        start=ensure_aware(start) if start else None,
        end=ensure_aware(end) if end else None,
        status=status,
        appeal=appeal,
        case_id=case,
        community_id=community,
        unit_id=unit,
        lost_at=now if lost else None,
        late_at=now if late else None,
        ticket_no=ticket_no,
    )


@router.get("/tickets", dependencies=[require(Permission.cases_read)], summary="12345 工单列表")
def list_tickets(
    user: CurrentUser,
    session: SessionDep,
    paging: PagingDep,
    clock: ClockDep,
    filters: Annotated[TicketFilter, Depends(ticket_filters)],
) -> TicketPage:
    items, total = paginate(session, queries.matching(scope_of(user), filters), paging)
    now = clock.now()
    return TicketPage.of([ticket_read(t, now) for t in items], total, paging)


@router.get("/tickets/{ticket_id}", dependencies=[require(Permission.cases_read)], summary="工单详情及办理过程")
def get_ticket(ticket_id: int, user: CurrentUser, session: SessionDep, clock: ClockDep) -> TicketDetail:
    ticket = queries.get(session, ticket_id=ticket_id, scope=scope_of(user))
    return ticket_detail(ticket, user, clock.now())


@router.post(
    "/tickets/{ticket_id}/steps",
    dependencies=[require(Permission.hotline_handle)],
    summary="办理工单：联系诉求人、办理、答复、延期、退单、申诉及审核",
)
def take_step(
    ticket_id: int, body: StepCreate, user: CurrentUser, session: SessionDep, settings: SettingsDep, clock: ClockDep
) -> TicketDetail:
    photos = tuple(check_photos(body.photos, media_dir=settings.media_dir))
    step = service.StepCreate(
        action=body.action,
        note=body.note,
        method=body.method,
        result=body.result,
        due_at=ensure_aware(body.due_at) if body.due_at else None,
        photos=photos,
    )
    ticket = service.act(session, ticket_id=ticket_id, step=step, actor=user, now=clock.now())
    session.refresh(ticket)
    return ticket_detail(ticket, user, clock.now())


@router.post(
    "/tickets/{ticket_id}/callbacks",
    dependencies=[require(Permission.hotline_manage)],
    summary="自查回访：记录诉求人的回答",
)
def call_back(
    ticket_id: int, body: CallbackCreate, user: CurrentUser, session: SessionDep, clock: ClockDep
) -> TicketDetail:
    now = clock.now()
    answer = service.CallbackAnswer(now, body.contacted, body.resolved, body.satisfaction)
    ticket = service.call_back(session, ticket_id=ticket_id, answer=answer, actor=user, now=now)
    return ticket_detail(ticket, user, now)


@router.get(
    "/callback-queue",
    dependencies=[require(Permission.hotline_manage)],
    summary="待回访：已办结、尚无人回访的工单，等得最久的在前",
)
def callback_queue(user: CurrentUser, session: SessionDep, paging: PagingDep, clock: ClockDep) -> TicketPage:
    items, total = paginate(session, queries.callback_queue(scope_of(user)), paging)
    now = clock.now()
    return TicketPage.of([ticket_read(t, now) for t in items], total, paging)


def _row(rates: GroupRates) -> RateRowRead:
    return RateRowRead.model_validate(rates, from_attributes=True)


@router.get("/rates", dependencies=[require(Permission.cases_read)], summary="三率与排名（响应率、解决率、满意率）")
def get_rates(
    user: CurrentUser,
    session: SessionDep,
    period: Annotated[str, Query(description="月份 2026-11 或年份 2026")],
    by: Annotated[Dimension, Query(description="分组：subdistrict、community、unit、alley、category")] = "community",
) -> RatesRead:
    scoring = load_rules().scoring
    rows, total = queries.period_rates(session, period=period, by=by, scope=scope_of(user), scoring=scoring)
    return RatesRead(
        period=period,
        by=by,
        rows=[_row(r) for r in rows],
        total=_row(total) if total else None,
        definitions=definitions(scoring),
    )


@router.get("/rates/trend", dependencies=[require(Permission.cases_read)], summary="三率按月走势")
def rates_trend(
    user: CurrentUser,
    session: SessionDep,
    clock: ClockDep,
    months: Annotated[int, Query(ge=1, le=36, description="最近几个月（含本月）")] = 12,
) -> list[TrendPointRead]:
    scoring = load_rules().scoring
    local = to_local(clock.now())
    points = []
    for back in range(months - 1, -1, -1):
        year, month = divmod(local.year * 12 + local.month - 1 - back, 12)
        period = f"{year}-{month + 1:02d}"
        _, total = queries.period_rates(session, period=period, by="subdistrict", scope=scope_of(user), scoring=scoring)
        points.append(
            TrendPointRead(
                period=period,
                respond_rate=total.respond_rate if total else None,
                resolve_rate=total.resolve_rate if total else None,
                satisfy_rate=total.satisfy_rate if total else None,
                score=total.score if total else None,
                dispatched=total.dispatched if total else 0,
            )
        )
    return points
