"""Parking's writes about permits: applications, allocation from a lot's waiting list, renewal, revocation and
transfer. A space is held through claims (see `models.SpaceClaim`), which the database refuses to overlap."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ColumnElement, delete, exists, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, lazyload

from jiexiang.core.db import add_unique, locked, serialize_on
from jiexiang.core.errors import Conflict, InvalidInput, NotFound
from jiexiang.domains.accounts.models import User
from jiexiang.domains.parking.enums import ApplicationAction, ApplicationStatus, PermitAction, PermitStatus
from jiexiang.domains.parking.models import Application, Lot, Permit, Space, SpaceClaim
from jiexiang.domains.parking.rules import ParkingRules
from jiexiang.domains.parking.schemas import ApplicationCreate
from jiexiang.domains.parking.stages import APPLICATIONS, PERMITS
from jiexiang.domains.parking.terms import (
    Terms,
    add_months,
    holders,
    in_queue_order,
    permits_held,
    terms_of,
    today,
)
from jiexiang.domains.parking.windows import Window
from jiexiang.domains.places import households
from jiexiang.domains.places.models import Household

# How many free-looking spaces to try when the database refuses a claim (another transaction took the space).
_ATTEMPTS = 20


def _open_lot(session: Session, lot_id: int) -> Lot:
    lot = session.get(Lot, lot_id)
    if lot is None:
        raise NotFound(f"没有编号为 {lot_id} 的停车场", code="lot_not_found")
    return lot


def apply(
    session: Session,
    *,
    household: Household,
    applicant: User | None,
    data: ApplicationCreate,
    rules: ParkingRules,
    now: datetime,
) -> Application:
    """Put a household's application in the lot's waiting list, and give out what the list allows at once."""
    plate = rules.check_plate(data.plate)
    groups = rules.check_groups(data.priority_groups)
    lot = _open_lot(session, data.lot_id)
    terms_of(lot, today(now))  # refuse at once what could never be granted
    if permits_held(session, household_id=household.id, day=today(now)) >= rules.max_permits_per_household:
        raise Conflict(f"每户最多持有 {rules.max_permits_per_household} 张停车证，该户已达上限", code="permit_limit")
    application = Application(
        household_id=household.id,
        applicant_id=applicant.id if applicant else None,
        lot_id=lot.id,
        plate=plate,
        priority_groups=groups,
        proof_photos=data.proof_photos,
        status=ApplicationStatus.waiting,
        applied_at=now,
    )
    waiting = Conflict(f"该户在“{lot.name}”已有排队中的申请，请勿重复申请", code="already_waiting")
    add_unique(session, application, taken=waiting)
    allocate(session, lot_id=lot.id, rules=rules, now=now)
    return application


def allocate(session: Session, *, lot_id: int, rules: ParkingRules, now: datetime) -> list[Permit]:
    """Give the lot's free spaces to its waiting list, in the rules' order, until either runs out. One allocation
    per lot at a time: the order is decided by looking at the whole list."""
    serialize_on(session, [f"parking-lot:{lot_id}"])
    lot = _open_lot(session, lot_id)
    day = today(now)
    try:
        terms = terms_of(lot, day)
    except Conflict:
        return []  # nothing can be given out in this lot today; the list waits
    waiting = list(
        session.scalars(
            select(Application)
            .where(Application.lot_id == lot_id, Application.status == ApplicationStatus.waiting)
            .order_by(Application.id)
        )
    )
    issued: list[Permit] = []
    while waiting:
        held = holders(session, [a.household_id for a in waiting], day)
        waiting = in_queue_order(rules, waiting, held)
        application = waiting.pop(0)
        if held.get(application.household_id, 0) >= rules.max_permits_per_household:
            continue  # stays waiting; it may be served once one of the household's permits ends
        permit = _issue_free(
            session,
            lot=lot,
            terms=terms,
            household_id=application.household_id,
            plate=application.plate,
            months=rules.permit_months,
            day=day,
            now=now,
            application_id=application.id,
        )
        if permit is None:
            break
        application.status = APPLICATIONS.move(ApplicationAction.grant, application.status).target
        application.decided_at = now
        issued.append(permit)
    session.flush()
    return issued


def _overlapping(window: Window, valid_from: date, valid_until: date) -> ColumnElement[bool]:
    """SQL: some claim on the space overlaps what a permit in `window` between the dates would claim."""
    return or_(
        *(
            exists().where(
                SpaceClaim.space_id == Space.id,
                SpaceClaim.valid_from < valid_until,
                SpaceClaim.valid_until > valid_from,
                SpaceClaim.minute_from < claim.minute_until,
                SpaceClaim.minute_until > claim.minute_from,
                SpaceClaim.day_from < claim.day_until,
                SpaceClaim.day_until > claim.day_from,
            )
            for claim in window.claims()
        )
    )


def _issue_free(
    session: Session,
    *,
    lot: Lot,
    terms: Terms,
    household_id: int,
    plate: str,
    months: int,
    day: date,
    now: datetime,
    application_id: int | None = None,
) -> Permit | None:
    """A permit on the first space of the lot free for the whole term, or None when no space is."""
    until = add_months(day, months)
    if terms.until is not None:
        until = min(until, terms.until)
    free = (
        select(Space)
        .where(Space.lot_id == lot.id, Space.retired_at.is_(None), ~_overlapping(terms.window, day, until))
        .order_by(Space.id)
        .limit(_ATTEMPTS)
    )
    for space in session.scalars(free).all():
        permit = Permit(
            household_id=household_id,
            application_id=application_id,
            plate=plate,
            lot_id=lot.id,
            space_id=space.id,
            valid_from=day,
            valid_until=until,
            window_start=terms.window.start,
            window_end=terms.window.end,
            days=terms.window.days,
        )
        try:
            with session.begin_nested():
                _hold(session, permit, now=now)
        except IntegrityError:
            continue  # the database says the space was taken meanwhile: try the next one
        return permit
    return None


def _hold(session: Session, permit: Permit, *, now: datetime) -> None:
    """Issue `permit` (active from now) and claim its space for its term and window; the database refuses the
    claim (IntegrityError) if another permit holds the space then."""
    permit.status, permit.issued_at = PermitStatus.active, now
    session.add(permit)
    session.flush()
    session.add_all(
        SpaceClaim(
            permit_id=permit.id,
            space_id=permit.space_id,
            valid_from=permit.valid_from,
            valid_until=permit.valid_until,
            minute_from=c.minute_from,
            minute_until=c.minute_until,
            day_from=c.day_from,
            day_until=c.day_until,
        )
        for c in permit.window.claims()
    )
    session.flush()


def _release(session: Session, permit: Permit, day: date) -> None:
    """Let go of the permit's space from `day` on (it keeps what it held before, for the record)."""
    if day <= permit.valid_from:
        session.execute(delete(SpaceClaim).where(SpaceClaim.permit_id == permit.id))
    else:
        for claim in session.scalars(select(SpaceClaim).where(SpaceClaim.permit_id == permit.id)):
            claim.valid_until = min(claim.valid_until, day)
    permit.valid_until = max(permit.valid_from, min(permit.valid_until, day))
    session.flush()


