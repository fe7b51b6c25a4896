"""Stewardship routes: the checklists alleys are inspected by (the version in force, and every version), the
companies' contracts, inspections with their findings and score, findings put right, and the monthly ranking (on
screen and as XLSX)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Response
from sqlalchemy import select

from jiexiang.core.errors import NotFound
from jiexiang.core.http import CalendarDep, ClockDep, PagingDep, SessionDep, SettingsDep, xlsx_download
from jiexiang.core.paging import paginate
from jiexiang.core.photos import check_photos
from jiexiang.core.time import to_local
from jiexiang.domains.accounts.dependencies import CurrentUser, require
from jiexiang.domains.accounts.enums import Role
from jiexiang.domains.accounts.models import User
from jiexiang.domains.accounts.permissions import Permission
from jiexiang.domains.accounts.service import scope_of
from jiexiang.domains.places import service as places
from jiexiang.domains.places.models import Alley
from jiexiang.domains.stewardship import checklists, duty, queries, ranking, service
from jiexiang.domains.stewardship.enums import ChecklistKind
from jiexiang.domains.stewardship.models import Contract, Inspection
from jiexiang.domains.stewardship.presenters import (
    checklist_read,
    contract_month_read,
    contract_read,
    inspection_read,
    ranking_sheets,
)
from jiexiang.domains.stewardship.ranking import ContractMonth, month_bounds
from jiexiang.domains.stewardship.rules import load_rules
from jiexiang.domains.stewardship.schemas import (
    ChecklistRead,
    ChiefScorecardRead,
    ContractCreate,
    ContractRead,
    FindingFixedCreate,
    InspectionCreate,
    InspectionPage,
    InspectionRead,
    RankingRead,
)
from jiexiang.domains.waste.schemas import SortingRate

router = APIRouter(prefix="/api/stewardship", tags=["街巷环境"], dependencies=[require(Permission.stewardship_read)])


@router.get("/checklists/current", summary="现行检查表：准物业考核（5 类 31 项）或街巷长巡查（十有十无），含分类与细项")
def current_checklist(
    clock: ClockDep, kind: Annotated[ChecklistKind, Query(description="property 准物业 / patrol 街巷长")]
) -> ChecklistRead:
    return checklist_read(checklists.current(kind, to_local(clock.now()).date()))


@router.get("/checklists", summary="检查表的各个版本")
def list_checklists(kind: Annotated[ChecklistKind, Query()]) -> list[ChecklistRead]:
    return [checklist_read(c) for c in checklists.versions(kind)]


def _in_scope_alley(session: SessionDep, user: User, alley_id: int) -> None:
    mine = places.alley_ids_in(session, scope=scope_of(user))
    if mine is not None and alley_id not in mine:
        raise NotFound(f"没有编号为 {alley_id} 的街巷", code="alley_not_found")


@router.post(
    "/inspections",
    status_code=201,
    dependencies=[require(Permission.stewardship_inspect)],
    summary="按现行检查表检查一条街巷：逐项记录问题（照片、位置、整改时限），当场算出得分",
)
def record_inspection(
    body: InspectionCreate, user: CurrentUser, session: SessionDep, settings: SettingsDep, clock: ClockDep
) -> InspectionRead:
    for finding in body.findings:
        check_photos(finding.photos, media_dir=settings.media_dir)
    _in_scope_alley(session, user, body.alley_id)
    inspection = service.record_inspection(session, data=body, inspector=user, now=clock.now())
    return inspection_read(inspection, now=clock.now())


@router.get("/inspections", summary="检查记录及得分（本账号所辖街巷）")
def list_inspections(
    user: CurrentUser,
    session: SessionDep,
    clock: ClockDep,
    paging: PagingDep,
    alley_id: Annotated[int | None, Query()] = None,
    kind: Annotated[ChecklistKind | None, Query()] = None,
) -> InspectionPage:
    rows, total = paginate(session, queries.inspections(scope_of(user), alley_id=alley_id, kind=kind), paging)
    return InspectionPage.of([inspection_read(i, now=clock.now()) for i in rows], total, paging)


@router.get("/inspections/{inspection_id}", summary="一次检查：问题、逐项扣分与得分")
def get_inspection(inspection_id: int, user: CurrentUser, session: SessionDep, clock: ClockDep) -> InspectionRead:
    found = session.scalar(queries.inspections(scope_of(user)).where(Inspection.id == inspection_id))
    if found is None:
        raise NotFound(f"没有编号为 {inspection_id} 的检查记录", code="inspection_not_found")
    return inspection_read(found, now=clock.now())


@router.post(
    "/findings/{finding_id}/fixed",
    dependencies=[require(Permission.stewardship_fix)],
    summary="报告问题已整改（附整改后照片）",
)
def fix_finding(
    finding_id: int,
    body: FindingFixedCreate,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> InspectionRead:
    check_photos(body.photos, media_dir=settings.media_dir)
    if session.scalar(queries.finding_in_scope(scope_of(user), finding_id)) is None:
        raise NotFound(f"没有编号为 {finding_id} 的问题", code="finding_not_found")
    finding = service.fix_finding(session, finding_id=finding_id, photos=body.photos, now=clock.now())
    return inspection_read(session.get_one(Inspection, finding.inspection_id), now=clock.now())


def _contract_read(session: SessionDep, contract: Contract) -> ContractRead:
    ids = [a.alley_id for a in contract.alleys]
    names = dict(session.execute(select(Alley.id, Alley.name).where(Alley.id.in_(ids))).all())
    return contract_read(contract, names)


@router.post(
    "/contracts",
    status_code=201,
    dependencies=[require(Permission.stewardship_manage)],
    summary="登记准物业合同：公司、街巷、期限、月服务费、考核所用检查表版本（同一街巷同一天只能在一份合同内）",
)
def create_contract(body: ContractCreate, session: SessionDep, clock: ClockDep) -> ContractRead:
    return _contract_read(session, service.create_contract(session, data=body, now=clock.now()))


@router.get("/contracts", summary="准物业合同（公司账号只看本公司的）")
def list_contracts(user: CurrentUser, session: SessionDep) -> list[ContractRead]:
    return [_contract_read(session, c) for c in session.scalars(queries.contracts(scope_of(user)))]


Month = Annotated[str, Query(pattern=r"^\d{4}-\d{2}$", description="考核月份，如 2026-11")]


def _ranking(session: SessionDep, user: User, month: str, calendar: CalendarDep) -> list[ContractMonth]:
    month_bounds(month)  # a clear error for a month that is not one
    return service.monthly_ranking(session, month=month, scope=scope_of(user), rules=load_rules(), calendar=calendar)


@router.get("/ranking", summary="准物业月度考核排名：检查扣分（逐项）、平台指标加减分、得分、排名与服务费扣减")
def get_ranking(user: CurrentUser, session: SessionDep, calendar: CalendarDep, month: Month) -> RankingRead:
    return RankingRead(month=month, rows=[contract_month_read(m) for m in _ranking(session, user, month, calendar)])


@router.get(
    "/ranking.xlsx",
    summary="准物业月度考核排名（XLSX）：排名、细项扣分、问题明细三张表，可逐项核对",
    response_class=Response,
)
def ranking_workbook(user: CurrentUser, session: SessionDep, calendar: CalendarDep, month: Month) -> Response:
    return xlsx_download(
        ranking_sheets(month, _ranking(session, user, month, calendar)), file_name=f"准物业考核排名-{month}"
    )


@router.get("/sorting-rates", summary="各准物业公司合同街巷的垃圾分类参与率与准确率（现行合同）")
def sorting_rates(
    user: CurrentUser,
    session: SessionDep,
    clock: ClockDep,
    days: Annotated[int, Query(ge=1, le=366, description="统计最近多少天")] = 30,
) -> list[SortingRate]:
    end = clock.now()
    today = to_local(end).date()
    mine = places.alley_ids_in(session, scope=scope_of(user))
    rows = []
    for contract in session.scalars(queries.contracts(scope_of(user))):
        if not contract.starts_on <= today <= contract.ends_on:
            continue
        alleys = frozenset(a.alley_id for a in contract.alleys if mine is None or a.alley_id in mine)
        counted = ranking.sorting_in(session, alleys, start=end - timedelta(days=days), end=end)
        rows.append(SortingRate(id=contract.unit_id, name=contract.unit.name, **counted))
    return sorted(rows, key=lambda r: (r.participation_rate is None, -(r.participation_rate or 0), r.name))


@router.get(
    "/duty/scorecards", summary="街巷长月度考核：巡查街巷天数与应巡天数、上报问题、核查案件、十有十无巡查与缺项"
)
def chief_scorecards(
    user: CurrentUser, session: SessionDep, clock: ClockDep, calendar: CalendarDep, month: Month
) -> list[ChiefScorecardRead]:
    """A chief sees their own; an account limited to places, the chiefs of alleys there; others, every chief."""
    chiefs: set[int] | None = None
    if user.role is Role.alley_chief:
        chiefs = {user.id}
    elif (mine := places.alley_ids_in(session, scope=scope_of(user))) is not None:
        chiefs = set(session.scalars(select(Alley.chief_id).where(Alley.id.in_(mine), Alley.chief_id.is_not(None))))
    cards = duty.scorecards(
        session, month=month, today=to_local(clock.now()).date(), calendar=calendar, chief_ids=chiefs
    )
    return [
        ChiefScorecardRead(
            user_id=c.chief.id,
            full_name=c.chief.full_name,
            alleys=c.alleys,
            required_walks=c.required_walks,
            walks=c.walks,
            walk_rate=c.walk_rate,
            problems_reported=c.problems_reported,
            cases_verified=c.cases_verified,
            patrols=c.patrols,
            gaps=c.gaps,
        )
        for c in cards
    ]
