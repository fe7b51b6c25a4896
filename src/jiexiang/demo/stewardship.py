"""The demo's alley keeping: four quasi-property companies under contract for the back alleys (each also routed the
garbage and small-ad cases of its alleys), a year of the subdistrict's monthly checks of their alleys against the 31
items — each company keeping its alleys a little better or worse than the others — and alley chiefs' 十有十无
walks; the chiefs' walks of the last month from their phones; most findings put right in time, some late, a few
never, which become cases for the company. All through the services users call."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiexiang.core.config import Settings
from jiexiang.core.geo import geometry_from_geojson
from jiexiang.core.time import BEIJING, Clock, to_local
from jiexiang.domains.accounts import service as accounts
from jiexiang.domains.accounts.models import User
from jiexiang.domains.cases.routing import create_rule
from jiexiang.domains.places.models import Alley
from jiexiang.domains.stewardship import checklists, service
from jiexiang.domains.stewardship.enums import ChecklistKind
from jiexiang.domains.stewardship.models import Contract
from jiexiang.domains.stewardship.schemas import ContractCreate, FindingCreate, InspectionCreate
from jiexiang.domains.workforce.enums import PositionSource
from jiexiang.domains.workforce.protocols import Fix
from jiexiang.domains.workforce.service import Incoming, record_positions
from jiexiang.jobs.stewardship import open_overdue

MONTHS = 12
PROPERTY_CHECKS_A_MONTH = 6  # alleys of each company checked each month
PATROLS_A_MONTH = 8
# Company → monthly fee (yuan) and how many findings its alleys tend to show (1 = as many as the average).
COMPANIES = {
    "长安物业管理有限公司": (Decimal("68000"), 1.0),
    "府右街准物业服务有限公司": (Decimal("52000"), 0.6),
    "灵境物业管理有限公司": (Decimal("57000"), 1.5),
    "六部口环境服务有限公司": (Decimal("45000"), 0.85),
}
COMPANY_GROUPS = ("garbage", "small_ads")  # what the company under contract handles in its alleys


def build_contracts(session: Session, *, clock: Clock) -> int:
    """A two-year contract per company over a quarter of the back alleys, from the first of the month a year ago;
    the routing rules send its alleys' garbage and small-ad cases to it."""
    alleys = list(session.scalars(select(Alley.id).where(Alley.is_back_alley.is_(True)).order_by(Alley.id)))
    today = to_local(clock.now()).date()
    start = date(today.year - 1, today.month, 1)
    share = -(-len(alleys) // len(COMPANIES))
    for number, (name, (fee, _)) in enumerate(COMPANIES.items()):
        unit = accounts.unit_by_name(session, name=name)
        assert unit is not None
        mine = alleys[number * share : (number + 1) * share]
        data = ContractCreate(
            code=f"XCA-ZWY-{start.year}-{number + 1:02d}",
            unit_id=unit.id,
            starts_on=start,
            ends_on=date(start.year + 2, start.month, 1) - timedelta(days=1),
            monthly_fee=fee,
            alley_ids=mine,
        )
        service.create_contract(session, data=data, now=clock.now())
        for alley_id in mine:
            for group in COMPANY_GROUPS:
                create_rule(session, unit_id=unit.id, group=group, alley_id=alley_id, clock=clock)
    return len(COMPANIES)


WALK_DAYS = 30  # the chiefs' walks of the last month, from their phones' fixes
FIXES_A_WALK = 12


def build_walks(session: Session, *, clock: Clock, seed: int) -> dict[str, int]:
    """Each alley chief walks their alleys on most working days of the last month (a phone fix every few
    seconds along each alley), recorded as any phone's positions are, which is what marks an alley walked."""
    rng = random.Random(seed + 23)
    now = clock.now()
    chiefs: dict[int, list[Alley]] = {}
    for alley in session.scalars(select(Alley).where(Alley.chief_id.is_not(None)).order_by(Alley.id)):
        chiefs.setdefault(alley.chief_id or 0, []).append(alley)
    fixes = 0
    for back in range(WALK_DAYS, 0, -1):
        day = to_local(now - timedelta(days=back)).date()
        if day.weekday() >= 5:
            continue
        for chief_id, alleys in chiefs.items():
            if rng.random() > 0.85:  # a day off, a meeting …
                continue
            at = datetime(day.year, day.month, day.day, 9, tzinfo=BEIJING) + timedelta(minutes=rng.uniform(0, 90))
            walk: list[Incoming] = []
            for alley in alleys:
                if rng.random() > 0.85:
                    continue
                line = geometry_from_geojson(alley.geometry)
                step = timedelta(seconds=alley.length_m / (FIXES_A_WALK - 1) / 1.2)  # a slow walk, 1.2 m/s
                for n in range(FIXES_A_WALK):
                    point = line.interpolate(n / (FIXES_A_WALK - 1), normalized=True)
                    fix = Fix(recorded_at=at.astimezone(UTC), lon=point.x, lat=point.y, accuracy_m=8.0)
                    walk.append(Incoming(chief_id, PositionSource.osmand, "demo-phone", fix))
                    at += step
                at += timedelta(minutes=rng.uniform(3, 10))  # on to the next alley
            fixes += len(record_positions(session, incoming=walk, now=at.astimezone(UTC)).accepted)
    return {"chief_fixes": fixes}


def build_inspections(
    session: Session, *, inspector: User, settings: Settings, clock: Clock, seed: int
) -> dict[str, int]:
    rng = random.Random(seed + 17)
    now = clock.now()
    contracts = list(session.scalars(select(Contract).order_by(Contract.id)))
    # The 十有十无 walks are the alley chiefs' own, on their alleys.
    chief_of = {
        a.id: a.chief for a in session.scalars(select(Alley).where(Alley.chief_id.is_not(None)).order_by(Alley.id))
    }
    made = 0
    for month in range(MONTHS, 0, -1):
        checks = [
            (alley.alley_id, ChecklistKind.property, COMPANIES[contract.unit.name][1])
            for contract in contracts
            for alley in rng.sample(contract.alleys, min(PROPERTY_CHECKS_A_MONTH, len(contract.alleys)))
        ]
        checks += [(a, ChecklistKind.patrol, 1.0) for a in rng.sample(sorted(chief_of), PATROLS_A_MONTH)]
        for alley_id, kind, sloppiness in checks:
            at = now - timedelta(days=30 * month - rng.uniform(0, 28))
            items = [i.code for c in checklists.current(kind, to_local(at).date()).categories for i in c.items]
            how_many = min(len(items), round(rng.choice((0, 0, 1, 1, 1, 2, 3)) * sloppiness))
            findings = [
                FindingCreate(item=code, count=rng.choice((1, 1, 1, 2)), after_complaint=rng.random() < 0.1)
                for code in rng.sample(items, how_many)
            ]
            data = InspectionCreate(alley_id=alley_id, kind=kind, findings=findings)
            by = chief_of[alley_id] if kind is ChecklistKind.patrol else inspector
            inspection = service.record_inspection(session, data=data, inspector=by, now=at)
            for finding in inspection.findings:
                fixed = finding.due_at + timedelta(hours=rng.uniform(-40, 30))
                if rng.random() < 0.9 and fixed < now:
                    service.fix_finding(session, finding_id=finding.id, photos=[], now=max(fixed, at))
            made += 1
    became_cases = 0
    while opened := open_overdue(session, settings=settings, clock=clock):
        became_cases += opened
    return {"inspections": made, "findings_became_cases": became_cases}
