"""Findings not put right in time become cases: reported once, registered and dispatched by the platform to the
company under contract; fixed, not yet due and record-keeping findings stay as they are."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jiexiang.core.config import Settings
from jiexiang.core.jobs import JobContext
from jiexiang.core.time import FixedClock
from jiexiang.domains.accounts import service as accounts
from jiexiang.domains.accounts.enums import Role, UnitKind
from jiexiang.domains.accounts.schemas import UnitCreate
from jiexiang.domains.cases.models import Case, Report
from jiexiang.domains.stewardship import service
from jiexiang.domains.stewardship.models import InspectionFinding
from jiexiang.domains.stewardship.schemas import ContractCreate
from jiexiang.jobs.stewardship import open_overdue_cases
from tests.factories import Town, make_user
from tests.helpers import login


def test_an_overdue_finding_becomes_a_case_dispatched_to_the_company(
    client: TestClient,
    session: Session,
    session_factory: sessionmaker[Session],
    settings: Settings,
    clock: FixedClock,
    town: Town,
) -> None:
    company = accounts.create_unit(session, data=UnitCreate(name="甲物业", kind=UnitKind.property_company), clock=clock)
    make_user(
        session, settings, clock, username="jia_staff", role=Role.steward, unit_id=company.id, limited_to_unit=True
    )
    data = ContractCreate(
        code="ZWY-2026-01",
        unit_id=company.id,
        starts_on=clock.now().date() - timedelta(days=30),
        ends_on=clock.now().date() + timedelta(days=300),
        monthly_fee=Decimal(10000),
        alley_ids=[town.ids["A1"]],
    )
    service.create_contract(session, data=data, now=clock.now())
    session.commit()
    findings = [
        {"item": "clean.debris", "lon": 116.368, "lat": 39.90205, "fix_hours": 24, "note": "门口三袋装修垃圾"},
        {"item": "order.parking", "fix_hours": 24},  # no place: the alley's
        {"item": "service.records", "fix_hours": 24},  # a ledger: stays on the company's record
        {"item": "clean.surface", "fix_hours": 100},  # not yet due
        {"item": "clean.ads", "fix_hours": 24},  # put right in time
    ]
    inspection = client.post(
        "/api/stewardship/inspections",
        json={"alley_id": town.ids["A1"], "kind": "property", "findings": findings},
        headers=login(client, "grid_worker"),
    ).json()
    fixed_in_time = inspection["findings"][4]["id"]
    staff = login(client, "jia_staff")
    assert client.post(f"/api/stewardship/findings/{fixed_in_time}/fixed", json={}, headers=staff).status_code == 200

    clock.advance(timedelta(hours=25))
    context = JobContext(sessions=session_factory, settings=settings, clock=clock)
    assert open_overdue_cases(context) == 2
    assert open_overdue_cases(context) == 0  # once only

    session.expire_all()
    linked = dict(
        session.execute(
            select(InspectionFinding.item, InspectionFinding.case_id).where(
                InspectionFinding.inspection_id == inspection["id"]
            )
        ).all()
    )
    assert linked["service.records"] is None and linked["clean.surface"] is None and linked["clean.ads"] is None
    debris = session.get_one(Case, linked["clean.debris"])
    parking = session.get_one(Case, linked["order.parking"])
    assert (debris.category_code, parking.category_code) == ("1101", "1501")
    assert debris.status.value == parking.status.value == "dispatched"
    assert debris.handling_unit_id == parking.handling_unit_id == company.id
    assert debris.alley_id == parking.alley_id == town.ids["A1"]
    report = session.scalars(select(Report).where(Report.case_id == debris.id)).one()
    assert report.external_id == f"inspection-finding-{inspection['findings'][0]['id']}"
    assert "门口三袋装修垃圾" in debris.description and "逾期未整改" in debris.description

    # The company sees the case on its desk; the history says the platform registered and dispatched it, and why.
    seen = client.get(f"/api/cases/{debris.id}", headers=login(client, "jia_staff"))
    assert seen.status_code == 200, seen.text
    events = [(e["action"], e["actor_name"], e["note"]) for e in seen.json()["events"]]
    basis = f"检查问题 {inspection['findings'][0]['id']} 逾期未整改，按准物业合同 ZWY-2026-01 派遣"
    assert ("register", None, basis) in events and ("dispatch", None, basis) in events
    assert "accept" in seen.json()["allowed_actions"]
