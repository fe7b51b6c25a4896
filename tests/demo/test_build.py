from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiexiang.core.config import Settings
from jiexiang.core.geo import area_square_metres, geometry_from_geojson
from jiexiang.core.time import FixedClock, WorkCalendar, to_local
from jiexiang.demo import geography
from jiexiang.demo.build import build_demo, is_empty
from jiexiang.demo.names import BRIEFING_ALLEYS
from jiexiang.domains.accounts.enums import Role
from jiexiang.domains.accounts.models import User
from jiexiang.domains.accounts.service import Scope
from jiexiang.domains.cases.enums import OPEN_STATUSES, CaseStatus, ReportSource
from jiexiang.domains.cases.models import Case, CaseEvent, Report
from jiexiang.domains.hotline.enums import AppealStatus, TicketStatus
from jiexiang.domains.hotline.models import Ticket
from jiexiang.domains.hotline.proactive import effect_summary
from jiexiang.domains.hotline.queries import period_rates
from jiexiang.domains.hotline.rules import load_rules
from jiexiang.domains.parking.enums import ViolationKind, VisitSource
from jiexiang.domains.parking.models import Violation, Visit
from jiexiang.domains.parking.queries import summary as parking_summary
from jiexiang.domains.parking.queries import violation_counts
from jiexiang.domains.places import fileio
from jiexiang.domains.places.enums import Layer
from jiexiang.domains.places.models import Alley, Component, Subdistrict
from jiexiang.domains.stewardship.models import InspectionFinding
from jiexiang.domains.stewardship.ranking import monthly_ranking
from jiexiang.domains.stewardship.rules import load_rules as assessment_rules
from jiexiang.domains.waste.models import PointEntry


def test_the_demo_is_deterministic_for_a_seed() -> None:
    first, second = geography.build(7), geography.build(7)
    for layer in Layer:
        assert [r.values for r in first.rows[layer]] == [r.values for r in second.rows[layer]]
    assert [r.values for r in geography.build(8).rows[Layer.alleys]] != [r.values for r in first.rows[Layer.alleys]]


