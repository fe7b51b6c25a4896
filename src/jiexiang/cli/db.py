"""`jiexiang db …`: the database's structure (Alembic migrations, the same on SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy.engine import make_url

from jiexiang import migrations
from jiexiang.core.config import get_settings

db_app = typer.Typer(help="数据库迁移", no_args_is_help=True)


@db_app.command("upgrade")
def upgrade(revision: Annotated[str, typer.Argument(help="目标版本")] = "head") -> None:
    """把数据库结构升级到最新版本（SQLite 或 PostgreSQL）。"""
    settings = get_settings()
    migrations.upgrade(settings.database_url, revision)
    shown = make_url(settings.database_url).render_as_string(hide_password=True)
    typer.echo(f"数据库已升级到 {revision}：{shown}")


@db_app.command("downgrade")
def downgrade(revision: Annotated[str, typer.Argument(help="目标版本，如 base")]) -> None:
    """把数据库结构降级到指定版本。"""
    migrations.downgrade(get_settings().database_url, revision)
    typer.echo(f"数据库已降级到 {revision}")
