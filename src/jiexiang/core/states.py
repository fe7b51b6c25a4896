"""State machines as tables: which action moves a thing from which states to which. The case workflow, dispatch
offers and every later one (permits, inspections, campaign stages) declare a `StateTable` of `Move`s (or of a
richer dataclass built on `Move`) and change state only through `StateTable.move`, so that an illegal step is
refused in one way, with one kind of message, everywhere."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any, Generic, TypeVar

from jiexiang.core.errors import DomainError, InvalidInput

S = TypeVar("S", bound=Enum)
A = TypeVar("A", bound=Enum)
M = TypeVar("M", bound="Move[Any]")


@dataclass(frozen=True)
class Move(Generic[S]):
    sources: frozenset[S]
    target: S


class StateTable(Generic[A, S, M]):
    def __init__(
        self,
        moves: Mapping[A, M],
        *,
        noun: str,  # what is in these states, as a message names it: 案件, 派单 …
        state_labels: Mapping[S, str],
        action_labels: Mapping[A, str],
        error: type[DomainError] = InvalidInput,
        code: str = "illegal_transition",
    ) -> None:
        self.moves, self.noun = moves, noun
        self.state_labels, self.action_labels = state_labels, action_labels
        self.error, self.code = error, code

    def rule(self, action: A) -> M | None:
        return self.moves.get(action)

    def allows(self, action: A, current: S) -> bool:
        move = self.moves.get(action)
        return move is not None and current in move.sources

    def move(self, action: A, current: S) -> M:
        """The move `action` makes from `current`; refused (`error`, with a Chinese message) if none."""
        move = self.moves.get(action)
        label = self.action_labels[action]
        if move is None or current not in move.sources:
            allowed = "、".join(self.state_labels[s] for s in sorted(move.sources, key=_order)) if move else ""
            only = f"（只有“{allowed}”阶段可以）" if allowed else ""
            raise self.error(
                f"{self.noun}当前处于“{self.state_labels[current]}”阶段，不能{label}{only}", code=self.code
            )
        return move


def _order(state: Enum) -> str:
    return str(state.value)
