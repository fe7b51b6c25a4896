"""A ticket's life as two tables: its course (open → finished, or handed back through a return the centre
decides) and, beside it, an appeal (申诉) the centre accepts or rejects. Each step names the permission it needs
and what it must carry. And a proactive task's: open until finished (with evidence) or cancelled."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jiexiang.core.states import Move, StateTable
from jiexiang.domains.accounts.models import User
from jiexiang.domains.accounts.permissions import Permission, can
from jiexiang.domains.hotline.enums import (
    ACTION_LABELS,
    APPEAL_LABELS,
    STATUS_LABELS,
    TASK_ACTION_LABELS,
    TASK_STATUS_LABELS,
    AppealStatus,
    TaskAction,
    TaskStatus,
    TicketAction,
    TicketStatus,
)
from jiexiang.domains.hotline.models import Ticket


@dataclass(frozen=True)
class Step(Move[Any]):
    permission: Permission
    needs_note: bool = False  # what was agreed, done, replied, or why


_HANDLE, _DECIDE = Permission.hotline_handle, Permission.hotline_manage
_OPEN = frozenset({TicketStatus.open})
T = TicketStatus

COURSE = StateTable(
    {
        TicketAction.contact: Step(_OPEN, T.open, _HANDLE, needs_note=True),
        TicketAction.handle: Step(_OPEN, T.open, _HANDLE, needs_note=True),
        TicketAction.extend: Step(_OPEN, T.open, _DECIDE, needs_note=True),
        TicketAction.reply: Step(_OPEN, T.finished, _HANDLE, needs_note=True),
        TicketAction.return_: Step(_OPEN, T.returning, _HANDLE, needs_note=True),
        TicketAction.accept_return: Step(frozenset({T.returning}), T.returned, _DECIDE),
        TicketAction.refuse_return: Step(frozenset({T.returning}), T.open, _DECIDE, needs_note=True),
    },
    noun="工单",
    state_labels=STATUS_LABELS,
    action_labels=ACTION_LABELS,
)

A = AppealStatus
APPEALS = StateTable(
    {
        TicketAction.appeal: Step(frozenset({A.none}), A.pending, _HANDLE, needs_note=True),
        TicketAction.accept_appeal: Step(frozenset({A.pending}), A.accepted, _DECIDE, needs_note=True),
        TicketAction.reject_appeal: Step(frozenset({A.pending}), A.rejected, _DECIDE, needs_note=True),
    },
    noun="工单申诉",
    state_labels=APPEAL_LABELS,
    action_labels=ACTION_LABELS,
)


def table_of(action: TicketAction) -> StateTable[TicketAction, Any, Step]:
    return APPEALS if action in APPEALS.moves else COURSE


TASKS = StateTable(
    {
        TaskAction.finish: Move(frozenset({TaskStatus.open}), TaskStatus.done),
        TaskAction.cancel: Move(frozenset({TaskStatus.open}), TaskStatus.cancelled),
    },
    noun="主动治理任务",
    state_labels=TASK_STATUS_LABELS,
    action_labels=TASK_ACTION_LABELS,
)


def allowed_actions(ticket: Ticket, user: User) -> list[TicketAction]:
    """The steps `user` may take on `ticket` now (what the page offers)."""
    return [
        action
        for action in TicketAction
        if can(user.role, table_of(action).moves[action].permission)
        and table_of(action).allows(action, ticket.appeal if action in APPEALS.moves else ticket.status)
    ]