def _permit(session: Session, permit_id: int) -> Permit:
    permit = session.scalar(locked(select(Permit).where(Permit.id == permit_id).options(lazyload("*"))))
    if permit is None:
        raise NotFound(f"没有编号为 {permit_id} 的停车证", code="permit_not_found")
    return permit


def renew(session: Session, *, permit_id: int, rules: ParkingRules, now: datetime) -> Permit:
    permit = _permit(session, permit_id)
    PERMITS.move(PermitAction.renew, permit.status)
    day = today(now)
    terms = terms_of(permit.lot, day)
    if terms.window != permit.window:
        raise Conflict("出借时段已变更，请重新申请该停车场的车位", code="window_changed")
    until = add_months(max(permit.valid_until, day), rules.renew_months)
    if terms.until is not None:
        until = min(until, terms.until)
    if until <= permit.valid_until:
        raise Conflict("出借协议到期前无法再续期", code="agreement_ends")
    try:
        with session.begin_nested():
            for claim in session.scalars(select(SpaceClaim).where(SpaceClaim.permit_id == permit.id)):
                claim.valid_until = until
            permit.valid_until = until
            session.flush()
    except IntegrityError as exc:
        raise Conflict(f"车位 {permit.space.code} 在续期的时段已分给他人，无法续期", code="space_taken") from exc
    return permit


