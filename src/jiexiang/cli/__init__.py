"""The `jiexiang` command line: database, imports and exports, accounts, the demo and the server."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from sqlalchemy.orm import Session

from jiexiang import migrations
from jiexiang.cli.analytics import analytics_app
from jiexiang.cli.calendar import calendar_app
from jiexiang.cli.common import open_engine
from jiexiang.cli.common import run as _run
from jiexiang.cli.common import transaction as _transaction
from jiexiang.cli.secrets import secrets_app
from jiexiang.core.config import Mode, Settings, get_settings
from jiexiang.core.db import create_session_factory
from jiexiang.core.errors import DomainError
from jiexiang.core.geo import CoordinateSystem
from jiexiang.core.time import SystemClock
from jiexiang.domains.accounts import service as accounts
from jiexiang.domains.accounts.enums import ROLE_LABELS, Role, UnitKind
from jiexiang.domains.accounts.models import User
from jiexiang.domains.accounts.schemas import UnitCreate, UserCreate
from jiexiang.domains.places import fileio
from jiexiang.domains.places import service as places
from jiexiang.domains.places.enums import Layer

if TYPE_CHECKING:
    from jiexiang.jobs.analytics import RunSummary

app = typer.Typer(help="街巷 Jiexiang — 街道背街小巷治理平台", no_args_is_help=True, add_completion=False)
db_app = typer.Typer(help="数据库迁移", no_args_is_help=True)
import_app = typer.Typer(help="导入数据", no_args_is_help=True)
export_app = typer.Typer(help="导出数据", no_args_is_help=True)
users_app = typer.Typer(help="账号管理", no_args_is_help=True)
units_app = typer.Typer(help="单位管理", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")
app.add_typer(users_app, name="users")
app.add_typer(units_app, name="units")
jobs_app = typer.Typer(help="定时任务（服务运行时也会按设定自动执行）", no_args_is_help=True)
app.add_typer(jobs_app, name="jobs")
classify_app = typer.Typer(
    help="诉求文本分类器：训练、预测、评估（可用本街道的历史数据重新训练）", no_args_is_help=True
)
app.add_typer(classify_app, name="classify")
app.add_typer(analytics_app, name="analytics")
app.add_typer(calendar_app, name="calendar")
app.add_typer(secrets_app, name="secrets")


# ---- database -------------------------------------------------------------------------------------


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="目标版本")] = "head") -> None:
    """把数据库结构升级到最新版本（SQLite 或 PostgreSQL）。"""
    settings = get_settings()
    migrations.upgrade(settings.database_url, revision)
    typer.echo(f"数据库已升级到 {revision}：{_safe_url(settings.database_url)}")


@db_app.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument(help="目标版本，如 base")]) -> None:
    """把数据库结构降级到指定版本。"""
    migrations.downgrade(get_settings().database_url, revision)
    typer.echo(f"数据库已降级到 {revision}")


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


# ---- import / export ------------------------------------------------------------------------------


@import_app.command("places")
def import_places(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="GeoJSON、CSV 或 XLSX 文件")],
    layer: Annotated[Layer | None, typer.Option(help="图层（CSV/GeoJSON 无法从文件名判断时必填）")] = None,
    crs: Annotated[CoordinateSystem, typer.Option(help="文件中坐标的坐标系")] = CoordinateSystem.wgs84,
) -> None:
    """导入社区、街巷、网格、建筑、部件、门牌地址；任何一行有错则整份文件都不导入。"""
    settings = get_settings()

    def body() -> None:
        with _transaction(settings) as session:
            report = fileio.import_places(
                session, data=file.read_bytes(), filename=file.name, layer=layer, crs=crs, clock=SystemClock()
            )
        for name, counts in report.counts.items():
            typer.echo(f"{name}: 新增 {counts.created}，更新 {counts.updated}，未变 {counts.unchanged}")

    _run(body)


@import_app.command("hotline")
def import_hotline(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="12345 工单导出（CSV 或 XLSX）")],
    crs: Annotated[CoordinateSystem, typer.Option(help="文件中经纬度的坐标系")] = CoordinateSystem.wgs84,
    model: Annotated[Path | None, typer.Option(help="分类模型（没有问题分类时按内容判断）")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="以一个 JSON 对象输出汇总")] = False,
) -> None:
    """导入 12345 热线工单：同一工单只导入一次，无法使用的行隔离并注明原因。"""
    from jiexiang.ingest import hotline

    _run(lambda: _import_reports(file, hotline.read(file, crs=crs), model=model, as_json=as_json))


@import_app.command("command-centre")
def import_command_centre(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="数字城管案件导出（CSV 或 XLSX）")],
    crs: Annotated[CoordinateSystem, typer.Option(help="坐标系（文件中有“坐标系”列时以该列为准）")] = (
        CoordinateSystem.wgs84
    ),
    as_json: Annotated[bool, typer.Option("--json", help="以一个 JSON 对象输出汇总")] = False,
) -> None:
    """导入数字城管案件：同一案件只导入一次，无法使用的行隔离并注明原因。"""
    from jiexiang.ingest import command_centre

    _run(lambda: _import_reports(file, command_centre.read(file, crs=crs), model=None, as_json=as_json))


def _import_reports(file: Path, items: Iterable[Any], *, model: Path | None, as_json: bool) -> None:
    import json

    from jiexiang.ingest.runner import run_import

    classifier = _load_model(model) if model else None
    settings = get_settings()
    open_engine(settings).dispose()  # stops here, saying what to do, if the database is not ready
    with _progress(enabled=not as_json and sys.stderr.isatty()) as tick:
        summary = run_import(settings, items, file_name=file.name, classifier=classifier, progress=tick)
    typer.echo(json.dumps(summary.as_dict(), ensure_ascii=False) if as_json else summary.describe())


@contextmanager
def _progress(*, enabled: bool) -> Iterator[Callable[[int], None]]:
    """A row counter on a terminal; nothing when output goes to a file or a pipe."""
    if not enabled:
        yield lambda _count: None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(), TextColumn("已处理 {task.completed:,} 行"), TimeElapsedColumn(), transient=True
    ) as progress:
        task = progress.add_task("import", total=None)
        yield lambda count: progress.update(task, completed=count)


@export_app.command("places")
def export_places(
    out: Annotated[Path, typer.Option(help="输出文件")],
    layer: Annotated[Layer | None, typer.Option(help="图层；XLSX 不指定则导出全部图层")] = None,
    fmt: Annotated[str, typer.Option("--format", help="geojson / csv / xlsx")] = "geojson",
) -> None:
    """导出地理要素为 GeoJSON、CSV 或 XLSX（可再次导入）。"""
    settings = get_settings()
    scope = accounts.Scope()

    def body() -> None:
        if fmt not in ("geojson", "csv", "xlsx"):
            raise DomainError("格式应为 geojson、csv 或 xlsx")
        if layer is None and fmt != "xlsx":
            raise DomainError("导出 GeoJSON 或 CSV 时必须用 --layer 指定图层")
        with _transaction(settings) as session:
            if fmt == "xlsx":
                data = fileio.export_xlsx(session, layers=[layer] if layer else list(Layer), scope=scope)
            elif fmt == "csv":
                assert layer is not None
                data = fileio.export_csv(session, layer=layer, scope=scope)
            else:
                assert layer is not None
                data = fileio.export_geojson(session, layer=layer, scope=scope)
        out.write_bytes(data)
        typer.echo(f"已导出到 {out}")

    _run(body)


# ---- accounts --------------------------------------------------------------------------------------


@users_app.command("create")
def users_create(
    username: Annotated[str, typer.Option(help="用户名")],
    password: Annotated[str, typer.Option(help="密码（至少 8 位）", prompt=True, hide_input=True)],
    role: Annotated[Role, typer.Option(help="角色：" + "，".join(f"{r.value}={ROLE_LABELS[r]}" for r in Role))],
    full_name: Annotated[str | None, typer.Option(help="姓名")] = None,
    unit: Annotated[str | None, typer.Option(help="所属单位名称")] = None,
    limited_to_unit: Annotated[bool, typer.Option(help="只能看到本单位的数据")] = False,
    community: Annotated[list[str] | None, typer.Option(help="限定的社区编码，可重复")] = None,
    alley: Annotated[list[str] | None, typer.Option(help="限定的街巷编码，可重复")] = None,
) -> None:
    """新建账号。"""
    settings = get_settings()

    def body() -> None:
        with _transaction(settings) as session:
            unit_row = accounts.unit_by_name(session, name=unit) if unit else None
            if unit and unit_row is None:
                raise DomainError(f"单位“{unit}”不存在，请先用 jiexiang units create 创建")
            user = accounts.create_user(
                session,
                data=UserCreate(
                    username=username,
                    password=password,
                    full_name=full_name or username,
                    role=role,
                    unit_id=unit_row.id if unit_row else None,
                    limited_to_unit=limited_to_unit,
                    community_ids=places.ids_by_code(session, layer=Layer.communities, codes=community or []),
                    alley_ids=places.ids_by_code(session, layer=Layer.alleys, codes=alley or []),
                ),
                settings=settings,
                clock=SystemClock(),
            )
            typer.echo(f"已创建账号 {user.username}（{ROLE_LABELS[user.role]}）")

    _run(lambda: _validated(body))


def _validated(body: Callable[[], None]) -> None:
    from pydantic import ValidationError

    try:
        body()
    except ValidationError as exc:
        fields = "、".join(str(e["loc"][0]) for e in exc.errors() if e["loc"])
        raise DomainError(f"输入有误：{fields}（用户名 2–64 位字母数字，密码至少 8 位）") from exc


@units_app.command("create")
def units_create(
    name: Annotated[str, typer.Option(help="单位名称")],
    kind: Annotated[UnitKind, typer.Option(help="单位类型")] = UnitKind.department,
) -> None:
    """新建单位（职能部门、物业公司、专业公司……）。"""
    settings = get_settings()

    def body() -> None:
        with _transaction(settings) as session:
            accounts.create_unit(session, data=UnitCreate(name=name, kind=kind), clock=SystemClock())
        typer.echo(f"已创建单位 {name}")

    _run(body)


# ---- text classifier -------------------------------------------------------------------------------


def _labelled_table(data: Path, text_col: str, label_col: str | None) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a CSV, after checking that the named columns exist."""
    from jiexiang.core.tables import read_csv_rows

    rows = read_csv_rows(data.read_bytes())
    if not rows:
        raise DomainError(f"文件 {data} 是空的")
    header = [h.strip() for h in rows[0]]
    for column in (text_col, label_col):
        if column is not None and column not in header:
            raise DomainError(f"文件中没有“{column}”列；现有列：{'、'.join(header)}")
    return header, [r for r in rows[1:] if any(cell.strip() for cell in r)]


