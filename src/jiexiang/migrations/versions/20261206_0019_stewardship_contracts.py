"""stewardship contracts

Revision ID: 20261206_0019
Revises: 20261206_0018
Create Date: 2026-12-06 03:52:39.294558
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261206_0019"
down_revision: str | None = "20261206_0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stewardship_contracts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("monthly_fee", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("checklist_version", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("ends_on >= starts_on", name=op.f("ck_stewardship_contracts_ends_after_start")),
        sa.CheckConstraint("monthly_fee >= 0", name=op.f("ck_stewardship_contracts_fee_not_negative")),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_stewardship_contracts_unit_id_units"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stewardship_contracts")),
        sa.UniqueConstraint("code", name=op.f("uq_stewardship_contracts_code")),
    )
    with op.batch_alter_table("stewardship_contracts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stewardship_contracts_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "stewardship_contract_alleys",
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("alley_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["alley_id"],
            ["alleys.id"],
            name=op.f("fk_stewardship_contract_alleys_alley_id_alleys"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["stewardship_contracts.id"],
            name=op.f("fk_stewardship_contract_alleys_contract_id_stewardship_contracts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("contract_id", "alley_id", name=op.f("pk_stewardship_contract_alleys")),
    )
    with op.batch_alter_table("stewardship_contract_alleys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stewardship_contract_alleys_alley_id"), ["alley_id"], unique=False)

    with op.batch_alter_table("inspection_findings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("case_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_inspection_findings_case_id"), ["case_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_inspection_findings_case_id_cases"), "cases", ["case_id"], ["id"], ondelete="SET NULL"
        )

    with op.batch_alter_table("inspections", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contract_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_inspections_contract_id"), ["contract_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_inspections_contract_id_stewardship_contracts"),
            "stewardship_contracts",
            ["contract_id"],
            ["id"],
            ondelete="RESTRICT",
        )


def downgrade() -> None:
    with op.batch_alter_table("inspections", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_inspections_contract_id_stewardship_contracts"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_inspections_contract_id"))
        batch_op.drop_column("contract_id")

    with op.batch_alter_table("inspection_findings", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_inspection_findings_case_id_cases"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_inspection_findings_case_id"))
        batch_op.drop_column("case_id")

    with op.batch_alter_table("stewardship_contract_alleys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stewardship_contract_alleys_alley_id"))

    op.drop_table("stewardship_contract_alleys")
    with op.batch_alter_table("stewardship_contracts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stewardship_contracts_unit_id"))

    op.drop_table("stewardship_contracts")
