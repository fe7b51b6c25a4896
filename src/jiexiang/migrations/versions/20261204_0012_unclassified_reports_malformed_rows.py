"""Reports whose category cannot be decided wait for an operator (a review reason, a category method and a case
event action: 更正类别), and rows that cannot be read as the header says are quarantined as such.

Revision ID: 20261204_0012
Revises: 20261204_0011
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "20261204_0012"
down_revision: str | None = "20261204_0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_QUARANTINE = [
    "missing_id",
    "bad_time",
    "empty_text",
    "unknown_category",
    "outside_area",
    "bad_coordinates",
    "duplicate_in_file",
]
_REVIEW = ["location"]
_METHODS = ["source", "model", "rules"]
_ACTIONS = [
    "register",
    "reject",
    "dispatch",
    "accept",
    "return",
    "extend",
    "feedback",
    "verify",
    "rework",
    "comment",
    "due_soon",
    "overdue",
    "offer",
    "acknowledge",
    "decline",
    "escalate",
    "recalculate",
]
# (table, column, the constraint's name, values before, values added)
_CHECKS = [
    ("quarantined_rows", "reason_code", "quarantinereason", _QUARANTINE, ["malformed_row"]),
    ("cases", "review_reason", "reviewreason", _REVIEW, ["category"]),
    ("reports", "category_method", "categorymethod", _METHODS, ["none"]),
    ("case_events", "action", "action", _ACTIONS, ["recategorize"]),
]


def _check(column: str, values: list[str]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def _replace_checks(*, upgrading: bool) -> None:
    for table, column, name, before, added in _CHECKS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_{name}"), type_="check")
            batch_op.create_check_constraint(name, _check(column, before + added if upgrading else before))


def upgrade() -> None:
    _replace_checks(upgrading=True)


def downgrade() -> None:
    op.execute("DELETE FROM case_events WHERE action = 'recategorize'")
    op.execute("DELETE FROM quarantined_rows WHERE reason_code = 'malformed_row'")
    op.execute("UPDATE cases SET review_reason = NULL WHERE review_reason = 'category'")
    op.execute("UPDATE reports SET category_method = 'rules' WHERE category_method = 'none'")
    _replace_checks(upgrading=False)
