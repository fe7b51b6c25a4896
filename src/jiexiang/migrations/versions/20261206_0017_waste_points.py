"""Garbage sorting at the truck: stops, households' cards (one in use each), deposits and redemptions (each with an
idempotency key), rewards (stock never below zero) and the append-only points ledger (each entry's key once).

Revision ID: 20261206_0017
Revises: 20261206_0016
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261206_0017"
down_revision: str | None = "20261206_0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "waste_rewards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("stock", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("points > 0", name=op.f("ck_waste_rewards_points_positive")),
        sa.CheckConstraint("stock >= 0", name=op.f("ck_waste_rewards_stock_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waste_rewards")),
        sa.UniqueConstraint("name", name=op.f("uq_waste_rewards_name")),
    )
    op.create_table(
        "waste_stops",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alley_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("windows", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["alley_id"], ["alleys.id"], name=op.f("fk_waste_stops_alley_id_alleys"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waste_stops")),
        sa.UniqueConstraint("alley_id", "name", name="uq_waste_stops_alley_name"),
    )
    with op.batch_alter_table("waste_stops", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_waste_stops_alley_id"), ["alley_id"], unique=False)

    op.create_table(
        "waste_cards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_waste_cards_household_id_households"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waste_cards")),
        sa.UniqueConstraint("code", name=op.f("uq_waste_cards_code")),
    )
    with op.batch_alter_table("waste_cards", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_waste_cards_household_id"), ["household_id"], unique=False)
        batch_op.create_index(
            "uq_waste_cards_one_active",
            ["household_id"],
            unique=True,
            sqlite_where=sa.text("revoked_at IS NULL"),
            postgresql_where=sa.text("revoked_at IS NULL"),
        )

    op.create_table(
        "waste_redemptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("reward_id", sa.Integer(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["by_id"], ["users.id"], name=op.f("fk_waste_redemptions_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_waste_redemptions_household_id_households"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["reward_id"],
            ["waste_rewards.id"],
            name=op.f("fk_waste_redemptions_reward_id_waste_rewards"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waste_redemptions")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_waste_redemptions_idempotency_key")),
    )
    with op.batch_alter_table("waste_redemptions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_waste_redemptions_household_id"), ["household_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_waste_redemptions_reward_id"), ["reward_id"], unique=False)

    op.create_table(
        "waste_deposits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("card_id", sa.Integer(), nullable=False),
        sa.Column("stop_id", sa.Integer(), nullable=True),
        sa.Column("collector_id", sa.Integer(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "kitchen",
                "recyclable",
                "hazardous",
                "other",
                name="kind",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("photo", sa.String(length=120), nullable=True),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["card_id"], ["waste_cards.id"], name=op.f("fk_waste_deposits_card_id_waste_cards"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["collector_id"], ["users.id"], name=op.f("fk_waste_deposits_collector_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_waste_deposits_household_id_households"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["stop_id"], ["waste_stops.id"], name=op.f("fk_waste_deposits_stop_id_waste_stops"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waste_deposits")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_waste_deposits_idempotency_key")),
    )
    with op.batch_alter_table("waste_deposits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_waste_deposits_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_waste_deposits_household_id"), ["household_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_waste_deposits_stop_id"), ["stop_id"], unique=False)

    op.create_table(
        "waste_point_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column(
            "reason",
            sa.Enum(
                "deposit",
                "redemption",
                "expiry",
                "adjustment",
                name="reason",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("deposit_id", sa.Integer(), nullable=True),
        sa.Column("redemption_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["deposit_id"],
            ["waste_deposits.id"],
            name=op.f("fk_waste_point_entries_deposit_id_waste_deposits"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_waste_point_entries_household_id_households"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["redemption_id"],
            ["waste_redemptions.id"],
            name=op.f("fk_waste_point_entries_redemption_id_waste_redemptions"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waste_point_entries")),
        sa.UniqueConstraint("deposit_id", name=op.f("uq_waste_point_entries_deposit_id")),
        sa.UniqueConstraint("key", name=op.f("uq_waste_point_entries_key")),
        sa.UniqueConstraint("redemption_id", name=op.f("uq_waste_point_entries_redemption_id")),
    )
    with op.batch_alter_table("waste_point_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_waste_point_entries_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_waste_point_entries_household_id"), ["household_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("waste_point_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_waste_point_entries_household_id"))
        batch_op.drop_index(batch_op.f("ix_waste_point_entries_at"))

    op.drop_table("waste_point_entries")
    with op.batch_alter_table("waste_deposits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_waste_deposits_stop_id"))
        batch_op.drop_index(batch_op.f("ix_waste_deposits_household_id"))
        batch_op.drop_index(batch_op.f("ix_waste_deposits_at"))

    op.drop_table("waste_deposits")
    with op.batch_alter_table("waste_redemptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_waste_redemptions_reward_id"))
        batch_op.drop_index(batch_op.f("ix_waste_redemptions_household_id"))

    op.drop_table("waste_redemptions")
    with op.batch_alter_table("waste_cards", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_waste_cards_one_active",
            sqlite_where=sa.text("revoked_at IS NULL"),
            postgresql_where=sa.text("revoked_at IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_waste_cards_household_id"))

    op.drop_table("waste_cards")
    with op.batch_alter_table("waste_stops", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_waste_stops_alley_id"))

    op.drop_table("waste_stops")
    op.drop_table("waste_rewards")
