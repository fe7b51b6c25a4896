"""The one shape every connector produces: an IncomingReport, or a Rejected row with its reason."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from jiexiang.core.geo import CoordinateSystem
from jiexiang.domains.cases.enums import QUARANTINE_LABELS, QuarantineReason, ReportSource
from jiexiang.domains.hotline.intake import TicketFields


@dataclass(frozen=True)
class IncomingReport:
    source: ReportSource
    external_id: str
    received_at: datetime  # aware UTC
    text: str
    raw: dict[str, Any]  # the source row as read, for provenance and change detection
    source_category: str | None = None  # the source's own label ("市容环境-乱堆物堆料", "占道经营" …)
    address: str | None = None
    lon: float | None = None
    lat: float | None = None
    crs: CoordinateSystem = CoordinateSystem.wgs84
    reporter_name: str | None = None
    reporter_phone: str | None = None
    photos: tuple[str, ...] = ()
    row_number: int | None = None
    # Who submitted it through the API: an account (patrol, 随手拍) or an Open311 client's key.
    submitted_by_id: int | None = None
    api_key_id: int | None = None
    ticket: TicketFields | None = None  # a 12345 ticket's own fields (the hotline connector)

    @cached_property
    def content_hash(self) -> str:
        return content_hash(self.raw)


@dataclass(frozen=True)
class Rejected:
    source: ReportSource
    reason: QuarantineReason
    detail: str  # Chinese, for the people who fix the source
    raw: dict[str, Any]
    external_id: str | None = None
    row_number: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return f"{QUARANTINE_LABELS[self.reason]}：{self.detail}"


def content_hash(raw: dict[str, Any]) -> str:
    text = json.dumps(raw, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()
