"""Inspections of alleys against a checklist version, and their findings (place, photos, deadline, put right).

Revision ID: 20261206_0018
Revises: 20261206_0017
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261206_0018"
down_revision: str | None = "20261206_0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inspections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alley_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("property", "patrol", name="kind", native_enum=False, create_constraint=True, length=16),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("inspector_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["alley_id"], ["alleys.id"], name=op.f("fk_inspections_alley_id_alleys"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["inspector_id"], ["users.id"], name=op.f("fk_inspections_inspector_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspections")),
    )
    with op.batch_alter_table("inspections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inspections_alley_id"), ["alley_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_inspections_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_inspections_inspector_id"), ["inspector_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_inspections_kind"), ["kind"], unique=False)

    op.create_table(
        "inspection_findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=40), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("after_complaint", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("photos", sa.JSON(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("fixed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("fixed_photos", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspections.id"],
            name=op.f("fk_inspection_findings_inspection_id_inspections"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_findings")),
    )
    with op.batch_alter_table("inspection_findings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inspection_findings_due_at"), ["due_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_inspection_findings_inspection_id"), ["inspection_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("inspection_findings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inspection_findings_inspection_id"))
        batch_op.drop_index(batch_op.f("ix_inspection_findings_due_at"))

    op.drop_table("inspection_findings")
    with op.batch_alter_table("inspections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inspections_kind"))
        batch_op.drop_index(batch_op.f("ix_inspections_inspector_id"))
        batch_op.drop_index(batch_op.f("ix_inspections_at"))
        batch_op.drop_index(batch_op.f("ix_inspections_alley_id"))

    op.drop_table("inspections")
