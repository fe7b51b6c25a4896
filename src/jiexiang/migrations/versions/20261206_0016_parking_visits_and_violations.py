"""Parking in use: cars' visits (an inspector's check-in and check-out, a gate's records: imported once each, one
open visit per plate) and the violations found in them; a permit's suspension as a date, like its expiry.

Revision ID: 20261206_0016
Revises: 20261205_0015
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261206_0016"
down_revision: str | None = "20261205_0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "parking_visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=True),
        sa.Column("plate", sa.String(length=16), nullable=False),
        sa.Column("permit_id", sa.Integer(), nullable=True),
        sa.Column(
            "source",
            sa.Enum("inspector", "gate", name="source", native_enum=False, create_constraint=True, length=16),
            nullable=False,
        ),
        sa.Column("external_ref", sa.String(length=64), nullable=True),
        sa.Column("arrived_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("departed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("arrived_by", sa.Integer(), nullable=True),
        sa.Column("departed_by", sa.Integer(), nullable=True),
        sa.Column("photos", sa.JSON(), nullable=False),
        sa.Column("minutes_outside", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["arrived_by"], ["users.id"], name=op.f("fk_parking_visits_arrived_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["departed_by"], ["users.id"], name=op.f("fk_parking_visits_departed_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["lot_id"], ["parking_lots.id"], name=op.f("fk_parking_visits_lot_id_parking_lots"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["permit_id"],
            ["parking_permits.id"],
            name=op.f("fk_parking_visits_permit_id_parking_permits"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["space_id"],
            ["parking_spaces.id"],
            name=op.f("fk_parking_visits_space_id_parking_spaces"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parking_visits")),
        sa.UniqueConstraint("lot_id", "source", "external_ref", name="uq_parking_visits_external_ref"),
    )
    with op.batch_alter_table("parking_visits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_parking_visits_arrived_at"), ["arrived_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_parking_visits_departed_at"), ["departed_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_parking_visits_lot_id"), ["lot_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_parking_visits_permit_id"), ["permit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_parking_visits_plate"), ["plate"], unique=False)
        batch_op.create_index(
            "uq_parking_visits_open_plate",
            ["plate"],
            unique=True,
            sqlite_where=sa.text("departed_at IS NULL"),
            postgresql_where=sa.text("departed_at IS NULL"),
        )

    op.create_table(
        "parking_violations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("plate", sa.String(length=16), nullable=False),
        sa.Column("permit_id", sa.Integer(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum("outside_window", "no_permit", name="kind", native_enum=False, create_constraint=True, length=16),
            nullable=False,
        ),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("fine", sa.Integer(), nullable=False),
        sa.Column("suspended_until", sa.Date(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["lot_id"], ["parking_lots.id"], name=op.f("fk_parking_violations_lot_id_parking_lots"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["permit_id"],
            ["parking_permits.id"],
            name=op.f("fk_parking_violations_permit_id_parking_permits"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["parking_visits.id"],
            name=op.f("fk_parking_violations_visit_id_parking_visits"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parking_violations")),
        sa.UniqueConstraint("visit_id", name=op.f("uq_parking_violations_visit_id")),
    )
    with op.batch_alter_table("parking_violations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_parking_violations_lot_id"), ["lot_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_parking_violations_occurred_at"), ["occurred_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_parking_violations_permit_id"), ["permit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_parking_violations_plate"), ["plate"], unique=False)

    with op.batch_alter_table("parking_permits", schema=None) as batch_op:
        batch_op.add_column(sa.Column("suspended_until", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("parking_permits", schema=None) as batch_op:
        batch_op.drop_column("suspended_until")

    with op.batch_alter_table("parking_violations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_parking_violations_plate"))
        batch_op.drop_index(batch_op.f("ix_parking_violations_permit_id"))
        batch_op.drop_index(batch_op.f("ix_parking_violations_occurred_at"))
        batch_op.drop_index(batch_op.f("ix_parking_violations_lot_id"))

    op.drop_table("parking_violations")
    with op.batch_alter_table("parking_visits", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_parking_visits_open_plate",
            sqlite_where=sa.text("departed_at IS NULL"),
            postgresql_where=sa.text("departed_at IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_parking_visits_plate"))
        batch_op.drop_index(batch_op.f("ix_parking_visits_permit_id"))
        batch_op.drop_index(batch_op.f("ix_parking_visits_lot_id"))
        batch_op.drop_index(batch_op.f("ix_parking_visits_departed_at"))
        batch_op.drop_index(batch_op.f("ix_parking_visits_arrived_at"))

    op.drop_table("parking_visits")