def _column(header: list[str], rows: list[list[str]], name: str) -> list[str]:
    index = header.index(name)
    return [row[index] if index < len(row) else "" for row in rows]


@classify_app.command("train")
def classify_train(
    data: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="带标注的 CSV")],
    text_col: Annotated[str, typer.Option(help="文本列名")],
    label_col: Annotated[str, typer.Option(help="类别列名")],
    model: Annotated[Path, typer.Option(help="输出的模型文件")],
    seed: Annotated[int, typer.Option(help="随机种子")] = 0,
) -> None:
    """用带标注的历史诉求训练分类模型。"""
    from jiexiang.ingest.classifier import TextClassifier

    def body() -> None:
        header, rows = _labelled_table(data, text_col, label_col)
        started = time.monotonic()
        try:
            trained = TextClassifier.train(_column(header, rows, text_col), _column(header, rows, label_col), seed=seed)
        except ValueError as exc:
            raise DomainError(f"无法训练：{exc}") from exc
        trained.save(model)
        typer.echo(
            f"已训练：{trained.samples} 条样本，{len(trained.labels)} 个类别，"
            f"用时 {time.monotonic() - started:.1f} 秒；模型保存到 {model}"
        )

    _run(body)


@classify_app.command("predict")
def classify_predict(
    model: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="模型文件")],
    data: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="要分类的 CSV")],
    text_col: Annotated[str, typer.Option(help="文本列名")],
    out: Annotated[Path, typer.Option(help="输出 CSV（原样保留每一行，增加 predicted 和 confidence 两列）")],
) -> None:
    """给 CSV 中每一行预测类别。"""
    import csv

    def body() -> None:
        header, rows = _labelled_table(data, text_col, None)
        predictions = _load_model(model).predict(_column(header, rows, text_col))
        with out.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([*header, "predicted", "confidence"])
            for row, prediction in zip(rows, predictions, strict=True):
                padded = row + [""] * (len(header) - len(row))
                if prediction is None:
                    writer.writerow([*padded, "", ""])
                else:
                    writer.writerow([*padded, prediction.label, f"{prediction.confidence:.4f}"])
        typer.echo(f"已预测 {len(rows)} 行，结果写入 {out}")

    _run(body)


