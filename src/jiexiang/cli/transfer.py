"""`jiexiang import …` and `jiexiang export …`: places in and out, and the reports of the 12345 hotline and the
command centre in (each exactly once, what cannot be used quarantined with its reason)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any

import typer

from jiexiang.cli.classify import load_model
from jiexiang.cli.common import command, database, open_engine, progress
from jiexiang.core.config import get_settings
from jiexiang.core.errors import DomainError
from jiexiang.core.geo import CoordinateSystem
from jiexiang.core.time import SystemClock
from jiexiang.domains.accounts.service import Scope
from jiexiang.domains.places import fileio
from jiexiang.domains.places.enums import Layer

import_app = typer.Typer(help="导入数据", no_args_is_help=True)
export_app = typer.Typer(help="导出数据", no_args_is_help=True)


@command(import_app, "places")
def import_places(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="GeoJSON、CSV 或 XLSX 文件")],
    layer: Annotated[Layer | None, typer.Option(help="图层（CSV/GeoJSON 无法从文件名判断时必填）")] = None,
    crs: Annotated[CoordinateSystem, typer.Option(help="文件中坐标的坐标系")] = CoordinateSystem.wgs84,
) -> None:
    """导入社区、街巷、网格、建筑、部件、门牌地址；任何一行有错则整份文件都不导入。"""
    with database() as session:
        report = fileio.import_places(
            session, data=file.read_bytes(), filename=file.name, layer=layer, crs=crs, clock=SystemClock()
        )
    for name, counts in report.counts.items():
        typer.echo(f"{name}: 新增 {counts.created}，更新 {counts.updated}，未变 {counts.unchanged}")


@command(import_app, "hotline")
def import_hotline(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="12345 工单导出（CSV 或 XLSX）")],
    crs: Annotated[CoordinateSystem, typer.Option(help="文件中经纬度的坐标系")] = CoordinateSystem.wgs84,
    model: Annotated[Path | None, typer.Option(help="分类模型（没有问题分类时按内容判断）")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="以一个 JSON 对象输出汇总")] = False,
) -> None:
    """导入 12345 热线工单：同一工单只导入一次，无法使用的行隔离并注明原因。"""
    from jiexiang.ingest import hotline

    _import_reports(file, hotline.read(file, crs=crs), model=model, as_json=as_json)


@command(import_app, "command-centre")
def import_command_centre(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="数字城管案件导出（CSV 或 XLSX）")],
    crs: Annotated[CoordinateSystem, typer.Option(help="坐标系（文件中有“坐标系”列时以该列为准）")] = (
        CoordinateSystem.wgs84
    ),
    as_json: Annotated[bool, typer.Option("--json", help="以一个 JSON 对象输出汇总")] = False,
) -> None:
    """导入数字城管案件：同一案件只导入一次，无法使用的行隔离并注明原因。"""
    from jiexiang.ingest import command_centre

    _import_reports(file, command_centre.read(file, crs=crs), model=None, as_json=as_json)


@command(import_app, "callbacks")
def import_callbacks(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="12345 回访结果（CSV 或 XLSX）")],
) -> None:
    """导入 12345 市级回访结果（工单编号、回访时间、是否联系、是否解决、满意度）：重复导入不会重复记录。"""
    from jiexiang.domains.hotline.service import CityCallback, import_city_callbacks
    from jiexiang.ingest import callbacks

    good: list[CityCallback] = []
    bad: list[callbacks.BadCallback] = []
    for row in callbacks.read(file):
        if isinstance(row, CityCallback):
            good.append(row)
        else:
            bad.append(row)
    with database() as session:
        summary = import_city_callbacks(session, good, now=SystemClock().now())
    typer.echo(summary.describe())
    for problem in bad:
        typer.echo(f"  第 {problem.row_number} 行未导入：{problem.problem}", err=True)


@command(import_app, "households")
def import_households(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="住户名册（CSV 或 XLSX）")],
) -> None:
    """导入社区住户名册（门牌地址、户、户主，可含联系电话、居民代表、居民账号）：以门牌和户识别一户，
    重复导入只改变动；无法使用的行注明原因，其余照常导入。"""
    from jiexiang.domains.places.households import import_roll

    with database() as session:
        summary = import_roll(session, path=file, now=SystemClock().now())
    typer.echo(summary.describe())
    for row, problem in summary.rejected:
        typer.echo(f"  第 {row} 行未导入：{problem}", err=True)


@command(import_app, "gate")
def import_gate(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="道闸出入场记录（CSV 或 XLSX）")],
    lot: Annotated[int, typer.Option("--lot", help="停车场编号（记录属于哪个停车场）")],
) -> None:
    """导入一个停车场道闸的出入场记录（车牌号、入场时间、出场时间，可含记录编号、车位号）：同一记录只导入一次，
    在场车辆的离场由下次导出补上；逐条核对停车证，超时、无证即记违规。"""
    from jiexiang.domains.cases.calendars import load_calendar
    from jiexiang.domains.parking import gate, queries, use
    from jiexiang.domains.parking.rules import rules_of

    records, bad = gate.split(gate.read(file))
    settings = get_settings()
    with database() as session:
        found = queries.get_lot(session, lot_id=lot, scope=Scope())
        judge = use.Judge(load_calendar(session, settings), use.Penalties.of(settings))
        summary = use.import_gate(
            session, lot=found, records=records, rules=rules_of(settings), judge=judge, now=SystemClock().now()
        )
    summary.add_unreadable((row.row_number, row.problem) for row in bad)
    typer.echo(summary.describe())
    for row, problem in summary.rejected:
        typer.echo(f"  第 {row} 行未导入：{problem}", err=True)


def _import_reports(file: Path, items: Iterable[Any], *, model: Path | None, as_json: bool) -> None:
    from jiexiang.ingest.runner import run_import

    classifier = load_model(model) if model else None
    settings = get_settings()
    open_engine(settings).dispose()  # stops here, saying what to do, if the database is not ready
    with progress(enabled=not as_json and sys.stderr.isatty()) as tick:
        summary = run_import(settings, items, file_name=file.name, classifier=classifier, progress=tick)
    typer.echo(json.dumps(summary.as_dict(), ensure_ascii=False) if as_json else summary.describe())


@command(export_app, "places")
def export_places(
    out: Annotated[Path, typer.Option(help="输出文件")],
    layer: Annotated[Layer | None, typer.Option(help="图层；XLSX 不指定则导出全部图层")] = None,
    fmt: Annotated[str, typer.Option("--format", help="geojson / csv / xlsx")] = "geojson",
) -> None:
    """导出地理要素为 GeoJSON、CSV 或 XLSX（可再次导入）。"""
    if fmt not in ("geojson", "csv", "xlsx"):
        raise DomainError("格式应为 geojson、csv 或 xlsx")
    if layer is None and fmt != "xlsx":
        raise DomainError("导出 GeoJSON 或 CSV 时必须用 --layer 指定图层")
    everything = Scope()  # the command line is the administrator's
    with database() as session:
        if fmt == "xlsx":
            data = fileio.export_xlsx(session, layers=[layer] if layer else list(Layer), scope=everything)
        elif fmt == "csv":
            assert layer is not None
            data = fileio.export_csv(session, layer=layer, scope=everything)
        else:
            assert layer is not None
            data = fileio.export_geojson(session, layer=layer, scope=everything)
    out.write_bytes(data)
    typer.echo(f"已导出到 {out}")
