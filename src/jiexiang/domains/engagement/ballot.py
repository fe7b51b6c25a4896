"""What a ballot rests on: the marked spaces a layout draws (and that they lie on the alley), who is entitled to
vote, and the outcome of a closed ballot (None while it is sealed)."""

from __future__ import annotations

from datetime import datetime

from shapely.geometry import Point, shape
from sqlalchemy import ColumnElement, select

from jiexiang.core.errors import InvalidInput
from jiexiang.core.geo import geometry_from_geojson, to_metric
from jiexiang.domains.engagement.enums import Electorate
from jiexiang.domains.engagement.events import MarkedSpacePlan
from jiexiang.domains.engagement.models import Proposal
from jiexiang.domains.engagement.tally import Outcome, decide
from jiexiang.domains.places.models import Address, Alley, Household

# Marked spaces drawn farther than this from the alley's centre line are refused as drawn on the wrong alley.
_SPACE_REACH_METRES = 30.0


def spaces_of(layout: dict[str, object] | None) -> list[MarkedSpacePlan]:
    """The marked spaces of a layout (a FeatureCollection of Points, each with an optional `code`)."""
    if not layout:
        return []
    features = layout.get("features") if layout.get("type") == "FeatureCollection" else None
    if not isinstance(features, list):
        raise InvalidInput("车位布局应为 GeoJSON FeatureCollection", code="invalid_layout")
    plans: list[MarkedSpacePlan] = []
    for n, feature in enumerate(features, start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        try:
            point = shape(feature["geometry"])
        except Exception as exc:  # shapely and dict access raise several kinds on malformed features
            raise InvalidInput(f"车位布局第 {n} 个要素不是有效的几何", code="invalid_layout") from exc
        if not isinstance(point, Point):
            raise InvalidInput(f"车位布局第 {n} 个要素应为点（一个车位一个点）", code="invalid_layout")
        code = str((properties if isinstance(properties, dict) else {}).get("code") or f"{n:03d}")[:16]
        plans.append(MarkedSpacePlan(code=code, lon=point.x, lat=point.y))
    if len({p.code for p in plans}) != len(plans):
        raise InvalidInput("车位布局中有重复的车位编号", code="invalid_layout")
    return plans


def check_on_alley(alley: Alley, plans: list[MarkedSpacePlan]) -> None:
    line, epsg = to_metric(geometry_from_geojson(alley.geometry))
    for plan in plans:
        point, _ = to_metric(Point(plan.lon, plan.lat), epsg)
        if line.distance(point) > _SPACE_REACH_METRES:
            raise InvalidInput(
                f"车位 {plan.code} 距{alley.name}超过 {_SPACE_REACH_METRES:.0f} 米，请画在本巷内",
                code="space_off_alley",
            )


def electorate(proposal: Proposal, *, registered_by: datetime) -> ColumnElement[bool]:
    """SQL over households: those entitled to vote on the proposal's ballot."""
    condition = (Household.address_id.in_(select(Address.id).where(Address.alley_id == proposal.alley_id))) & (
        Household.registered_at <= registered_by
    )
    if proposal.electorate is Electorate.representatives:
        condition = condition & Household.is_representative.is_(True)
    return condition


def outcome_of(proposal: Proposal) -> Outcome | None:
    """The tally of a closed ballot; None while it is sealed (not yet closed) or never opened."""
    if proposal.closed_at is None or proposal.entitled is None:
        return None
    return decide(
        entitled=proposal.entitled,
        agree=proposal.agree or 0,
        disagree=proposal.disagree or 0,
        abstain=proposal.abstain or 0,
        quorum=proposal.quorum or 0.5,
        majority=proposal.majority or 0.5,
    )
