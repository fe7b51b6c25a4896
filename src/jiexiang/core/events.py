"""Events after commit: a domain says what happened (`publish(session, event)`) inside its transaction; the
subscribers registered at start-up hear of it only once that transaction has committed.

Nothing is delivered for a transaction (or a savepoint) that was rolled back, and a subscriber that fails is
logged and never undoes the commit or stops the other subscribers. Subscribers run in the committing thread,
after the session has let go of its connection: one that writes opens a transaction of its own.

A session delivers to the bus its factory was made with (`create_session_factory(engine, bus=…)`); sessions
without one (scripts, tests of a single service) drop their events."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from sqlalchemy import event as sqlalchemy_event
from sqlalchemy.orm import Session, SessionTransaction

log = logging.getLogger(__name__)
_PENDING = "jiexiang_pending_events"
BUS = "jiexiang_event_bus"


@dataclass(frozen=True)
class Event:
    """Base of every domain event: a frozen dataclass of plain values (never ORM objects, which the commit
    expires)."""


@dataclass(frozen=True)
class LiveEvent(Event):
    """An event the open maps are told of: `live_kind` names it on the live stream, `live_data()` is what they
    receive (including what decides who may see it)."""

    live_kind: ClassVar[str]

    def live_data(self) -> dict[str, Any]:
        raise NotImplementedError


E = TypeVar("E", bound=Event)


class EventBus:
    def __init__(self) -> None:
        self._subscribers: dict[type[Event], list[Callable[[Any], None]]] = defaultdict(list)

    def subscribe(self, kind: type[E], subscriber: Callable[[E], None]) -> None:
        """Call `subscriber` with every committed event of `kind` (or of a subclass of it)."""
        self._subscribers[kind].append(subscriber)

    def deliver(self, event: Event) -> None:
        for kind in type(event).__mro__:
            for subscriber in self._subscribers.get(kind, ()):
                try:
                    subscriber(event)
                except Exception:  # the commit stands; the other subscribers still hear of it
                    log.exception("subscriber %s failed on %s", getattr(subscriber, "__qualname__", subscriber), event)


def publish(session: Session, event: Event) -> None:
    """Deliver `event` when the transaction `session` is in commits (dropped if it, or the savepoint the event
    was published in, rolls back)."""
    transaction = session.get_nested_transaction() or session.get_transaction() or session.begin()
    session.info.setdefault(_PENDING, []).append((transaction, event))


def _within(transaction: SessionTransaction | None, ancestor: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is ancestor:
            return True
        transaction = transaction.parent
    return False


@sqlalchemy_event.listens_for(Session, "after_commit")
def _deliver(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint released: its events wait for the real commit
        return
    pending = session.info.pop(_PENDING, [])
    bus: EventBus | None = session.info.get(BUS)
    if bus is None:
        return
    for _transaction, event in pending:
        bus.deliver(event)


@sqlalchemy_event.listens_for(Session, "after_soft_rollback")
def _drop_rolled_back(session: Session, previous_transaction: SessionTransaction) -> None:
    pending = session.info.get(_PENDING)
    if pending:
        pending[:] = [(t, e) for t, e in pending if not _within(t, previous_transaction)]


@sqlalchemy_event.listens_for(Session, "after_transaction_end")
def _forget_unfinished(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # closed without a commit (a commit has delivered and emptied the list)
        session.info.pop(_PENDING, None)
