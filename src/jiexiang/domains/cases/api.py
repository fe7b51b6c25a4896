"""Cases routes: the case list (JSON or GeoJSON), one case with its reports, and the quarantine."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from jiexiang.core.config import Settings
from jiexiang.core.http import CalendarDep, ClockDep, PagingDep, SessionDep, SettingsDep
from jiexiang.core.photos import check_photos
from jiexiang.core.protect import protector
from jiexiang.core.time import Clock, WorkCalendar, ensure_aware, to_local
from jiexiang.domains.accounts.dependencies import CurrentUser, require
from jiexiang.domains.accounts.models import User
from jiexiang.domains.accounts.permissions import Permission, can
from jiexiang.domains.accounts.service import scope_of
from jiexiang.domains.cases import assessment, calendars, presenters, queries, routing, service, workflow
from jiexiang.domains.cases.enums import CaseSort, CaseStatus, QuarantineReason, ReportSource
from jiexiang.domains.cases.filters import CaseFilter
from jiexiang.domains.cases.models import Case, RoutingRule
from jiexiang.domains.cases.schemas import (
    AssessmentRead,
    AssessmentRowRead,
    CalendarStatusRead,
    CalendarYearRead,
    CaseDetail,
    CasePage,
    CasePointsRead,
    CaseRead,
    CaseStatsRead,
    CategoryUpdate,
    CommentCreate,
    DayOffRead,
    LocationUpdate,
    MyReportPage,
    QuarantinePage,
    RoutingRuleCreate,
    RoutingRuleRead,
    TransitionCreate,
    VocabularyRead,
)
from jiexiang.domains.places.service import BBox

router = APIRouter(prefix="/api", tags=["案件"])


def case_filters(
    clock: ClockDep,
    start: Annotated[datetime | None, Query(description="上报时间起（含），无时区按北京时间")] = None,
    end: Annotated[datetime | None, Query(description="上报时间止（不含）")] = None,
    category: Annotated[str | None, Query(description="类别代码，或专题（如 manhole_cover）")] = None,
    source: ReportSource | None = None,
    alley: Annotated[int | None, Query(description="街巷 ID")] = None,
    community: Annotated[int | None, Query(description="社区 ID")] = None,
    status: CaseStatus | None = None,
    bbox: Annotated[str | None, Query(description="最小经度,最小纬度,最大经度,最大纬度")] = None,
    needs_review: Annotated[bool | None, Query(description="只看（或排除）待核实地址的案件")] = None,
    overdue: Annotated[bool, Query(description="只看已超期的案件")] = False,
    unit: Annotated[int | None, Query(description="处置单位 ID")] = None,
) -> CaseFilter:
    """The case filters every case listing takes (the desk, the map's points, the dashboard's statistics)."""
    box = BBox.parse(bbox) if bbox else None
    return CaseFilter(
        start=ensure_aware(start) if start else None,
        end=ensure_aware(end) if end else None,
        category=category,
        source=source,
        alley_id=alley,
        community_id=community,
        status=status,
        bbox=(box.min_lon, box.min_lat, box.max_lon, box.max_lat) if box else None,
        needs_review=needs_review,
        overdue_at=clock.now() if overdue else None,
        unit_id=unit,
    )


CaseFilterDep = Annotated[CaseFilter, Depends(case_filters)]


@router.get(
    "/cases",
    response_model=None,
    responses={200: {"model": CasePage, "description": "JSON；format=geojson 时为 GeoJSON FeatureCollection"}},
    dependencies=[require(Permission.cases_read)],
    summary="案件列表（JSON 或 GeoJSON）",
)
def list_cases(
    user: CurrentUser,
    session: SessionDep,
    paging: PagingDep,
    clock: ClockDep,
    calendar: CalendarDep,
    filters: CaseFilterDep,
    sort: Annotated[CaseSort, Query(description="newest 最新上报在前 / oldest / deadline 超期和临期在前")] = (
        CaseSort.newest
    ),
    format: Annotated[str, Query(pattern="^(json|geojson)$")] = "json",  # noqa: A002
) -> CasePage | dict[str, Any]:
    items, total = queries.list_(
        session,
        scope=scope_of(user),
        filters=filters,
        paging=paging,
        now=clock.now(),
        calendar=calendar,
        sort=sort,
    )
    if format == "geojson":
        return {
            "type": "FeatureCollection",
            "features": [presenters.to_feature(i) for i in items],
            "numberMatched": total,
            "numberReturned": len(items),
            "page": paging.page,
            "page_size": paging.page_size,
        }
    return CasePage.of(items, total, paging)


@router.get(
    "/cases/points",
    response_class=JSONResponse,
    responses={200: {"model": CasePointsRead}},  # documented; sent as built, not validated value by value
    dependencies=[require(Permission.cases_read)],
    summary="地图用：全部符合条件的案件点位（按列返回：id、经纬度、类别、专题、状态、是否超期）",
)
def case_points(user: CurrentUser, session: SessionDep, clock: ClockDep, filters: CaseFilterDep) -> JSONResponse:
    # Plain numbers and strings: serialised straight away, not walked value by value (50,000 cases × 7).
    return JSONResponse(queries.points(session, scope=scope_of(user), filters=filters, now=clock.now()))


@router.get(
    "/cases/stats",
    response_model=CaseStatsRead,
    dependencies=[require(Permission.cases_read)],
    summary="统计：按日和专题、来源、状态的案件数，案件最多的街巷，当前超期数",
)
def case_stats(user: CurrentUser, session: SessionDep, clock: ClockDep, filters: CaseFilterDep) -> dict[str, Any]:
    return queries.statistics(session, scope=scope_of(user), filters=filters, now=clock.now())


@router.get("/vocabulary", response_model=VocabularyRead, summary="类别、专题、状态、来源、操作的中文名称")
def vocabulary() -> dict[str, Any]:
    return presenters.vocabulary()


@dataclass(frozen=True)
class CaseDesk:
    """What reading or changing one case asks of the request: who, in which transaction, on which calendar."""

    user: User
    session: Session
    settings: Settings
    clock: Clock
    calendar: WorkCalendar

    def detail(self, case: Case) -> CaseDetail:
        return presenters.to_detail(
            self.session,
            case,
            reader=self.user,
            protector=protector(self.settings.secret_key, self.settings.previous_keys),
            show_personal_data=can(self.user.role, Permission.personal_data_read),
            now=self.clock.now(),
            calendar=self.calendar,
        )

    def change(self, case_id: int, change: Callable[[Case], object]) -> CaseDetail:
        """Change one case of the caller's, locked while it changes, and answer with it as it is then."""
        case = queries.get(self.session, case_id=case_id, scope=scope_of(self.user), for_update=True)
        change(case)
        self.session.refresh(case)
        return self.detail(case)

    def photos(self, names: list[str]) -> list[str]:
        return check_photos(names, media_dir=self.settings.media_dir)


