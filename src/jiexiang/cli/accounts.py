"""`jiexiang users …`, `jiexiang units …` and `jiexiang open311 keys …`: accounts, units and the API keys of
outside applications."""

from __future__ import annotations

from typing import Annotated

import typer
from pydantic import ValidationError

from jiexiang.cli.common import command, database, echo_rows
from jiexiang.core.config import get_settings
from jiexiang.core.errors import DomainError
from jiexiang.core.time import SystemClock, to_local
from jiexiang.domains.accounts import service as accounts
from jiexiang.domains.accounts.enums import ROLE_LABELS, Role, UnitKind
from jiexiang.domains.accounts.models import ApiKey
from jiexiang.domains.accounts.schemas import UnitCreate, UserCreate
from jiexiang.domains.places import service as places
from jiexiang.domains.places.enums import Layer

users_app = typer.Typer(help="账号管理", no_args_is_help=True)
units_app = typer.Typer(help="单位管理", no_args_is_help=True)
open311_app = typer.Typer(help="Open311 GeoReport v2 接口", no_args_is_help=True)
keys_app = typer.Typer(help="API 密钥（外部应用提交服务请求时使用）", no_args_is_help=True)
open311_app.add_typer(keys_app, name="keys")


@command(users_app, "create")
def create_user(
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
    with database() as session:
        unit_row = accounts.unit_by_name(session, name=unit) if unit else None
        if unit and unit_row is None:
            raise DomainError(f"单位“{unit}”不存在，请先用 jiexiang units create 创建")
        try:
            data = UserCreate(
                username=username,
                password=password,
                full_name=full_name or username,
                role=role,
                unit_id=unit_row.id if unit_row else None,
                limited_to_unit=limited_to_unit,
                community_ids=places.ids_by_code(session, layer=Layer.communities, codes=community or []),
                alley_ids=places.ids_by_code(session, layer=Layer.alleys, codes=alley or []),
            )
        except ValidationError as exc:
            fields = "、".join(str(e["loc"][0]) for e in exc.errors() if e["loc"])
            raise DomainError(f"输入有误：{fields}（用户名 2–64 位字母数字，密码至少 8 位）") from exc
        user = accounts.create_user(session, data=data, settings=get_settings(), clock=SystemClock())
        typer.echo(f"已创建账号 {user.username}（{ROLE_LABELS[user.role]}）")


@command(units_app, "create")
def create_unit(
    name: Annotated[str, typer.Option(help="单位名称")],
    kind: Annotated[UnitKind, typer.Option(help="单位类型")] = UnitKind.department,
) -> None:
    """新建单位（职能部门、物业公司、专业公司……）。"""
    with database() as session:
        accounts.create_unit(session, data=UnitCreate(name=name, kind=kind), clock=SystemClock())
    typer.echo(f"已创建单位 {name}")


@command(keys_app, "create")
def create_key(name: Annotated[str, typer.Option(help="使用该密钥的应用或单位")]) -> None:
    """发放一个新密钥；密钥只显示这一次，请妥善转交。"""
    with database() as session:
        row, key = accounts.issue_api_key(session, name=name, clock=SystemClock())
        key_id = row.id
    typer.echo(key)
    typer.echo(f"已为“{name}”发放 API 密钥（编号 {key_id}）；密钥只显示这一次。", err=True)


@command(keys_app, "list")
def list_keys() -> None:
    """列出已发放的密钥（只显示开头几位）。"""
    with database() as session:
        echo_rows(
            (k.id, f"{k.prefix}…", k.name, f"{to_local(k.created_at):%Y-%m-%d}", _key_state(k))
            for k in accounts.list_api_keys(session)
        )


def _key_state(key: ApiKey) -> str:
    return f"已停用 {to_local(key.revoked_at):%Y-%m-%d %H:%M}" if key.revoked_at else "有效"


@command(keys_app, "revoke")
def revoke_key(key_id: Annotated[int, typer.Argument(help="密钥编号（见 keys list）")]) -> None:
    """停用一个密钥：此后用它提交的请求都会被拒绝（已提交的保留）。"""
    with database() as session:
        row = accounts.revoke_api_key(session, key_id=key_id, clock=SystemClock())
        typer.echo(f"已停用“{row.name}”的 API 密钥（编号 {row.id}）")
