"""Outages leave the store as songgate's ServiceUnavailable, the driver's error as the cause;
bugs (bad SQL) pass through as they are."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from songgate.errors import ServiceUnavailable
from songgate.store.database import Database
from songgate.store.errors import DatabaseBusy
from tests.support.server import free_port


async def test_an_unreachable_server_is_service_unavailable() -> None:
    url = f"postgresql+asyncpg://songgate@127.0.0.1:{free_port()}/songgate"  # nobody listens
    database = Database(url, connect_timeout=1)
    try:
        for connect in (database.read, database.write):
            with pytest.raises(ServiceUnavailable, match="not reachable") as raised:
                async with connect() as conn:
                    await conn.execute(text("SELECT 1"))
            assert raised.value.__cause__ is not None
    finally:
        await database.dispose()


async def test_no_turn_to_write_within_the_busy_timeout(tmp_path: Path) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'db'}", sqlite_busy_timeout=0.1)
    try:
        async with database.write():
            with pytest.raises(ServiceUnavailable) as raised:
                await asyncio.create_task(_write(database))
        assert isinstance(raised.value.__cause__, DatabaseBusy)
    finally:
        await database.dispose()


async def _write(database: Database) -> None:
    async with database.write() as conn:
        await conn.execute(text("SELECT 1"))


async def test_bad_sql_is_not_an_outage(tmp_path: Path) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'db'}")
    try:
        with pytest.raises(OperationalError, match="no such table"):
            async with database.read() as conn:
                await conn.execute(text("SELECT * FROM nowhere"))
    finally:
        await database.dispose()
