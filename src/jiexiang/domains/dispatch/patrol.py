"""Patrol planning: split the alleys among the workers on shift so that each carries a like share of
effort (length × risk), and give each a walking route through their alleys from where they stand.

Risk is 1 plus the alley's open cases plus half its cases of the last 30 days (forecasts will add to it
once analytics exist). The split is greedy — heaviest alley first, to the worker for whom it adds least
(their effort so far plus the walk to reach it) — and each route visits its alleys nearest-first, walking
each end to end. Simple, explainable to a chief, and good enough at a hundred alleys."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from shapely.geometry import Point
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiexiang.core.errors import InvalidInput, NotFound
from jiexiang.core.geo import geometry_from_geojson
from jiexiang.domains.accounts.models import User
from jiexiang.domains.accounts.permissions import Permission, roles_with
from jiexiang.domains.cases.enums import OPEN_STATUSES
from jiexiang.domains.cases.models import Case
from jiexiang.domains.dispatch.network import WalkingDistances, WalkingNetwork
from jiexiang.domains.places.models import Alley
from jiexiang.domains.places.spatial import SpatialIndex
from jiexiang.domains.workforce.models import LivePosition
from jiexiang.domains.workforce.service import on_duty_ids

WALKING_M_PER_MIN = 67.0  # 4 km/h, looking around as a patrol does
DISTANCE_WEIGHT = 0.5  # how much a metre of walking to reach an alley counts against a metre of effort
RECENT = timedelta(days=30)
UNREACHABLE_M = 100_000.0


@dataclass
class AlleyTask:
    alley_id: int
    name: str
    length_m: float
    risk: float
    ends: tuple[tuple[float, float], tuple[float, float]]  # (lon, lat) of both ends

    @property
    def effort(self) -> float:
        return self.length_m * self.risk

    @property
    def middle(self) -> tuple[float, float]:
        (x1, y1), (x2, y2) = self.ends
        return (x1 + x2) / 2, (y1 + y2) / 2


@dataclass
class Walker:
    user_id: int
    full_name: str
    start: tuple[float, float]
    distances: WalkingDistances | None
    tasks: list[AlleyTask] = field(default_factory=list)
    effort: float = 0.0


@dataclass(frozen=True)
class PlannedRoute:
    user_id: int
    full_name: str
    alleys: list[str]
    alley_ids: list[int]
    effort: float
    walking_m: float
    minutes: int
    path: list[tuple[float, float]]  # lon, lat along the network


def plan(
    session: Session,
    *,
    user_ids: list[int],
    now: datetime,
    alley_ids: list[int] | None = None,
    starts: dict[int, tuple[float, float]] | None = None,
) -> list[PlannedRoute]:
    network = WalkingNetwork.for_session(session)
    tasks = _tasks(session, alley_ids=alley_ids, now=now)
    walkers = _walkers(session, network, user_ids, starts or {})
    for task in sorted(tasks, key=lambda t: (-t.effort, t.alley_id)):
        best = min(walkers, key=lambda w: (w.effort + task.effort + DISTANCE_WEIGHT * _reach(w, task), w.user_id))
        best.tasks.append(task)
        best.effort += task.effort
    return [_route(network, w) for w in walkers]


def plan_for(
    session: Session,
    *,
    usernames: list[str],
    alley_ids: list[int],
    starts: dict[str, tuple[float, float]],
    now: datetime,
) -> list[PlannedRoute]:
    """`plan` for accounts named by user name (default: the field workers on shift now), over `alley_ids`
    (default: every back alley), starting where `starts` says or where each worker last was."""
    if usernames:
        users = {u.username: u for u in session.scalars(select(User).where(User.username.in_(usernames)))}
        missing = sorted(set(usernames) - set(users))
        if missing:
            raise NotFound(f"账号不存在：{'、'.join(missing)}")
        user_ids = [users[name].id for name in usernames]
    else:
        on_duty = on_duty_ids(session, at=now)
        field_roles = roles_with(Permission.positions_report)
        user_ids = sorted(session.scalars(select(User.id).where(User.id.in_(on_duty), User.role.in_(field_roles))))
    ids = dict(session.execute(select(User.username, User.id).where(User.username.in_(starts))).all())
    by_id = {ids[name]: point for name, point in starts.items() if name in ids}
    return plan(session, user_ids=user_ids, now=now, alley_ids=alley_ids or None, starts=by_id)


def _tasks(session: Session, *, alley_ids: list[int] | None, now: datetime) -> list[AlleyTask]:
    query = select(Alley)
    query = query.where(Alley.id.in_(alley_ids)) if alley_ids else query.where(Alley.is_back_alley.is_(True))
    alleys = list(session.scalars(query.order_by(Alley.id)))
    if alley_ids and len(alleys) != len(set(alley_ids)):
        raise InvalidInput("有的街巷不存在", code="unknown_alley")
    open_cases = dict(
        session.execute(
            select(Case.alley_id, func.count()).where(Case.status.in_(OPEN_STATUSES)).group_by(Case.alley_id)
        ).all()
    )
    recent = dict(
        session.execute(
            select(Case.alley_id, func.count()).where(Case.reported_at >= now - RECENT).group_by(Case.alley_id)
        ).all()
    )
    tasks = []
    for alley in alleys:
        coordinates = list(geometry_from_geojson(alley.geometry).coords)
        tasks.append(
            AlleyTask(
                alley_id=alley.id,
                name=alley.name,
                length_m=alley.length_m,
                risk=1 + open_cases.get(alley.id, 0) + 0.5 * recent.get(alley.id, 0),
                ends=((coordinates[0][0], coordinates[0][1]), (coordinates[-1][0], coordinates[-1][1])),
            )
        )
    return tasks


def _walkers(
    session: Session, network: WalkingNetwork, user_ids: list[int], starts: dict[int, tuple[float, float]]
) -> list[Walker]:
    if not user_ids:
        raise InvalidInput("没有可安排巡查的人员（请指定人员，或先排班）", code="no_walkers")
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(user_ids)))}
    live = {p.user_id: p for p in session.scalars(select(LivePosition).where(LivePosition.user_id.in_(user_ids)))}
    walkers = []
    for user_id in user_ids:
        if user_id not in users:
            raise InvalidInput(f"用户 {user_id} 不存在", code="unknown_user")
        start = starts.get(user_id) or ((live[user_id].lon, live[user_id].lat) if user_id in live else None)
        if start is None:
            raise InvalidInput(f"{users[user_id].full_name} 没有当前位置，请指定出发点", code="no_start")
        walkers.append(Walker(user_id, users[user_id].full_name, start, network.distances_from(*start)))
    return walkers


def _reach(walker: Walker, task: AlleyTask) -> float:
    """How far the alley is from the walker's start on foot; an alley they cannot reach along the network
    goes to them only when nobody can."""
    reach = walker.distances.to(*task.middle) if walker.distances is not None else math.inf
    return UNREACHABLE_M if math.isinf(reach) else reach


def _route(network: WalkingNetwork, walker: Walker) -> PlannedRoute:
    """Visit the walker's alleys nearest-first from the start, each end to end."""
    position = walker.start
    ordered: list[AlleyTask] = []
    points: list[tuple[float, float]] = [position]
    walking = 0.0
    remaining = list(walker.tasks)
    while remaining:
        from_here = network.distances_from(*position)
        if from_here is None:
            break

        def cost(task: AlleyTask, here: WalkingDistances = from_here) -> float:
            return min(here.to(*task.ends[0]), here.to(*task.ends[1]))

        task = min(remaining, key=lambda t: (cost(t), t.alley_id))
        remaining.remove(task)
        near, far = task.ends if from_here.to(*task.ends[0]) <= from_here.to(*task.ends[1]) else task.ends[::-1]
        reach = from_here.to(*near)
        walking += (0.0 if math.isinf(reach) else reach) + task.length_m
        points += [near, far]
        ordered.append(task)
        position = far
    path = [network.to_lonlat(node) for node in network.route(points)]
    return PlannedRoute(
        user_id=walker.user_id,
        full_name=walker.full_name,
        alleys=[t.name for t in ordered],
        alley_ids=[t.alley_id for t in ordered],
        effort=round(walker.effort, 1),
        walking_m=round(walking, 1),
        minutes=math.ceil(walking / WALKING_M_PER_MIN),
        path=[(round(x, 6), round(y, 6)) for x, y in path],
    )


def alleys_near(session: Session, *, lon: float, lat: float, metres: float) -> list[int]:
    """The alleys whose centre line passes within `metres` of a point (e.g. a warning's cell), nearest first."""
    index = SpatialIndex.for_session(session)
    point = Point(index.frame.xy(lon, lat))
    near = sorted((line.distance(point), alley_id) for alley_id, line in index.alley_lines.items())
    return [alley_id for distance, alley_id in near if distance <= metres]
