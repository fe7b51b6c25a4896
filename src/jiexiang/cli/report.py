"""`jiexiang report …`: the 数字城管 assessment, the 接诉即办 rates and the companies' monthly ranking (准物业考核), as
XLSX or CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jiexiang.cli.common import command, database
from jiexiang.core.config import get_settings
from jiexiang.core.errors import DomainError
from jiexiang.core.tables import csv_bytes, xlsx_bytes
from jiexiang.domains.accounts.service import Scope

report_app = typer.Typer(help="报表：考核指标、接诉即办三率、准物业考核排名", no_args_is_help=True)

OutOption = Annotated[Path, typer.Option(help="输出文件")]
FormatOption = Annotated[str, typer.Option("--format", help="xlsx 或 csv")]


def _write(out: Path, fmt: str, title: str, table: list[list[object]]) -> None:
    if fmt not in ("xlsx", "csv"):
        raise DomainError("--format 应为 xlsx 或 csv")
    out.write_bytes(csv_bytes(table) if fmt == "csv" else xlsx_bytes([(title, table)]))


@command(report_app, "assessment")
def assessment_report(
    period: Annotated[str, typer.Option(help="考核期：月份 2026-10 或年份 2026")],
    out: OutOption,
    by: Annotated[str, typer.Option(help="unit 处置单位 / community 社区 / alley 街巷 / category 类别")] = "unit",
    fmt: FormatOption = "xlsx",
) -> None:
    """导出考核指标表（结案率、按期结案率、返工率、平均处置时长、综合得分与等级）。"""
    from jiexiang.domains.cases import assessment
    from jiexiang.domains.cases.calendars import load_calendar

    if by not in assessment.DIMENSIONS:
        raise DomainError("--by 应为 unit、community、alley 或 category")
    start, end = assessment.period_bounds(period)
    with database() as session:
        calendar = load_calendar(session, get_settings())
        rows = assessment.assess(session, start=start, end=end, by=by, calendar=calendar, scope=Scope())
    _write(out, fmt, f"考核 {period}", assessment.as_table(rows, by))
    typer.echo(f"已导出 {period} 考核指标（{len(rows)} 行）到 {out}")


RATES_HEADER: list[object] = [
    "名称",
    "派单数",
    "响应数",
    "响应率",
    "回访数",
    "解决数",
    "解决率",
    "满意数",
    "基本满意数",
    "不满意数",
    "满意率",
    "综合得分",
    "排名",
]


@command(report_app, "hotline-rates")
def hotline_rates_report(
    period: Annotated[str, typer.Option(help="月份 2026-11 或年份 2026（按派单时间）")],
    out: OutOption,
    by: Annotated[
        str, typer.Option(help="community 社区 / unit 承办单位 / alley 街巷 / category 类别 / subdistrict 街道")
    ] = ("community"),
    fmt: FormatOption = "xlsx",
) -> None:
    """导出接诉即办三率与排名：响应率、解决率、满意率（比例 0–1）、综合得分（0–100）。"""
    from jiexiang.domains.hotline import queries
    from jiexiang.domains.hotline.rules import load_rules

    if by not in queries.DIMENSION_LABELS:
        raise DomainError("--by 应为 community、unit、alley、category 或 subdistrict")
    with database() as session:
        rows, _ = queries.period_rates(session, period=period, by=by, scope=Scope(), scoring=load_rules().scoring)
    table: list[list[object]] = [RATES_HEADER]
    for r in rows:
        table.append(
            [
                r.name,
                r.dispatched,
                r.responded,
                _fraction(r.respond_rate),
                r.callbacks,
                r.resolved,
                _fraction(r.resolve_rate),
                r.satisfied,
                r.basically,
                r.unsatisfied,
                _fraction(r.satisfy_rate),
                r.score,
                r.rank,
            ]
        )
    _write(out, fmt, f"三率 {period}", table)
    typer.echo(f"已导出 {period} 接诉即办三率（{len(rows)} 行）到 {out}")


def _fraction(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


@command(report_app, "stewardship")
def stewardship_report(
    month: Annotated[str, typer.Option(help="考核月份，如 2026-11")],
    out: Annotated[Path, typer.Option(help="输出文件（XLSX：排名、细项扣分、问题明细）")],
) -> None:
    """导出准物业月度考核排名：检查扣分、平台指标加减分、得分、排名与服务费扣减，附逐项扣分与问题明细。"""
    from jiexiang.domains.cases.calendars import load_calendar
    from jiexiang.domains.stewardship import service
    from jiexiang.domains.stewardship.presenters import ranking_sheets
    from jiexiang.domains.stewardship.ranking import month_bounds
    from jiexiang.domains.stewardship.rules import load_rules

    month_bounds(month)
    with database() as session:
        calendar = load_calendar(session, get_settings())
        ranked = service.monthly_ranking(session, month=month, scope=Scope(), rules=load_rules(), calendar=calendar)
        out.write_bytes(xlsx_bytes(ranking_sheets(month, ranked)))
        for m in ranked:
            typer.echo(
                f"{m.rank}. {m.contract.unit.name}  得分 {m.score}（检查扣 {m.checklist.deducted}，"
                f"指标 {m.measure_points:+d}）  扣减服务费 {m.withheld} 元"
            )
    typer.echo(f"已导出 {month} 准物业考核排名（{len(ranked)} 家）到 {out}")
