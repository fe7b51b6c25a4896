"""Routing: which unit a case should be dispatched to, from the routing rules (most specific wins)."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jiexiang.core.errors import InvalidInput, NotFound
from jiexiang.core.time import Clock
from jiexiang.domains.accounts.models import Unit
from jiexiang.domains.cases.models import Case, RoutingRule
from jiexiang.domains.cases.taxonomy import load_taxonomy


def _specificity(rule: RoutingRule) -> tuple[int, int]:
    place = 2 if rule.alley_id is not None else 1 if rule.community_id is not None else 0
    what = 2 if rule.category_code is not None else 1 if rule.group is not None else 0
    return place, what


def suggest_unit(session: Session, case: Case) -> Unit | None:
    """The unit of the most specific rule matching the case's category and place (place counts first)."""
    category = load_taxonomy().categories.get(case.category_code)
    group = category.group if category else None
    rules = session.scalars(
        select(RoutingRule).where(
            or_(RoutingRule.category_code == case.category_code, RoutingRule.category_code.is_(None)),
            or_(RoutingRule.group == group, RoutingRule.group.is_(None)),
            or_(RoutingRule.alley_id == case.alley_id, RoutingRule.alley_id.is_(None)),
            or_(RoutingRule.community_id == case.community_id, RoutingRule.community_id.is_(None)),
        )
    ).all()
    if not rules:
        return None
    return max(rules, key=lambda r: (_specificity(r), -r.id)).unit


def create_rule(
    session: Session,
    *,
    unit_id: int,
    clock: Clock,
    category_code: str | None = None,
    group: str | None = None,
    community_id: int | None = None,
    alley_id: int | None = None,
) -> RoutingRule:
    taxonomy = load_taxonomy()
    if category_code is not None and category_code not in taxonomy.categories:
        raise InvalidInput(f"类别 {category_code} 不存在", code="unknown_category")
    if group is not None and group not in taxonomy.groups:
        raise InvalidInput(f"专题 {group} 不存在", code="unknown_group")
    if category_code is not None and group is not None:
        raise InvalidInput("类别和专题只能指定一个", code="category_or_group")
    if session.get(Unit, unit_id) is None:
        raise InvalidInput(f"单位 {unit_id} 不存在", code="unit_not_found")
    rule = RoutingRule(
        category_code=category_code,
        group=group,
        community_id=community_id,
        alley_id=alley_id,
        unit_id=unit_id,
        created_at=clock.now(),
    )
    try:
        with session.begin_nested():  # the foreign keys decide whether the community and alley exist
            session.add(rule)
    except IntegrityError as exc:
        raise InvalidInput("指定的社区或街巷不存在", code="place_not_found") from exc
    return rule


def list_rules(session: Session) -> list[RoutingRule]:
    return list(session.scalars(select(RoutingRule).order_by(RoutingRule.id)))


def delete_rule(session: Session, *, rule_id: int) -> None:
    rule = session.get(RoutingRule, rule_id)
    if rule is None:
        raise NotFound(f"派遣规则 {rule_id} 不存在", code="rule_not_found")
    session.delete(rule)
    session.flush()
