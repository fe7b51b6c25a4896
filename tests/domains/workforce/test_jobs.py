from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiexiang.core.config import Settings
from jiexiang.core.time import FixedClock
from jiexiang.domains.workforce import service
from jiexiang.domains.workforce.enums import PositionSource
from jiexiang.domains.workforce.jobs import simplify_tracks
from jiexiang.domains.workforce.models import AlleyWalk, Position
from jiexiang.domains.workforce.protocols import Fix
from tests.conftest import NOW
from tests.factories import make_town


def test_old_tracks_are_thinned_to_their_shape_and_new_ones_kept_raw(
    session: Session, settings: Settings, clock: FixedClock
) -> None:
    town = make_town(session, settings, clock)
    worker = town.users["grid_worker"].id
    old = NOW - timedelta(days=3)
    # Walk east along 光明胡同 (20 fixes on a straight line), then turn north: the shape is three points.
    walk = [(116.3670 + 0.0001 * i, 39.90201) for i in range(20)] + [
        (116.3689, 39.90201 + 0.00005 * i) for i in range(1, 6)
    ]
    fixes = [
        service.Incoming(worker, PositionSource.app, None, Fix(old + timedelta(seconds=10 * i), lon, lat, 5.0))
        for i, (lon, lat) in enumerate(walk)
    ]
    recent = [
        service.Incoming(
            worker, PositionSource.app, None, Fix(NOW - timedelta(minutes=5 - i), 116.368, 39.90201 + 0.00001 * i, 5.0)
        )
        for i in range(3)
    ]
    assert len(service.record_positions(session, incoming=fixes + recent, now=NOW).accepted) == 28
    walks_before = session.scalars(select(AlleyWalk.to_m)).all()

    kept, removed = simplify_tracks(session, before=NOW - timedelta(days=1))
    assert (kept, removed) == (3, 22)
    remaining = session.execute(
        select(Position.lon, Position.lat, Position.simplified).order_by(Position.recorded_at)
    ).all()
    assert [(r.lon, r.lat) for r in remaining[:3]] == [walk[0], walk[19], walk[-1]]
    assert [r.simplified for r in remaining] == [True] * 3 + [False] * 3
    assert session.scalars(select(AlleyWalk.to_m)).all() == walks_before  # coverage is unchanged
    assert simplify_tracks(session, before=NOW - timedelta(days=1)) == (0, 0)  # done once
    assert session.scalar(select(func.count()).select_from(Position)) == 6
