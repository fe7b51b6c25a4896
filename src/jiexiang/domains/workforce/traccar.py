"""Traccar Client / OsmAnd: a fix from a phone known by its device id, stored for the worker it is registered to.
(Reading the protocol's parameters is `protocols.py`; the HTTP forms it arrives in, `api.py`.)"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from jiexiang.domains.workforce import service
from jiexiang.domains.workforce.enums import PositionSource
from jiexiang.domains.workforce.protocols import Fix


def apply(session: Session, *, device_id: str, fix: Fix, now: datetime) -> service.Tally | None:
    """What became of the fix; None for a device nobody registered (the phone is told, as Traccar's server does)."""
    device = service.device_owner(session, device_id=device_id, now=now)
    if device is None:
        return None
    incoming = [service.Incoming(device.user_id, PositionSource.osmand, device_id, fix)]
    return service.record_positions(session, incoming=incoming, now=now)
