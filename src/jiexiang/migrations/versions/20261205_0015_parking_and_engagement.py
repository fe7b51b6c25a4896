"""Parking (lots, spaces, lenders and agreements, alley rules, applications, permits and their claims on spaces),
engagement (proposals, ballots, notices) and the household register they both rest on.

No two permits may hold one space at one time: on PostgreSQL an exclusion constraint (btree_gist) over the
space, the dates, the minutes of the day and the kinds of day; on SQLite triggers refusing the same overlap.

Revision ID: 20261205_0015
Revises: 20261205_0014
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261205_0015"
down_revision: str | None = "20261205_0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "parking_lenders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("contact", sa.String(length=64), nullable=True),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parking_lenders")),
        sa.UniqueConstraint("name", name=op.f("uq_parking_lenders_name")),
    )
    op.create_table(
        "proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alley_id", sa.Integer(), nullable=False),
        sa.Column("council", sa.String(length=120), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("rule_kind", sa.String(length=32), nullable=True),
        sa.Column("layout", sa.JSON(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "proposed",
                "balloting",
                "adopted",
                "rejected",
                "withdrawn",
                name="status",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column(
            "electorate",
            sa.Enum(
                "households", "representatives", name="electorate", native_enum=False, create_constraint=True, length=16
            ),
            nullable=False,
        ),
        sa.Column("proposed_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("quorum", sa.Float(), nullable=True),
        sa.Column("majority", sa.Float(), nullable=True),
        sa.Column("entitled", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("agree", sa.Integer(), nullable=True),
        sa.Column("disagree", sa.Integer(), nullable=True),
        sa.Column("abstain", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["alley_id"], ["alleys.id"], name=op.f("fk_proposals_alley_id_alleys"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by_id"], ["users.id"], name=op.f("fk_proposals_proposed_by_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposals")),
    )
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_proposals_alley_id"), ["alley_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_proposals_status"), ["status"], unique=False)

    op.create_table(
        "households",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("address_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=64), nullable=False),
        sa.Column("head_name", sa.String(length=64), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("is_representative", sa.Boolean(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["address_id"], ["addresses.id"], name=op.f("fk_households_address_id_addresses"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_households_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_households")),
        sa.UniqueConstraint("address_id", "label", name=op.f("uq_households_address_id")),
        sa.UniqueConstraint("user_id", name=op.f("uq_households_user_id")),
    )
    with op.batch_alter_table("households", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_households_address_id"), ["address_id"], unique=False)

    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=True),
        sa.Column("alley_id", sa.Integer(), nullable=True),
        sa.Column("proposal_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["alley_id"], ["alleys.id"], name=op.f("fk_notices_alley_id_alleys"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["community_id"], ["communities.id"], name=op.f("fk_notices_community_id_communities"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"], ["proposals.id"], name=op.f("fk_notices_proposal_id_proposals"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["published_by_id"], ["users.id"], name=op.f("fk_notices_published_by_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
    )
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notices_alley_id"), ["alley_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notices_community_id"), ["community_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notices_proposal_id"), ["proposal_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notices_published_at"), ["published_at"], unique=False)

    op.create_table(
        "parking_alley_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alley_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=True),
        sa.Column("adopted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["alley_id"], ["alleys.id"], name=op.f("fk_parking_alley_rules_alley_id_alleys"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposals.id"],
            name=op.f("fk_parking_alley_rules_proposal_id_proposals"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parking_alley_rules")),
        sa.UniqueConstraint("alley_id", "version", name=op.f("uq_parking_alley_rules_alley_id")),
        sa.UniqueConstraint("proposal_id", name=op.f("uq_parking_alley_rules_proposal_id")),
    )
    with op.batch_alter_table("parking_alley_rules", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_parking_alley_rules_alley_id"), ["alley_id"], unique=False)

    op.create_table(
        "proposal_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column(
            "action",
            sa.Enum(
                "propose",
                "open_ballot",
                "close_ballot",
                "withdraw",
                "vote",
                "record_paper_vote",
                name="action",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_proposal_steps_actor_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"], ["proposals.id"], name=op.f("fk_proposal_steps_proposal_id_proposals"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal_steps")),
    )
    with op.batch_alter_table("proposal_steps", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_proposal_steps_proposal_id"), ["proposal_id"], unique=False)

    op.create_table(
        "ballot_votes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column(
            "choice",
            sa.Enum(
                "agree", "disagree", "abstain", name="choice", native_enum=False, create_constraint=True, length=16
            ),
            nullable=False,
        ),
        sa.Column(
            "channel",
            sa.Enum("phone", "paper", name="channel", native_enum=False, create_constraint=True, length=16),
            nullable=False,
        ),
        sa.Column("paper_number", sa.String(length=32), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("cast_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_ballot_votes_household_id_households"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"], ["proposals.id"], name=op.f("fk_ballot_votes_proposal_id_proposals"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_ballot_votes_recorded_by_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ballot_votes")),
        sa.UniqueConstraint("proposal_id", "household_id", name=op.f("uq_ballot_votes_one_per_household")),
        sa.UniqueConstraint("proposal_id", "paper_number", name=op.f("uq_ballot_votes_paper_once")),
    )
    with op.batch_alter_table("ballot_votes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ballot_votes_household_id"), ["household_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_ballot_votes_proposal_id"), ["proposal_id"], unique=False)

    op.create_table(
        "parking_lots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "new_lot", "time_shared", "marked", name="kind", native_enum=False, create_constraint=True, length=16
            ),
            nullable=False,
        ),
        sa.Column("geometry", sa.Text(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=True),
        sa.Column("alley_id", sa.Integer(), nullable=True),
        sa.Column("operator", sa.String(length=120), nullable=True),
        sa.Column("monthly_fee", sa.Integer(), nullable=True),
        sa.Column("lender_id", sa.Integer(), nullable=True),
        sa.Column("rule_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["alley_id"], ["alleys.id"], name=op.f("fk_parking_lots_alley_id_alleys"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_parking_lots_community_id_communities"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["lender_id"],
            ["parking_lenders.id"],
            name=op.f("fk_parking_lots_lender_id_parking_lenders"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["rule_id"],
            ["parking_alley_rules.id"],
            name=op.f("fk_parking_lots_rule_id_parking_alley_rules"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parking_lots")),
        sa.UniqueConstraint("name", name=op.f("uq_parking_lots_name")),
    )
    with op.batch_alter_table("parking_lots", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_parking_lots_alley_id"), ["alley_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_parking_lots_community_id"), ["community_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_parking_lots_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_parking_lots_lender_id"), ["lender_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_parking_lots_rule_id"), ["rule_id"], unique=False)

    op.create_table(
        "parking_agreements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lender_id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("spaces", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.Integer(), nullable=False),
        sa.Column("window_end", sa.Integer(), nullable=False),
        sa.Column(
            "days",
            sa.Enum(
                "every_day", "workdays", "rest_days", name="days", native_enum=False, create_constraint=True, length=16
            ),
            nullable=False,
        ),
        sa.Column("monthly_fee", sa.Integer(), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("suspended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("suspended_reason", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["lender_id"],
            ["parking_lenders.id"],
            name=op.f("fk_parking_agreements_lender_id_parking_lenders"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["lot_id"], ["parking_lots.id"], name=op.f("fk_parking_agreements_lot_id_parking_lots"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parking_agreements")),
    )
    with op.batch_alter_table("parking_agreements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_parking_agreements_lender_id"), ["lender_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_parking_agreements_lot_id"), ["lot_id"], unique=False)

    op.create_table(
        "parking_applications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=True),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("plate", sa.String(length=16), nullable=False),
        sa.Column("priority_groups", sa.JSON(), nullable=False),
        sa.Column("proof_photos", sa.JSON(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "waiting",
                "granted",
                "withdrawn",
                "refused",
                name="status",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["applicant_id"], ["users.id"], name=op.f("fk_parking_applications_applicant_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_parking_applications_household_id_households"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["lot_id"],
            ["parking_lots.id"],
            name=op.f("fk_parking_applications_lot_id_parking_lots"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parking_applications")),
    )
    with op.batch_alter_table("parking_applications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_parking_applications_applicant_id"), ["applicant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_parking_applications_household_id"), ["household_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_parking_applications_lot_id"), ["lot_id"], unique=False)
        batch_op.create_index(
            "uq_parking_applications_waiting",
            ["household_id", "lot_id"],
            unique=True,
            sqlite_where=sa.text("status = 'waiting'"),
            postgresql_where=sa.text("status = 'waiting'"),
        )

    op.create_table(
        "parking_spaces",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["lot_id"], ["parking_lots.id"], name=op.f("fk_parking_spaces_lot_id_parking_lots"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parking_spaces")),
        sa.UniqueConstraint("lot_id", "code", name=op.f("uq_parking_spaces_lot_id")),
    )
    with op.batch_alter_table("parking_spaces", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_parking_spaces_lot_id"), ["lot_id"], unique=False)

    op.create_table(
        "parking_permits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("previous_id", sa.Integer(), nullable=True),
        sa.Column("plate", sa.String(length=16), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("window_start", sa.Integer(), nullable=False),
        sa.Column("window_end", sa.Integer(), nullable=False),
        sa.Column(
            "days",
            sa.Enum(
                "every_day", "workdays", "rest_days", name="days", native_enum=False, create_constraint=True, length=16
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "active", "revoked", "transferred", name="status", native_enum=False, create_constraint=True, length=16
            ),
            nullable=False,
        ),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["parking_applications.id"],
            name=op.f("fk_parking_permits_application_id_parking_applications"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_parking_permits_household_id_households"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["lot_id"], ["parking_lots.id"], name=op.f("fk_parking_permits_lot_id_parking_lots"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["previous_id"],
            ["parking_permits.id"],
            name=op.f("fk_parking_permits_previous_id_parking_permits"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["space_id"],
            ["parking_spaces.id"],
            name=op.f("fk_parking_permits_space_id_parking_spaces"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parking_permits")),
    )
    with op.batch_alter_table("parking_permits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_parking_permits_household_id"), ["household_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_parking_permits_lot_id"), ["lot_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_parking_permits_plate"), ["plate"], unique=False)
        batch_op.create_index(batch_op.f("ix_parking_permits_space_id"), ["space_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_parking_permits_status"), ["status"], unique=False)

    op.create_table(
        "parking_claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("permit_id", sa.Integer(), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("minute_from", sa.Integer(), nullable=False),
        sa.Column("minute_until", sa.Integer(), nullable=False),
        sa.Column("day_from", sa.Integer(), nullable=False),
        sa.Column("day_until", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["permit_id"],
            ["parking_permits.id"],
            name=op.f("fk_parking_claims_permit_id_parking_permits"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["space_id"],
            ["parking_spaces.id"],
            name=op.f("fk_parking_claims_space_id_parking_spaces"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parking_claims")),
    )
    with op.batch_alter_table("parking_claims", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_parking_claims_permit_id"), ["permit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_parking_claims_space_id"), ["space_id"], unique=False)

    _forbid_overlapping_claims()


# Two claims conflict when they are on one space and their dates, minutes and kinds of day all overlap.
_OVERLAP = """
    c.space_id = NEW.space_id AND c.id IS NOT NEW.id
    AND c.valid_from < NEW.valid_until AND NEW.valid_from < c.valid_until
    AND c.minute_from < NEW.minute_until AND NEW.minute_from < c.minute_until
    AND c.day_from < NEW.day_until AND NEW.day_from < c.day_until
