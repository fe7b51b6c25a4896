"""Case workflow: handling unit, a timestamp and a deadline per stage, deadline state, counters, and the
append-only case events.

Revision ID: 20261126_0003
Revises: 20261126_0002
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261126_0003"
down_revision: str | None = "20261126_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column(
            "action",
            sa.Enum(
                "register",
                "reject",
                "dispatch",
                "accept",
                "return",
                "extend",
                "feedback",
                "verify",
                "rework",
                "due_soon",
                "overdue",
                name="action",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column(
            "from_status",
            sa.Enum(
                "reported",
                "registered",
                "dispatched",
                "handling",
                "verifying",
                "closed",
                "rejected",
                name="from_status",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column(
            "to_status",
            sa.Enum(
                "reported",
                "registered",
                "dispatched",
                "handling",
                "verifying",
                "closed",
                "rejected",
                name="to_status",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("photos", sa.JSON(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_case_events_actor_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_events_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_case_events_unit_id_units"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_events")),
    )
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_events_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_events_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_events_case_id"), ["case_id"], unique=False)

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("handling_unit_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("registered_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("dispatched_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("handling_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("feedback_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("rejected_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("register_due_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("handle_due_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("close_due_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column(
                "sla_state",
                sa.Enum(
                    "on_time",
                    "due_soon",
                    "overdue",
                    name="slastate",
                    native_enum=False,
                    create_constraint=True,
                    length=24,
                ),
                server_default="on_time",
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("rework_count", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("return_count", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("extension_count", sa.Integer(), server_default="0", nullable=False))
        batch_op.create_index(batch_op.f("ix_cases_close_due_at"), ["close_due_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_closed_at"), ["closed_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_handling_unit_id"), ["handling_unit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_sla_state"), ["sla_state"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_cases_handling_unit_id_units"), "units", ["handling_unit_id"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_cases_handling_unit_id_units"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_cases_sla_state"))
        batch_op.drop_index(batch_op.f("ix_cases_handling_unit_id"))
        batch_op.drop_index(batch_op.f("ix_cases_closed_at"))
        batch_op.drop_index(batch_op.f("ix_cases_close_due_at"))
        batch_op.drop_column("extension_count")
        batch_op.drop_column("return_count")
        batch_op.drop_column("rework_count")
        # The CHECK on the enum column goes first, or SQLite's table copy would keep it without its column.
        batch_op.drop_constraint(batch_op.f("ck_cases_slastate"), type_="check")
        batch_op.drop_column("sla_state")
        batch_op.drop_column("close_due_at")
        batch_op.drop_column("handle_due_at")
        batch_op.drop_column("register_due_at")
        batch_op.drop_column("rejected_at")
        batch_op.drop_column("closed_at")
        batch_op.drop_column("feedback_at")
        batch_op.drop_column("handling_at")
        batch_op.drop_column("dispatched_at")
        batch_op.drop_column("registered_at")
        batch_op.drop_column("handling_unit_id")

    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_events_case_id"))
        batch_op.drop_index(batch_op.f("ix_case_events_at"))
        batch_op.drop_index(batch_op.f("ix_case_events_actor_id"))

    op.drop_table("case_events")
