"""接诉即办: 12345 tickets beside their reports, the steps taken on each, and the callbacks.

Revision ID: 20261205_0013
Revises: 20261204_0012
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261205_0013"
down_revision: str | None = "20261204_0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "hotline_tickets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("ticket_no", sa.String(length=64), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "help",
                "complaint",
                "inquiry",
                "suggestion",
                "praise",
                name="kind",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=True,
        ),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("dispatched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("respond_by", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finish_by", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lead_unit_name", sa.String(length=128), nullable=True),
        sa.Column("lead_unit_id", sa.Integer(), nullable=True),
        sa.Column("assisting_units", sa.JSON(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "finished",
                "returning",
                "returned",
                name="status",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column(
            "appeal",
            sa.Enum(
                "none",
                "pending",
                "accepted",
                "rejected",
                name="appeal",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("contacted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("result", sa.String(length=64), nullable=True),
        sa.Column("reply", sa.Text(), nullable=True),
        sa.Column("extension_count", sa.Integer(), nullable=False),
        sa.Column("caller_fingerprint", sa.String(length=32), nullable=True),
        sa.Column("repeat_of_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_unit_id"], ["units.id"], name=op.f("fk_hotline_tickets_lead_unit_id_units"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["repeat_of_id"],
            ["hotline_tickets.id"],
            name=op.f("fk_hotline_tickets_repeat_of_id_hotline_tickets"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.id"], name=op.f("fk_hotline_tickets_report_id_reports"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hotline_tickets")),
        sa.UniqueConstraint("report_id", name=op.f("uq_hotline_tickets_report_id")),
        sa.UniqueConstraint("ticket_no", name=op.f("uq_hotline_tickets_ticket_no")),
    )
    with op.batch_alter_table("hotline_tickets", schema=None) as batch_op:
        batch_op.create_index(
            "ix_hotline_tickets_caller_dispatched", ["caller_fingerprint", "dispatched_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_hotline_tickets_dispatched_at"), ["dispatched_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_hotline_tickets_lead_unit_id"), ["lead_unit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_hotline_tickets_repeat_of_id"), ["repeat_of_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_hotline_tickets_status"), ["status"], unique=False)

    op.create_table(
        "hotline_callbacks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column(
            "source",
            sa.Enum("city", "own", name="source", native_enum=False, create_constraint=True, length=8),
            nullable=False,
        ),
        sa.Column("called_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("contacted", sa.Boolean(), nullable=True),
        sa.Column("resolved", sa.Boolean(), nullable=True),
        sa.Column(
            "satisfaction",
            sa.Enum(
                "satisfied",
                "basically",
                "unsatisfied",
                name="satisfaction",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=True,
        ),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_hotline_callbacks_actor_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["hotline_tickets.id"],
            name=op.f("fk_hotline_callbacks_ticket_id_hotline_tickets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hotline_callbacks")),
        sa.UniqueConstraint("ticket_id", "source", name="uq_hotline_callbacks_ticket_source"),
    )
    with op.batch_alter_table("hotline_callbacks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hotline_callbacks_called_at"), ["called_at"], unique=False)

    op.create_table(
        "hotline_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column(
            "action",
            sa.Enum(
                "contact",
                "handle",
                "extend",
                "reply",
                "return",
                "accept_return",
                "refuse_return",
                "appeal",
                "accept_appeal",
                "reject_appeal",
                name="action",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column(
            "method",
            sa.Enum("phone", "visit", "message", name="method", native_enum=False, create_constraint=True, length=16),
            nullable=True,
        ),
        sa.Column("result", sa.String(length=64), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("photos", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_hotline_steps_actor_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["hotline_tickets.id"],
            name=op.f("fk_hotline_steps_ticket_id_hotline_tickets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hotline_steps")),
    )
    with op.batch_alter_table("hotline_steps", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hotline_steps_ticket_id"), ["ticket_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("hotline_steps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hotline_steps_ticket_id"))

    op.drop_table("hotline_steps")
    with op.batch_alter_table("hotline_callbacks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hotline_callbacks_called_at"))

    op.drop_table("hotline_callbacks")
    with op.batch_alter_table("hotline_tickets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hotline_tickets_status"))
        batch_op.drop_index(batch_op.f("ix_hotline_tickets_repeat_of_id"))
        batch_op.drop_index(batch_op.f("ix_hotline_tickets_lead_unit_id"))
        batch_op.drop_index(batch_op.f("ix_hotline_tickets_dispatched_at"))
        batch_op.drop_index("ix_hotline_tickets_caller_dispatched")

    op.drop_table("hotline_tickets")
