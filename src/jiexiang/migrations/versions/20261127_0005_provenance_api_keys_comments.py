"""Report provenance (file and row, submitting account or API key), API keys for Open311 clients, and
comments on cases (a new case event action).

Revision ID: 20261127_0005
Revises: 20261127_0004
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261127_0005"
down_revision: str | None = "20261127_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ACTIONS = ["register", "reject", "dispatch", "accept", "return", "extend", "feedback", "verify", "rework"]
_SWEEP = ["due_soon", "overdue"]


def _actions_check(values: list[str]) -> str:
    return "action IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_api_keys_key_hash")),
    )
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("file_name", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("row_number", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("submitted_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("api_key_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_reports_submitted_by_id"), ["submitted_by_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_reports_api_key_id_api_keys"), "api_keys", ["api_key_id"], ["id"], ondelete="SET NULL"
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_reports_submitted_by_id_users"), "users", ["submitted_by_id"], ["id"], ondelete="SET NULL"
        )
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_case_events_action"), type_="check")
        batch_op.create_check_constraint("action", _actions_check([*_ACTIONS, "comment", *_SWEEP]))


def downgrade() -> None:
    op.execute("DELETE FROM case_events WHERE action = 'comment'")
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_case_events_action"), type_="check")
        batch_op.create_check_constraint("action", _actions_check([*_ACTIONS, *_SWEEP]))
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_reports_submitted_by_id_users"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_reports_api_key_id_api_keys"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_reports_submitted_by_id"))
        batch_op.drop_column("api_key_id")
        batch_op.drop_column("submitted_by_id")
        batch_op.drop_column("row_number")
        batch_op.drop_column("file_name")
    op.drop_table("api_keys")