@classify_app.command("evaluate")
def classify_evaluate(
    model: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="模型文件")],
    data: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="带标注的 CSV（不要用训练数据）")],
    text_col: Annotated[str, typer.Option(help="文本列名")],
    label_col: Annotated[str, typer.Option(help="类别列名")],
) -> None:
    """在带标注的数据上评估模型：准确率、宏平均 F1、各类别的精确率/召回率。"""
    from jiexiang.ingest.classifier import evaluate

    def body() -> None:
        header, rows = _labelled_table(data, text_col, label_col)
        try:
            result = evaluate(_load_model(model), _column(header, rows, text_col), _column(header, rows, label_col))
        except ValueError as exc:
            raise DomainError(f"无法评估：{exc}") from exc
        typer.echo(f"样本 {result.evaluated} 条（跳过空文本 {result.skipped_empty} 条）")
        typer.echo(f"accuracy 准确率 {result.accuracy:.4f}    macro-F1 宏平均F1 {result.macro_f1:.4f}")
        typer.echo(f"{'类别':<16}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}")
        for item in result.per_class:
            typer.echo(f"{item.label:<16}{item.precision:>10.3f}{item.recall:>10.3f}{item.f1:>10.3f}{item.support:>10}")

    _run(body)


def _load_model(path: Path):  # type: ignore[no-untyped-def]
    from jiexiang.ingest.classifier import TextClassifier

    try:
        return TextClassifier.load(path)
    except (ValueError, EOFError, OSError) as exc:
        raise DomainError(f"无法读取模型文件 {path}：{exc}") from exc


