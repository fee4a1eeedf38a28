"""Bring a database's schema to the newest migration, safely from many processes at once."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, text

from songgate.store.database import Database

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_PG_MIGRATION_LOCK = 7_301_455_112


def _upgrade(connection: Connection) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


async def migrate(database: Database) -> None:
    """Upgrade to head. SQLite serialises through ``BEGIN IMMEDIATE``, PostgreSQL through a lock."""
    # A migration runs to its end: building an index on a large table may take longer
    # than any request's statement_timeout, and the other processes starting wait on the
    # migration lock for as long as it takes.
    async with database.unbounded_write() as connection:
        if not database.is_sqlite:
            await connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK}
            )
        await connection.run_sync(_upgrade)
        if database.is_sqlite:
            await connection.execute(text("PRAGMA optimize"))
