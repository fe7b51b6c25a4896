"""The 数字城管 workflow as data: which action moves a case from which stages to which, who may take it, what
it records, and which deadline runs in each stage. `workflow.transition` applies it; `sla` reads the deadlines.

    采集 reported ─立案─▶ registered ─派遣─▶ dispatched ─接收─▶ handling ─反馈─▶ verifying ─核查通过─▶ closed
        └─不予立案─▶ rejected        ▲   回退（非本单位）◀┘ ◀────────┘     返工 ◀─┘ (核查不通过)
                                     └──────────────────────────┘          延期: handling stays handling
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from jiexiang.core.states import Move, StateTable
from jiexiang.domains.accounts.enums import Role
from jiexiang.domains.accounts.permissions import Permission, roles_with
from jiexiang.domains.cases.enums import ACTION_LABELS, STATUS_LABELS, Action, CaseStatus

Deadline = Literal["register", "handle", "close"]  # the three limits of a category's policy (sla.toml)

# The deadline that runs in each open stage besides 结案 (which runs from the report until the case is closed).
STAGE_DEADLINE: dict[CaseStatus, Deadline] = {
    CaseStatus.reported: "register",
    CaseStatus.dispatched: "handle",
    CaseStatus.handling: "handle",
}


@dataclass(frozen=True)
class Transition(Move[CaseStatus]):
    roles: frozenset[Role]
    stamp: str | None = None  # the Case column that records when this stage began
    counter: str | None = None  # the Case column counting how often it happened
    needs_unit: bool = False  # the action names the handling unit (派遣)
    needs_note: bool = False  # the action must say why
    own_unit_only: bool = False  # a handler may act only on cases of their own unit
    # 派遣 starts the handling time ("start"); 延期 grants one more period from the current deadline ("extend").
    handle_deadline: Literal["start", "extend"] | None = None


S = CaseStatus
_ADMIN = frozenset({Role.admin})
_UNITS = roles_with(Permission.cases_handle)  # the handling units' accounts
TRANSITIONS: dict[Action, Transition] = {
    Action.register: Transition(frozenset({S.reported}), S.registered, _ADMIN | {Role.operator}, "registered_at"),
    Action.reject: Transition(
        frozenset({S.reported}), S.rejected, _ADMIN | {Role.operator}, "rejected_at", needs_note=True
    ),
    Action.dispatch: Transition(
        frozenset({S.registered}),
        S.dispatched,
        _ADMIN | {Role.dispatcher},
        "dispatched_at",
        needs_unit=True,
        handle_deadline="start",
    ),
    Action.accept: Transition(
        frozenset({S.dispatched}), S.handling, _ADMIN | _UNITS, "handling_at", own_unit_only=True
    ),
    Action.return_: Transition(
        frozenset({S.dispatched, S.handling}),
        S.registered,
        _ADMIN | _UNITS,
        counter="return_count",
        needs_note=True,
        own_unit_only=True,
    ),
    Action.extend: Transition(
        frozenset({S.handling}),
        S.handling,
        _ADMIN | {Role.dispatcher},
        counter="extension_count",
        needs_note=True,
        handle_deadline="extend",
    ),
    Action.feedback: Transition(
        frozenset({S.handling}), S.verifying, _ADMIN | _UNITS, "feedback_at", own_unit_only=True
    ),
    Action.verify: Transition(
        frozenset({S.verifying}), S.closed, _ADMIN | {Role.grid_worker, Role.alley_chief}, "closed_at"
    ),
    Action.rework: Transition(
        frozenset({S.verifying}),
        S.handling,
        _ADMIN | {Role.grid_worker, Role.alley_chief},
        "handling_at",
        counter="rework_count",
        needs_note=True,
    ),
}
WORKFLOW = StateTable(TRANSITIONS, noun="案件", state_labels=STATUS_LABELS, action_labels=ACTION_LABELS)