@jobs_app.command("sla-sweep")
def jobs_sla_sweep() -> None:
    """检查所有未结案件的处置期限：标记临近超期和已超期，并记入案件记录。"""
    from datetime import timedelta

    from jiexiang.domains.cases.jobs import sla_sweep

    settings = get_settings()
    with _transaction(settings) as session:
        tally = sla_sweep(session, now=SystemClock().now(), due_soon=timedelta(hours=settings.due_soon_hours))
    typer.echo(
        f"未结案件：正常 {tally['on_time']}，临近超期 {tally['due_soon']}，已超期 {tally['overdue']}；"
        f"本次状态变化 {tally['changed']} 件"
    )


def _analytics_now(settings: Settings) -> RunSummary:
    """Hotspots, forecasts and warnings computed from the database now, and stored."""
    from jiexiang.jobs import analytics as analytics_job  # heavy (pandas, statsforecast): only when run

    engine = open_engine(settings)
    try:
        return analytics_job.run(create_session_factory(engine), now=SystemClock().now())
    finally:
        engine.dispose()


@jobs_app.command("analytics")
def jobs_analytics() -> None:
    """计算热点、风险排序、周预测和预警，存为最新分析结果（服务运行时也会定时执行）。"""
    summary = _analytics_now(get_settings())
    typer.echo(
        f"分析完成：{summary.events} 个事件，显著热点网格 {summary.hotspots} 个，风险排序 {summary.risk} 行，"
        f"预测 {summary.forecasts} 行，预警 {len(summary.warnings)} 条"
    )


