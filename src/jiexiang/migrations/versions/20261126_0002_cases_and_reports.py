"""Cases, their reports (unique per source and external id) and quarantined source rows.

Revision ID: 20261126_0002
Revises: 20261126_0001
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261126_0002"
down_revision: str | None = "20261126_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "quarantined_rows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "source",
            sa.Enum(
                "hotline",
                "command_centre",
                "patrol",
                "snap",
                "open311",
                name="reportsource",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("external_id", sa.String(length=64), nullable=True),
        sa.Column("file_name", sa.String(length=255), nullable=True),
        sa.Column("row_number", sa.Integer(), nullable=True),
        sa.Column(
            "reason_code",
            sa.Enum(
                "missing_id",
                "bad_time",
                "empty_text",
                "unknown_category",
                "outside_area",
                "bad_coordinates",
                "duplicate_in_file",
                name="quarantinereason",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.String(length=255), nullable=False),
        sa.Column("raw", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quarantined_rows")),
        sa.UniqueConstraint("source", "content_hash", name="uq_quarantined_rows_source_content_hash"),
    )
    with op.batch_alter_table("quarantined_rows", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quarantined_rows_reason_code"), ["reason_code"], unique=False)

    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("category_code", sa.String(length=4), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "reported",
                "registered",
                "dispatched",
                "handling",
                "verifying",
                "closed",
                "rejected",
                name="casestatus",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("address_text", sa.String(length=255), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("h3_cell", sa.String(length=16), nullable=True),
        sa.Column("community_id", sa.Integer(), nullable=True),
        sa.Column("alley_id", sa.Integer(), nullable=True),
        sa.Column("grid_cell_id", sa.Integer(), nullable=True),
        sa.Column(
            "review_reason",
            sa.Enum("location", name="reviewreason", native_enum=False, create_constraint=True, length=24),
            nullable=True,
        ),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("report_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["alley_id"], ["alleys.id"], name=op.f("fk_cases_alley_id_alleys"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["community_id"], ["communities.id"], name=op.f("fk_cases_community_id_communities"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["grid_cell_id"], ["grid_cells.id"], name=op.f("fk_cases_grid_cell_id_grid_cells"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cases_alley_id"), ["alley_id"], unique=False)
        batch_op.create_index(
            "ix_cases_category_status_reported", ["category_code", "status", "reported_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_cases_community_id"), ["community_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_grid_cell_id"), ["grid_cell_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_h3_cell"), ["h3_cell"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_reported_at"), ["reported_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_review_reason"), ["review_reason"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_status"), ["status"], unique=False)

    op.create_table(
        "reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "source",
            sa.Enum(
                "hotline",
                "command_centre",
                "patrol",
                "snap",
                "open311",
                name="reportsource",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("category_code", sa.String(length=4), nullable=False),
        sa.Column(
            "category_method",
            sa.Enum(
                "source", "model", "rules", name="categorymethod", native_enum=False, create_constraint=True, length=24
            ),
            nullable=False,
        ),
        sa.Column("category_confidence", sa.Float(), nullable=False),
        sa.Column("source_category", sa.String(length=128), nullable=True),
        sa.Column("address_text", sa.String(length=255), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("location_method", sa.String(length=24), nullable=True),
        sa.Column("location_confidence", sa.Float(), nullable=True),
        sa.Column("reporter_name_sealed", sa.Text(), nullable=True),
        sa.Column("reporter_phone_sealed", sa.Text(), nullable=True),
        sa.Column("reporter_fingerprint", sa.String(length=32), nullable=True),
        sa.Column("photos", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_reports_case_id_cases"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reports")),
        sa.UniqueConstraint("source", "external_id", name="uq_reports_source_external_id"),
    )
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reports_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reports_reporter_fingerprint"), ["reporter_fingerprint"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reports_reporter_fingerprint"))
        batch_op.drop_index(batch_op.f("ix_reports_case_id"))

    op.drop_table("reports")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cases_status"))
        batch_op.drop_index(batch_op.f("ix_cases_review_reason"))
        batch_op.drop_index(batch_op.f("ix_cases_reported_at"))
        batch_op.drop_index(batch_op.f("ix_cases_h3_cell"))
        batch_op.drop_index(batch_op.f("ix_cases_grid_cell_id"))
        batch_op.drop_index(batch_op.f("ix_cases_community_id"))
        batch_op.drop_index("ix_cases_category_status_reported")
        batch_op.drop_index(batch_op.f("ix_cases_alley_id"))

    op.drop_table("cases")
    with op.batch_alter_table("quarantined_rows", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quarantined_rows_reason_code"))

    op.drop_table("quarantined_rows")
