"""Hotline routes: the ticket desk and one ticket's loop, the callback queue, the rates, and proactive work
(tasks with their measured effect, 每月一题)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from jiexiang.core.http import ClockDep, PagingDep, SessionDep, SettingsDep
from jiexiang.core.paging import paginate
from jiexiang.core.photos import check_photos
from jiexiang.core.time import ensure_aware
from jiexiang.domains.accounts.dependencies import CurrentUser, require
from jiexiang.domains.accounts.permissions import Permission
from jiexiang.domains.accounts.service import scope_of
from jiexiang.domains.hotline import proactive, queries, service
from jiexiang.domains.hotline.enums import (
    ACTION_LABELS,
    APPEAL_LABELS,
    CALLBACK_SOURCE_LABELS,
    CONTACT_LABELS,
    KIND_LABELS,
    SATISFACTION_LABELS,
    STATUS_LABELS,
    TASK_ORIGIN_LABELS,
    TASK_STATUS_LABELS,
    AppealStatus,
    TaskAction,
    TaskStatus,
    TicketStatus,
)
from jiexiang.domains.hotline.models import ProactiveTask
from jiexiang.domains.hotline.presenters import task_read, ticket_detail, ticket_read
from jiexiang.domains.hotline.queries import Dimension, TicketFilter
from jiexiang.domains.hotline.rules import load_rules
from jiexiang.domains.hotline.schemas import (
    CallbackCreate,
    EffectSummaryRead,
    HotlineVocabularyRead,
    MonthlyTopicRead,
    RateRowRead,
    RatesRead,
    StepCreate,
    TaskClose,
    TaskCreate,
    TaskPage,
    TaskRead,
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
        task_statuses=dict(TASK_STATUS_LABELS),
        task_origins=dict(TASK_ORIGIN_LABELS),
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
    totals = queries.monthly_totals(
        session,
        last=queries.month_of(clock.now()),
        months=months,
        scope=scope_of(user),
        scoring=load_rules().scoring,
    )
    return [
        TrendPointRead(
            period=period,
            respond_rate=total.respond_rate if total else None,
            resolve_rate=total.resolve_rate if total else None,
            satisfy_rate=total.satisfy_rate if total else None,
            score=total.score if total else None,
            dispatched=total.dispatched if total else 0,
        )
        for period, total in totals
    ]


# ---- proactive tasks ----------------------------------------------------------------------------------


def _task(session: SessionDep, task: ProactiveTask, now: datetime) -> TaskRead:
    effect = proactive.measure(session, task, now=now)
    return task_read(task, effect, measured_from=proactive.measured_from(task), now=now)


@router.get("/tasks", dependencies=[require(Permission.cases_read)], summary="主动治理任务")
def list_tasks(
    user: CurrentUser,
    session: SessionDep,
    paging: PagingDep,
    clock: ClockDep,
    status: TaskStatus | None = None,
    month: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$", description="每月一题的月份")] = None,
) -> TaskPage:
    items, total = paginate(session, proactive.tasks(scope_of(user), status=status, month=month), paging)
    now = clock.now()
    return TaskPage.of([_task(session, t, now) for t in items], total, paging)


@router.post("/tasks", status_code=201, dependencies=[require(Permission.hotline_manage)], summary="新建主动治理任务")
def create_task(body: TaskCreate, user: CurrentUser, session: SessionDep, clock: ClockDep) -> TaskRead:
    now = clock.now()
    data = service.NewTask(
        **body.model_dump(exclude={"due_at", "cells", "alley_ids"}),
        due_at=ensure_aware(body.due_at),
        cells=tuple(body.cells),
        alley_ids=tuple(body.alley_ids),
    )
    return _task(session, service.create_task(session, data=data, actor=user, now=now), now)


@router.get("/tasks/effect", dependencies=[require(Permission.cases_read)], summary="主动治理的总体效果")
def tasks_effect(user: CurrentUser, session: SessionDep, clock: ClockDep) -> EffectSummaryRead:
    summary = proactive.effect_summary(session, scope=scope_of(user), now=clock.now())
    return EffectSummaryRead(
        tasks=summary.tasks,
        estimate=None if summary.estimate is None else round(summary.estimate, 1),
        low=None if summary.low is None else round(summary.low, 1),
        high=None if summary.high is None else round(summary.high, 1),
    )


@router.get("/tasks/{task_id}", dependencies=[require(Permission.cases_read)], summary="主动治理任务详情及效果")
def get_task(task_id: int, user: CurrentUser, session: SessionDep, clock: ClockDep) -> TaskRead:
    return _task(session, proactive.get_task(session, task_id=task_id, scope=scope_of(user)), clock.now())


@router.post(
    "/tasks/{task_id}/{action}",
    dependencies=[require(Permission.hotline_handle)],
    summary="完成（附佐证）或取消主动治理任务",
)
def close_task(
    task_id: int,
    action: TaskAction,
    body: TaskClose,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> TaskRead:
    photos = tuple(check_photos(body.photos, media_dir=settings.media_dir))
    now = clock.now()
    task = service.close_task(
        session, task_id=task_id, action=action, note=body.note, photos=photos, actor=user, now=now
    )
    return _task(session, task, now)


@router.get("/monthly-topics", dependencies=[require(Permission.cases_read)], summary="每月一题：本月最值得治理的问题")
def get_monthly_topics(
    user: CurrentUser,
    session: SessionDep,
    month: Annotated[str, Query(description="要治理的月份，如 2026-12（依据上月数据）")],
    limit: Annotated[int, Query(ge=1, le=20)] = 5,
) -> list[MonthlyTopicRead]:
    found = proactive.monthly_topics(session, month=month, scope=scope_of(user), limit=limit)
    return [MonthlyTopicRead(**asdict(topic), h3_resolution=proactive.MONTHLY_RESOLUTION) for topic in found]
