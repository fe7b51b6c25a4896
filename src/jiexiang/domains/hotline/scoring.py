"""The three rates and the ranking, defined once (the dashboard's tooltips and the README quote `DEFINITIONS`).

响应率 = tickets whose caller was contacted within the limit ÷ tickets dispatched in the period;
解决率 = callbacks answering 解决 ÷ callbacks answering 是否解决;
满意率 = (满意 × 1 + 基本满意 × w) ÷ callbacks answering 满意度;
综合得分 = 100 × (weighted sum of the three rates), ranked highest first (equal scores share a rank).
A ticket whose appeal was accepted, that was returned as wrongly assigned, or that repeats an earlier call of the
same caller counts nowhere; every other ticket counts on its own, also when several share one case."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from jiexiang.domains.hotline.enums import AppealStatus, Satisfaction, TicketStatus
from jiexiang.domains.hotline.models import Ticket
from jiexiang.domains.hotline.rules import Scoring

DEFINITIONS = {
    "响应率": "在时限内联系到诉求人的工单数 ÷ 本期派单数（申诉成立、已退单、重复诉求不计）",
    "解决率": "市级回访答“已解决”的工单数 ÷ 回访中回答了“是否解决”的工单数",
    "满意率": "(满意数 × 1 + 基本满意数 × {w}) ÷ 回访中回答了满意度的工单数",
    "综合得分": "100 × (响应率 × {respond} + 解决率 × {resolve} + 满意率 × {satisfy})，缺一率不计分；同分同名次",
}


def definitions(scoring: Scoring) -> dict[str, str]:
    values = {
        "w": f"{scoring.basic_weight:g}",
        "respond": f"{scoring.respond:.0%}",
        "resolve": f"{scoring.resolve:.0%}",
        "satisfy": f"{scoring.satisfy:.0%}",
    }
    return {name: text.format(**values) for name, text in DEFINITIONS.items()}


def counts(ticket: Ticket) -> bool:
    """Whether a ticket counts in the rates (see above)."""
    return (
        ticket.appeal is not AppealStatus.accepted
        and ticket.status is not TicketStatus.returned
        and ticket.repeat_of_id is None
    )


@dataclass(frozen=True)
class TicketFacts:
    """What the rates need of one ticket: its group and whether it counts, was contacted in time, and the city's
    callback (None where the caller did not answer that question or was not called back)."""

    group: str
    counts: bool
    contacted_in_time: bool
    called_back: bool
    resolved: bool | None
    satisfaction: Satisfaction | None


@dataclass
class GroupRates:
    name: str
    dispatched: int = 0
    responded: int = 0
    callbacks: int = 0
    resolve_answers: int = 0
    resolved: int = 0
    satisfied: int = 0
    basically: int = 0
    unsatisfied: int = 0
    respond_rate: float | None = None
    resolve_rate: float | None = None
    satisfy_rate: float | None = None
    score: float | None = None
    rank: int | None = None

    def add(self, facts: TicketFacts) -> None:
        self.dispatched += 1
        self.responded += facts.contacted_in_time
        self.callbacks += facts.called_back
        if facts.resolved is not None:
            self.resolve_answers += 1
            self.resolved += facts.resolved
        self.satisfied += facts.satisfaction is Satisfaction.satisfied
        self.basically += facts.satisfaction is Satisfaction.basically
        self.unsatisfied += facts.satisfaction is Satisfaction.unsatisfied

    def finish(self, scoring: Scoring) -> None:
        answered = self.satisfied + self.basically + self.unsatisfied
        self.respond_rate = _ratio(self.responded, self.dispatched)
        self.resolve_rate = _ratio(self.resolved, self.resolve_answers)
        self.satisfy_rate = _ratio(self.satisfied + scoring.basic_weight * self.basically, answered)
        rates = (self.respond_rate, self.resolve_rate, self.satisfy_rate)
        if all(rate is not None for rate in rates):
            weighted = (
                scoring.respond * (self.respond_rate or 0)
                + scoring.resolve * (self.resolve_rate or 0)
                + scoring.satisfy * (self.satisfy_rate or 0)
            )
            self.score = round(100 * weighted, 2)


def _ratio(part: float, whole: int) -> float | None:
    return part / whole if whole else None


def rates(facts: Iterable[TicketFacts], scoring: Scoring) -> list[GroupRates]:
    """One row per group that has a counted ticket, ranked by score (groups without a score come last, unranked)."""
    groups: dict[str, GroupRates] = defaultdict(lambda: GroupRates(""))
    for item in facts:
        if item.counts:
            group = groups[item.group]
            group.name = item.group
            group.add(item)
    rows = list(groups.values())
    for row in rows:
        row.finish(scoring)
    rows.sort(key=lambda r: (r.score is None, -(r.score or 0), r.name))
    for position, row in enumerate(rows, start=1):
        if row.score is not None:
            earlier = rows[position - 2] if position > 1 else None
            row.rank = earlier.rank if earlier is not None and earlier.score == row.score else position
    return rows


def overall(facts: Iterable[TicketFacts], scoring: Scoring, *, name: str = "合计") -> GroupRates | None:
    """The rates of all counted tickets together (unranked); None when none counts."""
    whole = rates((replace(item, group=name) for item in facts), scoring)
    if not whole:
        return None
    whole[0].rank = None
    return whole[0]