"""


def _forbid_overlapping_claims() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        op.execute(
            "ALTER TABLE parking_claims ADD CONSTRAINT ex_parking_claims_no_overlap EXCLUDE USING gist ("
            "space_id WITH =, daterange(valid_from, valid_until) WITH &&, "
            "int4range(minute_from, minute_until) WITH &&, int4range(day_from, day_until) WITH &&)"
        )
        return
    for event in ("INSERT", "UPDATE"):
        op.execute(
            f"CREATE TRIGGER parking_claims_no_overlap_{event.lower()} BEFORE {event} ON parking_claims "
            f"WHEN EXISTS (SELECT 1 FROM parking_claims c WHERE {_OVERLAP}) "
            "BEGIN SELECT RAISE(ABORT, 'parking_claims overlap: space already held at that time'); END"
        )


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute("ALTER TABLE parking_claims DROP CONSTRAINT ex_parking_claims_no_overlap")
    else:
        op.execute("DROP TRIGGER parking_claims_no_overlap_insert")
        op.execute("DROP TRIGGER parking_claims_no_overlap_update")
    with op.batch_alter_table("parking_claims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_parking_claims_space_id"))
        batch_op.drop_index(batch_op.f("ix_parking_claims_permit_id"))

    op.drop_table("parking_claims")
    with op.batch_alter_table("parking_permits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_parking_permits_status"))
        batch_op.drop_index(batch_op.f("ix_parking_permits_space_id"))
        batch_op.drop_index(batch_op.f("ix_parking_permits_plate"))
        batch_op.drop_index(batch_op.f("ix_parking_permits_lot_id"))
        batch_op.drop_index(batch_op.f("ix_parking_permits_household_id"))

    op.drop_table("parking_permits")
    with op.batch_alter_table("parking_spaces", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_parking_spaces_lot_id"))

    op.drop_table("parking_spaces")
    with op.batch_alter_table("parking_applications", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_parking_applications_waiting",
            sqlite_where=sa.text("status = 'waiting'"),
            postgresql_where=sa.text("status = 'waiting'"),
        )
        batch_op.drop_index(batch_op.f("ix_parking_applications_lot_id"))
        batch_op.drop_index(batch_op.f("ix_parking_applications_household_id"))
        batch_op.drop_index(batch_op.f("ix_parking_applications_applicant_id"))

    op.drop_table("parking_applications")
    with op.batch_alter_table("parking_agreements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_parking_agreements_lot_id"))
        batch_op.drop_index(batch_op.f("ix_parking_agreements_lender_id"))

    op.drop_table("parking_agreements")
    with op.batch_alter_table("parking_lots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_parking_lots_rule_id"))
        batch_op.drop_index(batch_op.f("ix_parking_lots_lender_id"))
        batch_op.drop_index(batch_op.f("ix_parking_lots_kind"))
        batch_op.drop_index(batch_op.f("ix_parking_lots_community_id"))
        batch_op.drop_index(batch_op.f("ix_parking_lots_alley_id"))

    op.drop_table("parking_lots")
    with op.batch_alter_table("ballot_votes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ballot_votes_proposal_id"))
        batch_op.drop_index(batch_op.f("ix_ballot_votes_household_id"))

    op.drop_table("ballot_votes")
    with op.batch_alter_table("proposal_steps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposal_steps_proposal_id"))

    op.drop_table("proposal_steps")
    with op.batch_alter_table("parking_alley_rules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_parking_alley_rules_alley_id"))

    op.drop_table("parking_alley_rules")
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notices_published_at"))
        batch_op.drop_index(batch_op.f("ix_notices_proposal_id"))
        batch_op.drop_index(batch_op.f("ix_notices_community_id"))
        batch_op.drop_index(batch_op.f("ix_notices_alley_id"))

    op.drop_table("notices")
    with op.batch_alter_table("households", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_households_address_id"))

    op.drop_table("households")
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposals_status"))
        batch_op.drop_index(batch_op.f("ix_proposals_alley_id"))

    op.drop_table("proposals")
    op.drop_table("parking_lenders")
