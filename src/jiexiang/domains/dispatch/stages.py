"""An offer's life as a table: answered once — accepted or declined by the worker asked, or expired by the sweep."""

from __future__ import annotations

from enum import StrEnum

from jiexiang.core.errors import Conflict
from jiexiang.core.states import Move, StateTable
from jiexiang.domains.dispatch.enums import OFFER_LABELS, OfferStatus


class OfferAction(StrEnum):
    accept = "accept"
    decline = "decline"
    expire = "expire"


OFFERS = StateTable(
    {
        OfferAction.accept: Move(frozenset({OfferStatus.offered}), OfferStatus.accepted),
        OfferAction.decline: Move(frozenset({OfferStatus.offered}), OfferStatus.declined),
        OfferAction.expire: Move(frozenset({OfferStatus.offered}), OfferStatus.expired),
    },
    noun="派单",
    state_labels=OFFER_LABELS,
    action_labels={OfferAction.accept: "接单", OfferAction.decline: "拒绝", OfferAction.expire: "超时"},
    error=Conflict,  # a second answer to an answered offer: 409, as before
    code="offer_closed",
)
