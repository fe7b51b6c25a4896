"""Dispatch offer states, with Chinese labels beside them."""

from __future__ import annotations

from enum import StrEnum

from jiexiang.core.errors import Conflict
from jiexiang.core.states import Move, StateTable


class OfferStatus(StrEnum):
    offered = "offered"  # waiting for the worker to acknowledge
    accepted = "accepted"
    declined = "declined"  # the worker said no
    expired = "expired"  # no answer in time
    cancelled = "cancelled"  # the case no longer needs it


OFFER_LABELS: dict[OfferStatus, str] = {
    OfferStatus.offered: "待接单",
    OfferStatus.accepted: "已接单",
    OfferStatus.declined: "已拒绝",
    OfferStatus.expired: "超时未接",
    OfferStatus.cancelled: "已取消",
}


class OfferAction(StrEnum):
    accept = "accept"
    decline = "decline"
    expire = "expire"


OFFER_ACTION_LABELS: dict[OfferAction, str] = {
    OfferAction.accept: "接单",
    OfferAction.decline: "拒绝",
    OfferAction.expire: "超时",
}

# An offer is answered once: accepted or declined by the worker asked, or expired by the sweep.
OFFERS = StateTable(
    {
        OfferAction.accept: Move(frozenset({OfferStatus.offered}), OfferStatus.accepted),
        OfferAction.decline: Move(frozenset({OfferStatus.offered}), OfferStatus.declined),
        OfferAction.expire: Move(frozenset({OfferStatus.offered}), OfferStatus.expired),
    },
    noun="派单",
    state_labels=OFFER_LABELS,
    action_labels=OFFER_ACTION_LABELS,
    error=Conflict,
    code="offer_closed",
)
