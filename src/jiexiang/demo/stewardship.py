"""The demo's inspections: three months of the subdistrict's monthly checks of the quasi-property companies' alleys
against the 31 items, and alley chiefs' 十有十无 walks; most findings put right in time, some late, a few still
open. All through the services users call."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiexiang.domains.accounts.models import User
from jiexiang.domains.places.models import Alley
from jiexiang.domains.stewardship import checklists, service
from jiexiang.domains.stewardship.enums import ChecklistKind
from jiexiang.domains.stewardship.schemas import FindingCreate, InspectionCreate

MONTHS = 3
ALLEYS_A_MONTH = 20


def build_inspections(session: Session, *, inspector: User, now: datetime, seed: int) -> dict[str, int]:
    rng = random.Random(seed + 17)
    alleys = list(session.scalars(select(Alley).where(Alley.is_back_alley.is_(True)).order_by(Alley.id)))
    made = 0
    for month in range(MONTHS, 0, -1):
        for alley in rng.sample(alleys, min(ALLEYS_A_MONTH, len(alleys))):
            kind = ChecklistKind.property if rng.random() < 0.7 else ChecklistKind.patrol
            at = now - timedelta(days=30 * month - rng.uniform(0, 25))
            items = [i.code for c in checklists.current(kind, at.date()).categories for i in c.items]
            findings = [
                FindingCreate(item=code, count=rng.choice((1, 1, 1, 2, 3)), after_complaint=rng.random() < 0.15)
                for code in rng.sample(items, rng.choice((0, 1, 1, 2, 2, 3, 4)))
            ]
            data = InspectionCreate(alley_id=alley.id, kind=kind, findings=findings)
            inspection = service.record_inspection(session, data=data, inspector=inspector, now=at)
            for finding in inspection.findings:
                fixed = finding.due_at + timedelta(hours=rng.uniform(-40, 30))
                if rng.random() < 0.9 and fixed < now:
                    service.fix_finding(session, finding_id=finding.id, photos=[], now=max(fixed, at))
            made += 1
    return {"inspections": made}
