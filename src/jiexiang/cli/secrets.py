"""`jiexiang secrets rotate`: seal the stored personal data again under the current secret key."""

from __future__ import annotations

import typer

from jiexiang.cli.common import command, open_engine
from jiexiang.core.config import get_settings
from jiexiang.core.db import create_session_factory
from jiexiang.core.protect import protector
from jiexiang.domains.cases.sealing import reseal

secrets_app = typer.Typer(help="密钥：更换 JIEXIANG_SECRET_KEY 后重新加密已存储的个人信息", no_args_is_help=True)


@command(secrets_app, "rotate")
def rotate() -> None:
    """用当前密钥重新加密来电人姓名和电话（原密钥须在 JIEXIANG_PREVIOUS_SECRET_KEYS 中），可重复运行。"""
    settings = get_settings()
    engine = open_engine(settings)
    try:
        with create_session_factory(engine)() as session:
            tally = reseal(session, protector(settings.secret_key, settings.previous_keys), commit=session.commit)
    finally:
        engine.dispose()
    typer.echo(
        f"重新加密 {tally['resealed']} 项，已是当前密钥 {tally['current']} 项，无法解密 {tally['unreadable']} 项"
    )
    if tally["unreadable"]:
        typer.echo(
            "无法解密的项用当前密钥和 JIEXIANG_PREVIOUS_SECRET_KEYS 都打不开：若还有更早的密钥，请加入该变量后重新运行",
            err=True,
        )
