from __future__ import annotations

from collections.abc import Iterator

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
