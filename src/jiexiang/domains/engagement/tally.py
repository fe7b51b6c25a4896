"""Whether a ballot carried: more than `quorum` of those entitled took part, and more than `majority` of those
taking part agreed (abstentions take part without agreeing). Exact fractions, so that 2/3 means two thirds."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class Outcome:
    entitled: int
    took_part: int
    agree: int
    quorum_met: bool
    majority_met: bool

    @property
    def adopted(self) -> bool:
        return self.quorum_met and self.majority_met

    def words(self) -> str:
        turnout = f"应参与 {self.entitled} 户，实际参与 {self.took_part} 户，同意 {self.agree} 户"
        if not self.quorum_met:
            return f"{turnout}：参与人数未过规定比例，表决无效，议案未通过"
        return f"{turnout}：{'同意票过半，议案通过' if self.majority_met else '同意票未过规定比例，议案未通过'}"


def _share(value: float) -> Fraction:
    return Fraction(str(value)).limit_denominator(1000)


def decide(*, entitled: int, agree: int, disagree: int, abstain: int, quorum: float, majority: float) -> Outcome:
    took_part = agree + disagree + abstain
    return Outcome(
        entitled=entitled,
        took_part=took_part,
        agree=agree,
        quorum_met=entitled > 0 and took_part > _share(quorum) * entitled,
        majority_met=took_part > 0 and agree > _share(majority) * took_part,
    )