@jobs_app.command("simplify-tracks")
def jobs_simplify_tracks() -> None:
    """把超过保留期（JIEXIANG_POSITIONS_RAW_DAYS）的原始定位抽稀为轨迹形状（服务运行时也会自动执行）。"""
    from datetime import timedelta

    from jiexiang.domains.workforce.jobs import thin_old_tracks

    settings = get_settings()
    engine = open_engine(settings)
    try:
        before = SystemClock().now() - timedelta(days=settings.positions_raw_days)
        kept, removed = thin_old_tracks(create_session_factory(engine), before=before)
    finally:
        engine.dispose()
    typer.echo(f"轨迹抽稀：保留 {kept} 个定位点，删除 {removed} 个")


report_app = typer.Typer(help="报表：考核指标", no_args_is_help=True)
app.add_typer(report_app, name="report")


@report_app.command("assessment")
def report_assessment(
    period: Annotated[str, typer.Option(help="考核期：月份 2026-10 或年份 2026")],
    out: Annotated[Path, typer.Option(help="输出文件")],
    by: Annotated[str, typer.Option(help="unit 处置单位 / community 社区 / alley 街巷 / category 类别")] = "unit",
    fmt: Annotated[str, typer.Option("--format", help="xlsx 或 csv")] = "xlsx",
) -> None:
    """导出考核指标表（结案率、按期结案率、返工率、平均处置时长、综合得分与等级）。"""
    import csv

    from jiexiang.core.tables import xlsx_bytes
    from jiexiang.domains.accounts.service import Scope
    from jiexiang.domains.cases import assessment
    from jiexiang.domains.cases.calendars import load_calendar

    settings = get_settings()

    def body() -> None:
        if by not in assessment.DIMENSIONS or fmt not in ("xlsx", "csv"):
            raise DomainError("--by 应为 unit、community、alley 或 category；--format 应为 xlsx 或 csv")
        start, end = assessment.period_bounds(period)
        with _transaction(settings) as session:
            calendar = load_calendar(session, settings)
            rows = assessment.assess(session, start=start, end=end, by=by, calendar=calendar, scope=Scope())
        table = assessment.as_table(rows, by)
        if fmt == "csv":
            with out.open("w", encoding="utf-8-sig", newline="") as handle:
                csv.writer(handle).writerows(table)
        else:
            out.write_bytes(xlsx_bytes([(f"考核 {period}", table)]))
        typer.echo(f"已导出 {period} 考核指标（{len(rows)} 行）到 {out}")

    _run(body)


# ---- Open311 --------------------------------------------------------------------------------------

open311_app = typer.Typer(help="Open311 GeoReport v2 接口", no_args_is_help=True)
keys_app = typer.Typer(help="API 密钥（外部应用提交服务请求时使用）", no_args_is_help=True)
open311_app.add_typer(keys_app, name="keys")
app.add_typer(open311_app, name="open311")


@keys_app.command("create")
def keys_create(name: Annotated[str, typer.Option(help="使用该密钥的应用或单位")]) -> None:
    """发放一个新密钥；密钥只显示这一次，请妥善转交。"""
    settings = get_settings()

    def body() -> None:
        with _transaction(settings) as session:
            row, key = accounts.issue_api_key(session, name=name, clock=SystemClock())
            key_id = row.id
        typer.echo(key)
        typer.echo(f"已为“{name}”发放 API 密钥（编号 {key_id}）；密钥只显示这一次。", err=True)

    _run(body)


@keys_app.command("list")
def keys_list() -> None:
    """列出已发放的密钥（只显示开头几位）。"""
    from jiexiang.core.time import to_local

    settings = get_settings()

    def body() -> None:
        with _transaction(settings) as session:
            for row in accounts.list_api_keys(session):
                state = f"已停用 {to_local(row.revoked_at):%Y-%m-%d %H:%M}" if row.revoked_at else "有效"
                typer.echo(f"{row.id}\t{row.prefix}…\t{row.name}\t{to_local(row.created_at):%Y-%m-%d}\t{state}")

    _run(body)


