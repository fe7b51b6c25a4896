"""Parking supply: lenders, lots with their spaces, lending agreements, and the marked spaces an adopted alley rule
creates (or retires with the rule before it). When a lot can be given out, and in which window, is decided here."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shapely.geometry import MultiPoint
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from jiexiang.core.db import add_unique, serialize_on
from jiexiang.core.errors import Conflict, InvalidInput, NotFound
from jiexiang.core.geo import geometry_from_geojson, geometry_to_geojson
from jiexiang.domains.parking.enums import LotKind
from jiexiang.domains.parking.models import Agreement, AlleyRule, Lender, Lot, Space
from jiexiang.domains.parking.schemas import AgreementCreate, LenderCreate, LotCreate
from jiexiang.domains.parking.windows import Window
from jiexiang.domains.places.models import Alley, Community


def create_lender(session: Session, *, data: LenderCreate, now: datetime) -> Lender:
    lender = Lender(**data.model_dump(), created_at=now)
    add_unique(session, lender, taken=Conflict(f"出借单位“{data.name}”已登记", code="lender_exists"))
    return lender


def _place(session: Session, *, community_id: int | None, alley_id: int | None) -> tuple[int | None, int | None]:
    """The lot's community and alley, checked; the community follows from the alley when not given."""
    if alley_id is not None:
        alley = session.get(Alley, alley_id)
        if alley is None:
            raise InvalidInput(f"没有编号为 {alley_id} 的街巷", code="alley_not_found")
        community_id = community_id or alley.community_id
    if community_id is not None and session.get(Community, community_id) is None:
        raise InvalidInput(f"没有编号为 {community_id} 的社区", code="community_not_found")
    return community_id, alley_id


def _shape(geometry: dict[str, Any]) -> tuple[str, float, float]:
    try:
        geom = geometry_from_geojson(geometry)
    except Exception as exc:  # shapely raises several kinds on malformed GeoJSON
        raise InvalidInput("停车场范围不是有效的 GeoJSON 几何", code="invalid_geometry") from exc
    if geom.is_empty or not geom.is_valid:
        raise InvalidInput("停车场范围不是有效的几何图形（为空或自相交）", code="invalid_geometry")
    point = geom.representative_point()
    return json.dumps(geometry_to_geojson(geom)), point.x, point.y


def create_lot(session: Session, *, data: LotCreate, now: datetime) -> Lot:
    if data.kind is LotKind.marked:
        raise InvalidInput("胡同施划车位由居民表决通过的街巷规则生成，不能直接新建", code="marked_by_rule")
    if (data.kind is LotKind.time_shared) != (data.agreement is not None):
        raise InvalidInput("错时共享车位须附出借协议，新建停车场不附", code="agreement_required")
    community_id, alley_id = _place(session, community_id=data.community_id, alley_id=data.alley_id)
    geometry, lon, lat = _shape(data.geometry)
    lot = Lot(
        name=data.name,
        kind=data.kind,
        geometry=geometry,
        lon=lon,
        lat=lat,
        community_id=community_id,
        alley_id=alley_id,
        operator=data.operator,
        monthly_fee=data.monthly_fee,
        created_at=now,
    )
    add_unique(session, lot, taken=Conflict(f"停车场“{data.name}”已登记", code="lot_exists"))
    session.add_all(Space(lot_id=lot.id, code=f"{data.code_prefix}-{n:03d}") for n in range(1, data.spaces + 1))
    if data.agreement is not None:
        add_agreement(session, lot=lot, data=data.agreement, spaces=data.spaces, now=now)
    session.flush()
    return lot


