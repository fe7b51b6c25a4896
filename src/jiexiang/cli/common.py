"""What every command shares: a domain error is shown as its Chinese message, with exit status 1."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import typer

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