@keys_app.command("revoke")
def keys_revoke(key_id: Annotated[int, typer.Argument(help="密钥编号（见 keys list）")]) -> None:
    """停用一个密钥：此后用它提交的请求都会被拒绝（已提交的保留）。"""
    settings = get_settings()

    def body() -> None:
        with _transaction(settings) as session:
            row = accounts.revoke_api_key(session, key_id=key_id, clock=SystemClock())
            typer.echo(f"已停用“{row.name}”的 API 密钥（编号 {row.id}）")

    _run(body)


# ---- field force -----------------------------------------------------------------------------------

workers_app = typer.Typer(help="外勤人员：定位设备、排班、定位接收", no_args_is_help=True)
app.add_typer(workers_app, name="workers")


def _user_named(session: Session, username: str) -> User:
    user = accounts.user_by_username(session, username=username)
    if user is None:
        raise DomainError(f"账号 {username} 不存在")
    return user


@workers_app.command("add-device")
def workers_add_device(
    username: Annotated[str, typer.Option(help="外勤人员的账号")],
    device_id: Annotated[str, typer.Option(help="Traccar Client / OsmAnd 中设置的设备编号")],
    label: Annotated[str | None, typer.Option(help="备注，如手机型号")] = None,
) -> None:
    """登记一部定位手机：此后它上报的位置记在该人员名下。"""
    from jiexiang.domains.workforce import service as workforce

    settings = get_settings()

    def body() -> None:
        with _transaction(settings) as session:
            user = _user_named(session, username)
            workforce.add_device(session, user=user, device_id=device_id, label=label, clock=SystemClock())
            typer.echo(f"已将设备 {device_id} 登记给 {user.full_name}（{user.username}）")

    _run(body)


@workers_app.command("devices")
def workers_devices() -> None:
    """列出已登记的定位设备。"""
    from jiexiang.core.time import to_local
    from jiexiang.domains.workforce import service as workforce

    settings = get_settings()

    def body() -> None:
        with _transaction(settings) as session:
            for d in workforce.list_devices(session):
                seen = f"{to_local(d.last_seen_at):%Y-%m-%d %H:%M}" if d.last_seen_at else "从未上报"
                typer.echo(f"{d.id}\t{d.device_id}\t{d.user.username}\t{d.user.full_name}\t{seen}")

    _run(body)


@workers_app.command("shift")
def workers_shift(
    username: Annotated[str, typer.Option(help="外勤人员的账号")],
    start: Annotated[str, typer.Option(help="开始时间（北京时间），如 2026-11-27T08:00")],
    end: Annotated[str, typer.Option(help="结束时间（北京时间）")],
) -> None:
    """排一个班次：在班的人员才会被派发紧急任务。"""
    from datetime import datetime

    from jiexiang.core.time import ensure_aware
    from jiexiang.domains.workforce import service as workforce

    settings = get_settings()

    def body() -> None:
        try:
            starts, ends = (ensure_aware(datetime.fromisoformat(v)) for v in (start, end))
        except ValueError:
            raise DomainError("时间格式应为 2026-11-27T08:00") from None
        with _transaction(settings) as session:
            user = _user_named(session, username)
            workforce.add_shift(session, user=user, starts_at=starts, ends_at=ends, clock=SystemClock())
            typer.echo(f"已为 {user.full_name} 排班：{start} 至 {end}")

    _run(body)


