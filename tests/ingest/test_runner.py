from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from jiexiang import migrations
from jiexiang.api.app import create_app
from jiexiang.core.config import Mode, Settings
from jiexiang.core.db import create_db_engine, create_session_factory, unit_of_work
from jiexiang.core.time import FixedClock
from jiexiang.domains.accounts.enums import Role
from jiexiang.domains.accounts.service import hash_password
from jiexiang.domains.cases.enums import ReportSource
from jiexiang.domains.cases.models import Report
from jiexiang.ingest import runner
from jiexiang.ingest.incoming import IncomingReport, Rejected
from jiexiang.ingest.runner import run_import
from tests.conftest import NOW, create_empty_database, drop_database, serving
from tests.factories import PASSWORD, make_town, make_user


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Settings]:
    url = create_empty_database()
    migrations.upgrade(url)
    settings = Settings(
        mode=Mode.dev, database_url=url, password_time_cost=1, password_memory_kib=64, media_dir=tmp_path
    )
    engine = create_db_engine(url)
    with unit_of_work(create_session_factory(engine)) as session:
        make_town(session, settings, FixedClock(NOW))
    engine.dispose()
    yield settings
    drop_database(url)


def reports(count: int) -> list[IncomingReport | Rejected]:
    rng = random.Random(3)
    return [
        IncomingReport(
            source=ReportSource.hotline,
            external_id=f"R{i}",
            received_at=datetime(2026, 11, 1, tzinfo=UTC) + timedelta(minutes=7 * i),
            text="路灯不亮",
            raw={"id": f"R{i}"},
            source_category="路灯不亮",
            lon=116.367 + rng.random() * 0.006,
            lat=39.9005 + rng.random() * 0.003,
        )
        for i in range(count)
    ]


def stored(settings: Settings) -> int:
    engine = create_db_engine(settings.database_url)
    with unit_of_work(create_session_factory(engine)) as session:
        count = session.scalar(select(func.count()).select_from(Report)) or 0
    engine.dispose()
    return count


def test_an_interrupted_import_keeps_whole_chunks_and_the_next_run_completes_it(
    database: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "CHUNK", 100)
    items = reports(250)

    def dying() -> Iterator[IncomingReport | Rejected]:
        for index, item in enumerate(items):
            if index == 230:
                raise KeyboardInterrupt  # the operator pressed Ctrl-C, or the machine went down
            yield item

    with pytest.raises(KeyboardInterrupt):
        run_import(database, dying(), clock=FixedClock(NOW))
    assert stored(database) == 200  # two whole chunks; nothing of the third
    summary = run_import(database, items, clock=FixedClock(NOW))
    assert (summary.unchanged, summary.created) == (200, 50)
    assert stored(database) == 250


def test_an_import_completes_while_the_server_keeps_answering(database: Settings) -> None:
    """A large import and the server's daily traffic share one database: on SQLite they share its one write
    lock. Signing in (argon2 at its production cost here) must not hold it, nor an import chunk starve others."""
    engine = create_db_engine(database.database_url)
    with unit_of_work(create_session_factory(engine)) as session:
        production = Settings(password_time_cost=3, password_memory_kib=65536)
        make_user(
            session,
            database,
            FixedClock(NOW),
            username="busy_operator",
            role=Role.operator,
        ).password_hash = hash_password(PASSWORD, settings=production)
    engine.dispose()
    answers: list[int] = []
    stop = threading.Event()
    with serving(create_app(database.model_copy(update={"sweep_minutes": 0, "analytics_hours": 0}))) as url:

        def traffic() -> None:
            with httpx.Client(base_url=url, timeout=60) as client:
                while not stop.is_set():
                    login = client.post("/api/auth/token", data={"username": "busy_operator", "password": PASSWORD})
                    answers.append(login.status_code)
                    answers.append(client.get("/api/health").status_code)
                    time.sleep(0.25)

        threads = [threading.Thread(target=traffic) for _ in range(2)]
        for thread in threads:
            thread.start()
        try:
            summary = run_import(database, reports(6000), clock=FixedClock(NOW))
        finally:
            stop.set()
            for thread in threads:
                thread.join(60)
    assert summary.read == 6000 and stored(database) == summary.created > 5000  # (the latest are in the future)
    assert answers and set(answers) == {200}
