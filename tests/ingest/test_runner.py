from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from jiexiang import migrations
from jiexiang.core.config import Mode, Settings
from jiexiang.core.db import create_db_engine, create_session_factory, unit_of_work
from jiexiang.core.time import FixedClock
from jiexiang.domains.cases.enums import ReportSource
from jiexiang.domains.cases.models import Report
from jiexiang.ingest import runner
from jiexiang.ingest.incoming import IncomingReport, Rejected
from jiexiang.ingest.runner import run_import
from tests.conftest import NOW, create_empty_database, drop_database
from tests.factories import make_town


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
