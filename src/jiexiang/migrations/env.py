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
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # SQLite changes a table by copying it and dropping the old one, which, with foreign keys on, runs the
            # ON DELETE actions of every table referring to it (a CASCADE empties them). So, as SQLite's manual
            # says, keys are off while migrating (set outside the transaction, the only place it takes effect) and
            # checked once before the migration commits.
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        _run(connection)
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall() if sqlite else []
        if broken:
            connection.rollback()
            raise RuntimeError(f"迁移后有 {len(broken)} 行外键失效（如 {broken[0]}），已回滚")
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
