"""Analytics snapshots: the stored results of each hotspot / risk / forecast / warning run.

Revision ID: 20261127_0009
Revises: 20261127_0008
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261127_0009"
down_revision: str | None = "20261127_0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "analytics_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "hotspots",
                "risk",
                "forecasts",
                "warnings",
                name="kind",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("as_of", sa.DateTime(timezone=True), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("h3_resolution", sa.Integer(), nullable=False),
        sa.Column("rows", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analytics_snapshots")),
    )
    with op.batch_alter_table("analytics_snapshots", schema=None) as batch_op:
        batch_op.create_index("ix_analytics_snapshots_kind_computed_at", ["kind", "computed_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("analytics_snapshots", schema=None) as batch_op:
        batch_op.drop_index("ix_analytics_snapshots_kind_computed_at")

    op.drop_table("analytics_snapshots")
