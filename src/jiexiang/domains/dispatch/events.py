"""What dispatch tells the rest of the system, after the commit (see `core/events.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jiexiang.core.events import LiveEvent
from jiexiang.domains.dispatch.schemas import OfferRead


@dataclass(frozen=True)
class OfferMade(LiveEvent):
    """A case was offered to a worker: their phone and the dispatcher's map show it at once."""

    live_kind = "offer"
    offer: OfferRead

    def live_data(self) -> dict[str, Any]:
        return self.offer.model_dump(mode="json")
