"""`jiexiang serve` and `jiexiang demo` (the README's first command): the server, and the demo subdistrict
generated on an empty database, with walkers reporting positions while it runs."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from typing import Annotated

import typer

from jiexiang import migrations
from jiexiang.cli.common import open_engine, run, transaction
from jiexiang.cli.jobs import run_job
from jiexiang.core.config import Mode, Settings, get_settings
from jiexiang.core.db import create_session_factory
from jiexiang.core.time import SystemClock

log = logging.getLogger(__name__)


def serve(
    host: Annotated[str, typer.Option(help="监听地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="端口")] = 8000,
    osmand_port: Annotated[
        int | None, typer.Option(help="另开一个端口在“/”接收 Traccar Client / OsmAnd 定位（惯例 5055）")
    ] = None,
) -> None:
    """启动服务，使用数据库中已有的数据。"""
    settings = get_settings()
    _ready_to_serve(settings)
    _serve(settings, host, port, osmand_port)


def demo(
    host: Annotated[str, typer.Option(help="监听地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="端口")] = 8000,
    seed: Annotated[int, typer.Option(help="随机种子（相同种子生成相同的演示数据）")] = 20261126,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="只生成数据，不启动服务")] = False,
    walkers: Annotated[int, typer.Option(help="模拟外勤人员数：沿街巷行走并实时上报位置（0 为不模拟）")] = 12,
) -> None:
    """生成演示街道（数据库为空时）并启动服务。演示数据均为程序生成的虚拟数据。"""
    from jiexiang.demo.build import build_demo, is_empty
    from jiexiang.demo.people import DEMO_PASSWORD

    settings = get_settings().model_copy(update={"mode": Mode.demo})
    started = time.monotonic()
    migrations.upgrade(settings.database_url)
    with transaction(settings) as session:
        generated = is_empty(session)
        if generated:
            typer.echo("正在生成演示街道（虚拟数据）……")
            summary = build_demo(session, settings=settings, clock=SystemClock(), seed=seed)
            typer.echo("已生成：" + "，".join(f"{k} {v}" for k, v in summary.counts.items()))
        else:
            typer.echo("数据库中已有数据，直接启动。")
    if generated:  # so that the first look at the map already has its hotspots, forecasts and warnings
        typer.echo("正在计算热点、预测和预警……")
        run_job("analytics")
    typer.echo(
        f"准备用时 {time.monotonic() - started:.1f} 秒。演示账号：admin、operator、dispatcher、"
        f"handler_water、steward、cleaner、volunteer、resident、chief01…、grid01…，密码均为 {DEMO_PASSWORD}"
    )
    if not no_serve:
        _ready_to_serve(settings)
        if walkers > 0:
            _walk_in_background(settings, url=f"http://{host}:{port}", workers=walkers, password=DEMO_PASSWORD)
        _serve(settings, host, port)


def _ready_to_serve(settings: Settings) -> None:
    """Stop here, saying what to do, if the database is not migrated or its personal data cannot be read."""
    from jiexiang.api.app import check_stored_data

    engine = open_engine(settings)
    try:
        run(lambda: check_stored_data(create_session_factory(engine), settings))
    finally:
        engine.dispose()


def _serve(settings: Settings, host: str, port: int, osmand_port: int | None = None) -> None:
    import uvicorn

    from jiexiang.api.app import create_app, create_osmand_app

    application = run(lambda: create_app(settings))
    typer.echo(f"街巷 Jiexiang 已启动：http://{host}:{port}  （接口文档 http://{host}:{port}/docs）")
    if osmand_port is None:
        uvicorn.run(application, host=host, port=port, log_level="info")
        return
    typer.echo(f"Traccar Client / OsmAnd 定位上报：http://{host}:{osmand_port}/")
    servers = [
        uvicorn.Server(uvicorn.Config(application, host=host, port=port, log_level="info")),
        uvicorn.Server(uvicorn.Config(create_osmand_app(application), host=host, port=osmand_port, lifespan="off")),
    ]

    async def both() -> None:
        await asyncio.gather(*(server.serve() for server in servers))

    asyncio.run(both())


def _walk_in_background(settings: Settings, *, url: str, workers: int, password: str) -> None:
    """The demo's field force: grid workers and alley chiefs walking the alleys and reporting through the real
    protocols to the server being started, as long as it runs. The last half hour is replayed quickly, so
    that the map has trails and walked alleys at once; after that they walk in real time."""
    import httpx

    from jiexiang.demo import simulator

    def walk() -> None:
        for _ in range(120):  # wait for the server to answer
            try:
                if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        minutes, speedup = 30.0, 90.0  # the last half hour in 20 seconds, then walking live an hour at a time
        try:
            while True:
                with transaction(settings) as session:
                    network, people = simulator.prepare(session, workers=workers, minutes=minutes, clock=SystemClock())
                asyncio.run(
                    simulator.run(network, people, base_url=url, password=password, minutes=minutes, speedup=speedup)
                )
                minutes, speedup = 60.0, 1.0
        except Exception:  # the demo's walkers are scenery: the server goes on without them
            log.exception("demo walkers stopped")

    threading.Thread(target=walk, name="demo-walkers", daemon=True).start()
