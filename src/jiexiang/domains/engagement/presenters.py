"""Proposals and notices as the routes give them; a ballot's tally only once it has closed."""

from __future__ import annotations

from jiexiang.domains.engagement.ballot import outcome_of, spaces_of
from jiexiang.domains.engagement.models import Notice, Proposal
from jiexiang.domains.engagement.schemas import NoticeRead, ProposalDetail, ProposalRead, StepRead, TallyRead


def tally_read(proposal: Proposal) -> TallyRead | None:
    outcome = outcome_of(proposal)
    if outcome is None:
        return None  # sealed
    return TallyRead(
        entitled=outcome.entitled,
        took_part=outcome.took_part,
        agree=outcome.agree,
        disagree=proposal.disagree or 0,
        abstain=proposal.abstain or 0,
        quorum_met=outcome.quorum_met,
        majority_met=outcome.majority_met,
        words=outcome.words(),
    )


def proposal_read(proposal: Proposal, *, standing: tuple[bool, bool] | None = None) -> ProposalRead:
    return ProposalRead(
        id=proposal.id,
        alley_id=proposal.alley_id,
        alley_name=proposal.alley.name,
        community_id=proposal.alley.community_id,
        council=proposal.council,
        title=proposal.title,
        body=proposal.body,
        rule_kind=proposal.rule_kind,
        layout=proposal.layout,
        spaces=len(spaces_of(proposal.layout)),
        status=proposal.status,
        electorate=proposal.electorate,
        created_at=proposal.created_at,
        opened_at=proposal.opened_at,
        closes_at=proposal.closes_at,
        quorum=proposal.quorum,
        majority=proposal.majority,
        closed_at=proposal.closed_at,
        tally=tally_read(proposal),
        my_household_entitled=standing[0] if standing else None,
        my_household_voted=standing[1] if standing else None,
    )


def proposal_detail(proposal: Proposal, *, standing: tuple[bool, bool] | None = None) -> ProposalDetail:
    steps = [
        StepRead(action=s.action, at=s.at, actor_name=s.actor.full_name if s.actor else None, note=s.note)
        for s in proposal.steps
    ]
    return ProposalDetail(**proposal_read(proposal, standing=standing).model_dump(), steps=steps)


def notice_read(notice: Notice) -> NoticeRead:
    return NoticeRead(
        id=notice.id,
        community_id=notice.community_id,
        alley_id=notice.alley_id,
        proposal_id=notice.proposal_id,
        title=notice.title,
        body=notice.body,
        published_at=notice.published_at,
    )