def test_demo_subdistrict(session: Session, settings: Settings, clock: FixedClock) -> None:
    assert is_empty(session)
    summary = build_demo(session, settings=settings, clock=clock)
    assert not is_empty(session)
    subdistrict = session.scalar(select(Subdistrict))
    assert subdistrict is not None and subdistrict.name == "西长安街街道"
    assert subdistrict.area_m2 == pytest.approx(2.24e6, rel=0.01)
    centre = geometry_from_geojson(subdistrict.geometry).centroid
    assert centre.y == pytest.approx(39.90, abs=0.01) and centre.x == pytest.approx(116.37, abs=0.01)

    alleys = list(session.scalars(select(Alley)).unique())
    assert len(alleys) == 102 and sum(a.is_back_alley for a in alleys) == 92
    assert set(BRIEFING_ALLEYS) <= {a.name for a in alleys}
    assert len({a.name for a in alleys}) == 102
    assert all(a.chief is not None and a.chief.role is Role.alley_chief for a in alleys)
    assert all(a.community is not None for a in alleys)
    assert all(20 < a.length_m < 1700 for a in alleys)

    for role in Role:
        assert session.scalar(select(func.count()).select_from(User).where(User.role == role))
    assert summary.counts["grid-cells"] == 224
    assert summary.counts["routing_rules"] == 26
    # The history went through intake and the workflow: most cases closed, some still open.
    statuses = dict(session.execute(select(Case.status, func.count()).group_by(Case.status)).all())
    assert summary.counts["cases"] > 500 and statuses[CaseStatus.closed] > 400
    assert sum(n for s, n in statuses.items() if s in OPEN_STATUSES) > 10
    assert session.scalar(select(func.count()).select_from(CaseEvent)) > 2000
    assert summary.counts["buildings"] > 1000 and summary.counts["components"] > 1000
    # The seed's parking: 4 new lots with 230 spaces, ~400 lent by three institutions, ~140 marked by ballots.
    parking = parking_summary(session, scope=Scope(), community_id=None, day=to_local(clock.now()).date())
    assert parking["new_lot"] == {"lots": 4, "spaces": 230}
    assert parking["time_shared"]["lenders"] == 3 and 380 <= parking["time_shared"]["spaces"] <= 420
    assert 120 <= parking["marked"]["spaces"] <= 160 and parking["marked"]["alleys"] >= 6
    assert parking["permits"]["issued"] > 600 and parking["permits"]["waiting"] > 0
    # A month of use: the gates' exports and the inspectors' rounds, with late leavers fined and a few suspended.
    visits = dict(session.execute(select(Visit.source, func.count()).group_by(Visit.source)).all())
    assert visits[VisitSource.gate] > 5000 and visits[VisitSource.inspector] > 200
    found = dict(session.execute(select(Violation.kind, func.count()).group_by(Violation.kind)).all())
    assert found[ViolationKind.outside_window] > 30 and found[ViolationKind.no_permit] > 20
    assert session.scalar(select(func.max(Violation.fine))) == 100
    assert 0 < violation_counts(session, scope=Scope(), community_id=None, now=clock.now())["suspended_permits"] < 20
    # Sorting at the truck in the pilot alleys: cards, two weeks of bags, the first rewards redeemed.
    assert summary.counts["waste_cards"] > 100 and summary.counts["waste_deposits"] > 1000
    assert summary.counts["waste_redemptions"] > 5
    assert session.scalar(select(func.sum(PointEntry.amount))) > 0
    # Four companies under contract, a year of monthly inspections, most findings put right, the rest cases for the
    # company; last month's ranking tells the companies apart.
    assert summary.counts["contracts"] == 4 and summary.counts["inspections"] == 12 * (4 * 6 + 8)
    assert summary.counts["findings_became_cases"] > 10
    assert summary.counts["chief_fixes"] > 5000  # the chiefs' walks of the last month, from their phones
    calendar = WorkCalendar.load(working_hours=settings.working_hours)
    last_month = (to_local(clock.now()).replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    ranked = monthly_ranking(session, month=last_month, rules=assessment_rules(), calendar=calendar)
    assert len(ranked) == 4 and len({m.score for m in ranked}) > 1
    assert sum(m.measures[0].count for m in ranked) > 0  # the companies handled cases that month
    fixed = session.scalar(
        select(func.count()).select_from(InspectionFinding).where(InspectionFinding.fixed_at.is_not(None))
    )
    total = session.scalar(select(func.count()).select_from(InspectionFinding))
    assert total and fixed and 0.6 < fixed / total < 1
    cell = geometry_from_geojson(session.scalars(select(Subdistrict.geometry)).one())
    assert area_square_metres(cell) > 0
    unplaced = session.scalar(select(func.count()).select_from(Component).where(Component.grid_cell_id.is_(None)))
    assert unplaced == 0

    # Two years of history with the structure real requests have: rains in July and August, vending in the
    # evening, a few addresses that keep coming back.
    reports = session.execute(select(Report.category_code, Report.received_at, Report.address_text)).all()
    assert min(r.received_at for r in reports) < clock.now() - timedelta(days=700)
    waterlogging = [to_local(r.received_at).month for r in reports if r.category_code == "1401"]
    assert sum(m in (7, 8) for m in waterlogging) > 0.7 * len(waterlogging)
    vending_hours = [to_local(r.received_at).hour for r in reports if r.category_code == "1504"]
    assert min(vending_hours) >= 17
    debris = Counter(r.address_text for r in reports if r.category_code == "1101")
    assert sum(n for _, n in debris.most_common(4)) > 0.3 * sum(debris.values())

    # Every call is a 12345 ticket taken through its loop: the rates of a month are neither empty nor perfect.
    month = to_local(clock.now() - timedelta(days=40)).strftime("%Y-%m")
    rows, total = period_rates(session, period=month, by="unit", scope=Scope(), scoring=load_rules().scoring)
    assert total is not None and total.dispatched > 50 and total.callbacks > 30
    for rate in (total.respond_rate, total.resolve_rate, total.satisfy_rate):
        assert rate is not None and 0.6 < rate < 1
    assert total.unsatisfied > 0 and len({r.rank for r in rows if r.rank}) > 2
    tickets = session.scalars(select(Ticket)).all()
    called_in = session.scalar(select(func.count()).select_from(Report).where(Report.source == ReportSource.hotline))
    assert len(tickets) == called_in == len(reports) - summary.counts["findings_became_cases"]
    assert any(t.repeat_of_id for t in tickets) and any(t.appeal is AppealStatus.accepted for t in tickets)
    assert any(t.status is TicketStatus.returned for t in tickets)
    # Past 每月一题 campaigns, finished long enough ago for their effect to be read.
    summary_effect = effect_summary(session, scope=Scope(), now=clock.now())
    assert summary_effect.tasks >= 2 and summary_effect.low is not None and summary_effect.high is not None

    # The whole registry survives a round trip through the XLSX export untouched.
    workbook = fileio.export_xlsx(session, layers=list(Layer), scope=Scope())
    report = fileio.import_places(session, data=workbook, filename="all.xlsx", clock=clock)
    changed = {layer: (c.created, c.updated) for layer, c in report.counts.items() if c.created or c.updated}
    assert changed == {}
