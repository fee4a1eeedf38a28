"""Writes run in one step (Database.write_at_once): committed whole or not at all, outages
as ServiceUnavailable, and on SQLite never two at once, even when a caller leaves early."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from sqlalchemy import Connection, text

from songgate.errors import ServiceUnavailable
from songgate.store.database import Database
from tests.support.server import free_port


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'db'}", sqlite_busy_timeout=0.2)
    await database.write_at_once(
        lambda conn: conn.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")))
    yield database
    await database.dispose()


async def notes(database: Database) -> list[str]:
    async with database.read() as conn:
        return [row[0] for row in await conn.execute(text("SELECT body FROM notes ORDER BY id"))]


def add(body: str) -> Callable[[Connection], None]:
    def transaction(conn: Connection) -> None:
        conn.execute(text("INSERT INTO notes (body) VALUES (:body)"), {"body": body})
    return transaction


async def test_a_transaction_is_committed_whole_and_returns_its_value(database: Database) -> None:
    def two_rows(conn: Connection) -> int:
        add("one")(conn)
        add("two")(conn)
        return 2

    assert await database.write_at_once(two_rows) == 2
    assert await notes(database) == ["one", "two"]


async def test_a_transaction_that_raises_leaves_nothing(database: Database) -> None:
    def half_then_fail(conn: Connection) -> None:
        add("half")(conn)
        raise ValueError("the second half is bad")

    with pytest.raises(ValueError, match="second half"):
        await database.write_at_once(half_then_fail)
    assert await notes(database) == []
    await database.write_at_once(add("after"))
    assert await notes(database) == ["after"]


async def test_another_process_holding_the_write_lock_is_an_outage(
    database: Database, tmp_path: Path
) -> None:
    other = sqlite3.connect(tmp_path / "db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(ServiceUnavailable) as raised:
            await database.write_at_once(add("blocked"))
        assert "locked" in str(raised.value.__cause__)
    finally:
        other.execute("ROLLBACK")
        other.close()
    await database.write_at_once(add("free again"))
    assert await notes(database) == ["free again"]


async def test_a_caller_that_leaves_keeps_the_turn_until_its_transaction_ends(
    database: Database,
) -> None:
    running, release = threading.Event(), threading.Event()

    def slow(conn: Connection) -> None:
        running.set()
        release.wait(10)
        add("slow")(conn)

    first = asyncio.create_task(database.write_at_once(slow))
    await asyncio.to_thread(running.wait, 10)
    first.cancel()
    await asyncio.sleep(0.05)
    assert not first.done()  # still holding the turn while its transaction runs
    release.set()
    with pytest.raises(asyncio.CancelledError):
        await first
    await database.write_at_once(add("next"))
    assert await notes(database) == ["slow", "next"]  # the left write was committed


async def test_an_unreachable_postgres_server_is_service_unavailable() -> None:
    database = Database(
        f"postgresql+asyncpg://songgate@127.0.0.1:{free_port()}/songgate", connect_timeout=1)
    try:
        with pytest.raises(ServiceUnavailable, match="not reachable"):
            await database.write_at_once(lambda conn: conn.execute(text("SELECT 1")))
    finally:
        await database.dispose()
