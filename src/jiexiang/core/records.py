"""Building a schema or an event from a row: the fields that repeat a row's attributes unchanged, named once."""

from __future__ import annotations

from typing import Any


def copied(source: object, *names: str) -> dict[str, Any]:
    """The attributes `names` of `source`, as keyword arguments for a schema whose fields of those names hold
    them as they are (what it computes or renames it still says itself)."""
    return {name: getattr(source, name) for name in names}
