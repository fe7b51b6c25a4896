"""Two years of synthetic case history for the demo: hotline reports taken in through the real intake,
then worked through the real workflow by the demo's own staff (and each 12345 ticket through its loop), so that
lists, deadlines, assessments, the hotline's rates and analytics have something to show. Generated text and
events, not real ones — but with the structure real service requests have, for the analytics to find (or to
miss): each category has its own rate, a few persistent hotspots, a weekly and a seasonal cycle (waterlogging in
the July–August rains, vending and noise on summer evenings, potholes after the spring thaw), hours of the day
when people call, and for defects near-repeats — another report a few doors away within two weeks."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiexiang.core.config import Settings
from jiexiang.core.time import FixedClock, WorkCalendar, to_local
from jiexiang.demo.hotline import past_campaigns, ticket_fields, work_tickets
from jiexiang.demo.messages import message
from jiexiang.domains.accounts.enums import Role
from jiexiang.domains.accounts.models import User
from jiexiang.domains.cases.calendars import load_calendar
from jiexiang.domains.cases.enums import Action, CaseStatus, ReportSource
from jiexiang.domains.cases.models import Case
from jiexiang.domains.cases.routing import suggest_unit
from jiexiang.domains.cases.workflow import transition
from jiexiang.ingest.incoming import IncomingReport
from jiexiang.ingest.service import Intake

SUMMER = {6: 1.4, 7: 1.5, 8: 1.5, 9: 1.2}
RAINS = {7: 25.0, 8: 20.0, 6: 4.0, 9: 3.0}
THAW = {2: 1.6, 3: 1.8, 4: 1.4}
WINTER = {11: 1.3, 12: 1.4, 1: 1.4, 2: 1.2}
SPRING = {4: 1.4, 5: 1.3}


@dataclass(frozen=True)
class Pattern:
    """How one category behaves in the demo subdistrict."""

    per_day: float
    hotspots: int = 3  # addresses that keep coming back
    hotspot_share: float = 0.4
    weekend: float = 1.0  # Saturday and Sunday multiplier
    season: dict[int, float] | None = None  # month → multiplier
    hours: tuple[int, int] = (7, 21)  # when people call
    repeats: float = 0.0  # mean further reports a few doors away within two weeks


PATTERNS: dict[str, Pattern] = {
    "1101": Pattern(0.8, hotspots=4, hotspot_share=0.5, weekend=1.2, season=SPRING, repeats=0.3),
    "1102": Pattern(0.25, hotspots=2, hotspot_share=0.5, weekend=1.4, repeats=0.2),
    "1103": Pattern(0.5, season=SUMMER, repeats=0.2),
    "1104": Pattern(0.4, weekend=1.3, season=SUMMER),
    "1201": Pattern(0.3, hotspots=3, hotspot_share=0.6, repeats=0.5),
    "1301": Pattern(0.12, hotspot_share=0.2, season=SPRING, repeats=0.1),
    "1401": Pattern(0.01, hotspots=3, hotspot_share=0.7, season=RAINS, hours=(5, 23), repeats=1.0),
    "1501": Pattern(0.6, hotspots=4, hotspot_share=0.5, weekend=1.3, hours=(8, 22)),
    "1502": Pattern(0.2, hotspots=2, weekend=1.2),
    "1503": Pattern(0.3, hotspots=3, hotspot_share=0.5, weekend=1.4, season=SUMMER, hours=(16, 22)),
    "1504": Pattern(0.4, hotspots=3, hotspot_share=0.6, weekend=1.5, season=SUMMER, hours=(17, 22)),
    "1505": Pattern(0.25, hotspots=2, weekend=1.5, season=SUMMER, hours=(19, 24)),
    "1601": Pattern(0.25, hotspot_share=0.2, season=THAW, repeats=0.6),
    "1602": Pattern(0.15, hotspot_share=0.2, season=THAW, repeats=0.5),
    "1701": Pattern(0.1, season=SPRING, repeats=0.2),
    "0117": Pattern(0.08, hotspot_share=0.1, repeats=1.2),
    "0114": Pattern(0.2, hotspot_share=0.1, season=WINTER, hours=(17, 23), repeats=0.8),
    "0305": Pattern(0.12, repeats=0.4),
    "0206": Pattern(0.1, repeats=0.4),
}


def build_history(
    session: Session,
    *,
    settings: Settings,
    now: datetime,
    addresses: list[tuple[str, str]],
    seed: int,
    days: int = 730,
) -> int:
    """Import `days` of reports (addresses as (name, alley code), in order along each alley) and move the
    cases along as far as their age allows; returns the number of cases."""
    rng = random.Random(seed)
    items = []
    callers: dict[tuple[str, int], tuple[str, datetime]] = {}  # (category, address) → the last caller and when
    for i, (when, code, where) in enumerate(sorted(_occurrences(rng, now=now, days=days, addresses=addresses))):
        phone = f"1390001{rng.randint(0, 9999):04d}"
        earlier = callers.get((code, where))
        if earlier is not None and when - earlier[1] < timedelta(days=20) and rng.random() < 0.3:
            phone = earlier[0]  # the same caller again: still not fixed
        callers[(code, where)] = (phone, when)
        items.append(
            IncomingReport(
                source=ReportSource.hotline,
                external_id=f"DEMO{i:06d}",
                received_at=when,
                text=message(rng, code, addresses[where][0]),
                raw={"demo": i},
                source_category=code,
                address=addresses[where][0],
                reporter_name=rng.choice("王李张刘陈杨赵黄") + rng.choice(["先生", "女士"]),
                reporter_phone=phone,
                ticket=ticket_fields(rng, when),
            )
        )
    Intake(session, settings=settings, clock=FixedClock(now)).apply_many(items)
    calendar = load_calendar(session, settings)
    staff = _staff(session)
    cases = list(session.scalars(select(Case).where(Case.status == CaseStatus.reported).order_by(Case.reported_at)))
    for case in cases:
        _work(session, case, rng=rng, now=now, calendar=calendar, staff=staff)
    session.flush()
    work_tickets(session, rng=rng, now=now)
    past_campaigns(session, rng=rng, now=now)
    return len(cases)


def _occurrences(
    rng: random.Random, *, now: datetime, days: int, addresses: list[tuple[str, str]]
) -> list[tuple[datetime, str, int]]:
    """(when, category, address index) of every report, following each category's pattern."""
    start = now - timedelta(days=days)
    found: list[tuple[datetime, str, int]] = []
    for code, pattern in sorted(PATTERNS.items()):
        spots = rng.sample(range(len(addresses)), pattern.hotspots)
        for day in range(days):
            date = to_local(start + timedelta(days=day))
            rate = pattern.per_day * (pattern.season or {}).get(date.month, 1.0)
            rate *= pattern.weekend if date.weekday() >= 5 else 1.0
            for _ in range(_poisson(rng, rate)):
                where = rng.choice(spots) if rng.random() < pattern.hotspot_share else rng.randrange(len(addresses))
                when = _during(rng, start + timedelta(days=day), pattern.hours)
                found.append((when, code, where))
                for _ in range(_poisson(rng, pattern.repeats)):  # a few doors away, within a fortnight
                    later = when + timedelta(days=rng.uniform(0.5, 14))
                    found.append((later, code, _next_door(rng, addresses, where)))
    return [(when, code, where) for when, code, where in found if when < now]


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method; means here are small."""
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _during(rng: random.Random, day: datetime, hours: tuple[int, int]) -> datetime:
    local = to_local(day).replace(hour=0, minute=0, second=0, microsecond=0)
    return local + timedelta(hours=rng.uniform(hours[0], hours[1]))


def _next_door(rng: random.Random, addresses: list[tuple[str, str]], where: int) -> int:
    alley = addresses[where][1]
    choices = [i for i in range(max(0, where - 4), min(len(addresses), where + 5)) if addresses[i][1] == alley]
    return rng.choice(choices)


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
