"""Waste kinds and the reasons a points entry is written, with their Chinese labels beside them."""

from __future__ import annotations

from enum import StrEnum


class WasteKind(StrEnum):
    """Beijing's four kinds (北京市生活垃圾管理条例)."""

    kitchen = "kitchen"
    recyclable = "recyclable"
    hazardous = "hazardous"
    other = "other"


WASTE_KIND_LABELS: dict[WasteKind, str] = {
    WasteKind.kitchen: "厨余垃圾",
    WasteKind.recyclable: "可回收物",
    WasteKind.hazardous: "有害垃圾",
    WasteKind.other: "其他垃圾",
}


class EntryReason(StrEnum):
    deposit = "deposit"  # earned at the truck
    redemption = "redemption"  # spent on a reward
    expiry = "expiry"  # what was left at the year's end
    adjustment = "adjustment"  # a correction by staff


ENTRY_REASON_LABELS: dict[EntryReason, str] = {
    EntryReason.deposit: "分类投放",
    EntryReason.redemption: "兑换",
    EntryReason.expiry: "年底清零",
    EntryReason.adjustment: "更正",
}
