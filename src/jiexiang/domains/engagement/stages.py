"""The state table of a proposal: announced (公示讨论) → balloting → adopted or rejected; withdrawn before the
ballot closes. Votes are taken only while balloting."""

from __future__ import annotations

from jiexiang.core.states import Move, StateTable
from jiexiang.domains.engagement.enums import (
    PROPOSAL_ACTION_LABELS,
    PROPOSAL_STATUS_LABELS,
    ProposalAction,
    ProposalStatus,
)

_BALLOTING = frozenset({ProposalStatus.balloting})

PROPOSALS: StateTable[ProposalAction, ProposalStatus, Move[ProposalStatus]] = StateTable(
    {
        ProposalAction.open_ballot: Move(frozenset({ProposalStatus.proposed}), ProposalStatus.balloting),
        ProposalAction.vote: Move(_BALLOTING, ProposalStatus.balloting),
        ProposalAction.record_paper_vote: Move(_BALLOTING, ProposalStatus.balloting),
        # Closing moves to adopted or rejected by the tally; the table names one target, the service the other.
        ProposalAction.close_ballot: Move(_BALLOTING, ProposalStatus.adopted),
        ProposalAction.withdraw: Move(
            frozenset({ProposalStatus.proposed, ProposalStatus.balloting}), ProposalStatus.withdrawn
        ),
    },
    noun="议案",
    state_labels=PROPOSAL_STATUS_LABELS,
    action_labels=PROPOSAL_ACTION_LABELS,
)
