"""Reading proposals and notices: staff within their places; residents every proposal (they are public) and the
notices addressed to their alley, their community or everyone; a household's entitlement and whether it voted."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_, select, true
from sqlalchemy.orm import Session, selectinload

from jiexiang.core.errors import NotFound
from jiexiang.domains.accounts.service import Scope
from jiexiang.domains.engagement.ballot import electorate
from jiexiang.domains.engagement.enums import ProposalStatus
from jiexiang.domains.engagement.models import Notice, Proposal, Vote
from jiexiang.domains.places.models import Alley, Household


def visible(scope: Scope) -> ColumnElement[bool]:
    if not scope.limited_to_places:
        return true()
    in_communities = Proposal.alley_id.in_(select(Alley.id).where(Alley.community_id.in_(scope.community_ids)))
    return or_(Proposal.alley_id.in_(scope.alley_ids), in_communities)


def proposals(scope: Scope, *, alley_id: int | None = None, status: ProposalStatus | None = None) -> Select[Any]:
    query = select(Proposal).where(visible(scope)).order_by(Proposal.created_at.desc(), Proposal.id.desc())
    if alley_id is not None:
        query = query.where(Proposal.alley_id == alley_id)
    if status is not None:
        query = query.where(Proposal.status == status)
    return query


def get(session: Session, *, proposal_id: int, scope: Scope) -> Proposal:
    proposal = session.scalar(
        select(Proposal).options(selectinload(Proposal.steps)).where(Proposal.id == proposal_id, visible(scope))
    )
    if proposal is None:
        raise NotFound(f"没有编号为 {proposal_id} 的议案", code="proposal_not_found")
    return proposal


def standing(session: Session, *, proposals: list[Proposal], household: Household) -> dict[int, tuple[bool, bool]]:
    """Per proposal: whether the household may vote on its ballot, and whether it has (never how)."""
    voted = set(
        session.scalars(
            select(Vote.proposal_id).where(
                Vote.household_id == household.id, Vote.proposal_id.in_([p.id for p in proposals])
            )
        )
    )
    result: dict[int, tuple[bool, bool]] = {}
    for proposal in proposals:
        entitled = False
        if proposal.opened_at is not None:
            entitled = bool(
                session.scalar(
                    select(Household.id).where(
                        Household.id == household.id, electorate(proposal, registered_by=proposal.opened_at)
                    )
                )
            )
        result[proposal.id] = (entitled, proposal.id in voted)
    return result


def check_alley(session: Session, *, alley_id: int, scope: Scope) -> None:
    """An alley outside the account's places is answered as not found."""
    if not scope.limited_to_places:
        return
    community_id = session.scalar(select(Alley.community_id).where(Alley.id == alley_id))
    if alley_id not in scope.alley_ids and community_id not in scope.community_ids:
        raise NotFound(f"没有编号为 {alley_id} 的街巷", code="alley_not_found")


def notices(scope: Scope, *, household: Household | None, resident: bool) -> Select[Any]:
    """Notices for a resident's household (its alley, its community, everyone; a resident not yet registered
    only those for everyone) or for staff within their places."""
    everyone = and_(Notice.alley_id.is_(None), Notice.community_id.is_(None))
    if resident and household is None:
        audience = everyone
    elif household is not None:
        address = household.address
        audience = or_(everyone, Notice.alley_id == address.alley_id, Notice.community_id == address.community_id)
    elif scope.limited_to_places:
        alleys_in = select(Alley.id).where(Alley.community_id.in_(scope.community_ids))
        audience = or_(
            everyone,
            Notice.community_id.in_(scope.community_ids),
            Notice.alley_id.in_(scope.alley_ids),
            Notice.alley_id.in_(alleys_in),
        )
    else:
        audience = true()
    return select(Notice).where(audience).order_by(Notice.published_at.desc(), Notice.id.desc())
