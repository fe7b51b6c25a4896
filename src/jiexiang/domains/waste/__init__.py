"""Garbage sorting at the truck (垃圾不落地): collection stops and times, households' cards, deposits registered by the
collector, points in an append-only ledger, rewards and redemptions."""
