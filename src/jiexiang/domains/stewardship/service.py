"""Stewardship's writes: the companies' contracts (an alley under one contract at a time), an inspection of an
alley with its findings — scored against its contract's checklist version, or else the version in force that day —
and a finding put right."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, lazyload

from jiexiang.core.db import add_unique, locked, serialize_on
from jiexiang.core.errors import Conflict, InvalidInput, NotFound
from jiexiang.core.time import WorkCalendar, to_local
from jiexiang.domains.accounts.enums import UnitKind
from jiexiang.domains.accounts.models import Unit, User
from jiexiang.domains.accounts.service import Scope
from jiexiang.domains.places.models import Alley
from jiexiang.domains.stewardship import checklists, queries, ranking
from jiexiang.domains.stewardship.enums import ChecklistKind
from jiexiang.domains.stewardship.models import Contract, ContractAlley, Inspection, InspectionFinding
from jiexiang.domains.stewardship.rules import AssessmentRules
from jiexiang.domains.stewardship.schemas import ContractCreate, InspectionCreate


def create_contract(session: Session, *, data: ContractCreate, now: datetime) -> Contract:
    unit = session.get(Unit, data.unit_id)
    if unit is None or unit.kind is not UnitKind.property_company:
        raise InvalidInput(f"没有编号为 {data.unit_id} 的物业公司", code="company_not_found")
    if data.ends_on < data.starts_on:
        raise InvalidInput("合同结束日期不能早于开始日期", code="invalid_period")
    try:
        checklists.version_of(ChecklistKind.property, data.checklist_version)
    except NotFound as absent:
        raise InvalidInput(absent.message, code="checklist_not_found") from absent
    alley_ids = sorted(set(data.alley_ids))
    names = dict(session.execute(select(Alley.id, Alley.name).where(Alley.id.in_(alley_ids))).all())
    missing = [str(i) for i in alley_ids if i not in names]
    if missing:
        raise InvalidInput(f"没有编号为 {'、'.join(missing)} 的街巷", code="alley_not_found")
    # Whether an alley is free for the period is decided by looking: one writer per alley at a time.
    serialize_on(session, [f"stewardship-alley:{i}" for i in alley_ids])
    taken = session.execute(
        select(ContractAlley.alley_id, Contract.code)
        .join(Contract)
        .where(
            ContractAlley.alley_id.in_(alley_ids),
            Contract.starts_on <= data.ends_on,
            Contract.ends_on >= data.starts_on,
        )
        .order_by(ContractAlley.alley_id)
    ).all()
    if taken:
        clashes = "、".join(f"{names[alley_id]}（合同 {code}）" for alley_id, code in taken)
        raise Conflict(f"这些街巷在该期间已有准物业合同：{clashes}", code="alley_under_contract")
    contract = Contract(
        code=data.code.strip(),
        unit_id=unit.id,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        monthly_fee=data.monthly_fee,
        checklist_version=data.checklist_version,
        note=data.note,
        created_at=now,
        alleys=[ContractAlley(alley_id=i) for i in alley_ids],
    )
    add_unique(session, contract, taken=Conflict(f"合同编号 {data.code} 已存在", code="contract_code_taken"))
    return contract


def contract_on(session: Session, *, alley_id: int, day: date) -> Contract | None:
    """The contract an alley is under on `day` (at most one)."""
    return session.scalar(
        select(Contract)
        .join(ContractAlley)
        .where(ContractAlley.alley_id == alley_id, Contract.starts_on <= day, Contract.ends_on >= day)
    )


def record_inspection(session: Session, *, data: InspectionCreate, inspector: User | None, now: datetime) -> Inspection:
    if session.get(Alley, data.alley_id) is None:
        raise InvalidInput(f"没有编号为 {data.alley_id} 的街巷", code="alley_not_found")
    day = to_local(now).date()
    contract = contract_on(session, alley_id=data.alley_id, day=day) if data.kind is ChecklistKind.property else None
    # A contracted alley is assessed on the version its contract names, so that its month adds up line by line.
    checklist = (
        checklists.version_of(data.kind, contract.checklist_version) if contract else checklists.current(data.kind, day)
    )
    unknown = [f.item for f in data.findings if checklist.item(f.item) is None]
    if unknown:
        raise InvalidInput(
            f"检查表“{checklist.title}”第 {checklist.version} 版没有细项 {'、'.join(unknown)}", code="unknown_item"
        )
    inspection = Inspection(
        alley_id=data.alley_id,
        kind=data.kind,
        version=checklist.version,
        contract_id=contract.id if contract else None,
        inspector_id=inspector.id if inspector else None,
        at=now,
        note=data.note,
        findings=[
            InspectionFinding(
                item=f.item,
                count=f.count,
                after_complaint=f.after_complaint,
                note=f.note,
                photos=f.photos,
                lon=f.lon,
                lat=f.lat,
                due_at=now + timedelta(hours=f.fix_hours),
                fixed_photos=[],
            )
            for f in data.findings
        ],
    )
    session.add(inspection)
    session.flush()
    return inspection


def fix_finding(session: Session, *, finding_id: int, photos: list[str], now: datetime) -> InspectionFinding:
    """The company reports a finding put right, with photos."""
    finding = session.scalar(
        locked(select(InspectionFinding).where(InspectionFinding.id == finding_id).options(lazyload("*")))
    )
    if finding is None:
        raise NotFound(f"没有编号为 {finding_id} 的问题", code="finding_not_found")
    if finding.fixed_at is not None:
        raise Conflict("该问题已整改", code="already_fixed")
    finding.fixed_at, finding.fixed_photos = now, photos
    session.flush()
    return finding


def monthly_ranking(
    session: Session, *, month: str, scope: Scope, rules: AssessmentRules, calendar: WorkCalendar
) -> list[ranking.ContractMonth]:
    """The month's ranking as the account may see it: ranks are among all contracts (a company sees its own
    place among the others), rows only those of its contracts or places."""
    visible = set(session.scalars(queries.contracts(scope).with_only_columns(Contract.id)))
    return [
        m
        for m in ranking.monthly_ranking(session, month=month, rules=rules, calendar=calendar)
        if m.contract.id in visible
    ]
