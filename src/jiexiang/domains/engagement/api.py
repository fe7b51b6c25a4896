"""Engagement routes: proposals and their ballots (open, vote, paper votes, close), and notices for residents'
phones. A ballot's counts are sealed until it closes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from jiexiang.core.errors import InvalidInput
from jiexiang.core.http import ClockDep, PagingDep, SessionDep, SettingsDep
from jiexiang.core.paging import paginate
from jiexiang.core.time import ensure_aware
from jiexiang.domains.accounts.dependencies import CurrentUser, require
from jiexiang.domains.accounts.models import User
from jiexiang.domains.accounts.permissions import Permission, can
from jiexiang.domains.accounts.service import Scope, scope_of
from jiexiang.domains.engagement import queries, service
from jiexiang.domains.engagement.enums import (
    CHANNEL_LABELS,
    CHOICE_LABELS,
    ELECTORATE_LABELS,
    PROPOSAL_ACTION_LABELS,
    PROPOSAL_STATUS_LABELS,
    ProposalStatus,
)
from jiexiang.domains.engagement.models import Proposal, Vote
from jiexiang.domains.engagement.presenters import notice_read, proposal_detail, proposal_read
from jiexiang.domains.engagement.schemas import (
    BallotOpen,
    EngagementVocabularyRead,
    NoticeCreate,
    NoticePage,
    NoticeRead,
    PaperVoteCreate,
    ProposalCreate,
    ProposalDetail,
    ProposalPage,
    VoteCreate,
    VoteReceipt,
)
from jiexiang.domains.places import households
from jiexiang.domains.places.models import Household

router = APIRouter(prefix="/api/engagement", tags=["居民议事"])
_READ = require(Permission.engagement_read)
_MANAGE = require(Permission.engagement_manage)


def _household(session: SessionDep, user: User) -> Household | None:
    """A resident's own household (None for staff, or a resident not yet registered)."""
    if not can(user.role, Permission.engagement_vote):
        return None
    return households.of_user(session, user_id=user.id)


def _scope(user: User) -> Scope:
    # Proposals are public to residents; staff see those of their places.
    return Scope() if can(user.role, Permission.engagement_vote) else scope_of(user)


def _receipt(vote: Vote) -> VoteReceipt:
    return VoteReceipt(
        proposal_id=vote.proposal_id,
        household_id=vote.household_id,
        channel=vote.channel,
        paper_number=vote.paper_number,
        cast_at=vote.cast_at,
    )


@router.get("/vocabulary", dependencies=[_READ], summary="议事表决的名称")
def vocabulary() -> EngagementVocabularyRead:
    return EngagementVocabularyRead(
        statuses=dict(PROPOSAL_STATUS_LABELS),
        actions=dict(PROPOSAL_ACTION_LABELS),
        electorates=dict(ELECTORATE_LABELS),
        choices=dict(CHOICE_LABELS),
        channels=dict(CHANNEL_LABELS),
    )


@router.get("/proposals", dependencies=[_READ], summary="街巷议案与表决（计票结果在表决结束后才公开）")
def list_proposals(
    user: CurrentUser,
    session: SessionDep,
    paging: PagingDep,
    alley_id: Annotated[int | None, Query()] = None,
    status: Annotated[ProposalStatus | None, Query()] = None,
) -> ProposalPage:
    rows, total = paginate(session, queries.proposals(_scope(user), alley_id=alley_id, status=status), paging)
    household = _household(session, user)
    standing = queries.standing(session, proposals=rows, household=household) if household else {}
    return ProposalPage.of([proposal_read(p, standing=standing.get(p.id)) for p in rows], total, paging)


def _detail(session: SessionDep, user: User, proposal: Proposal) -> ProposalDetail:
    household = _household(session, user)
    standing = queries.standing(session, proposals=[proposal], household=household) if household else {}
    return proposal_detail(proposal, standing=standing.get(proposal.id))


@router.get("/proposals/{proposal_id}", dependencies=[_READ], summary="一项议案：布局、表决进程与全程留痕")
def get_proposal(proposal_id: int, user: CurrentUser, session: SessionDep) -> ProposalDetail:
    return _detail(session, user, queries.get(session, proposal_id=proposal_id, scope=_scope(user)))


