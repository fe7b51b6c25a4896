"""Database plumbing: the declarative Base, engine and session factories, portable column types.

The same code and migrations run on SQLite (embedded default) and PostgreSQL (production).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar, cast

from sqlalchemy import DateTime, Engine, Enum, MetaData, Select, Table, create_engine, event, func, select, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeoutError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from jiexiang.core.errors import DomainError
from jiexiang.core.events import BUS, EventBus

Q = TypeVar("Q", bound=Select[*tuple[Any, ...]])
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


READ_ONLY = "jiexiang_read_only"  # execution option of the engine that reads (see `read_only`)


def create_db_engine(url: str, *, pool_size: int = 20, busy_seconds: float = 30.0, **kwargs: Any) -> Engine:
    """An engine for `url`. A writer waits up to `busy_seconds` for what another writer holds (SQLite's write
    lock, a PostgreSQL row lock) before giving up with an error the API turns into 503 "busy", never a hang.
    SQLite gets foreign keys, WAL (readers never wait for writers) and real transactions (for savepoints)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        connect_args = {"options": f"-c lock_timeout={int(busy_seconds * 1000)}"}
        # `pool_size` for requests (the server admits no more at a time), ten more for background work.
        return create_engine(
            url, pool_pre_ping=True, pool_size=pool_size, max_overflow=10, connect_args=connect_args, **kwargs
        )
    on_disk = bool(parsed.database and parsed.database != ":memory:")
    if on_disk:
        Path(parsed.database or "").parent.mkdir(parents=True, exist_ok=True)
        kwargs |= {"pool_size": pool_size, "max_overflow": 10}
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin, so that
        # SAVEPOINT works (needed for rolled-back test transactions and nested imports).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_seconds * 1000)}")
        # A 64 MiB page cache keeps the indexes of a large import in memory (the default is 2 MiB).
        cursor.execute("PRAGMA cache_size=-65536")
        if on_disk:
            cursor.execute("PRAGMA journal_mode=WAL")
            # In WAL mode NORMAL cannot corrupt the database; a power cut may lose the last commits only.
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get(READ_ONLY):
            # A reader sees one snapshot and never takes the write lock: in WAL mode it never waits.
            connection.exec_driver_sql("BEGIN")
            return
        # A writer takes the write lock when its transaction starts, waiting up to busy_timeout for it. A
        # deferred transaction that reads and then writes fails at once with "database is locked" when another
        # connection wrote in between (the upgrade cannot wait), so writers never start as readers.
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


# PostgreSQL: lock_not_available (lock_timeout passed), deadlock_detected, serialization_failure.
_BUSY_STATES = frozenset({"55P03", "40P01", "40001"})


def is_busy(exc: BaseException) -> bool:
    """The database could not do it now, and the same request a moment later may well succeed: SQLite's write
    lock held past busy_timeout, a PostgreSQL lock wait past lock_timeout or a deadlock, no pooled connection."""
    if isinstance(exc, SQLAlchemyTimeoutError):
        return True
    if not isinstance(exc, OperationalError):
        return False
    if "database is locked" in str(exc.orig) or "database table is locked" in str(exc.orig):
        return True
    return getattr(exc.orig, "sqlstate", None) in _BUSY_STATES


def read_only(engine: Engine) -> Engine:
    """The same engine and pool, for transactions that only read: on SQLite they do not take the write lock, on
    PostgreSQL they are READ ONLY (a write by mistake fails loudly instead of racing)."""
    return engine.execution_options(**{READ_ONLY: True, "postgresql_readonly": True})


def create_session_factory(engine: Engine, *, bus: EventBus | None = None) -> sessionmaker[Session]:
    """Sessions on `engine`; with a `bus`, the events their transactions publish are delivered on commit."""
    return sessionmaker(bind=engine, expire_on_commit=False, info={BUS: bus} if bus is not None else None)


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


def dialect_insert(session: Session, model: type[Base]) -> Any:
    """INSERT for `model` in the session's dialect, which offers ON CONFLICT (upserts) on both databases."""
    table = cast(Table, model.__table__)
    dialect = session.get_bind().dialect.name
    return (postgresql_insert if dialect == "postgresql" else sqlite_insert)(table)


def upsert(session: Session, model: type[Base], values: dict[str, Any], *, key: list[str]) -> None:
    """Insert a row, or update the row with the same `key` columns: one statement that holds under concurrent
    writers on both databases (never a read, then an insert that may collide)."""
    statement = dialect_insert(session, model).values(**values)
    updates = {name: statement.excluded[name] for name in values if name not in key}
    session.execute(statement.on_conflict_do_update(index_elements=key, set_=updates))


def add_unique(session: Session, row: Base, *, taken: DomainError) -> None:
    """Add `row`, or raise `taken` when a unique key says it is there already (another request may have added it a
    moment ago): in a savepoint, so that the transaction goes on. Never a check, then an insert."""
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError as exc:
        raise taken from exc


def locked(query: Q) -> Q:
    """`query` taking the row locks of what it selects until the transaction ends (FOR UPDATE on PostgreSQL, so
    that concurrent writers of one row go one after the other, each seeing what the previous one committed),
    and refreshing rows the session already holds. SQLite needs no row locks: a writing transaction there holds
    the database's write lock from its start."""
    return query.with_for_update().execution_options(populate_existing=True)


def serialize_on(session: Session, keys: Iterable[str]) -> None:
    """Let one transaction at a time work on each of `keys` (names of what is decided by looking before writing,
    such as "is there an open case nearby to join?"), until it commits: PostgreSQL advisory locks, taken in a
    fixed order so that two transactions never wait for each other. SQLite needs nothing: a writing
    transaction holds the database's write lock from its start."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for key in sorted(set(keys)):
        session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": key})


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
