"""Events reach subscribers only after their transaction commits, on the database under test."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import Connection, text
from sqlalchemy.orm import Session, sessionmaker

from jiexiang.core.events import BUS, Event, EventBus, publish


@dataclass(frozen=True)
class Happened(Event):
    name: str


@dataclass(frozen=True)
class HappenedHere(Happened):
    """A subclass: subscribers to `Happened` hear of it too."""


@pytest.fixture
def heard() -> list[str]:
    return []


@pytest.fixture
def sessions(connection: Connection, heard: list[str]) -> sessionmaker[Session]:
    bus = EventBus()
    bus.subscribe(Happened, lambda event: heard.append(event.name))
    return sessionmaker(bind=connection, join_transaction_mode="create_savepoint", info={BUS: bus})


def test_an_event_is_delivered_after_the_commit_and_not_before(
    sessions: sessionmaker[Session], heard: list[str]
) -> None:
    with sessions() as session:
        session.execute(text("SELECT 1"))
        publish(session, Happened("one"))
        publish(session, HappenedHere("two"))
        session.flush()
        assert heard == []
        session.commit()
        assert heard == ["one", "two"]
        session.commit()  # a second commit does not repeat them
    assert heard == ["one", "two"]


def test_nothing_is_delivered_for_a_rollback_or_a_session_closed_without_commit(
    sessions: sessionmaker[Session], heard: list[str]
) -> None:
    with sessions() as session:
        publish(session, Happened("rolled back"))
        session.rollback()
        session.commit()
    with sessions() as session:
        publish(session, Happened("abandoned"))
    with sessions() as session:
        session.commit()
    assert heard == []


def test_a_savepoint_rolled_back_takes_its_events_with_it(sessions: sessionmaker[Session], heard: list[str]) -> None:
    with sessions() as session:
        publish(session, Happened("before"))
        with session.begin_nested() as savepoint:
            publish(session, Happened("inside, undone"))
            savepoint.rollback()
        with session.begin_nested():
            publish(session, Happened("inside, kept"))
        assert heard == []  # releasing a savepoint is not the commit
        session.commit()
    assert heard == ["before", "inside, kept"]


def test_a_failing_subscriber_is_logged_and_the_others_still_hear(
    connection: Connection, caplog: pytest.LogCaptureFixture
) -> None:
    bus, heard = EventBus(), []

    def broken(_event: Happened) -> None:
        raise RuntimeError("subscriber bug")

    bus.subscribe(Happened, broken)
    bus.subscribe(Happened, lambda event: heard.append(event.name))
    sessions = sessionmaker(bind=connection, join_transaction_mode="create_savepoint", info={BUS: bus})
    with sessions() as session:
        publish(session, Happened("committed"))
        session.commit()  # does not raise
    assert heard == ["committed"]
    assert "subscriber" in caplog.text and "subscriber bug" in caplog.text


def test_sessions_without_a_bus_drop_their_events(connection: Connection) -> None:
    with sessionmaker(bind=connection, join_transaction_mode="create_savepoint")() as session:
        publish(session, Happened("nobody listens"))
        session.commit()
