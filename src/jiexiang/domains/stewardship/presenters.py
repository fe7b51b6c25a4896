"""Stewardship rows as the routes give them: checklists, contracts, inspections with their score line by line, and
the monthly ranking — on screen and as a workbook that reconciles each score with its findings."""

from __future__ import annotations

from datetime import datetime

from jiexiang.core.time import to_local
from jiexiang.domains.stewardship import checklists
from jiexiang.domains.stewardship.checklists import Checklist
from jiexiang.domains.stewardship.enums import CHECKLIST_KIND_LABELS, ChecklistKind
from jiexiang.domains.stewardship.models import Contract, Inspection
from jiexiang.domains.stewardship.ranking import ContractMonth
from jiexiang.domains.stewardship.schemas import (
    ChecklistCategoryRead,
    ChecklistItemRead,
    ChecklistRead,
    ContractMonthRead,
    ContractRead,
    FindingRead,
    InspectionRead,
    MeasureRead,
    ScoreLine,
)
from jiexiang.domains.stewardship.scoring import Finding, score


def checklist_read(checklist: Checklist) -> ChecklistRead:
    return ChecklistRead(
        kind=checklist.kind,
        kind_label=CHECKLIST_KIND_LABELS[checklist.kind],
        version=checklist.version,
        title=checklist.title,
        effective_from=checklist.effective_from,
        items=checklist.size,
        categories=[
            ChecklistCategoryRead(
                code=c.code,
                name=c.name,
                cap=c.cap,
                items=[
                    ChecklistItemRead(
                        code=i.code, text=i.text, deduction=i.deduction, cap=i.cap, case_category=i.case_category
                    )
                    for i in c.items
                ],
            )
            for c in checklist.categories
        ],
    )


def inspection_read(inspection: Inspection, *, now: datetime) -> InspectionRead:
    checklist = checklists.version_of(inspection.kind, inspection.version)
    result = score(
        checklist, [Finding(f.item, count=f.count, after_complaint=f.after_complaint) for f in inspection.findings]
    )
    findings = []
    for f in inspection.findings:
        category, item = checklist.item(f.item) or (None, None)
        findings.append(
            FindingRead(
                id=f.id,
                item=f.item,
                item_text=item.text if item else f.item,
                category=category.name if category else "",
                count=f.count,
                after_complaint=f.after_complaint,
                note=f.note,
                photos=f.photos,
                lon=f.lon,
                lat=f.lat,
                due_at=f.due_at,
                fixed_at=f.fixed_at,
                overdue=f.fixed_at is None and f.due_at < now,
                case_id=f.case_id,
            )
        )
    return InspectionRead(
        id=inspection.id,
        alley_id=inspection.alley_id,
        alley_name=inspection.alley.name,
        kind=inspection.kind,
        version=inspection.version,
        at=inspection.at,
        note=inspection.note,
        findings=findings,
        lines=[ScoreLine(**vars(line)) for line in result.items],
        category_deductions={c.category: c.deducted for c in result.categories},
        score=result.score,
    )


def contract_read(contract: Contract, alley_names: dict[int, str]) -> ContractRead:
    ids = [a.alley_id for a in contract.alleys]
    return ContractRead(
        id=contract.id,
        code=contract.code,
        unit_id=contract.unit_id,
        company=contract.unit.name,
        starts_on=contract.starts_on,
        ends_on=contract.ends_on,
        monthly_fee=contract.monthly_fee,
        checklist_version=contract.checklist_version,
        alley_ids=ids,
        alley_names=[alley_names.get(i, str(i)) for i in ids],
        note=contract.note,
    )


def contract_month_read(month: ContractMonth) -> ContractMonthRead:
    contract, checklist = month.contract, month.checklist
    return ContractMonthRead(
        contract_id=contract.id,
        contract_code=contract.code,
        unit_id=contract.unit_id,
        company=contract.unit.name,
        alleys=len(contract.alleys),
        inspections=month.inspections,
        findings=sum(f.count for f in month.findings),
        checklist_deducted=checklist.deducted,
        category_deductions={c.category: c.deducted for c in checklist.categories},
        lines=[ScoreLine(**vars(line)) for line in checklist.items],
        measures=[MeasureRead(**vars(m)) for m in month.measures],
        measure_points=month.measure_points,
        score=month.score,
        rank=month.rank,
        monthly_fee=contract.monthly_fee,
        withhold_percent=month.fee_band.withhold_percent if month.fee_band else 0,
        withheld=month.withheld,
        fee_effect=month.fee_band.label if month.fee_band else "不扣减",
    )


def ranking_sheets(month: str, months: list[ContractMonth]) -> list[tuple[str, list[list[object]]]]:
    """The ranking, each contract's deductions item by item, and every finding behind them, so that each score can
    be checked by hand: 得分 = 100 − 检查扣分 + 指标加减分; 检查扣分 = Σ 分类扣分; 分类扣分 = min(Σ 细项扣分,
    分类上限); 细项扣分 = min(Σ 问题扣分, 细项上限)."""
    measure_names = [m.name for m in months[0].measures] if months else []
    ranking: list[list[object]] = [
        [
            *("月份", "排名", "公司", "合同编号", "街巷数", "检查次数", "问题数", "检查扣分"),
            *measure_names,
            *("指标加减分", "得分", "月服务费（元）", "扣减比例", "扣减金额（元）", "考核结果"),
        ]
    ]
    items: list[list[object]] = [
        [
            *("合同编号", "公司", "分类", "分类上限", "分类扣分", "细项", "内容", "问题数"),
            *("细项扣分（未封顶）", "细项上限", "细项扣分"),
        ]
    ]
    findings: list[list[object]] = [
        [
            *("合同编号", "公司", "检查编号", "检查时间", "街巷", "细项", "内容", "问题数"),
            *("投诉后加倍", "扣分（未封顶）", "整改时间", "转立案件"),
        ]
    ]
    for m in months:
        c, band = m.contract, m.fee_band
        checklist = checklists.version_of(ChecklistKind.property, c.checklist_version)
        ranking.append(
            [
                *(month, m.rank, c.unit.name, c.code, len(c.alleys), m.inspections, sum(f.count for f in m.findings)),
                m.checklist.deducted,
                *(x.points for x in m.measures),
                *(m.measure_points, m.score, float(c.monthly_fee)),
                *(f"{band.withhold_percent}%" if band else "0%", float(m.withheld), band.label if band else "不扣减"),
            ]
        )
        capped = {line.category: line.deducted for line in m.checklist.categories}
        for line in m.checklist.items:
            category, item = checklist.item(line.item) or (None, None)
            assert category is not None and item is not None  # scored against this very checklist
            items.append(
                [
                    *(c.code, c.unit.name, category.name, category.cap, capped[line.category]),
                    *(line.item, item.text, line.findings, line.raw, item.cap, line.deducted),
                ]
            )
        for f in m.findings:
            found = checklist.item(f.item)
            findings.append(
                [
                    *(c.code, c.unit.name, f.inspection_id, _local(f.at), f.alley, f.item),
                    *(found[1].text if found else f.item, f.count, "是" if f.after_complaint else "", f.deduction),
                    *(_local(f.fixed_at) if f.fixed_at else "", f.case_id or ""),
                ]
            )
    return [("排名", ranking), ("细项扣分", items), ("问题明细", findings)]


def _local(moment: datetime) -> str:
    return to_local(moment).strftime("%Y-%m-%d %H:%M")
