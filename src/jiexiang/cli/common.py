"""What every command shares: `@command` (a domain error is shown as its Chinese message, exit status 1),
`database()` (the configured database, migrated, one transaction), `open_engine` for longer work, and a
`progress` counter on terminals."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import typer
from sqlalchemy import Engine, inspect
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from jiexiang import migrations
from jiexiang.core.config import Settings, get_settings
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


def command(group: typer.Typer, name: str | None = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the function as `group`'s command `name`, run through `run`."""

    def register(function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            return run(lambda: function(*args, **kwargs))

        group.command(name)(wrapper)
        return function

    return register


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


@contextmanager
def database() -> Iterator[Session]:
    """A transaction on the configured database (JIEXIANG_DATABASE_URL)."""
    with transaction(get_settings()) as session:
        yield session


@contextmanager
def progress(*, enabled: bool) -> Iterator[Callable[[int], None]]:
    """A row counter on a terminal; nothing when output goes to a file or a pipe."""
    if not enabled:
        yield lambda _count: None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(), TextColumn("已处理 {task.completed:,} 行"), TimeElapsedColumn(), transient=True
    ) as bar:
        task = bar.add_task("import", total=None)
        yield lambda count: bar.update(task, completed=count)


def echo_rows(rows: Iterable[Sequence[object]]) -> None:
    """Rows as tab-separated lines, for listings a shell script can cut."""
    for row in rows:
        typer.echo("\t".join(str(cell) for cell in row))
