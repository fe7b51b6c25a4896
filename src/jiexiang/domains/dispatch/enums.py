"""Dispatch offer states, with Chinese labels beside them."""

from __future__ import annotations

from enum import StrEnum


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
