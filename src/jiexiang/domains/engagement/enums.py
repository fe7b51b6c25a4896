"""Proposal states and actions, electorates, choices and channels, with their Chinese labels beside them."""

from __future__ import annotations

from enum import StrEnum


class ProposalStatus(StrEnum):
    proposed = "proposed"  # announced, open for discussion
    balloting = "balloting"
    adopted = "adopted"
    rejected = "rejected"
    withdrawn = "withdrawn"


PROPOSAL_STATUS_LABELS: dict[ProposalStatus, str] = {
    ProposalStatus.proposed: "公示讨论",
    ProposalStatus.balloting: "表决中",
    ProposalStatus.adopted: "已通过",
    ProposalStatus.rejected: "未通过",
    ProposalStatus.withdrawn: "已撤回",
}


class ProposalAction(StrEnum):
    propose = "propose"
    open_ballot = "open_ballot"
    close_ballot = "close_ballot"
    withdraw = "withdraw"
    vote = "vote"
    record_paper_vote = "record_paper_vote"


PROPOSAL_ACTION_LABELS: dict[ProposalAction, str] = {
    ProposalAction.propose: "提出议案",
    ProposalAction.open_ballot: "开始表决",
    ProposalAction.close_ballot: "结束表决并计票",
    ProposalAction.withdraw: "撤回议案",
    ProposalAction.vote: "投票",
    ProposalAction.record_paper_vote: "录入纸质选票",
}


class Electorate(StrEnum):
    households = "households"  # every household registered in the alley, one vote each
    representatives = "representatives"  # the alley's residents' representatives (居民代表) only


ELECTORATE_LABELS: dict[Electorate, str] = {
    Electorate.households: "本巷全体登记户（每户一票）",
    Electorate.representatives: "本巷居民代表",
}


class Choice(StrEnum):
    agree = "agree"
    disagree = "disagree"
    abstain = "abstain"


CHOICE_LABELS: dict[Choice, str] = {Choice.agree: "同意", Choice.disagree: "不同意", Choice.abstain: "弃权"}


class VoteChannel(StrEnum):
    phone = "phone"  # cast by the household on its own account
    paper = "paper"  # a paper ballot, recorded at a desk by staff with the paper's number


CHANNEL_LABELS: dict[VoteChannel, str] = {VoteChannel.phone: "手机投票", VoteChannel.paper: "纸质选票"}
