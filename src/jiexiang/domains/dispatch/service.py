"""Dispatching urgent cases to field workers: rank the workers on duty by walking distance along the
alleys and by the tasks they already carry, offer the case to the best, wait for an acknowledgement, and
offer it to the next when none comes — after a few tries, or with nobody left, escalate to the dispatcher.
Every step is an event in the case's history."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiexiang.core.config import Settings
from jiexiang.core.db import locked
from jiexiang.core.errors import Conflict, InvalidInput, NotFound
from jiexiang.core.events import publish
from jiexiang.domains.accounts.models import User
from jiexiang.domains.cases.enums import FINISHED, Action
from jiexiang.domains.cases.history import record_event
from jiexiang.domains.cases.models import Case
from jiexiang.domains.cases.sla import LimitUnit, policy_for
from jiexiang.domains.cases.taxonomy import load_taxonomy
from jiexiang.domains.dispatch.enums import OfferStatus
from jiexiang.domains.dispatch.events import OfferMade
from jiexiang.domains.dispatch.models import DispatchOffer
from jiexiang.domains.dispatch.network import WalkingNetwork
from jiexiang.domains.dispatch.presenters import offer_read
from jiexiang.domains.dispatch.schemas import CandidateRead
from jiexiang.domains.dispatch.stages import OFFERS, OfferAction
from jiexiang.domains.workforce.models import LivePosition
from jiexiang.domains.workforce.service import on_duty_ids

FRESH_FOR = timedelta(minutes=10)  # a position older than this does not say where a worker is


@dataclass(frozen=True)
class Rules:
    ack: timedelta = timedelta(minutes=3)
    max_offers: int = 3
    load_penalty_m: float = 300.0  # each task a worker already carries counts as this much more walking

    @classmethod
    def of(cls, settings: Settings) -> Rules:
        return cls(ack=timedelta(seconds=settings.dispatch_ack_seconds), max_offers=settings.dispatch_max_offers)


def is_urgent(case: Case) -> bool:
    """Urgent: the category's handling limit runs in 紧急工作时 (round the clock), as for missing manhole covers."""
    category = load_taxonomy().categories.get(case.category_code)
    return category is not None and policy_for(category).handle.unit is LimitUnit.urgent_hours


def rank(
    session: Session, *, case: Case, now: datetime, rules: Rules, exclude: frozenset[int] = frozenset()
) -> list[CandidateRead]:
    """On-duty workers with a fresh position, best first."""
    if case.lon is None or case.lat is None:
        raise InvalidInput("案件没有位置，无法按距离派单", code="case_not_located")
    on_duty = on_duty_ids(session, at=now) - exclude
    if not on_duty:
        return []
    positions = session.scalars(
        select(LivePosition).where(LivePosition.user_id.in_(on_duty), LivePosition.recorded_at >= now - FRESH_FOR)
    ).all()
    network = WalkingNetwork.for_session(session)
    distances = network.distances_from(case.lon, case.lat)
    load = dict(
        session.execute(
            select(DispatchOffer.user_id, func.count())
            .join(Case, Case.id == DispatchOffer.case_id)
            .where(
                DispatchOffer.user_id.in_(on_duty),
                DispatchOffer.status.in_([OfferStatus.offered, OfferStatus.accepted]),
                Case.status.not_in(FINISHED),
            )
            .group_by(DispatchOffer.user_id)
        ).all()
    )
    candidates = []
    for position in positions:
        walking = distances.to(position.lon, position.lat) if distances else math.inf
        if math.isinf(walking):
            continue  # not connected to the case by any alley
        tasks = int(load.get(position.user_id, 0))
        candidates.append(
            CandidateRead(
                user_id=position.user_id,
                full_name=position.user.full_name,
                walking_m=round(walking, 1),
                straight_m=round(network.frame.distance(position.lon, position.lat, case.lon, case.lat), 1),
                open_tasks=tasks,
                score=walking + tasks * rules.load_penalty_m,
            )
        )
    return sorted(candidates, key=lambda c: (c.score, c.user_id))


def _event(session: Session, case: Case, action: Action, note: str, now: datetime, actor: User | None = None) -> None:
    record_event(session, case=case, action=action, at=now, actor_id=actor.id if actor else None, note=note)