@workers_app.command("mqtt")
def workers_mqtt() -> None:
    """单独运行 OwnTracks MQTT 接收（服务设置了 JIEXIANG_MQTT_URL 时已自带，无需另开）。"""
    from jiexiang.core.events import EventBus
    from jiexiang.core.live import LiveHub, relay
    from jiexiang.domains.workforce.mqtt import OwnTracksSubscriber

    settings = get_settings()
    if not settings.mqtt_url:
        typer.secho(
            "错误：请设置 JIEXIANG_MQTT_URL，如 mqtt://user:password@127.0.0.1:1883", fg=typer.colors.RED, err=True
        )
        raise typer.Exit(1)
    bus = EventBus()
    relay(bus, LiveHub(settings.redis_url))  # with Redis, what arrives here reaches the maps of every server
    engine = open_engine(settings)
    subscriber = OwnTracksSubscriber(
        settings.mqtt_url,
        base_topic=settings.mqtt_base_topic,
        session_factory=create_session_factory(engine, bus=bus),
        clock=SystemClock(),
    )
    typer.echo(f"正在接收 {settings.mqtt_base_topic}/+/+ 上的 OwnTracks 定位（Ctrl-C 结束）")
    try:
        subscriber.run_forever()
    except KeyboardInterrupt:
        pass
    finally:
        engine.dispose()


simulate_app = typer.Typer(help="模拟器（演示用）", no_args_is_help=True)
app.add_typer(simulate_app, name="simulate")


@simulate_app.command("field")
def simulate_field(
    workers: Annotated[int, typer.Option(help="模拟的外勤人员数（网格员、街巷长）")] = 40,
    minutes: Annotated[float, typer.Option(help="模拟的行走时长（分钟）")] = 60,
    url: Annotated[str, typer.Option(help="正在运行的服务地址")] = "http://127.0.0.1:8000",
    speedup: Annotated[float, typer.Option(help="加速倍数：大于 1 时把过去这段时间的行走快速回放")] = 1.0,
    interval: Annotated[float, typer.Option(help="每人每隔多少秒上报一次")] = 10.0,
    password: Annotated[str, typer.Option(help="模拟人员的密码（OwnTracks HTTP 用）")] = "jiexiang-demo",
) -> None:
    """让外勤人员沿街巷行走，通过真实协议（Traccar/OsmAnd、OwnTracks HTTP、OwnTracks MQTT）上报位置。"""
    import asyncio
    from urllib.parse import urlsplit

    from jiexiang.demo import simulator

    settings = get_settings()

    def body() -> None:
        with _transaction(settings) as session:
            try:
                network, walkers = simulator.prepare(session, workers=workers, minutes=minutes, clock=SystemClock())
            except ValueError as error:
                raise DomainError(str(error)) from error
        broker = urlsplit(settings.mqtt_url) if settings.mqtt_url else None
        typer.echo(f"{len(walkers)} 人开始行走 {minutes:g} 分钟（加速 {speedup:g} 倍），上报到 {url}")
        outcome = asyncio.run(
            simulator.run(
                network,
                walkers,
                base_url=url,
                password=password,
                minutes=minutes,
                interval=interval,
                speedup=speedup,
                mqtt_host=broker.hostname if broker else None,
                mqtt_port=(broker.port or 1883) if broker else 1883,
                mqtt_base=settings.mqtt_base_topic,
            )
        )
        protocols = "，".join(f"{k} {v}" for k, v in sorted(outcome.by_protocol.items()))
        failed = f"；失败 {outcome.failed}" if outcome.failed else ""
        typer.echo(f"已上报 {outcome.sent} 个位置（{protocols}），用时 {outcome.seconds:.1f} 秒{failed}")

    _run(body)


# ---- serving ---------------------------------------------------------------------------------------


def _serve(settings: Settings, host: str, port: int, osmand_port: int | None = None) -> None:
    import asyncio

    import uvicorn

    from jiexiang.api.app import create_app, create_osmand_app

    application = _run(lambda: create_app(settings))
    typer.echo(f"街巷 Jiexiang 已启动：http://{host}:{port}  （接口文档 http://{host}:{port}/docs）")
    if osmand_port is None:
        uvicorn.run(application, host=host, port=port, log_level="info")
        return
    typer.echo(f"Traccar Client / OsmAnd 定位上报：http://{host}:{osmand_port}/")
    servers = [
        uvicorn.Server(uvicorn.Config(application, host=host, port=port, log_level="info")),
        uvicorn.Server(uvicorn.Config(create_osmand_app(application), host=host, port=osmand_port, lifespan="off")),
    ]

    async def both() -> None:
        await asyncio.gather(*(server.serve() for server in servers))

    asyncio.run(both())


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="监听地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="端口")] = 8000,
    osmand_port: Annotated[
        int | None, typer.Option(help="另开一个端口在“/”接收 Traccar Client / OsmAnd 定位（惯例 5055）")
    ] = None,
) -> None:
    """启动服务，使用数据库中已有的数据。"""
    settings = get_settings()
    _ready_to_serve(settings)
    _serve(settings, host, port, osmand_port)


