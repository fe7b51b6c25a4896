"""Dispatch offers of urgent cases to field workers, and their steps as case event actions.

Revision ID: 20261127_0008
Revises: 20261127_0007
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261127_0008"
down_revision: str | None = "20261127_0007"
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
]
_DISPATCH = ["offer", "acknowledge", "decline", "escalate"]


def _actions(values: list[str]) -> str:
    return "action IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def upgrade() -> None:
    op.create_table(
        "dispatch_offers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "offered",
                "accepted",
                "declined",
                "expired",
                "cancelled",
                name="status",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("walking_m", sa.Float(), nullable=False),
        sa.Column("offered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("respond_by", sa.DateTime(timezone=True), nullable=False),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_dispatch_offers_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_dispatch_offers_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispatch_offers")),
    )
    with op.batch_alter_table("dispatch_offers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dispatch_offers_case_id"), ["case_id"], unique=False)
        batch_op.create_index("ix_dispatch_offers_status_respond_by", ["status", "respond_by"], unique=False)
        batch_op.create_index(batch_op.f("ix_dispatch_offers_user_id"), ["user_id"], unique=False)
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_case_events_action"), type_="check")
        batch_op.create_check_constraint("action", _actions(_BEFORE + _DISPATCH))


def downgrade() -> None:
    op.execute("DELETE FROM case_events WHERE action IN ('offer', 'acknowledge', 'decline', 'escalate')")
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_case_events_action"), type_="check")
        batch_op.create_check_constraint("action", _actions(_BEFORE))
    with op.batch_alter_table("dispatch_offers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dispatch_offers_user_id"))
        batch_op.drop_index("ix_dispatch_offers_status_respond_by")
        batch_op.drop_index(batch_op.f("ix_dispatch_offers_case_id"))

    op.drop_table("dispatch_offers")
