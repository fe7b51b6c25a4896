"""Official holiday schedules imported into the database, and deadline recalculation as a case event action.

Revision ID: 20261204_0010
Revises: 20261127_0009
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261204_0010"
down_revision: str | None = "20261127_0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BEFORE = [
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
]


def _actions(values: list[str]) -> str:
    return "action IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def upgrade() -> None:
    op.create_table(
        "calendar_notices",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_calendar_notices")),
    )
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_case_events_action"), type_="check")
        batch_op.create_check_constraint("action", _actions([*_BEFORE, "recalculate"]))


def downgrade() -> None:
    op.execute("DELETE FROM case_events WHERE action = 'recalculate'")
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_case_events_action"), type_="check")
        batch_op.create_check_constraint("action", _actions(_BEFORE))
    op.drop_table("calendar_notices")