def _ready_to_serve(settings: Settings) -> None:
    """Stop here, saying what to do, if the database is not migrated or its personal data cannot be read."""
    from jiexiang.api.app import check_stored_data

    engine = open_engine(settings)
    try:
        _run(lambda: check_stored_data(create_session_factory(engine), settings))
    finally:
        engine.dispose()


@app.command()
def demo(
    host: Annotated[str, typer.Option(help="监听地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="端口")] = 8000,
    seed: Annotated[int, typer.Option(help="随机种子（相同种子生成相同的演示数据）")] = 20261126,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="只生成数据，不启动服务")] = False,
    walkers: Annotated[int, typer.Option(help="模拟外勤人员数：沿街巷行走并实时上报位置（0 为不模拟）")] = 12,
) -> None:
    """生成演示街道（数据库为空时）并启动服务。演示数据均为程序生成的虚拟数据。"""
    from jiexiang.demo.build import build_demo, is_empty
    from jiexiang.demo.people import DEMO_PASSWORD

    settings = get_settings().model_copy(update={"mode": Mode.demo})
    started = time.monotonic()
    migrations.upgrade(settings.database_url)
    with _transaction(settings) as session:
        if is_empty(session):
            typer.echo("正在生成演示街道（虚拟数据）……")
            summary = build_demo(session, settings=settings, clock=SystemClock(), seed=seed)
            typer.echo("已生成：" + "，".join(f"{k} {v}" for k, v in summary.counts.items()))
            generated = True
        else:
            typer.echo("数据库中已有数据，直接启动。")
            generated = False
    if generated:  # so that the first look at the map already has its hotspots, forecasts and warnings
        typer.echo("正在计算热点、预测和预警……")
        _analytics_now(settings)
    typer.echo(
        f"准备用时 {time.monotonic() - started:.1f} 秒。演示账号：admin、operator、dispatcher、"
        f"handler_water、steward、resident、chief01…、grid01…，密码均为 {DEMO_PASSWORD}"
    )
    if not no_serve:
        _ready_to_serve(settings)
        if walkers > 0:
            _walk_in_background(settings, url=f"http://{host}:{port}", workers=walkers, password=DEMO_PASSWORD)
        _serve(settings, host, port)


def _walk_in_background(settings: Settings, *, url: str, workers: int, password: str) -> None:
    """The demo's field force: grid workers and alley chiefs walking the alleys and reporting through the real
    protocols to the server being started, as long as it runs. The last half hour is replayed quickly, so
    that the map has trails and walked alleys at once; after that they walk in real time."""
    import asyncio
    import threading

    import httpx

    from jiexiang.demo import simulator

    def walk() -> None:
        for _ in range(120):  # wait for the server to answer
            try:
                if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        minutes, speedup = 30.0, 90.0  # the last half hour in 20 seconds, then walking live an hour at a time
        try:
            while True:
                with _transaction(settings) as session:
                    network, people = simulator.prepare(session, workers=workers, minutes=minutes, clock=SystemClock())
                asyncio.run(
                    simulator.run(network, people, base_url=url, password=password, minutes=minutes, speedup=speedup)
                )
                minutes, speedup = 60.0, 1.0
        except Exception:  # the demo's walkers are scenery: the server goes on without them
            logging.getLogger(__name__).exception("demo walkers stopped")

    threading.Thread(target=walk, name="demo-walkers", daemon=True).start()


def main() -> None:  # pragma: no cover - console entry point
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    app()
