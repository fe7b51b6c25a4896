"""Alembic migrations, shipped inside the package so that an installed `jiexiang` can upgrade its database."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection

HERE = Path(__file__).parent


def alembic_config(database_url: str, *, connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(HERE))
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", str(HERE / "versions"))
    # Revision ids are dated (YYYYMMDD_NNNN) and name the files, so that the history reads in order.
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(database_url: str, revision: str = "head", *, connection: Connection | None = None) -> None:
    command.upgrade(alembic_config(database_url, connection=connection), revision)


def downgrade(database_url: str, revision: str, *, connection: Connection | None = None) -> None:
    command.downgrade(alembic_config(database_url, connection=connection), revision)


def current_head() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
