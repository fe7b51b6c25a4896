"""The 数字城管 case workflow as data: which action moves a case from which stages to which, who may
take it, and the one function that writes a case's status (and appends the event that says so).

    采集 reported ─立案─▶ registered ─派遣─▶ dispatched ─接收─▶ handling ─反馈─▶ verifying ─核查通过─▶ closed
        └─不予立案─▶ rejected        ▲   回退（非本单位）◀┘ ◀────────┘     返工 ◀─┘ (核查不通过)
                                     └──────────────────────────┘          延期: handling stays handling
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from jiexiang.core.errors import InvalidInput, PermissionDenied
from jiexiang.core.events import publish
from jiexiang.core.time import Clock, WorkCalendar
from jiexiang.domains.accounts.enums import Role
from jiexiang.domains.accounts.models import Unit, User
from jiexiang.domains.cases.enums import ACTION_LABELS, STATUS_LABELS, Action, CaseStatus
from jiexiang.domains.cases.events import CaseChanged
from jiexiang.domains.cases.history import record_event
from jiexiang.domains.cases.models import Case, CaseEvent
from jiexiang.domains.cases.routing import suggest_unit
from jiexiang.domains.cases.sla import policy_for
from jiexiang.domains.cases.taxonomy import load_taxonomy

S = CaseStatus


@dataclass(frozen=True)
class Transition:
    sources: frozenset[CaseStatus]
    target: CaseStatus
    roles: frozenset[Role]
    stamp: str | None = None  # the Case column that records when this stage began
    counter: str | None = None  # the Case column counting how often it happened
    needs_unit: bool = False  # the action names the handling unit (派遣)
    needs_note: bool = False  # the action must say why
    own_unit_only: bool = False  # a handler may act only on cases of their own unit


_ADMIN = frozenset({Role.admin})
TRANSITIONS: dict[Action, Transition] = {
    Action.register: Transition(frozenset({S.reported}), S.registered, _ADMIN | {Role.operator}, "registered_at"),
    Action.reject: Transition(
        frozenset({S.reported}), S.rejected, _ADMIN | {Role.operator}, "rejected_at", needs_note=True
    ),
    Action.dispatch: Transition(
        frozenset({S.registered}), S.dispatched, _ADMIN | {Role.dispatcher}, "dispatched_at", needs_unit=True
    ),
    Action.accept: Transition(
        frozenset({S.dispatched}), S.handling, _ADMIN | {Role.handler, Role.steward}, "handling_at", own_unit_only=True
    ),
    Action.return_: Transition(
        frozenset({S.dispatched, S.handling}),
        S.registered,
        _ADMIN | {Role.handler, Role.steward},
        counter="return_count",
        needs_note=True,
        own_unit_only=True,
    ),
    Action.extend: Transition(
        frozenset({S.handling}), S.handling, _ADMIN | {Role.dispatcher}, counter="extension_count", needs_note=True
    ),
    Action.feedback: Transition(
        frozenset({S.handling}), S.verifying, _ADMIN | {Role.handler, Role.steward}, "feedback_at", own_unit_only=True
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


def allowed_actions(case: Case, user: User) -> list[Action]:
    """The actions this user may take on this case now (for the buttons a screen shows)."""
    return [action for action, rule in TRANSITIONS.items() if _refusal(case, user, rule) is None]


def _refusal(case: Case, user: User, rule: Transition) -> str | None:
    if case.status not in rule.sources:
        return "status"
    if user.role not in rule.roles:
        return "role"
    if rule.own_unit_only and user.role is not Role.admin and user.unit_id != case.handling_unit_id:
        return "unit"
    return None


def transition(
    session: Session,
    *,
    case: Case,
    action: Action,
    actor: User,
    clock: Clock,
    calendar: WorkCalendar,
    note: str | None = None,
    unit_id: int | None = None,
    photos: list[str] | None = None,
) -> CaseEvent:
    """Take `action` on `case` as `actor`: the only place a case's status changes. Appends the event."""
    rule = TRANSITIONS.get(action)
    if rule is None:
        raise InvalidInput(f"“{ACTION_LABELS[action]}”由系统记录，不能手动操作", code="not_a_transition")
    refusal = _refusal(case, actor, rule)
    label = ACTION_LABELS[action]
    if refusal == "status":
        allowed = "、".join(STATUS_LABELS[s] for s in sorted(rule.sources))
        raise InvalidInput(
            f"案件当前处于“{STATUS_LABELS[case.status]}”阶段，不能{label}（只有“{allowed}”阶段可以）",
            code="illegal_transition",
        )
    if refusal == "role":
        raise PermissionDenied(f"您的角色不能对案件进行“{label}”操作", code="forbidden_transition")
    if refusal == "unit":
        raise PermissionDenied(f"该案件不是派给您单位的，不能{label}", code="not_your_unit")
    if rule.needs_note and not (note and note.strip()):
        raise InvalidInput(f"{label}需要填写说明", code="note_required")
    if rule.needs_unit:
        if unit_id is None:  # take the routing rules' suggestion
            suggested = suggest_unit(session, case)
            if suggested is None:
                raise InvalidInput("没有适用的派遣规则，请指定处置单位", code="unit_required")
            unit_id = suggested.id
        elif session.get(Unit, unit_id) is None:
            raise InvalidInput(f"处置单位 {unit_id} 不存在", code="unit_required")
        case.handling_unit_id = unit_id
    now = clock.now()
    from_status, unit_before = case.status, case.handling_unit_id  # the event names the unit that acted or was sent
    case.status = rule.target
    if rule.stamp is not None:
        setattr(case, rule.stamp, now)
    if rule.counter is not None:
        setattr(case, rule.counter, getattr(case, rule.counter) + 1)
    if action is Action.return_:
        case.handling_unit_id = None  # back to the dispatcher, who sends it to the right unit
    if action in (Action.dispatch, Action.extend):
        # 派遣 starts the handling time; 延期 grants one more handling period from the current deadline.
        limit = policy_for(load_taxonomy().categories[case.category_code]).handle
        start = now if action is Action.dispatch else max(case.handle_due_at or now, now)
        case.handle_due_at = limit.due(start, calendar)
    case.updated_at = now
    event = record_event(
        session,
        case=case,
        action=action,
        at=now,
        actor_id=actor.id,
        from_status=from_status,
        unit_id=unit_before,
        note=note,
        photos=photos or (),
    )
    session.flush()
    publish(session, CaseChanged.of(case, action))
    return event


def comment(
    session: Session, *, case: Case, actor: User, clock: Clock, note: str | None, photos: list[str]
) -> CaseEvent:
    """A remark or attachment on a case, in its history like every change; the stage stays as it is."""
    if not (note and note.strip()) and not photos:
        raise InvalidInput("请填写备注或附上照片", code="comment_empty")
    now = clock.now()
    event = record_event(
        session,
        case=case,
        action=Action.comment,
        at=now,
        actor_id=actor.id,
        note=note.strip() if note else None,
        photos=photos,
    )
    case.updated_at = now
    session.flush()
    return event