@router.post(
    "/proposals",
    status_code=201,
    dependencies=[require(Permission.engagement_propose)],
    summary="街巷理事会提出议案（如单行单停及车位布局），同时向本巷公示",
)
def propose(body: ProposalCreate, user: CurrentUser, session: SessionDep, clock: ClockDep) -> ProposalDetail:
    queries.check_alley(session, alley_id=body.alley_id, scope=scope_of(user))
    proposal = service.propose(session, data=body, actor=user, now=clock.now())
    return _detail(session, user, proposal)


def _managed(session: SessionDep, user: User, proposal_id: int) -> None:
    queries.get(session, proposal_id=proposal_id, scope=scope_of(user))


@router.post("/proposals/{proposal_id}/ballot", dependencies=[_MANAGE], summary="开始表决：确定投票范围与截止时间")
def open_ballot(
    proposal_id: int, body: BallotOpen, user: CurrentUser, session: SessionDep, settings: SettingsDep, clock: ClockDep
) -> ProposalDetail:
    _managed(session, user, proposal_id)
    proposal = service.open_ballot(
        session,
        proposal_id=proposal_id,
        closes_at=ensure_aware(body.closes_at),
        quorum=settings.ballot_quorum,
        majority=settings.ballot_majority,
        actor=user,
        now=clock.now(),
    )
    return _detail(session, user, proposal)


@router.post(
    "/proposals/{proposal_id}/votes",
    status_code=201,
    dependencies=[require(Permission.engagement_vote)],
    summary="本户投票（每户一票，投出后不能更改）",
)
def vote(proposal_id: int, body: VoteCreate, user: CurrentUser, session: SessionDep, clock: ClockDep) -> VoteReceipt:
    household = _household(session, user)
    if household is None:
        raise InvalidInput("您的账号尚未绑定登记户，请到社区居委会登记后再投票", code="no_household")
    queries.get(session, proposal_id=proposal_id, scope=Scope())
    return _receipt(
        service.vote(
            session, proposal_id=proposal_id, household=household, choice=body.choice, actor=user, now=clock.now()
        )
    )


@router.post(
    "/proposals/{proposal_id}/paper-votes",
    status_code=201,
    dependencies=[_MANAGE],
    summary="录入纸质选票（写明选票编号，每张只录一次）",
)
def paper_vote(
    proposal_id: int, body: PaperVoteCreate, user: CurrentUser, session: SessionDep, clock: ClockDep
) -> VoteReceipt:
    _managed(session, user, proposal_id)
    vote = service.record_paper_vote(
        session,
        proposal_id=proposal_id,
        household_id=body.household_id,
        choice=body.choice,
        paper_number=body.paper_number,
        actor=user,
        now=clock.now(),
    )
    return _receipt(vote)


@router.post("/proposals/{proposal_id}/close", dependencies=[_MANAGE], summary="截止后计票并公告结果")
def close_ballot(proposal_id: int, user: CurrentUser, session: SessionDep, clock: ClockDep) -> ProposalDetail:
    _managed(session, user, proposal_id)
    proposal = service.close_ballot(session, proposal_id=proposal_id, actor=user, now=clock.now())
    return _detail(session, user, proposal)


@router.post(
    "/proposals/{proposal_id}/withdraw",
    dependencies=[require(Permission.engagement_propose)],
    summary="撤回议案（表决结束前）",
)
def withdraw(proposal_id: int, user: CurrentUser, session: SessionDep, clock: ClockDep) -> ProposalDetail:
    _managed(session, user, proposal_id)
    proposal = service.withdraw(session, proposal_id=proposal_id, actor=user, note=None, now=clock.now())
    return _detail(session, user, proposal)


@router.get("/notices", dependencies=[_READ], summary="通知公告：居民看到本巷、本社区和全街道的")
def list_notices(user: CurrentUser, session: SessionDep, paging: PagingDep) -> NoticePage:
    household = _household(session, user)
    resident = can(user.role, Permission.engagement_vote)
    query = queries.notices(scope_of(user), household=household, resident=resident)
    rows, total = paginate(session, query, paging)
    return NoticePage.of([notice_read(n) for n in rows], total, paging)


@router.post("/notices", status_code=201, dependencies=[_MANAGE], summary="发布通知（到一条街巷、一个社区或全街道）")
def publish_notice(body: NoticeCreate, user: CurrentUser, session: SessionDep, clock: ClockDep) -> NoticeRead:
    return notice_read(service.publish_notice(session, data=body, actor=user, now=clock.now()))
