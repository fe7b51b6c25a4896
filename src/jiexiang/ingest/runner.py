"""Runs an import job: applies a connector's items in chunks, committing each chunk, so that a crash or
a kill loses at most the chunk in flight and the next run of the same file completes it (rows already
stored are recognised as unchanged)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from jiexiang.core.config import Settings
from jiexiang.core.db import create_db_engine, create_session_factory
from jiexiang.core.time import Clock, SystemClock
from jiexiang.ingest.classifier import TextClassifier
from jiexiang.ingest.incoming import IncomingReport, Rejected
from jiexiang.ingest.service import Intake, IntakeSummary

CHUNK = 2000


def run_import(
    settings: Settings,
    items: Iterable[IncomingReport | Rejected],
    *,
    file_name: str | None = None,
    classifier: TextClassifier | None = None,
    clock: Clock | None = None,
    progress: Callable[[int], None] = lambda _count: None,
) -> IntakeSummary:
    engine = create_db_engine(settings.database_url, busy_seconds=settings.db_busy_seconds)
    session = create_session_factory(engine)()
    try:
        intake = Intake(
            session, settings=settings, clock=clock or SystemClock(), classifier=classifier, file_name=file_name
        )
        batch: list[IncomingReport | Rejected] = []
        for count, item in enumerate(items, start=1):
            batch.append(item)
            if len(batch) == CHUNK:
                intake.apply_many(batch)
                session.commit()
                batch.clear()
                progress(count)
        intake.apply_many(batch)
        session.commit()
        return intake.summary
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
        engine.dispose()