def _desk(
    user: CurrentUser, session: SessionDep, settings: SettingsDep, clock: ClockDep, calendar: CalendarDep
) -> CaseDesk:
    return CaseDesk(user, session, settings, clock, calendar)


CaseDeskDep = Annotated[CaseDesk, Depends(_desk)]


@router.get(
    "/cases/{case_id}",
    response_model=CaseDetail,
    dependencies=[require(Permission.cases_read)],
    summary="案件详情（含全部上报及其来源）",
)
def get_case(case_id: int, desk: CaseDeskDep) -> CaseDetail:
    return desk.detail(queries.get(desk.session, case_id=case_id, scope=scope_of(desk.user)))


@router.post(
    "/cases/{case_id}/transitions",
    response_model=CaseDetail,
    dependencies=[require(Permission.cases_read)],
    summary="办理案件：立案、派遣、接收、回退、延期、反馈、核查、返工",
)
def transition_case(case_id: int, body: TransitionCreate, desk: CaseDeskDep) -> CaseDetail:
    photos = desk.photos(body.photos)
    return desk.change(
        case_id,
        lambda case: workflow.transition(
            desk.session,
            case=case,
            action=body.action,
            actor=desk.user,
            clock=desk.clock,
            calendar=desk.calendar,
            note=body.note,
            unit_id=body.unit_id,
            photos=photos,
        ),
    )


@router.post(
    "/cases/{case_id}/comments",
    response_model=CaseDetail,
    dependencies=[require(Permission.cases_read)],
    summary="备注或补充附件（不改变案件阶段）",
)
def comment_on_case(case_id: int, body: CommentCreate, desk: CaseDeskDep) -> CaseDetail:
    photos = desk.photos(body.photos)
    return desk.change(
        case_id,
        lambda case: workflow.comment(
            desk.session, case=case, actor=desk.user, clock=desk.clock, note=body.note, photos=photos
        ),
    )


@router.get("/my/reports", response_model=MyReportPage, summary="我的上报及办理进度（居民、网格员等）")
def my_reports(user: CurrentUser, session: SessionDep, paging: PagingDep) -> MyReportPage:
    return MyReportPage.of(*queries.my_reports(session, user=user, paging=paging), paging)


@router.put(
    "/cases/{case_id}/location",
    response_model=CaseRead,
    dependencies=[require(Permission.intake_review)],
    summary="为案件指定位置（处理待核实地址）",
)
def locate_case(
    case_id: int, body: LocationUpdate, user: CurrentUser, session: SessionDep, clock: ClockDep, calendar: CalendarDep
) -> CaseRead:
    case = queries.get(session, case_id=case_id, scope=scope_of(user), for_update=True)
    located = service.locate(session, case=case, lon=body.lon, lat=body.lat, crs=body.crs, clock=clock)
    return presenters.to_read(located, now=clock.now(), calendar=calendar)


