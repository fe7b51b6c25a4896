"""Two months of synthetic case history for the demo: hotline reports taken in through the real intake,
then worked through the real workflow by the demo's own staff, so that lists, deadlines and assessments
have something to show. Generated text and events, not real ones."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiexiang.core.config import Settings
from jiexiang.core.time import FixedClock, WorkCalendar
from jiexiang.demo.messages import TEMPLATES, message
from jiexiang.domains.accounts.enums import Role
from jiexiang.domains.accounts.models import User
from jiexiang.domains.cases.enums import Action, CaseStatus, ReportSource
from jiexiang.domains.cases.models import Case
from jiexiang.domains.cases.routing import suggest_unit
from jiexiang.domains.cases.workflow import transition
from jiexiang.ingest.incoming import IncomingReport
from jiexiang.ingest.service import Intake


def build_history(
    session: Session,
    *,
    settings: Settings,
    now: datetime,
    addresses: list[str],
    seed: int,
    days: int = 60,
    per_day: int = 10,
) -> int:
    """Import `days` × `per_day` reports and move the older cases along; returns the number of cases."""
    rng = random.Random(seed)
    codes = sorted(TEMPLATES)
    start = now - timedelta(days=days)
    items = []
    for i in range(days * per_day):
        code = rng.choice(codes)
        place = rng.choice(addresses)
        received = start + timedelta(minutes=rng.uniform(0, days * 24 * 60))
        received = received.replace(hour=rng.choice(range(7, 22)))  # people call in the daytime
        items.append(
            IncomingReport(
                source=ReportSource.hotline,
                external_id=f"DEMO{i:06d}",
                received_at=min(received, now),
                text=message(rng, code, place),
                raw={"demo": i},
                source_category=code,
                address=place,
                reporter_name=rng.choice("王李张刘陈杨赵黄") + rng.choice(["先生", "女士"]),
                reporter_phone=f"1390001{rng.randint(0, 9999):04d}",
            )
        )
    Intake(session, settings=settings, clock=FixedClock(now)).apply_many(items)
    calendar = WorkCalendar.load(working_hours=settings.working_hours, extra_dir=settings.calendar_dir)
    staff = _staff(session)
    cases = list(session.scalars(select(Case).where(Case.status == CaseStatus.reported).order_by(Case.reported_at)))
    for case in cases:
        _work(session, case, rng=rng, now=now, calendar=calendar, staff=staff)
    return len(cases)


def _staff(session: Session) -> dict[str, list[User]]:
    users = list(session.scalars(select(User).where(User.is_active)))
    return {
        "operator": [u for u in users if u.role is Role.operator],
        "dispatcher": [u for u in users if u.role is Role.dispatcher],
        "verifier": [u for u in users if u.role is Role.grid_worker],
        "admin": [u for u in users if u.role is Role.admin],
        "handlers": [u for u in users if u.role in (Role.handler, Role.steward)],
    }


def _work(
    session: Session,
    case: Case,
    *,
    rng: random.Random,
    now: datetime,
    calendar: WorkCalendar,
    staff: dict[str, list[User]],
) -> None:
    """Move one case as far as its age allows, each step some working time after the last."""
    moment = case.reported_at

    def step(action: Action, actor: User, hours: float, **extra: object) -> bool:
        nonlocal moment
        moment = calendar.add_working_hours(moment, hours) if _known(calendar, moment) else moment
        if moment >= now:
            return False
        transition(session, case=case, action=action, actor=actor, clock=FixedClock(moment), calendar=calendar, **extra)  # type: ignore[arg-type]
        return True

    if rng.random() < 0.04:
        step(Action.reject, rng.choice(staff["operator"]), rng.uniform(0.2, 2), note="重复反映或不属于城市管理事项")
        return
    if not step(Action.register, rng.choice(staff["operator"]), rng.uniform(0.2, 3)):
        return
    unit = suggest_unit(session, case)
    if unit is None or not step(Action.dispatch, rng.choice(staff["dispatcher"]), rng.uniform(0.1, 2), unit_id=unit.id):
        return
    handlers = [u for u in staff["handlers"] if u.unit_id == unit.id] or staff["admin"]
    handler = rng.choice(handlers)
    if not step(Action.accept, handler, rng.uniform(0.2, 4)):
        return
    if not step(Action.feedback, handler, rng.uniform(1, 30), note="已处置完毕"):
        return
    verifier = rng.choice(staff["verifier"])
    if rng.random() < 0.08:
        if not step(Action.rework, verifier, rng.uniform(0.5, 6), note="现场核查未处置到位"):
            return
        if not step(Action.feedback, handler, rng.uniform(1, 12), note="已重新处置"):
            return
    step(Action.verify, verifier, rng.uniform(0.5, 8))


def _known(calendar: WorkCalendar, moment: datetime) -> bool:
    return moment.year in calendar.years
