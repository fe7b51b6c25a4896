"""cleaner and volunteer roles

Revision ID: 20261206_0020
Revises: 20261206_0019
Create Date: 2026-12-06 04:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "20261206_0020"
down_revision: str | None = "20261206_0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = ("admin", "operator", "dispatcher", "handler", "alley_chief", "grid_worker", "steward", "resident")
AFTER = (*BEFORE, "cleaner", "volunteer")


def _roles(roles: tuple[str, ...]) -> None:
    # A role is a value a CHECK constraint lists (autogenerate does not see a changed list). SQLite rewrites the
    # table for it, which the migration environment does with foreign keys off, so no account's rows go with it.
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_users_role"), type_="check")
        batch_op.create_check_constraint("role", "role IN (" + ", ".join(f"'{r}'" for r in roles) + ")")


def upgrade() -> None:
    _roles(AFTER)


def downgrade() -> None:
    op.execute("UPDATE users SET is_active = false, role = 'resident' WHERE role IN ('cleaner', 'volunteer')")
    _roles(BEFORE)
