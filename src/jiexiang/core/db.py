"""Database plumbing: the declarative Base, engine and session factories, portable column types.

The same code and migrations run on SQLite (embedded default) and PostgreSQL (production).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, cast

from sqlalchemy import DateTime, Engine, Enum, MetaData, Table, create_engine, event, func, select, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def enum_type(enum: type[StrEnum], *, name: str, length: int = 24) -> Enum:
    """A StrEnum stored as VARCHAR of its stable values with a CHECK constraint (the same on SQLite and
    PostgreSQL). `name` names the constraint and must be unique within its table."""
    return Enum(
        enum,
        native_enum=False,
        create_constraint=True,
        length=length,
        name=name,
        values_callable=lambda members: [m.value for m in members],
    )


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out, on both databases (SQLite would otherwise drop the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: store aware datetimes only")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:  # SQLite returns what it stored, which is UTC
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def create_db_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for `url`; SQLite gets foreign keys, WAL and real transactions (for savepoints)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, **kwargs)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin, so that
        # SAVEPOINT works (needed for rolled-back test transactions and nested imports).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        # A 64 MiB page cache keeps the indexes of a large import in memory (the default is 2 MiB).
        cursor.execute("PRAGMA cache_size=-65536")
        if parsed.database and parsed.database != ":memory:":
            cursor.execute("PRAGMA journal_mode=WAL")
            # In WAL mode NORMAL cannot corrupt the database; a power cut may lose the last commits only.
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # IMMEDIATE: take the write lock when the transaction starts, waiting up to busy_timeout for it.
        # A deferred transaction that reads and then writes fails at once with "database is locked" when
        # another connection wrote in between (the lock upgrade cannot wait); positions arriving from many
        # phones and the MQTT consumer at the same time would hit that constantly.
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def create_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One transaction: commit if the block succeeds, roll back everything if it raises."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def upsert(session: Session, model: type[Base], values: dict[str, Any], *, key: list[str]) -> None:
    """Insert a row, or update the row with the same `key` columns: one statement that holds under concurrent
    writers on both databases (never a read, then an insert that may collide)."""
    table = cast(Table, model.__table__)
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(table).values(**values)
    updates = {name: statement.excluded[name] for name in values if name not in key}
    session.execute(statement.on_conflict_do_update(index_elements=key, set_=updates))


def allocate_ids(session: Session, table: Table, count: int) -> list[int]:
    """Reserve `count` new primary keys of `table`, so that many rows can be inserted in one statement
    and referred to at once (INSERT … RETURNING in a guaranteed order runs row by row on SQLite).

    PostgreSQL draws them from the table's sequence; SQLite, which has one writer at a time, takes the
    write lock first and counts on from the largest id."""
    if count == 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        rows = session.execute(
            text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"),
            {"table": table.name, "n": count},
        )
        return [int(row[0]) for row in rows]
    # Any write statement takes SQLite's write lock; from here to commit nobody else can add rows.
    session.execute(table.update().where(table.c.id == -1).values(id=table.c.id))
    largest = session.scalar(select(func.max(table.c.id))) or 0
    return list(range(largest + 1, largest + 1 + count))
