"""`jiexiang workers …` (tracking devices, shifts, the OwnTracks MQTT consumer) and `jiexiang simulate field`
(workers walking the alleys and reporting through the real protocols, for the demo)."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Annotated
from urllib.parse import urlsplit

import typer
from sqlalchemy.orm import Session

from jiexiang.cli.common import command, database, echo_rows, fail, open_engine
from jiexiang.core.config import get_settings
from jiexiang.core.db import create_session_factory
from jiexiang.core.errors import DomainError
from jiexiang.core.events import EventBus
from jiexiang.core.live import LiveHub, relay
from jiexiang.core.time import SystemClock, ensure_aware, to_local
from jiexiang.domains.accounts import service as accounts
from jiexiang.domains.accounts.models import User
from jiexiang.domains.workforce import service as workforce
from jiexiang.domains.workforce.models import Device

workers_app = typer.Typer(help="外勤人员：定位设备、排班、定位接收", no_args_is_help=True)
simulate_app = typer.Typer(help="模拟器（演示用）", no_args_is_help=True)


def _user_named(session: Session, username: str) -> User:
    user = accounts.user_by_username(session, username=username)
    if user is None:
        raise DomainError(f"账号 {username} 不存在")
    return user


@command(workers_app, "add-device")
def add_device(
    username: Annotated[str, typer.Option(help="外勤人员的账号")],
    device_id: Annotated[str, typer.Option(help="Traccar Client / OsmAnd 中设置的设备编号")],
    label: Annotated[str | None, typer.Option(help="备注，如手机型号")] = None,
) -> None:
    """登记一部定位手机：此后它上报的位置记在该人员名下。"""
    with database() as session:
        user = _user_named(session, username)
        workforce.add_device(session, user=user, device_id=device_id, label=label, clock=SystemClock())
        typer.echo(f"已将设备 {device_id} 登记给 {user.full_name}（{user.username}）")


@command(workers_app, "devices")
def devices() -> None:
    """列出已登记的定位设备。"""
    with database() as session:
        echo_rows(
            (d.id, d.device_id, d.user.username, d.user.full_name, _last_seen(d))
            for d in workforce.list_devices(session)
        )


def _last_seen(device: Device) -> str:
    return f"{to_local(device.last_seen_at):%Y-%m-%d %H:%M}" if device.last_seen_at else "从未上报"


@command(workers_app, "shift")
def shift(
    username: Annotated[str, typer.Option(help="外勤人员的账号")],
    start: Annotated[str, typer.Option(help="开始时间（北京时间），如 2026-11-27T08:00")],
    end: Annotated[str, typer.Option(help="结束时间（北京时间）")],
) -> None:
    """排一个班次：在班的人员才会被派发紧急任务。"""
    try:
        starts, ends = (ensure_aware(datetime.fromisoformat(v)) for v in (start, end))
    except ValueError:
        raise DomainError("时间格式应为 2026-11-27T08:00") from None
    with database() as session:
        user = _user_named(session, username)
        workforce.add_shift(session, user=user, starts_at=starts, ends_at=ends, clock=SystemClock())
        typer.echo(f"已为 {user.full_name} 排班：{start} 至 {end}")


@workers_app.command("mqtt")
def mqtt() -> None:
    """单独运行 OwnTracks MQTT 接收（服务设置了 JIEXIANG_MQTT_URL 时已自带，无需另开）。"""
    from jiexiang.domains.workforce.mqtt import OwnTracksSubscriber

    settings = get_settings()
    if not settings.mqtt_url:
        raise fail("请设置 JIEXIANG_MQTT_URL，如 mqtt://user:password@127.0.0.1:1883")
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


@command(simulate_app, "field")
def simulate_field(
    workers: Annotated[int, typer.Option(help="模拟的外勤人员数（网格员、街巷长）")] = 40,
    minutes: Annotated[float, typer.Option(help="模拟的行走时长（分钟）")] = 60,
    url: Annotated[str, typer.Option(help="正在运行的服务地址")] = "http://127.0.0.1:8000",
    speedup: Annotated[float, typer.Option(help="加速倍数：大于 1 时把过去这段时间的行走快速回放")] = 1.0,
    interval: Annotated[float, typer.Option(help="每人每隔多少秒上报一次")] = 10.0,
    password: Annotated[str, typer.Option(help="模拟人员的密码（OwnTracks HTTP 用）")] = "jiexiang-demo",
) -> None:
    """让外勤人员沿街巷行走，通过真实协议（Traccar/OsmAnd、OwnTracks HTTP、OwnTracks MQTT）上报位置。"""
    from jiexiang.demo import simulator

    settings = get_settings()
    with database() as session:
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
