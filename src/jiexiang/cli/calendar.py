"""`jiexiang calendar …`: a year's days off and make-up working days, and importing the official notice."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jiexiang.cli.common import command, transaction
from jiexiang.core.config import get_settings
from jiexiang.core.time import SystemClock
from jiexiang.domains.cases import calendars

calendar_app = typer.Typer(help="工作日历：节假日与调休，导入国务院办公厅的年度安排", no_args_is_help=True)
_WEEKDAYS = "一二三四五六日"


@command(calendar_app, "show")
def show(year: Annotated[int, typer.Argument(help="年份，如 2027")]) -> None:
    """列出某年的放假日和调休上班日，并说明是正式安排还是按法定节假日暂定。"""
    settings = get_settings()
    with transaction(settings) as session:
        found = calendars.schedule(calendars.load_calendar(session, settings), year=year)
    if found.official:
        typer.echo(f"{year} 年工作日历：正式（国务院办公厅节假日安排）")
    else:
        typer.echo(
            f"{year} 年工作日历：暂定（按《全国年节及纪念日放假办法》的法定节假日推算，未含调休；"
            f"通知发布后请用 jiexiang calendar import 导入）"
        )
    typer.echo(f"节假日（{len(found.days_off)} 天，普通周末不列出）：")
    for day, name in found.days_off:
        typer.echo(f"  {day.isoformat()} 周{_WEEKDAYS[day.weekday()]}  {name}")
    typer.echo(f"调休上班（{len(found.make_up_days)} 天）：")
    for day in found.make_up_days:
        typer.echo(f"  {day.isoformat()} 周{_WEEKDAYS[day.weekday()]}")
    if not found.make_up_days:
        typer.echo("  无")


@command(calendar_app, "import")
def import_(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="年度安排的 TOML 文件（格式同内置年份）")],
) -> None:
    """导入某年的正式节假日安排（替换暂定日历），并重算受影响的未结案件的处置时限（每件记入案件记录）。"""
    settings = get_settings()
    text = file.read_text(encoding="utf-8")
    with transaction(settings) as session:
        result = calendars.import_notice(
            session, text=text, file_name=file.name, settings=settings, clock=SystemClock(), actor_id=None
        )
    verb = "已更新" if result.replaced else "已导入"
    typer.echo(
        f"{verb} {result.year} 年节假日安排；重算了 {result.cases_changed} 件未结案件的处置时限"
        f"（运行中的服务随即使用新日历）"
    )
