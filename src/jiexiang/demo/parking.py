"""The demo's parking and resident engagement, after the seed's figures: households at every house number, 4 new
lots with 230 spaces, about 400 spaces lent for set hours by an office tower, a hotel and a school, alley councils'
单行单停 proposals voted by the alleys' households (most adopted, marking about 140 spaces, one short of quorum),
applications that fill the lots and leave a waiting list, and a month of use: the gates' daily exports of the lots
and inspectors' evening rounds of the marked alleys, with the late leavers, a few habitual ones suspended, and cars
without permits. All through the services users call."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from shapely.geometry import mapping
from sqlalchemy import select
from sqlalchemy.orm import Session

from jiexiang.core.config import Settings
from jiexiang.core.errors import Conflict
from jiexiang.core.geo import from_metric, geometry_from_geojson, to_metric
from jiexiang.core.time import BEIJING, WorkCalendar, to_local
from jiexiang.domains.accounts.models import User
from jiexiang.domains.engagement import service as engagement
from jiexiang.domains.engagement.ballot import spaces_of
from jiexiang.domains.engagement.enums import Choice, ProposalStatus
from jiexiang.domains.engagement.schemas import ProposalCreate
from jiexiang.domains.parking import service as parking
from jiexiang.domains.parking import supply, use
from jiexiang.domains.parking.enums import DayPattern, LotKind
from jiexiang.domains.parking.gate import GateRecord
from jiexiang.domains.parking.models import Lot, Permit
from jiexiang.domains.parking.rules import ParkingRules, load_rules
from jiexiang.domains.parking.schemas import AgreementCreate, ApplicationCreate, LenderCreate, LotCreate
from jiexiang.domains.parking.terms import valid_today
from jiexiang.domains.places.enums import AddressKind
from jiexiang.domains.places.models import Address, Alley, Household

NEW_LOTS = [("西长安街停车场", 80), ("六部口停车场", 60), ("灵境胡同停车场", 50), ("府右街停车场", 40)]  # 230
LENDERS = [
    # name, spaces, window, days
    ("长安大厦", 180, "18:30-07:30", DayPattern.workdays),
    ("民族饭店", 120, "20:00-08:00", DayPattern.every_day),
    ("实验二小", 104, "00:00-24:00", DayPattern.rest_days),
]
MARKED_ALLEYS = 8  # about 17 spaces each, about 140 in all
_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def _plate(rng: random.Random) -> str:
    return "京" + rng.choice("ABCEFGHJKLNPQ") + "".join(rng.choice(_LETTERS[:10] + "0123456789") for _ in range(5))


def _register(session: Session, rng: random.Random, *, resident: User, at: datetime) -> list[Household]:
    """One or two households at every house number (added at once: the register's service adds one at a time);
    the demo resident's account is the first one's."""
    rows: list[Household] = []
    numbers = session.scalars(select(Address).where(Address.kind == AddressKind.house_number).order_by(Address.id))
    for address in numbers:
        for n in range(1, rng.choice((1, 1, 2)) + 1):
            rows.append(
                Household(
                    address_id=address.id,
                    label=f"{n}户",
                    head_name=f"{address.house_number or ''}{n}户",
                    is_representative=rng.random() < 0.12,
                    user_id=None if rows else resident.id,
                    registered_at=at,
                )
            )
    session.add_all(rows)
    session.flush()
    return rows


def _point_near(alley: Alley, fraction: float, offset: float) -> dict[str, object]:
    line, epsg = to_metric(geometry_from_geojson(alley.geometry))
    point = line.interpolate(fraction, normalized=True)
    moved = type(point)(point.x + offset, point.y + offset)
    return dict(mapping(from_metric(moved, epsg)))


def build_parking(
    session: Session,
    *,
    resident: User,
    staff: User,
    calendar: WorkCalendar,
    settings: Settings,
    now: datetime,
    seed: int,
) -> dict[str, int]:
    rng = random.Random(seed + 15)
    start = now - timedelta(days=45)
    homes = _register(session, rng, resident=resident, at=start - timedelta(days=365))
    alleys = list(session.scalars(select(Alley).where(Alley.is_back_alley.is_(True)).order_by(Alley.id)))
    lots = []
    for (name, spaces), alley in zip(NEW_LOTS, rng.sample(alleys, len(NEW_LOTS)), strict=True):
        data = LotCreate(
            name=name, kind=LotKind.new_lot, geometry=_point_near(alley, 0.0, 15), spaces=spaces,
            code_prefix="X", alley_id=alley.id, operator="西长安街街道停车管理所", monthly_fee=300,
        )  # fmt: skip
        lots.append(supply.create_lot(session, data=data, now=start))
    for (name, spaces, window, days), alley in zip(LENDERS, rng.sample(alleys, len(LENDERS)), strict=True):
        lender = supply.create_lender(session, data=LenderCreate(name=name, contact="后勤处"), now=start)
        agreement = AgreementCreate(
            lender_id=lender.id, window=window, days=days, monthly_fee=150,
            starts_on=date(now.year, 1, 1), ends_on=date(now.year + 1, 12, 31),
        )  # fmt: skip
        data = LotCreate(
            name=f"{name}错时车位", kind=LotKind.time_shared, geometry=_point_near(alley, 1.0, 20),
            spaces=spaces, code_prefix="S", alley_id=alley.id, operator=name, agreement=agreement,
        )  # fmt: skip
        lots.append(supply.create_lot(session, data=data, now=start))
    adopted = _ballots(session, rng, alleys=alleys, homes=homes, staff=staff, start=start)
    applications = _applications(session, rng, homes=homes, start=start, now=now)
    judge = use.Judge(calendar, use.Penalties.of(settings))
    visits = _month_of_use(session, rng, judge=judge, inspector=staff, now=now)
    return {
        "households": len(homes),
        "parking_lots": len(lots) + adopted,
        "parking_applications": applications,
        "parking_visits": visits,
    }


def _ballots(
    session: Session, rng: random.Random, *, alleys: list[Alley], homes: list[Household], staff: User, start: datetime
) -> int:
    """单行单停 proposals on some alleys; the last one falls short of quorum. Returns the rules adopted."""
    alley_of = {home: alley for home, alley in session.execute(select(Household.id, Address.alley_id).join(Address))}
    by_alley: dict[int, list[Household]] = {}
    for home in homes:
        alley_id = alley_of[home.id]
        if alley_id is not None:
            by_alley.setdefault(alley_id, []).append(home)
    chosen = [a for a in alleys if len(by_alley.get(a.id, [])) >= 6][: MARKED_ALLEYS + 1]
    adopted = 0
    for n, alley in enumerate(chosen):
        count = rng.randint(15, 20)
        layout = {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"code": f"{alley.code[-3:]}-{k:02d}"},
                    "geometry": _point_near(alley, (k + 0.5) / count, 3),
                }
                for k in range(count)
            ],
        }
        opened = start + timedelta(days=n)
        data = ProposalCreate(
            alley_id=alley.id, council=f"{alley.name}街巷理事会", title=f"{alley.name}实行单行单停",
            body=f"{alley.name}自东向西单行，北侧施划停车位 {count} 个，由本巷居民自管。",
            rule_kind="one_way_one_side", layout=layout,
        )  # fmt: skip
        proposal = engagement.propose(session, data=data, actor=staff, now=opened - timedelta(days=7))
        closes = opened + timedelta(days=7)
        engagement.open_ballot(
            session, proposal_id=proposal.id, closes_at=closes, quorum=0.5, majority=0.5, actor=staff, now=opened
        )
        turnout = 0.3 if n == len(chosen) - 1 else rng.uniform(0.65, 0.9)
        for k, home in enumerate(h for h in by_alley[alley.id] if rng.random() < turnout):
            choice = Choice.agree if rng.random() < 0.78 else rng.choice([Choice.disagree, Choice.abstain])
            at = opened + timedelta(hours=rng.uniform(1, 160))
            if k % 4 == 0:
                engagement.record_paper_vote(
                    session,
                    proposal_id=proposal.id,
                    household_id=home.id,
                    choice=choice,
                    paper_number=f"{proposal.id}-{k:03d}",
                    actor=staff,
                    now=at,
                )
            else:
                engagement.vote(session, proposal_id=proposal.id, household=home, choice=choice, actor=staff, now=at)
        closed = engagement.close_ballot(session, proposal_id=proposal.id, actor=staff, now=closes)
        if closed.status is ProposalStatus.adopted:  # the demo's session delivers no events: mark them here
            plans = spaces_of(closed.layout)
            spaces = [supply.MarkedSpace(code=p.code, lon=p.lon, lat=p.lat) for p in plans]
            supply.adopt_alley_rule(
                session,
                alley_id=alley.id,
                proposal_id=closed.id,
                kind="one_way_one_side",
                title=closed.title,
                spaces=spaces,
                now=closes,
            )
            adopted += 1
    return adopted


def _applications(
    session: Session, rng: random.Random, *, homes: list[Household], start: datetime, now: datetime
) -> int:
    """A month of applications, more than the lots hold: the lots fill and a waiting list remains."""
    rules = load_rules()
    all_lots = list(session.scalars(select(Lot).where(Lot.retired_at.is_(None)).order_by(Lot.id)))
    capacity = {lot.id: len(lot.spaces) for lot in all_lots}
    wanted = [lot.id for lot in all_lots for _ in range(int(capacity[lot.id] * 1.12))]
    rng.shuffle(wanted)
    applicants = rng.sample(homes[1:], min(len(homes) - 1, len(wanted)))  # the demo resident applies themselves
    moments = sorted(
        start + timedelta(seconds=rng.uniform(0, (now - start).total_seconds() - 3600)) for _ in applicants
    )
    made = 0
    for home, lot_id, at in zip(applicants, wanted, moments, strict=False):
        groups = ["elderly"] if rng.random() < 0.1 else []
        data = ApplicationCreate(lot_id=lot_id, plate=_plate(rng), priority_groups=groups)
        parking.apply(session, household=home, applicant=None, data=data, rules=rules, now=at)
        made += 1
    return made


USE_DAYS = 30
HABITUAL = 0.03  # of permit holders, who leave late one morning in three


def _month_of_use(session: Session, rng: random.Random, *, judge: use.Judge, inspector: User, now: datetime) -> int:
    """A month of the lots in use, day by day: each gated lot's export of the day imported as a gate sends it,
    and in the marked alleys an inspector's evening round checking in a car or two (and out the next morning)."""
    rules = load_rules()
    today = to_local(now).date()
    lots = list(session.scalars(select(Lot).where(Lot.retired_at.is_(None)).order_by(Lot.id)))
    permits = list(session.scalars(select(Permit).where(valid_today(today))))
    habitual = {p.id for p in rng.sample(permits, int(len(permits) * HABITUAL))}
    by_lot: dict[int, list[Permit]] = {}
    for permit in permits:
        by_lot.setdefault(permit.lot_id, []).append(permit)
    recorded = 0
    for offset in range(USE_DAYS, 0, -1):
        day = today - timedelta(days=offset)
        for lot in lots:
            stays = [
                stay
                for permit in by_lot.get(lot.id, [])
                if permit.valid_from <= day and (stay := _stay(rng, permit, day, judge, late=permit.id in habitual))
            ]
            if rng.random() < 0.12:  # a car without a permit
                arrived = _at(day, rng.uniform(18, 22))
                stays.append((_plate(rng), arrived, arrived + timedelta(hours=rng.uniform(1, 10))))
            if lot.kind is LotKind.marked:
                recorded += _round(session, rng, lot, stays, rules=rules, judge=judge, inspector=inspector, now=now)
            else:
                recorded += _gate_export(session, lot, stays, rules=rules, judge=judge, now=now)
    return recorded


Stay = tuple[str, datetime, datetime]


def _at(day: date, hours: float) -> datetime:
    return datetime.combine(day, time(), BEIJING) + timedelta(hours=hours)


def _stay(rng: random.Random, permit: Permit, day: date, judge: use.Judge, *, late: bool) -> Stay | None:
    """Most nights a permit's car comes in after the window opens and leaves before it closes; some mornings late."""
    window = permit.window
    if not window.opens_on(day, judge.calendar) or rng.random() < 0.25:
        return None
    if not use.may_park(permit, day) and rng.random() < 0.9:
        return None  # suspended: most keep away until it ends
    if window.all_day and window.days is DayPattern.every_day:
        opens, closes = _at(day, 17), _at(day, 32)  # home in the evening, off in the morning
    elif window.all_day:
        opens, closes = _at(day, 8), _at(day, 22)  # a school's yard on a day off
    else:
        opens, closes = window.opening(day, judge.calendar.tz)
    arrived = opens + timedelta(minutes=rng.uniform(0, 150))
    departed = closes - timedelta(minutes=rng.uniform(10, 60))
    if rng.random() < (0.33 if late else 0.02):
        departed = closes + timedelta(minutes=rng.uniform(20, 150))
    return permit.plate, arrived, departed


def _gate_export(
    session: Session, lot: Lot, stays: list[Stay], *, rules: ParkingRules, judge: use.Judge, now: datetime
) -> int:
    records = [
        GateRecord(
            n, f"{lot.id}-{arrived:%Y%m%d%H%M%S}-{n}", plate, arrived, departed if departed < now else None, None
        )
        for n, (plate, arrived, departed) in enumerate(stays, start=2)
        if arrived < now
    ]
    summary = use.import_gate(session, lot=lot, records=records, rules=rules, judge=judge, now=now)
    return summary.arrived


def _round(
    session: Session,
    rng: random.Random,
    lot: Lot,
    stays: list[Stay],
    *,
    rules: ParkingRules,
    judge: use.Judge,
    inspector: User,
    now: datetime,
) -> int:
    """An alley has no gate: the inspector checks in a car or two on the evening round, and out in the morning."""
    checked = 0
    for plate, arrived, departed in rng.sample(stays, min(len(stays), rng.choice((1, 2)))):
        try:
            visit = use.check_in(
                session, lot=lot, plate=plate, space_code=None, photos=[], at=arrived, actor_id=inspector.id,
                rules=rules, judge=judge, now=now,
            )  # fmt: skip
        except Conflict:
            continue  # still in from another round
        if departed < now:
            use.check_out(
                session, visit_id=visit.id, photos=[], at=departed, actor_id=inspector.id, judge=judge, now=now
            )
        checked += 1
    return checked