def offer_next(session: Session, *, case: Case, now: datetime, rules: Rules) -> DispatchOffer | None:
    """Offer the case to the best worker not yet asked; escalate when tries or workers run out."""
    session.scalars(locked(select(Case).where(Case.id == case.id))).one()  # one offer at a time per case
    tried = list(session.scalars(select(DispatchOffer).where(DispatchOffer.case_id == case.id)))
    if any(o.status in (OfferStatus.offered, OfferStatus.accepted) for o in tried):
        raise Conflict("该案件已有外勤人员待接单或已接单", code="offer_pending")
    candidates = rank(session, case=case, now=now, rules=rules, exclude=frozenset(o.user_id for o in tried))
    if len(tried) >= rules.max_offers or not candidates:
        reason = f"已派 {len(tried)} 人均未接单" if tried else "没有在班且位置可用的外勤人员"
        _event(session, case, Action.escalate, f"{reason}，请派遣员处理", now)
        session.flush()
        return None
    best = candidates[0]
    offer = DispatchOffer(
        case_id=case.id,
        user_id=best.user_id,
        status=OfferStatus.offered,
        rank=len(tried) + 1,
        walking_m=best.walking_m,
        offered_at=now,
        respond_by=now + rules.ack,
    )
    session.add(offer)
    _event(session, case, Action.offer, f"派给 {best.full_name}（步行约 {best.walking_m:.0f} 米）", now)
    session.flush()
    publish(session, OfferMade(offer_read(offer)))
    return offer


def offer_if_urgent(session: Session, *, case_id: int, now: datetime, rules: Rules) -> DispatchOffer | None:
    """For a newly reported urgent, located, open case nobody has been sent to: send somebody."""
    case = session.get(Case, case_id)
    if case is None or case.status in FINISHED or case.lon is None or not is_urgent(case):
        return None
    if session.scalar(select(func.count()).select_from(DispatchOffer).where(DispatchOffer.case_id == case_id)):
        return None
    return offer_next(session, case=case, now=now, rules=rules)


def _move(offer: DispatchOffer, action: OfferAction) -> None:
    """The only writer of an offer's status: through its table."""
    offer.status = OFFERS.move(action, offer.status).target


def respond(session: Session, *, offer_id: int, user: User, accept: bool, now: datetime, rules: Rules) -> DispatchOffer:
    """The worker's answer; after a refusal the case is offered to the next worker (or escalated)."""
    offer = session.scalars(locked(select(DispatchOffer).where(DispatchOffer.id == offer_id))).first()
    if offer is None or offer.user_id != user.id:
        raise NotFound(f"派单 {offer_id} 不存在", code="offer_not_found")
    answer = OfferAction.accept if accept else OfferAction.decline
    OFFERS.move(answer, offer.status)  # answered once: a second answer is refused here
    if now > offer.respond_by:
        raise Conflict("已超过接单时限，任务已转给他人", code="offer_expired")
    offer.responded_at = now
    _move(offer, answer)
    if accept:
        _event(session, offer.case, Action.acknowledge, f"{user.full_name} 已接单", now, actor=user)
        session.flush()
        return offer
    _event(session, offer.case, Action.decline, f"{user.full_name} 未接单", now, actor=user)
    session.flush()
    offer_next(session, case=offer.case, now=now, rules=rules)
    return offer


def sweep(session: Session, *, now: datetime, rules: Rules) -> list[DispatchOffer]:
    """Expire unanswered offers and pass each case on. Returns the offers made in their place."""
    made = []
    expired = session.scalars(
        locked(select(DispatchOffer).where(DispatchOffer.status == OfferStatus.offered, DispatchOffer.respond_by < now))
    ).all()
    for offer in expired:
        _move(offer, OfferAction.expire)
        _event(session, offer.case, Action.decline, f"{offer.user.full_name} 超时未接单", now)
        session.flush()
        if offer.case.status in FINISHED:
            continue
        following = offer_next(session, case=offer.case, now=now, rules=rules)
        if following is not None:
            made.append(following)
    return made


def pending_for(session: Session, *, user: User) -> list[DispatchOffer]:
    return list(
        session.scalars(
            select(DispatchOffer)
            .where(DispatchOffer.user_id == user.id, DispatchOffer.status == OfferStatus.offered)
            .order_by(DispatchOffer.offered_at)
        )
    )
