"""Where cases begin: the one place a case is opened (first stage 采集, its 立案 and 结案 deadlines from its
category's limits on the working calendar, where it is and what still needs an operator) and the one place a
new report joins an open case. Intake decides which of the two each report is; this module writes it, in
bulk (one statement for a whole batch), as large exports need."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import Table, bindparam, case, insert, update
from sqlalchemy.orm import Session

from jiexiang.core.db import allocate_ids
from jiexiang.core.time import WorkCalendar
from jiexiang.domains.cases.enums import CaseStatus, ReviewReason
from jiexiang.domains.cases.models import Case
from jiexiang.domains.cases.sla import Policy, policy_for
from jiexiang.domains.cases.taxonomy import Category, load_taxonomy

_CASES = cast(Table, Case.__table__)


@dataclass(frozen=True)
class Areas:
    """The areas a located case lies in."""

    community_id: int | None
    grid_cell_id: int | None
    h3_cell: str


@dataclass
class NewCase:
    """A case about to be opened; reports of the same batch that join it count in before it is written."""

    category: Category
    reported_at: datetime
    description: str
    address_text: str | None
    lon: float | None
    lat: float | None
    alley_id: int | None
    areas: Areas | None  # None while the case has no location
    report_count: int = 1


class CaseOpener:
    """Opens cases counted on one working calendar (its deadline policies looked up once per category)."""

    def __init__(self, calendar: WorkCalendar) -> None:
        self.calendar = calendar
        self._policy = lru_cache(maxsize=None)(self._policy_uncached)

    @staticmethod
    def _policy_uncached(code: str) -> Policy:
        return policy_for(load_taxonomy().categories[code])

    def open(self, session: Session, cases: Sequence[NewCase], *, now: datetime) -> list[int]:
        """Insert `cases` (in one statement); returns their ids in the same order."""
        ids = allocate_ids(session, _CASES, len(cases))
        if cases:
            session.execute(insert(_CASES), [self._values(c, now) | {"id": i} for c, i in zip(cases, ids, strict=True)])
        return ids

    def _values(self, new: NewCase, now: datetime) -> dict[str, Any]:
        policy = self._policy(new.category.code)
        review = None if new.areas is not None else ReviewReason.location
        if new.category is load_taxonomy().unclassified:  # the category first: it decides who handles it
            review = ReviewReason.category
        return {
            "status": CaseStatus.reported,
            "register_due_at": policy.register.due(new.reported_at, self.calendar),
            "close_due_at": policy.close.due(new.reported_at, self.calendar),
            "category_code": new.category.code,
            "description": new.description,
            "address_text": new.address_text,
            "lon": new.lon,
            "lat": new.lat,
            "alley_id": new.alley_id,
            "community_id": new.areas.community_id if new.areas else None,
            "grid_cell_id": new.areas.grid_cell_id if new.areas else None,
            "h3_cell": new.areas.h3_cell if new.areas else None,
            "review_reason": review,
            "reported_at": new.reported_at,
            "report_count": new.report_count,
            "created_at": now,
            "updated_at": now,
        }


def join(session: Session, joined: dict[int, tuple[int, datetime]], *, now: datetime) -> None:
    """Count new reports into open cases: case id → (reports added, the earliest of them). A case reported
    earlier than it was known to be (an export filling in the past) moves its report time back."""
    if not joined:
        return
    session.execute(
        update(_CASES)
        .where(_CASES.c.id == bindparam("case_id"))
        .values(
            report_count=_CASES.c.report_count + bindparam("added"),
            reported_at=case(
                (_CASES.c.reported_at > bindparam("earliest"), bindparam("earliest")),
                else_=_CASES.c.reported_at,
            ),
            updated_at=now,
        ),
        [{"case_id": k, "added": n, "earliest": e} for k, (n, e) in joined.items()],
    )
