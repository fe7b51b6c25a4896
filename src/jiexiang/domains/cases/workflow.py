"""The one function that writes a case's status (and appends the event that says so), by the table of
`stages.py`, and remarks on a case, which leave its stage as it is."""

from __future__ import annotations

from sqlalchemy.orm import Session

from jiexiang.core.errors import InvalidInput, PermissionDenied
from jiexiang.core.events import publish
from jiexiang.core.time import Clock, WorkCalendar
from jiexiang.domains.accounts.enums import Role
from jiexiang.domains.accounts.models import Unit, User
from jiexiang.domains.cases.enums import ACTION_LABELS, Action
from jiexiang.domains.cases.events import CaseChanged
from jiexiang.domains.cases.history import record_event
from jiexiang.domains.cases.models import Case, CaseEvent
from jiexiang.domains.cases.routing import suggest_unit
from jiexiang.domains.cases.sla import policy_for
from jiexiang.domains.cases.stages import TRANSITIONS, WORKFLOW, Transition
from jiexiang.domains.cases.taxonomy import load_taxonomy


def allowed_actions(case: Case, user: User) -> list[Action]:
    """The actions this user may take on this case now (for the buttons a screen shows)."""
    return [action for action, rule in TRANSITIONS.items() if _refusal(case, user, action, rule) is None]


def _status_refusal(case: Case, action: Action) -> str | None:
    return None if WORKFLOW.allows(action, case.status) else "status"


def _refusal(case: Case, user: User, action: Action, rule: Transition) -> str | None:
    if _status_refusal(case, action):
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
    actor: User | None,
    clock: Clock,
    calendar: WorkCalendar,
    note: str | None = None,
    unit_id: int | None = None,
    photos: list[str] | None = None,
) -> CaseEvent:
    """Take `action` on `case` as `actor`: the only place a case's status changes. Appends the event.

    No actor means the platform acts by a rule agreed beforehand, which the note names (a finding a company did not
    put right by its deadline is registered and dispatched to that company under its contract): the stages still
    apply, the roles do not, and the history says 系统."""
    rule = WORKFLOW.rule(action)
    if rule is None:
        raise InvalidInput(f"“{ACTION_LABELS[action]}”由系统记录，不能手动操作", code="not_a_transition")
    if actor is None and not (note and note.strip()):
        raise InvalidInput(f"系统{ACTION_LABELS[action]}须写明依据", code="note_required")
    refusal = _refusal(case, actor, action, rule) if actor is not None else _status_refusal(case, action)
    label = ACTION_LABELS[action]
    if refusal == "status":
        WORKFLOW.move(action, case.status)  # refuses, naming the stages it may be taken in
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
    if rule.handle_deadline is not None:
        limit = policy_for(load_taxonomy().categories[case.category_code]).handle
        start = now if rule.handle_deadline == "start" else max(case.handle_due_at or now, now)
        case.handle_due_at = limit.due(start, calendar)
    case.updated_at = now
    event = record_event(
        session,
        case=case,
        action=action,
        at=now,
        actor_id=actor.id if actor else None,
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
