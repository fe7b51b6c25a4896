"""The field simulator against a real server on its own database (the server's request threads and its
MQTT consumer write at the same time, as in production), through HTTP and the real MQTT broker."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from jiexiang import migrations
from jiexiang.api.app import create_app
from jiexiang.core.config import Mode, Settings
from jiexiang.core.db import create_db_engine, create_session_factory, unit_of_work
from jiexiang.core.time import FixedClock
from jiexiang.demo import simulator
from jiexiang.domains.workforce.models import LivePosition, Position
from tests.conftest import NOW, create_empty_database, drop_database, serving
from tests.factories import PASSWORD, make_town


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[Settings, str]]:
    url = create_empty_database()
    migrations.upgrade(url)
    base_topic = f"owntracks-sim-{uuid.uuid4().hex[:8]}"
    settings = Settings(
        mode=Mode.dev,
        database_url=url,
        password_time_cost=1,
        password_memory_kib=64,
        media_dir=tmp_path,
        sweep_minutes=0,
        dispatch_sweep_seconds=0,
        mqtt_url="mqtt://127.0.0.1:1883",
        mqtt_base_topic=base_topic,
    )
    engine = create_db_engine(url)
    with unit_of_work(create_session_factory(engine)) as session:
        make_town(session, settings, FixedClock(NOW))
    engine.dispose()
    app = create_app(settings, clock=FixedClock(NOW))
    with serving(app) as base_url:
        assert app.state.owntracks.subscribed.wait(10)
        yield settings, base_url
    drop_database(url)


def test_simulated_workers_walk_and_report_through_every_protocol(server: tuple[Settings, str]) -> None:
    settings, base_url = server
    engine = create_db_engine(settings.database_url)
    factory = create_session_factory(engine)
    with unit_of_work(factory) as session:
        network, walkers = simulator.prepare(session, workers=3, minutes=2, clock=FixedClock(NOW))
    assert sorted(w.protocol for w in walkers) == sorted(simulator.PROTOCOLS)
    outcome = asyncio.run(
        simulator.run(
            network,
            walkers,
            base_url=base_url,
            password=PASSWORD,
            minutes=2,
            interval=10,
            speedup=240,
            mqtt_host="127.0.0.1",
            mqtt_base=settings.mqtt_base_topic,
            now=NOW,
        )
    )
    assert outcome.failed == {} and outcome.sent == 3 * 12
    assert outcome.by_protocol == {"osmand": 12, "owntracks": 12, "mqtt": 12}
    deadline = time.monotonic() + 10  # MQTT messages are applied by the server as they arrive
    while time.monotonic() < deadline:
        with unit_of_work(factory) as session:
            live = session.scalar(select(func.count()).select_from(LivePosition))
            stored = session.scalar(select(func.count()).select_from(Position))
        if live == 3 and stored == 36:
            break
        time.sleep(0.1)
    assert (live, stored) == (3, 36)
    engine.dispose()
    token = httpx.post(f"{base_url}/api/auth/token", data={"username": "operator", "password": PASSWORD}).json()
    workers = httpx.get(
        f"{base_url}/api/workers/live", headers={"Authorization": f"Bearer {token['access_token']}"}
    ).json()
    assert {w["source"] for w in workers} == {"osmand", "owntracks"} and all(w["on_duty"] for w in workers)
