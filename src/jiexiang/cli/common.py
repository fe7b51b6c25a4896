"""What every command shares: one transaction per command, and a domain error shown as its Chinese message
with exit status 1."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import typer
from sqlalchemy import Engine, inspect
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from jiexiang import migrations
from jiexiang.core.config import Settings
from jiexiang.core.db import create_db_engine, create_session_factory, unit_of_work
from jiexiang.core.errors import DomainError

T = TypeVar("T")


def run(action: Callable[[], T]) -> T:
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


def fail(message: str) -> typer.Exit:
    typer.secho(f"错误：{message}", fg=typer.colors.RED, err=True)
    return typer.Exit(1)


def is_at_head(engine: Engine) -> bool:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return False
        return MigrationContext.configure(connection).get_current_revision() == migrations.current_head()


def open_engine(settings: Settings) -> Engine:
    """An engine on the configured database, once it is reachable and migrated to the latest version; otherwise
    the command stops with what to do (rather than a traceback about a missing table)."""
    engine = create_db_engine(settings.database_url, busy_seconds=settings.db_busy_seconds)
    try:
        ready = is_at_head(engine)
    except SQLAlchemyError as exc:
        engine.dispose()
        raise fail(f"无法连接数据库，请检查 JIEXIANG_DATABASE_URL（{exc.__class__.__name__}）") from exc
    if not ready:
        engine.dispose()
        raise fail("数据库尚未创建或结构不是最新版本，请先运行 jiexiang db upgrade")
    return engine


@contextmanager
def transaction(settings: Settings) -> Iterator[Session]:
    """One command = one transaction on a fresh engine, disposed afterwards (no pooled connection leaks)."""
    engine = open_engine(settings)
    try:
        with unit_of_work(create_session_factory(engine)) as session:
            yield session
    finally:
        engine.dispose()
