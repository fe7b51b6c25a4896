"""Alembic environment: runs migrations on the URL (or connection) given by `jiexiang.migrations`."""

from __future__ import annotations

from alembic import context

from jiexiang.core.db import create_db_engine
from jiexiang.domains.registry import all_models_metadata

config = context.config
target_metadata = all_models_metadata()


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_db_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as connection:
        _run(connection)
        connection.commit()
    engine.dispose()


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite can only ALTER through table copies
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
