"""Engagement's writes: proposals and their ballots (open, vote, paper votes, close and tally, withdraw) and
notices. Every step is audited; the tally is counted once, at close; an adopted rule is announced to parking."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, lazyload

from jiexiang.core.db import locked
from jiexiang.core.errors import Conflict, InvalidInput, NotFound
from jiexiang.core.events import publish
from jiexiang.core.time import to_local
from jiexiang.domains.accounts.models import User
from jiexiang.domains.engagement.ballot import check_on_alley, electorate, outcome_of, spaces_of
from jiexiang.domains.engagement.enums import (
    CHANNEL_LABELS,
    Choice,
    Electorate,
    ProposalAction,
    ProposalStatus,
    VoteChannel,
)
from jiexiang.domains.engagement.events import NoticePublished, RuleAdopted
from jiexiang.domains.engagement.models import Notice, Proposal, ProposalStep, Vote
from jiexiang.domains.engagement.schemas import NoticeCreate, ProposalCreate
from jiexiang.domains.engagement.stages import PROPOSALS
from jiexiang.domains.places.models import Alley, Household


def _step(
    session: Session,
    proposal: Proposal,
    action: ProposalAction,
    actor: User | None,
    at: datetime,
    note: str | None = None,
) -> None:
    session.add(
        ProposalStep(proposal_id=proposal.id, action=action, actor_id=actor.id if actor else None, at=at, note=note)
    )


def _announce(session: Session, notice: Notice) -> Notice:
    """Keep the notice and push it to the phones it is for once the transaction commits."""
    session.add(notice)
    session.flush()
    event = NoticePublished(notice.id, notice.title, alley_id=notice.alley_id, community_id=notice.community_id)
    publish(session, event)
    return notice


def _notice(session: Session, proposal: Proposal, title: str, body: str, actor: User | None, at: datetime) -> None:
    notice = Notice(
        alley_id=proposal.alley_id,
        proposal_id=proposal.id,
        title=title,
        body=body,
        published_at=at,
        published_by_id=actor.id if actor else None,
    )
    _announce(session, notice)


def propose(session: Session, *, data: ProposalCreate, actor: User, now: datetime) -> Proposal:
    alley = session.get(Alley, data.alley_id)
    if alley is None:
        raise InvalidInput(f"没有编号为 {data.alley_id} 的街巷", code="alley_not_found")
    plans = spaces_of(data.layout)
    if plans and not data.rule_kind:
        raise InvalidInput("画了车位布局的议案须写明通过后成为的街巷规则（rule_kind）", code="rule_kind_required")
    check_on_alley(alley, plans)
    proposal = Proposal(**data.model_dump(), status=ProposalStatus.proposed, proposed_by_id=actor.id, created_at=now)
    session.add(proposal)
    session.flush()
    _step(session, proposal, ProposalAction.propose, actor, now)
    _notice(session, proposal, f"议案公示：{proposal.title}", f"{proposal.council}提出：{proposal.body}", actor, now)
    session.flush()
    return proposal


def _locked(session: Session, proposal_id: int) -> Proposal:
    proposal = session.scalar(locked(select(Proposal).where(Proposal.id == proposal_id).options(lazyload("*"))))
    if proposal is None:
        raise NotFound(f"没有编号为 {proposal_id} 的议案", code="proposal_not_found")
    return proposal


def open_ballot(
    session: Session,
    *,
    proposal_id: int,
    closes_at: datetime,
    quorum: float,
    majority: float,
    actor: User,
    now: datetime,
) -> Proposal:
    proposal = _locked(session, proposal_id)
    balloting = PROPOSALS.move(ProposalAction.open_ballot, proposal.status).target
    if closes_at <= now:
        raise InvalidInput("表决截止时间应晚于现在", code="closes_in_past")
    entitled = session.scalar(
        select(func.count()).select_from(Household).where(electorate(proposal, registered_by=now))
    )
    if not entitled:
        who = "居民代表" if proposal.electorate is Electorate.representatives else "住户"
        raise Conflict(
            f"{proposal.alley.name}没有登记的{who}，无法表决",
            code="no_electorate",
        )
    proposal.status = balloting
    proposal.opened_at, proposal.closes_at = now, closes_at
    proposal.quorum, proposal.majority, proposal.entitled = quorum, majority, entitled
    _step(session, proposal, ProposalAction.open_ballot, actor, now, f"应参与 {entitled} 户")
    _notice(
        session,
        proposal,
        f"开始表决：{proposal.title}",
        f"本巷登记户可在手机上或到社区居委会投票，每户一票，截止 {to_local(closes_at):%Y-%m-%d %H:%M}。",
        actor,
        now,
    )
    session.flush()
    return proposal


def _cast(
    session: Session,
    *,
    proposal: Proposal,
    household: Household,
    choice: Choice,
    channel: VoteChannel,
    paper_number: str | None,
    actor: User,
    now: datetime,
) -> Vote:
    action = ProposalAction.record_paper_vote if channel is VoteChannel.paper else ProposalAction.vote
    PROPOSALS.move(action, proposal.status)
    assert proposal.opened_at is not None and proposal.closes_at is not None
    if now >= proposal.closes_at:
        raise Conflict("表决已截止，不能再投票", code="ballot_closed")
    entitled = session.scalar(
        select(func.count())
        .select_from(Household)
        .where(Household.id == household.id, electorate(proposal, registered_by=proposal.opened_at))
    )
    if not entitled:
        raise Conflict(f"{household.address.name} {household.label}不在本次表决的投票范围内", code="not_entitled")
    vote = Vote(
        proposal_id=proposal.id,
        household_id=household.id,
        choice=choice,
        channel=channel,
        paper_number=paper_number,
        recorded_by_id=actor.id,
        cast_at=now,
    )
    try:
        with session.begin_nested():
            session.add(vote)
            session.flush()
    except IntegrityError as exc:
        if paper_number is not None and session.scalar(
            select(Vote.id).where(Vote.proposal_id == proposal.id, Vote.paper_number == paper_number)
        ):
            raise Conflict(f"编号 {paper_number} 的纸质选票已录入过", code="paper_recorded") from exc
        raise Conflict("该户已经投过票，每户只能投一票", code="already_voted") from exc
    where = f"（选票编号 {paper_number}）" if paper_number else ""
    _step(
        session,
        proposal,
        action,
        actor,
        now,
        f"{household.address.name} {household.label} {CHANNEL_LABELS[channel]}{where}",
    )
    session.flush()
    return vote


def vote(
    session: Session, *, proposal_id: int, household: Household, choice: Choice, actor: User, now: datetime
) -> Vote:
    """A household's own vote, cast on a resident's phone."""
    proposal = _locked(session, proposal_id)
    return _cast(
        session,
        proposal=proposal,
        household=household,
        choice=choice,
        channel=VoteChannel.phone,
        paper_number=None,
        actor=actor,
        now=now,
    )


def record_paper_vote(
    session: Session,
    *,
    proposal_id: int,
    household_id: int,
    choice: Choice,
    paper_number: str,
    actor: User,
    now: datetime,
) -> Vote:
    """A paper ballot recorded at the desk by staff, with the paper's number (each paper counted once)."""
    proposal = _locked(session, proposal_id)
    household = session.get(Household, household_id)
    if household is None:
        raise InvalidInput(f"没有编号为 {household_id} 的登记户", code="household_not_found")
    return _cast(
        session,
        proposal=proposal,
        household=household,
        choice=choice,
        channel=VoteChannel.paper,
        paper_number=paper_number.strip(),
        actor=actor,
        now=now,
    )


