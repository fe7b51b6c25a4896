"""`jiexiang hotline …`: the 接诉即办 work that goes back to the city (the reply file)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated

import typer

from jiexiang.cli.common import command, database
from jiexiang.core.errors import InvalidInput
from jiexiang.core.tables import csv_bytes, xlsx_bytes
from jiexiang.core.time import BEIJING
from jiexiang.domains.accounts.service import Scope

hotline_app = typer.Typer(help="接诉即办：12345 工单", no_args_is_help=True)


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput(f"{option} 应为日期，如 2026-11-01，收到“{text}”") from exc


@command(hotline_app, "export-replies")
def export_replies(
    start: Annotated[str, typer.Option("--from", help="办结日期起（含），如 2026-11-01")],
    end: Annotated[str, typer.Option("--to", help="办结日期止（含），如 2026-11-30")],
    out: Annotated[Path, typer.Option(help="输出文件（.xlsx，或 .csv）")],
) -> None:
    """导出给 12345 平台的答复文件：期间内办结的每张工单一行
    （工单编号、办理结果、答复内容、联系时间、办结时间、承办单位、承办人）。"""
    from jiexiang.domains.hotline.replies import reply_table

    first, last = _day(start, "--from"), _day(end, "--to")
    if last < first:
        raise InvalidInput("--to 不能早于 --from")
    begin = datetime.combine(first, time(), BEIJING).astimezone(UTC)
    after = datetime.combine(last + timedelta(days=1), time(), BEIJING).astimezone(UTC)
    with database() as session:
        table = reply_table(session, start=begin, end=after, scope=Scope())
    out.write_bytes(csv_bytes(table) if out.suffix.lower() == ".csv" else xlsx_bytes([("答复", table)]))
    typer.echo(f"已导出 {len(table) - 1} 张工单的答复到 {out}")