def revoke(session: Session, *, permit_id: int, reason: str, rules: ParkingRules, now: datetime) -> Permit:
    """End a permit today; its space goes to the lot's waiting list."""
    permit = _permit(session, permit_id)
    permit.status = PERMITS.move(PermitAction.revoke, permit.status).target
    permit.ended_at, permit.end_reason = now, reason
    _release(session, permit, today(now))
    allocate(session, lot_id=permit.lot_id, rules=rules, now=now)
    return permit


def transfer(
    session: Session, *, permit_id: int, plate: str, household: Household | None, rules: ParkingRules, now: datetime
) -> Permit:
    """Move a permit to another plate (the household changed its car) or another household, from today to the
    end of its term, on the same space."""
    old = _permit(session, permit_id)
    new_plate = rules.check_plate(plate)
    household_id = household.id if household is not None else old.household_id
    day = today(now)
    if old.valid_until <= day:
        raise Conflict("停车证已过期，不能转让", code="permit_expired")
    if old.suspended_until is not None and old.suspended_until > day:
        raise Conflict("停车证暂停使用期间不能转让", code="permit_suspended")
    if household_id != old.household_id and (
        permits_held(session, household_id=household_id, day=day) >= rules.max_permits_per_household
    ):
        raise Conflict(f"受让户已持有 {rules.max_permits_per_household} 张停车证，达到上限", code="permit_limit")
    old.status = PERMITS.move(PermitAction.transfer, old.status).target
    old.ended_at, old.end_reason = now, f"转让给 {new_plate}"
    until = old.valid_until
    _release(session, old, day)
    new = Permit(
        household_id=household_id,
        previous_id=old.id,
        plate=new_plate,
        lot_id=old.lot_id,
        space_id=old.space_id,
        valid_from=day,
        valid_until=until,
        window_start=old.window_start,
        window_end=old.window_end,
        days=old.days,
    )
    _hold(session, new, now=now)
    return new


def _application(session: Session, application_id: int) -> Application:
    application = session.scalar(
        locked(select(Application).where(Application.id == application_id).options(lazyload("*")))
    )
    if application is None:
        raise NotFound(f"没有编号为 {application_id} 的停车申请", code="application_not_found")
    return application


def withdraw(session: Session, *, application_id: int, now: datetime) -> Application:
    application = _application(session, application_id)
    application.status = APPLICATIONS.move(ApplicationAction.withdraw, application.status).target
    application.decided_at = now
    session.flush()
    return application


def refuse(session: Session, *, application_id: int, note: str, now: datetime) -> Application:
    application = _application(session, application_id)
    application.status = APPLICATIONS.move(ApplicationAction.refuse, application.status).target
    application.decided_at, application.note = now, note
    session.flush()
    return application


def household_of(session: Session, *, user: User, household_id: int | None, on_behalf: bool) -> Household:
    """The household an action is for: staff (`on_behalf`) name it; a resident acts for their own."""
    if on_behalf and household_id is not None:
        household = session.get(Household, household_id)
        if household is None:
            raise InvalidInput(f"没有编号为 {household_id} 的登记户", code="household_not_found")
        return household
    household = households.of_user(session, user_id=user.id)
    if household is None:
        raise InvalidInput("您的账号尚未绑定登记户，请持户口簿或房产证到社区居委会登记", code="no_household")
    return household
