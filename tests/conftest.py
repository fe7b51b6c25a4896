"""Test fixtures: a real database (SQLite by default, PostgreSQL when JIEXIANG_TEST_DATABASE_URL says so),
migrated once per run with Alembic, and one rolled-back transaction per test."""

from __future__ import annotations

import os
import socket
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from jiexiang import migrations
from jiexiang.api.app import create_app
from jiexiang.cli import app as cli_app
from jiexiang.core.config import Mode, Settings, get_settings
from jiexiang.core.db import create_db_engine
from jiexiang.core.time import FixedClock, WorkCalendar
from jiexiang.domains.accounts.enums import Role
from jiexiang.domains.cases import workflow
from jiexiang.domains.cases.enums import Action
from jiexiang.domains.cases.models import Case, Report
from jiexiang.ingest import hotline
from jiexiang.ingest.service import Intake
from tests.factories import Town, make_town, make_user
from tests.helpers import ORDERS

# Beijing 10:00 on Thursday 2026-11-26.
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


def _backend_url() -> str | None:
    return os.environ.get("JIEXIANG_TEST_DATABASE_URL") or None


def create_empty_database() -> str:
    """A new, empty database on the backend under test; returns its URL."""
    base = _backend_url()
    if base is None:
        path = Path(tempfile.mkdtemp(prefix="jiexiang-test-")) / "test.db"
        return f"sqlite:///{path}"
    url = make_url(base)
    name = f"jiexiang_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def drop_database(database_url: str) -> None:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        Path(url.database or "").unlink(missing_ok=True)
        return
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    url = create_empty_database()
    migrations.upgrade(url)
    yield url
    drop_database(url)


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_db_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    connection = engine.connect()
    transaction = connection.begin()
    yield connection
    transaction.rollback()
    connection.close()


@pytest.fixture
def session_factory(connection: Connection) -> sessionmaker[Session]:
    # Commits inside the code under test only release savepoints; the outer transaction is rolled back.
    return sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)


@pytest.fixture
def session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    session = session_factory()
    yield session
    session.close()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    # Cheap argon2 parameters: the tests check behaviour, not hashing cost.
    return Settings(
        mode=Mode.dev,
        database_url=database_url,
        password_time_cost=1,
        password_memory_kib=64,
        media_dir=tmp_path / "media",
        sweep_minutes=0,  # tests run the sweeps and jobs themselves
        dispatch_sweep_seconds=0,
        analytics_hours=0,
        web_dir=tmp_path / "web",  # no front end unless a test builds one there
    )


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def app(settings: Settings, clock: FixedClock, engine: Engine, connection: Connection) -> FastAPI:
    app = create_app(settings, clock=clock, engine=engine)
    # The app's own factories (delivering events, shared with its jobs), on the test's connection.
    for factory in (app.state.session_factory, app.state.read_session_factory):
        factory.configure(bind=connection, join_transaction_mode="create_savepoint")
    return app


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """`app` served by uvicorn on a free local port, for tests that drive it with real HTTP clients (and
    with its start-up run, e.g. the MQTT consumer). Yields its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def live_server(app: FastAPI) -> Iterator[str]:
    with serving(app) as url:
        yield url


_runner = CliRunner()


@pytest.fixture
def database(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An empty database of its own for the command line, named by the environment as a user's would be."""
    url = create_empty_database()
    monkeypatch.setenv("JIEXIANG_DATABASE_URL", url)
    monkeypatch.setenv("JIEXIANG_PASSWORD_TIME_COST", "1")
    monkeypatch.setenv("JIEXIANG_PASSWORD_MEMORY_KIB", "64")
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()
    drop_database(url)


def invoke(*args: str) -> tuple[int, str]:
    """Run `jiexiang ARGS…`; its exit code and what it printed."""
    result = _runner.invoke(cli_app, list(args))
    return result.exit_code, result.output


@pytest.fixture
def town(session: Session, settings: Settings, clock: FixedClock) -> Town:
    """The test town of `tests/factories.py`, committed (the API's own sessions see it)."""
    town = make_town(session, settings, clock)
    session.commit()
    return town


@pytest.fixture
def cases(session: Session, settings: Settings, clock: FixedClock, tmp_path: Path) -> tuple[Town, dict[str, int]]:
    town = make_town(session, settings, clock)
    make_user(
        session,
        settings,
        clock,
        username="lights_steward",
        role=Role.steward,
        unit_id=town.ids["lights"],
        limited_to_unit=True,
    )
    path = tmp_path / "orders.csv"
    path.write_text(ORDERS, "utf-8")
    intake = Intake(session, settings=settings, clock=clock)
    for item in hotline.read(path):
        intake.apply(item)
    ids = dict(session.execute(select(Report.external_id, Report.case_id)).all())
    calendar = WorkCalendar.load(working_hours=settings.working_hours)
    for name, unit in (("C1", "water"), ("C2", "lights")):
        case = session.get(Case, ids[name])
        assert case is not None
        for action, actor, extra in ((Action.register, "operator", {}), (Action.dispatch, "dispatcher", {})):
            workflow.transition(
                session,
                case=case,
                action=action,
                actor=town.users[actor],
                clock=clock,
                calendar=calendar,
                unit_id=town.ids[unit] if action is Action.dispatch else None,
                **extra,
            )
    session.commit()
    return town, ids
