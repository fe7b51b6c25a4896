"""Parking listening to engagement: an alley rule a ballot adopted marks its spaces, and the rule before it retires
with its marked spaces, whose permits end."""

from __future__ import annotations

from sqlalchemy import select

from jiexiang.core.db import unit_of_work
from jiexiang.core.events import EventBus
from jiexiang.core.jobs import JobContext
from jiexiang.domains.engagement.events import RuleAdopted
from jiexiang.domains.parking import service, supply
from jiexiang.domains.parking.models import Permit
from jiexiang.domains.parking.rules import rules_of
from jiexiang.domains.parking.terms import today, valid_today


def mark_spaces(context: JobContext, event: RuleAdopted) -> None:
    with unit_of_work(context.sessions) as session:
        _rule, retired = supply.adopt_alley_rule(
            session,
            alley_id=event.alley_id,
            proposal_id=event.proposal_id,
            kind=event.rule_kind,
            title=event.title,
            spaces=[supply.MarkedSpace(code=s.code, lon=s.lon, lat=s.lat) for s in event.spaces],
            now=event.at,
        )
        ended = session.scalars(select(Permit.id).where(Permit.lot_id.in_(retired), valid_today(today(event.at))))
        for permit_id in ended.all():
            reason = f"街巷规则更新为“{event.title}”，原施划车位取消"
            service.revoke(session, permit_id=permit_id, reason=reason, rules=rules_of(context.settings), now=event.at)


def subscribe(bus: EventBus, context: JobContext) -> None:
    bus.subscribe(RuleAdopted, lambda event: mark_spaces(context, event))
