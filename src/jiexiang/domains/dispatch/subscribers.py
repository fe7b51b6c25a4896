"""Dispatch listening to the cases domain: a report that opens an urgent case gets a worker sent at once."""

from __future__ import annotations

from jiexiang.core.db import unit_of_work
from jiexiang.core.events import EventBus
from jiexiang.core.jobs import JobContext
from jiexiang.domains.cases.events import CaseOpened
from jiexiang.domains.dispatch import service


def subscribe(bus: EventBus, context: JobContext) -> None:
    def send_somebody(event: CaseOpened) -> None:
        with unit_of_work(context.sessions) as session:
            service.offer_if_urgent(
                session, case_id=event.case_id, now=context.clock.now(), rules=service.Rules.of(context.settings)
            )

    bus.subscribe(CaseOpened, send_somebody)
