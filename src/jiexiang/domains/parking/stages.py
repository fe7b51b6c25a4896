"""The state tables of an application (waiting → granted / withdrawn / refused) and of a permit (active →
revoked / transferred; a renewal keeps it active). An expired permit is one whose `valid_until` has passed."""

from __future__ import annotations

from jiexiang.core.states import Move, StateTable
from jiexiang.domains.parking.enums import (
    APPLICATION_ACTION_LABELS,
    APPLICATION_STATUS_LABELS,
    PERMIT_ACTION_LABELS,
    PERMIT_STATUS_LABELS,
    ApplicationAction,
    ApplicationStatus,
    PermitAction,
    PermitStatus,
)

_WAITING = frozenset({ApplicationStatus.waiting})
APPLICATIONS: StateTable[ApplicationAction, ApplicationStatus, Move[ApplicationStatus]] = StateTable(
    {
        ApplicationAction.grant: Move(_WAITING, ApplicationStatus.granted),
        ApplicationAction.withdraw: Move(_WAITING, ApplicationStatus.withdrawn),
        ApplicationAction.refuse: Move(_WAITING, ApplicationStatus.refused),
    },
    noun="停车申请",
    state_labels=APPLICATION_STATUS_LABELS,
    action_labels=APPLICATION_ACTION_LABELS,
)

_ACTIVE = frozenset({PermitStatus.active})
PERMITS: StateTable[PermitAction, PermitStatus, Move[PermitStatus]] = StateTable(
    {
        PermitAction.renew: Move(_ACTIVE, PermitStatus.active),
        PermitAction.revoke: Move(_ACTIVE, PermitStatus.revoked),
        PermitAction.transfer: Move(_ACTIVE, PermitStatus.transferred),
    },
    noun="停车证",
    state_labels=PERMIT_STATUS_LABELS,
    action_labels=PERMIT_ACTION_LABELS,
)