def close_ballot(session: Session, *, proposal_id: int, actor: User | None, now: datetime) -> Proposal:
    """Count the ballot once its time is up, announce the result, and hand an adopted rule to parking."""
    proposal = _locked(session, proposal_id)
    adopted = PROPOSALS.move(ProposalAction.close_ballot, proposal.status).target
    assert proposal.closes_at is not None and proposal.entitled is not None
    if now < proposal.closes_at:
        raise Conflict("表决尚未截止，截止前不能计票", code="ballot_open")
    counts = dict(
        session.execute(
            select(Vote.choice, func.count()).where(Vote.proposal_id == proposal.id).group_by(Vote.choice)
        ).all()
    )
    proposal.agree, proposal.disagree, proposal.abstain = (
        counts.get(c, 0) for c in (Choice.agree, Choice.disagree, Choice.abstain)
    )
    proposal.closed_at = now
    outcome = outcome_of(proposal)
    assert outcome is not None
    proposal.status = adopted if outcome.adopted else ProposalStatus.rejected
    _step(session, proposal, ProposalAction.close_ballot, actor, now, outcome.words())
    _notice(session, proposal, f"表决结果：{proposal.title}", outcome.words(), actor, now)
    session.flush()
    if outcome.adopted and proposal.rule_kind:
        publish(
            session,
            RuleAdopted(
                proposal_id=proposal.id,
                alley_id=proposal.alley_id,
                rule_kind=proposal.rule_kind,
                title=proposal.title,
                spaces=tuple(spaces_of(proposal.layout)),
                at=now,
            ),
        )
    return proposal


def close_due(session: Session, *, now: datetime) -> list[int]:
    """Close every ballot whose time is up (the scheduled job)."""
    due = list(
        session.scalars(
            select(Proposal.id).where(Proposal.status == ProposalStatus.balloting, Proposal.closes_at <= now)
        )
    )
    for proposal_id in due:
        close_ballot(session, proposal_id=proposal_id, actor=None, now=now)
    return due


def withdraw(session: Session, *, proposal_id: int, actor: User, note: str | None, now: datetime) -> Proposal:
    proposal = _locked(session, proposal_id)
    proposal.status = PROPOSALS.move(ProposalAction.withdraw, proposal.status).target
    _step(session, proposal, ProposalAction.withdraw, actor, now, note)
    _notice(session, proposal, f"议案撤回：{proposal.title}", note or "议案已由提出方撤回。", actor, now)
    session.flush()
    return proposal


def publish_notice(session: Session, *, data: NoticeCreate, actor: User, now: datetime) -> Notice:
    if data.alley_id is not None and session.get(Alley, data.alley_id) is None:
        raise InvalidInput(f"没有编号为 {data.alley_id} 的街巷", code="alley_not_found")
    return _announce(session, Notice(**data.model_dump(), published_at=now, published_by_id=actor.id))
