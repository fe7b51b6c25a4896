"""Quorum and majority at their edges: "more than half" is strictly more, abstentions take part without agreeing."""

from __future__ import annotations

import pytest

from jiexiang.domains.engagement.tally import decide

# entitled, agree, disagree, abstain, quorum, majority → quorum met, majority met
CASES = [
    ("exactly half take part: no quorum", 10, 5, 0, 0, 0.5, 0.5, False, True),
    ("one more than half take part", 10, 6, 0, 0, 0.5, 0.5, True, True),
    ("exactly half of those taking part agree: rejected", 10, 3, 3, 0, 0.5, 0.5, True, False),
    ("abstentions count for quorum, not for agreement", 10, 3, 1, 2, 0.5, 0.5, True, False),
    ("odd electorate: 2 of 3 is more than half", 3, 2, 0, 0, 0.5, 0.5, True, True),
    ("two-thirds majority: exactly two thirds is not more", 9, 4, 2, 0, 0.5, 2 / 3, True, False),
    ("two-thirds majority: 5 of 7", 9, 5, 2, 0, 0.5, 2 / 3, True, True),
    ("nobody entitled: never adopted", 0, 0, 0, 0, 0.5, 0.5, False, False),
    ("nobody voted", 10, 0, 0, 0, 0.5, 0.5, False, False),
]


@pytest.mark.parametrize(
    ("why", "entitled", "agree", "disagree", "abstain", "quorum", "majority", "quorum_met", "majority_met"),
    CASES,
    ids=[c[0] for c in CASES],
)
def test_quorum_and_majority(
    why: str,
    entitled: int,
    agree: int,
    disagree: int,
    abstain: int,
    quorum: float,
    majority: float,
    quorum_met: bool,
    majority_met: bool,
) -> None:
    outcome = decide(
        entitled=entitled, agree=agree, disagree=disagree, abstain=abstain, quorum=quorum, majority=majority
    )
    assert (outcome.quorum_met, outcome.majority_met) == (quorum_met, majority_met)
    assert outcome.adopted == (quorum_met and majority_met)
    assert ("议案通过" in outcome.words()) == outcome.adopted
