"""A state table allows its moves and refuses every other step in one way, naming where the step may be taken."""

from __future__ import annotations

from enum import StrEnum

import pytest

from jiexiang.core.errors import Conflict, InvalidInput
from jiexiang.core.states import Move, StateTable


class Door(StrEnum):
    open = "open"
    shut = "shut"
    locked = "locked"


class Turn(StrEnum):
    close = "close"
    lock = "lock"


TABLE = StateTable(
    {Turn.close: Move(frozenset({Door.open}), Door.shut), Turn.lock: Move(frozenset({Door.shut}), Door.locked)},
    noun="门",
    state_labels={Door.open: "开着", Door.shut: "关着", Door.locked: "锁着"},
    action_labels={Turn.close: "关门", Turn.lock: "上锁"},
)


def test_moves_are_allowed_from_their_sources_only() -> None:
    assert TABLE.move(Turn.close, Door.open).target is Door.shut
    assert TABLE.allows(Turn.lock, Door.shut) and not TABLE.allows(Turn.lock, Door.open)
    with pytest.raises(InvalidInput) as refused:
        TABLE.move(Turn.lock, Door.open)
    assert refused.value.message == "门当前处于“开着”阶段，不能上锁（只有“关着”阶段可以）"
    assert refused.value.code == "illegal_transition"


def test_a_table_may_refuse_as_a_conflict() -> None:
    strict = StateTable(TABLE.moves, noun="门", state_labels=TABLE.state_labels, action_labels=TABLE.action_labels,
                        error=Conflict, code="door_busy")  # fmt: skip
    with pytest.raises(Conflict) as refused:
        strict.move(Turn.close, Door.locked)
    assert refused.value.code == "door_busy"