def add_agreement(session: Session, *, lot: Lot, data: AgreementCreate, spaces: int, now: datetime) -> Agreement:
    lender = session.get(Lender, data.lender_id)
    if lender is None:
        raise InvalidInput(f"没有编号为 {data.lender_id} 的出借单位", code="lender_not_found")
    if data.ends_on < data.starts_on:
        raise InvalidInput("出借协议的结束日期早于开始日期", code="invalid_period")
    window = Window.parse(data.window, data.days)
    lot.lender_id = lender.id
    agreement = Agreement(
        lender_id=lender.id,
        lot=lot,
        spaces=spaces,
        window_start=window.start,
        window_end=window.end,
        days=window.days,
        monthly_fee=data.monthly_fee,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        created_at=now,
    )
    session.add(agreement)
    session.flush()
    return agreement


def suspend_agreement(session: Session, *, agreement_id: int, reason: str | None, now: datetime) -> Agreement:
    """Suspend (with a reason) or, with None, resume a lending agreement. Permits already issued keep their space:
    suspension stops new ones; the lender's hours are told to holders by the staff."""
    agreement = session.get(Agreement, agreement_id)
    if agreement is None:
        raise NotFound(f"没有编号为 {agreement_id} 的出借协议", code="agreement_not_found")
    agreement.suspended_at, agreement.suspended_reason = (now, reason) if reason else (None, None)
    session.flush()
    return agreement


@dataclass(frozen=True)
class MarkedSpace:
    code: str
    lon: float
    lat: float


def adopt_alley_rule(
    session: Session,
    *,
    alley_id: int,
    proposal_id: int,
    kind: str,
    title: str,
    spaces: list[MarkedSpace],
    now: datetime,
) -> tuple[AlleyRule, list[int]]:
    """The rule a ballot adopted, as the alley's next version: the previous version retires with its marked lot,
    and the new one marks its spaces. Returns the rule and the lots retired (whose permits must end). Adopting
    one proposal twice changes nothing."""
    # The next version number is decided by looking: one adoption per alley at a time.
    serialize_on(session, [f"alley-rule:{alley_id}"])
    existing = session.scalar(select(AlleyRule).where(AlleyRule.proposal_id == proposal_id))
    if existing is not None:
        return existing, []
    alley = session.get(Alley, alley_id)
    if alley is None:
        raise NotFound(f"没有编号为 {alley_id} 的街巷", code="alley_not_found")
    version = (session.scalar(select(func.max(AlleyRule.version)).where(AlleyRule.alley_id == alley_id)) or 0) + 1
    retired = retire_rules(session, alley_id=alley_id, now=now)
    rule = AlleyRule(
        alley_id=alley_id, version=version, kind=kind, title=title, proposal_id=proposal_id, adopted_at=now
    )
    session.add(rule)
    session.flush()
    if spaces:
        points = MultiPoint([(s.lon, s.lat) for s in spaces])
        centre = points.centroid
        lot = Lot(
            name=f"{alley.name}施划车位（第{version}版）",
            kind=LotKind.marked,
            geometry=json.dumps(geometry_to_geojson(points)),
            lon=centre.x,
            lat=centre.y,
            community_id=alley.community_id,
            alley_id=alley.id,
            operator=f"{alley.name}街巷理事会",
            rule_id=rule.id,
            created_at=now,
        )
        session.add(lot)
        session.flush()
        session.add_all(Space(lot_id=lot.id, code=s.code, lon=s.lon, lat=s.lat) for s in spaces)
        session.flush()
    return rule, retired


def retire_rules(session: Session, *, alley_id: int, now: datetime) -> list[int]:
    """Retire the alley's rule in force and its marked lot; returns the lots retired (their permits end)."""
    rule_ids = select(AlleyRule.id).where(AlleyRule.alley_id == alley_id, AlleyRule.retired_at.is_(None))
    lots = list(session.scalars(select(Lot.id).where(Lot.rule_id.in_(rule_ids), Lot.retired_at.is_(None))))
    if lots:
        session.execute(update(Lot).where(Lot.id.in_(lots)).values(retired_at=now))
        session.execute(update(Space).where(Space.lot_id.in_(lots)).values(retired_at=now))
    session.execute(
        update(AlleyRule).where(AlleyRule.alley_id == alley_id, AlleyRule.retired_at.is_(None)).values(retired_at=now)
    )
    return lots
