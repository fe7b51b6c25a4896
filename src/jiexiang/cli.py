"""The `jiexiang` command line: database, imports and exports, accounts, the demo and the server."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from sqlalchemy import inspect
from sqlalchemy.orm import Session

from jiexiang import migrations
from jiexiang.core.config import Mode, Settings, get_settings
from jiexiang.core.db import create_db_engine, create_session_factory, unit_of_work
from jiexiang.core.errors import DomainError
from jiexiang.core.geo import CoordinateSystem
from jiexiang.core.time import SystemClock
from jiexiang.domains.accounts import service as accounts
from jiexiang.domains.accounts.enums import ROLE_LABELS, Role, UnitKind
from jiexiang.domains.accounts.schemas import UnitCreate, UserCreate
from jiexiang.domains.places import fileio
from jiexiang.domains.places import service as places
from jiexiang.domains.places.enums import Layer

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

T = TypeVar("T")


def _run(action: Callable[[], T]) -> T:
    """Run a command body; a domain error becomes its Chinese message and exit status 1."""
    try:
        return action()
    except DomainError as exc:
        typer.secho(f"错误：{exc.message}", fg=typer.colors.RED, err=True)
        if isinstance(exc.details, list):
            for item in exc.details[:50]:
                if isinstance(item, dict) and "row" in item:
                    field = f"，字段“{item['field']}”" if item.get("field") else ""
                    typer.echo(f"  {item['layer']} 第 {item['row']} 行{field}：{item['message']}", err=True)
        raise typer.Exit(1) from exc


@contextmanager
def _transaction(settings: Settings) -> Iterator[Session]:
    """One command = one transaction on a fresh engine, disposed afterwards (no pooled connection leaks)."""
    engine = create_db_engine(settings.database_url)
    try:
        with unit_of_work(create_session_factory(engine)) as session:
            yield session
    finally:
        engine.dispose()


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


def _is_at_head(settings: Settings) -> bool:
    from alembic.runtime.migration import MigrationContext

    engine = create_db_engine(settings.database_url)
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table("alembic_version"):
                return False
            return MigrationContext.configure(connection).get_current_revision() == migrations.current_head()
    finally:
        engine.dispose()


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


# ---- serving ---------------------------------------------------------------------------------------


def _serve(settings: Settings, host: str, port: int) -> None:
    import uvicorn

    from jiexiang.api.app import create_app

    application = _run(lambda: create_app(settings))
    typer.echo(f"街巷 Jiexiang 已启动：http://{host}:{port}  （接口文档 http://{host}:{port}/docs）")
    uvicorn.run(application, host=host, port=port, log_level="info")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="监听地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="端口")] = 8000,
) -> None:
    """启动服务，使用数据库中已有的数据。"""
    settings = get_settings()
    if not _is_at_head(settings):
        typer.secho("错误：数据库结构不是最新版本，请先运行 jiexiang db upgrade", fg=typer.colors.RED, err=True)
        raise typer.Exit(1)
    _serve(settings, host, port)


@app.command()
def demo(
    host: Annotated[str, typer.Option(help="监听地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="端口")] = 8000,
    seed: Annotated[int, typer.Option(help="随机种子（相同种子生成相同的演示数据）")] = 20261126,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="只生成数据，不启动服务")] = False,
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
        else:
            typer.echo("数据库中已有数据，直接启动。")
    typer.echo(
        f"准备用时 {time.monotonic() - started:.1f} 秒。演示账号：admin、operator、dispatcher、"
        f"handler_water、steward、resident、chief01…、grid01…，密码均为 {DEMO_PASSWORD}"
    )
    if not no_serve:
        _serve(settings, host, port)


def main() -> None:  # pragma: no cover - console entry point
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    app()
