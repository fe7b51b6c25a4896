"""主动治理: proactive tasks, where the trouble is, with their owner, deadline and evidence.

Revision ID: 20261205_0014
Revises: 20261205_0013
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261205_0014"
down_revision: str | None = "20261205_0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "proactive_tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("topic", sa.String(length=32), nullable=True),
        sa.Column(
            "origin",
            sa.Enum(
                "warning",
                "hotspot",
                "monthly",
                "manual",
                name="origin",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("month", sa.String(length=7), nullable=True),
        sa.Column("cells", sa.JSON(), nullable=False),
        sa.Column("h3_resolution", sa.Integer(), nullable=False),
        sa.Column("alley_ids", sa.JSON(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=True),
        sa.Column("owner_unit_id", sa.Integer(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_when", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("open", "done", "cancelled", name="status", native_enum=False, create_constraint=True, length=16),
            nullable=False,
        ),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("evidence_photos", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_proactive_tasks_community_id_communities"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_proactive_tasks_created_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["owner_unit_id"], ["units.id"], name=op.f("fk_proactive_tasks_owner_unit_id_units"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proactive_tasks")),
        sa.UniqueConstraint("month", "topic", "community_id", name="uq_proactive_tasks_month_topic"),
    )
    with op.batch_alter_table("proactive_tasks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_proactive_tasks_community_id"), ["community_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_proactive_tasks_month"), ["month"], unique=False)
        batch_op.create_index(batch_op.f("ix_proactive_tasks_owner_unit_id"), ["owner_unit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_proactive_tasks_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("proactive_tasks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proactive_tasks_status"))
        batch_op.drop_index(batch_op.f("ix_proactive_tasks_owner_unit_id"))
        batch_op.drop_index(batch_op.f("ix_proactive_tasks_month"))
        batch_op.drop_index(batch_op.f("ix_proactive_tasks_community_id"))

    op.drop_table("proactive_tasks")
