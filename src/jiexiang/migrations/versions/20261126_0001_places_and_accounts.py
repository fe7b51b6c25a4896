"""Places registry and accounts: subdistricts, communities, alleys, grid cells, buildings, components,
addresses; units, users and the places a user is limited to.

Revision ID: 20261126_0001
Revises: (none)
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261126_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "subdistricts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=9), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("area_m2", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("geometry", sa.Text(), nullable=False),
        sa.Column("min_lon", sa.Float(), nullable=False),
        sa.Column("min_lat", sa.Float(), nullable=False),
        sa.Column("max_lon", sa.Float(), nullable=False),
        sa.Column("max_lat", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subdistricts")),
        sa.UniqueConstraint("code", name=op.f("uq_subdistricts_code")),
    )
    with op.batch_alter_table("subdistricts", schema=None) as batch_op:
        batch_op.create_index("ix_subdistricts_bbox", ["min_lon", "max_lon", "min_lat", "max_lat"], unique=False)

    op.create_table(
        "units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "department",
                "property_company",
                "community_committee",
                "utility",
                "other",
                name="kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("contact_phone", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_units")),
        sa.UniqueConstraint("name", name=op.f("uq_units_name")),
    )
    op.create_table(
        "communities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("subdistrict_id", sa.Integer(), nullable=False),
        sa.Column("area_m2", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("geometry", sa.Text(), nullable=False),
        sa.Column("min_lon", sa.Float(), nullable=False),
        sa.Column("min_lat", sa.Float(), nullable=False),
        sa.Column("max_lon", sa.Float(), nullable=False),
        sa.Column("max_lat", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["subdistrict_id"],
            ["subdistricts.id"],
            name=op.f("fk_communities_subdistrict_id_subdistricts"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_communities")),
        sa.UniqueConstraint("code", name=op.f("uq_communities_code")),
    )
    with op.batch_alter_table("communities", schema=None) as batch_op:
        batch_op.create_index("ix_communities_bbox", ["min_lon", "max_lon", "min_lat", "max_lat"], unique=False)
        batch_op.create_index(batch_op.f("ix_communities_subdistrict_id"), ["subdistrict_id"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("full_name", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "admin",
                "operator",
                "dispatcher",
                "handler",
                "alley_chief",
                "grid_worker",
                "steward",
                "resident",
                name="role",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("limited_to_unit", sa.Boolean(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_users_unit_id_units"), ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_users_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "alleys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("is_back_alley", sa.Boolean(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=True),
        sa.Column("chief_id", sa.Integer(), nullable=True),
        sa.Column("length_m", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("geometry", sa.Text(), nullable=False),
        sa.Column("min_lon", sa.Float(), nullable=False),
        sa.Column("min_lat", sa.Float(), nullable=False),
        sa.Column("max_lon", sa.Float(), nullable=False),
        sa.Column("max_lat", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["chief_id"], ["users.id"], name=op.f("fk_alleys_chief_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(
            ["community_id"], ["communities.id"], name=op.f("fk_alleys_community_id_communities"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alleys")),
        sa.UniqueConstraint("code", name=op.f("uq_alleys_code")),
    )
    with op.batch_alter_table("alleys", schema=None) as batch_op:
        batch_op.create_index("ix_alleys_bbox", ["min_lon", "max_lon", "min_lat", "max_lat"], unique=False)
        batch_op.create_index(batch_op.f("ix_alleys_chief_id"), ["chief_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_alleys_community_id"), ["community_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_alleys_name"), ["name"], unique=False)

    op.create_table(
        "buildings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=True),
        sa.Column("height_m", sa.Float(), nullable=False),
        sa.Column("floors", sa.Integer(), nullable=True),
        sa.Column("community_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("geometry", sa.Text(), nullable=False),
        sa.Column("min_lon", sa.Float(), nullable=False),
        sa.Column("min_lat", sa.Float(), nullable=False),
        sa.Column("max_lon", sa.Float(), nullable=False),
        sa.Column("max_lat", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_buildings_community_id_communities"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_buildings")),
        sa.UniqueConstraint("code", name=op.f("uq_buildings_code")),
    )
    with op.batch_alter_table("buildings", schema=None) as batch_op:
        batch_op.create_index("ix_buildings_bbox", ["min_lon", "max_lon", "min_lat", "max_lat"], unique=False)
        batch_op.create_index(batch_op.f("ix_buildings_community_id"), ["community_id"], unique=False)

    op.create_table(
        "grid_cells",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=15), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("area_m2", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("geometry", sa.Text(), nullable=False),
        sa.Column("min_lon", sa.Float(), nullable=False),
        sa.Column("min_lat", sa.Float(), nullable=False),
        sa.Column("max_lon", sa.Float(), nullable=False),
        sa.Column("max_lat", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_grid_cells_community_id_communities"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grid_cells")),
        sa.UniqueConstraint("code", name=op.f("uq_grid_cells_code")),
    )
    with op.batch_alter_table("grid_cells", schema=None) as batch_op:
        batch_op.create_index("ix_grid_cells_bbox", ["min_lon", "max_lon", "min_lat", "max_lat"], unique=False)
        batch_op.create_index(batch_op.f("ix_grid_cells_community_id"), ["community_id"], unique=False)

    op.create_table(
        "addresses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "house_number",
                "courtyard",
                "landmark",
                name="kind",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("house_number", sa.String(length=32), nullable=True),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=True),
        sa.Column("alley_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("h3_cell", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["alley_id"], ["alleys.id"], name=op.f("fk_addresses_alley_id_alleys"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_addresses_community_id_communities"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_addresses")),
        sa.UniqueConstraint("name", name=op.f("uq_addresses_name")),
    )
    with op.batch_alter_table("addresses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_addresses_alley_id"), ["alley_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_addresses_community_id"), ["community_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_addresses_h3_cell"), ["h3_cell"], unique=False)
        batch_op.create_index("ix_addresses_lon_lat", ["lon", "lat"], unique=False)

    op.create_table(
        "components",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("class_code", sa.String(length=4), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "normal",
                "damaged",
                "missing",
                "removed",
                name="state",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("owner_unit_id", sa.Integer(), nullable=True),
        sa.Column("maintainer_unit_id", sa.Integer(), nullable=True),
        sa.Column("community_id", sa.Integer(), nullable=True),
        sa.Column("alley_id", sa.Integer(), nullable=True),
        sa.Column("grid_cell_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("h3_cell", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["alley_id"], ["alleys.id"], name=op.f("fk_components_alley_id_alleys"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_components_community_id_communities"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["grid_cell_id"], ["grid_cells.id"], name=op.f("fk_components_grid_cell_id_grid_cells"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["maintainer_unit_id"],
            ["units.id"],
            name=op.f("fk_components_maintainer_unit_id_units"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["owner_unit_id"], ["units.id"], name=op.f("fk_components_owner_unit_id_units"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_components")),
        sa.UniqueConstraint("code", name=op.f("uq_components_code")),
    )
    with op.batch_alter_table("components", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_components_alley_id"), ["alley_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_components_class_code"), ["class_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_components_community_id"), ["community_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_components_grid_cell_id"), ["grid_cell_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_components_h3_cell"), ["h3_cell"], unique=False)
        batch_op.create_index("ix_components_lon_lat", ["lon", "lat"], unique=False)
        batch_op.create_index(batch_op.f("ix_components_maintainer_unit_id"), ["maintainer_unit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_components_owner_unit_id"), ["owner_unit_id"], unique=False)

    op.create_table(
        "user_scopes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=True),
        sa.Column("alley_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(community_id IS NULL) <> (alley_id IS NULL)", name=op.f("ck_user_scopes_exactly_one_place")
        ),
        sa.ForeignKeyConstraint(
            ["alley_id"], ["alleys.id"], name=op.f("fk_user_scopes_alley_id_alleys"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_user_scopes_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_user_scopes_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_scopes")),
    )
    with op.batch_alter_table("user_scopes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_scopes_alley_id"), ["alley_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_user_scopes_community_id"), ["community_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_user_scopes_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("user_scopes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_scopes_user_id"))
        batch_op.drop_index(batch_op.f("ix_user_scopes_community_id"))
        batch_op.drop_index(batch_op.f("ix_user_scopes_alley_id"))

    op.drop_table("user_scopes")
    with op.batch_alter_table("components", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_components_owner_unit_id"))
        batch_op.drop_index(batch_op.f("ix_components_maintainer_unit_id"))
        batch_op.drop_index("ix_components_lon_lat")
        batch_op.drop_index(batch_op.f("ix_components_h3_cell"))
        batch_op.drop_index(batch_op.f("ix_components_grid_cell_id"))
        batch_op.drop_index(batch_op.f("ix_components_community_id"))
        batch_op.drop_index(batch_op.f("ix_components_class_code"))
        batch_op.drop_index(batch_op.f("ix_components_alley_id"))

    op.drop_table("components")
    with op.batch_alter_table("addresses", schema=None) as batch_op:
        batch_op.drop_index("ix_addresses_lon_lat")
        batch_op.drop_index(batch_op.f("ix_addresses_h3_cell"))
        batch_op.drop_index(batch_op.f("ix_addresses_community_id"))
        batch_op.drop_index(batch_op.f("ix_addresses_alley_id"))

    op.drop_table("addresses")
    with op.batch_alter_table("grid_cells", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grid_cells_community_id"))
        batch_op.drop_index("ix_grid_cells_bbox")

    op.drop_table("grid_cells")
    with op.batch_alter_table("buildings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_buildings_community_id"))
        batch_op.drop_index("ix_buildings_bbox")

    op.drop_table("buildings")
    with op.batch_alter_table("alleys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alleys_name"))
        batch_op.drop_index(batch_op.f("ix_alleys_community_id"))
        batch_op.drop_index(batch_op.f("ix_alleys_chief_id"))
        batch_op.drop_index("ix_alleys_bbox")

    op.drop_table("alleys")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_unit_id"))

    op.drop_table("users")
    with op.batch_alter_table("communities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_communities_subdistrict_id"))
        batch_op.drop_index("ix_communities_bbox")

    op.drop_table("communities")
    op.drop_table("units")
    with op.batch_alter_table("subdistricts", schema=None) as batch_op:
        batch_op.drop_index("ix_subdistricts_bbox")

    op.drop_table("subdistricts")