@router.put(
    "/cases/{case_id}/category",
    response_model=CaseDetail,
    dependencies=[require(Permission.intake_review)],
    summary="选择或更正案件类别（处理“待分类”案件），时限按新类别重算",
)
def categorize_case(case_id: int, body: CategoryUpdate, desk: CaseDeskDep) -> CaseDetail:
    return desk.change(
        case_id,
        lambda case: service.recategorize(
            desk.session,
            case=case,
            category_code=body.category_code,
            actor=desk.user,
            clock=desk.clock,
            calendar=desk.calendar,
            note=body.note,
        ),
    )


@router.get(
    "/intake/quarantine",
    response_model=None,
    responses={200: {"model": QuarantinePage, "description": "JSON；format=csv 时为 CSV 文件"}},
    dependencies=[require(Permission.intake_review)],
    summary="被隔离的来源数据行（含原因和原始内容），可导出 CSV",
)
def list_quarantine(
    session: SessionDep,
    paging: PagingDep,
    reason: QuarantineReason | None = None,
    source: ReportSource | None = None,
    format: Annotated[str, Query(pattern="^(json|csv)$")] = "json",  # noqa: A002
) -> QuarantinePage | Response:
    items, total = queries.list_quarantine(session, reason=reason, source=source, paging=paging)
    if format == "csv":
        body = presenters.quarantine_csv(items)
        return Response(
            body,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="quarantine.csv"'},
        )
    return QuarantinePage.of(items, total, paging)


_routers = require(Permission.routing_manage)


@router.get("/routing-rules", response_model=list[RoutingRuleRead], dependencies=[_routers], summary="派遣规则")
def list_routing_rules(session: SessionDep) -> list[RoutingRuleRead]:
    return [_rule(r) for r in routing.list_rules(session)]


@router.post(
    "/routing-rules",
    response_model=RoutingRuleRead,
    status_code=201,
    dependencies=[_routers],
    summary="新建派遣规则（类别或专题 × 街巷或社区 → 处置单位）",
)
def create_routing_rule(body: RoutingRuleCreate, session: SessionDep, clock: ClockDep) -> RoutingRuleRead:
    rule = routing.create_rule(session, clock=clock, **body.model_dump())
    session.refresh(rule)
    return _rule(rule)


@router.delete("/routing-rules/{rule_id}", status_code=204, dependencies=[_routers], summary="删除派遣规则")
def delete_routing_rule(rule_id: int, session: SessionDep) -> Response:
    routing.delete_rule(session, rule_id=rule_id)
    return Response(status_code=204)


def _rule(rule: RoutingRule) -> RoutingRuleRead:
    return RoutingRuleRead(
        id=rule.id,
        unit_id=rule.unit_id,
        unit_name=rule.unit.name,
        category_code=rule.category_code,
        group=rule.group,
        community_id=rule.community_id,
        alley_id=rule.alley_id,
    )


@router.get(
    "/assessment",
    response_model=AssessmentRead,
    dependencies=[require(Permission.cases_read)],
    summary="考核指标：立案数、结案率、按期结案率、返工率、平均处置时长、综合得分与等级",
)
def get_assessment(
    user: CurrentUser,
    session: SessionDep,
    calendar: CalendarDep,
    period: Annotated[str, Query(description="考核期：月份 2026-10 或年份 2026（北京时间）")],
    by: Annotated[assessment.Dimension, Query(description="按处置单位/社区/街巷/类别")] = "unit",
) -> AssessmentRead:
    start, end = assessment.period_bounds(period)
    rows = assessment.assess(session, start=start, end=end, by=by, calendar=calendar, scope=scope_of(user))
    return AssessmentRead(
        period=period,
        by=by,
        rows=[AssessmentRowRead.model_validate(r, from_attributes=True) for r in rows],  # its properties too
    )


@router.get(
    "/calendar/status",
    response_model=CalendarStatusRead,
    dependencies=[require(Permission.cases_read)],
    summary="工作日历状态：今年和明年是否已有国务院办公厅的正式安排（12 月起明年仍为暂定时给出提醒）",
)
def calendar_status(clock: ClockDep, calendar: CalendarDep) -> CalendarStatusRead:
    today = to_local(clock.now()).date()
    return CalendarStatusRead(
        year=today.year,
        year_official=not calendar.is_provisional(today.year),
        next_year=today.year + 1,
        next_year_official=not calendar.is_provisional(today.year + 1),
        warning=calendars.warning(calendar, today=today),
    )


@router.get(
    "/calendar/{year}",
    response_model=CalendarYearRead,
    dependencies=[require(Permission.cases_read)],
    summary="某年的节假日与调休上班日，及是否为正式安排（否则按法定节假日暂定）",
)
def calendar_year(year: int, calendar: CalendarDep) -> CalendarYearRead:
    found = calendars.schedule(calendar, year=year)
    return CalendarYearRead(
        year=found.year,
        official=found.official,
        days_off=[DayOffRead(day=day, name=name) for day, name in found.days_off],
        make_up_days=found.make_up_days,
    )
