from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from jiexiang import migrations
from jiexiang.core.db import create_db_engine
from jiexiang.domains.registry import all_models_metadata
from tests.conftest import create_empty_database, drop_database


@pytest.fixture
def empty_url() -> Iterator[str]:
    url = create_empty_database()
    yield url
    drop_database(url)


def test_migrations_run_up_down_and_up_on_an_empty_database(empty_url: str) -> None:
    migrations.upgrade(empty_url)
    migrations.downgrade(empty_url, "base")
    engine = create_db_engine(empty_url)
    with engine.connect() as connection:
        assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
    migrations.upgrade(empty_url)
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        assert {"alleys", "communities", "components", "users", "user_scopes"} <= tables
        # The migrations and the models describe the same schema.
        diff = compare_metadata(MigrationContext.configure(connection), all_models_metadata())
    engine.dispose()
    assert diff == []


def test_revision_files_are_date_prefixed() -> None:
    names = [p.name for p in (migrations.HERE / "versions").glob("*.py")]
    assert names and all(name[:8].isdigit() and name[8] == "_" for name in names)


def test_changing_a_referenced_table_keeps_the_rows_that_refer_to_it(tmp_path: Path) -> None:
    """SQLite alters a table by copying it and dropping the old one: with foreign keys on, that drop would run
    ON DELETE CASCADE and empty the referring tables (20261206_0019 alters `inspections`, whose findings cascade;
    20261206_0020 alters `users`, whose scopes cascade)."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    migrations.upgrade(url, "20261206_0018")
    engine = create_db_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO alleys (id, code, name, aliases, is_back_alley, length_m, updated_at, geometry,"
            " min_lon, min_lat, max_lon, max_lat) VALUES (1, 'A1', '西交民巷', '[]', 1, 100, '2026-11-01 00:00:00',"
            " '{}', 116.39, 39.90, 116.40, 39.91)"
        )
        connection.exec_driver_sql(
            "INSERT INTO inspections (id, alley_id, kind, version, at) VALUES (1, 1, 'property', 1, '2026-11-02')"
        )
        connection.exec_driver_sql(
            "INSERT INTO inspection_findings (id, inspection_id, item, count, after_complaint, photos, due_at,"
            " fixed_photos) VALUES (1, 1, 'clean.debris', 2, 0, '[]', '2026-11-04', '[]')"
        )
        connection.exec_driver_sql(
            "INSERT INTO users (id, username, full_name, password_hash, role, limited_to_unit, is_active, created_at)"
            " VALUES (1, 'chief', '街巷长', 'x', 'alley_chief', 0, 1, '2026-11-01')"
        )
        connection.exec_driver_sql("INSERT INTO user_scopes (id, user_id, alley_id) VALUES (1, 1, 1)")
    migrations.upgrade(url)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM inspection_findings").scalar() == 1
        assert connection.exec_driver_sql("SELECT count(*) FROM user_scopes").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1  # on again for the application
    engine.dispose()
