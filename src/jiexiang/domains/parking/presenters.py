"""Parking rows as the routes give them: lots with their counts and current window, applications, permits."""

from __future__ import annotations

import json
from datetime import date, datetime

from jiexiang.core.errors import Conflict
from jiexiang.core.time import WorkCalendar
from jiexiang.domains.parking.models import Agreement, Application, Lot, Permit, Violation, Visit
from jiexiang.domains.parking.schemas import (
    AgreementRead,
    ApplicationRead,
    LotRead,
    PermitRead,
    ViolationRead,
    VisitRead,
)
from jiexiang.domains.parking.stays import minutes_outside
from jiexiang.domains.parking.terms import allowance, terms_of
from jiexiang.domains.places.models import Household


def household_label(household: Household) -> str:
    return f"{household.address.name} {household.label}"


def agreement_read(agreement: Agreement) -> AgreementRead:
    return AgreementRead(
        id=agreement.id,
        lender_id=agreement.lender_id,
        lender_name=agreement.lender.name,
        spaces=agreement.spaces,
        window=agreement.window.label(),
        window_start=agreement.window_start,
        window_end=agreement.window_end,
        days=agreement.days,
        monthly_fee=agreement.monthly_fee,
        starts_on=agreement.starts_on,
        ends_on=agreement.ends_on,
        suspended_at=agreement.suspended_at,
        suspended_reason=agreement.suspended_reason,
    )


def lot_read(
    lot: Lot, *, spaces: int, held: int, waiting: int, day: date, moment: datetime, calendar: WorkCalendar
) -> LotRead:
    try:
        window = terms_of(lot, day).window
    except Conflict:
        window = None  # retired, or no agreement in force: nobody may park on a permit now
    return LotRead(
        id=lot.id,
        name=lot.name,
        kind=lot.kind,
        geometry=json.loads(lot.geometry),
        lon=lot.lon,
        lat=lot.lat,
        community_id=lot.community_id,
        alley_id=lot.alley_id,
        operator=lot.operator,
        monthly_fee=lot.monthly_fee,
        spaces=spaces,
        held=held,
        waiting=waiting,
        window=window.label() if window else None,
        open_now=window is not None and window.is_open(moment, calendar),
        lender_name=lot.lender.name if lot.lender else None,
        rule_id=lot.rule_id,
        rule_title=lot.rule.title if lot.rule else None,
        agreements=[agreement_read(a) for a in lot.agreements],
    )


def application_read(
    application: Application, *, position: int | None = None, permit_id: int | None = None
) -> ApplicationRead:
    return ApplicationRead(
        id=application.id,
        household_id=application.household_id,
        household=household_label(application.household),
        lot_id=application.lot_id,
        lot_name=application.lot.name,
        plate=application.plate,
        priority_groups=application.priority_groups,
        proof_photos=application.proof_photos,
        status=application.status,
        applied_at=application.applied_at,
        decided_at=application.decided_at,
        note=application.note,
        position=position,
        permit_id=permit_id,
    )


def permit_read(permit: Permit, *, day: date) -> PermitRead:
    return PermitRead(
        id=permit.id,
        household_id=permit.household_id,
        household=household_label(permit.household),
        plate=permit.plate,
        lot_id=permit.lot_id,
        lot_name=permit.lot.name,
        lot_kind=permit.lot.kind,
        space_id=permit.space_id,
        space_code=permit.space.code,
        valid_from=permit.valid_from,
        valid_until=permit.valid_until,
        window=permit.window.label(),
        status=permit.status,
        valid_today=permit.status == "active" and permit.valid_from <= day < permit.valid_until,
        suspended_until=permit.suspended_until if permit.suspended_until and permit.suspended_until > day else None,
        issued_at=permit.issued_at,
        ended_at=permit.ended_at,
        end_reason=permit.end_reason,
        previous_id=permit.previous_id,
    )


def visit_read(visit: Visit, *, now: datetime, calendar: WorkCalendar, grace_minutes: int) -> VisitRead:
    present = visit.departed_at is None
    if present:
        held = allowance(visit.permit) if visit.permit else None
        outside = minutes_outside(visit.arrived_at, max(now, visit.arrived_at), held, calendar)
    else:
        outside = visit.minutes_outside or 0
    return VisitRead(
        id=visit.id,
        lot_id=visit.lot_id,
        lot_name=visit.lot.name,
        lot_kind=visit.lot.kind,
        space_code=visit.space.code if visit.space else None,
        plate=visit.plate,
        permit_id=visit.permit_id,
        source=visit.source,
        arrived_at=visit.arrived_at,
        departed_at=visit.departed_at,
        minutes_outside=outside,
        overstaying=present and (visit.permit_id is None or outside > grace_minutes),
        photos=visit.photos,
    )


def violation_read(violation: Violation) -> ViolationRead:
    return ViolationRead(
        id=violation.id,
        visit_id=violation.visit_id,
        lot_id=violation.lot_id,
        lot_name=violation.lot.name,
        plate=violation.plate,
        permit_id=violation.permit_id,
        kind=violation.kind,
        occurred_at=violation.occurred_at,
        minutes=violation.minutes,
        ordinal=violation.ordinal,
        fine=violation.fine,
        suspended_until=violation.suspended_until,
        arrived_at=violation.visit.arrived_at,
        departed_at=violation.visit.departed_at,
        photos=violation.visit.photos,
    )
