"""Offers as the API and the live stream show them."""

from __future__ import annotations

from jiexiang.core.records import copied
from jiexiang.domains.cases.taxonomy import load_taxonomy
from jiexiang.domains.dispatch.enums import OFFER_LABELS
from jiexiang.domains.dispatch.models import DispatchOffer
from jiexiang.domains.dispatch.schemas import OfferRead


def offer_read(offer: DispatchOffer) -> OfferRead:
    case = offer.case
    category = load_taxonomy().categories.get(case.category_code)
    return OfferRead(
        **copied(offer, "id", "case_id", "user_id", "status", "rank", "walking_m"),
        **copied(offer, "offered_at", "respond_by", "responded_at"),
        full_name=offer.user.full_name,
        status_label=OFFER_LABELS[offer.status],
        category_name=category.name if category else case.category_code,
        address=case.address_text or (case.alley.name if case.alley else None),
        lon=case.lon,
        lat=case.lat,
    )
