"""The fetch path's SQLite reader: its database versions tell every commit apart, also
across the fresh connection it opens after a quiet spell of many rows read."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from songgate.store import sqlite_reader
from songgate.store.sqlite_reader import SqliteReader

ROWS = [(number,) for number in range(10)]


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "reader.db"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("CREATE TABLE numbers (n INTEGER PRIMARY KEY)")
        conn.executemany("INSERT INTO numbers VALUES (?)", ROWS)
    conn.close()
    return path


def commit(path: Path, number: int) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO numbers VALUES (?)", (number,))
    conn.close()


async def test_a_commit_changes_the_version_and_reads_alone_do_not(database: Path) -> None:
    reader = SqliteReader(str(database))
    first = reader.data_version()
    assert await reader.rows("SELECT n FROM numbers", []) == ROWS
    assert reader.data_version() == first
    commit(database, 10)
    second = reader.data_version()
    assert second != first
    assert reader.data_version() == second
    reader.close()


async def test_after_many_rows_read_a_commit_opens_a_fresh_connection_and_versions_grow(
    database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_reader, "REOPEN_AFTER_ROWS", 15)
    reader = SqliteReader(str(database))
    versions = [reader.data_version()]
    opened = reader._connect()
    for _ in range(2):  # 20 rows at one version, past the bound
        await reader.rows("SELECT n FROM numbers", [])
    assert reader._connect() is opened  # no commit yet: the same connection
    commit(database, 10)
    versions.append(reader.data_version())  # read on the old connection, which then goes
    assert reader._connect() is not opened
    versions.append(reader.data_version())  # the new connection's first: a higher number
    assert reader.data_version() == versions[-1]  # and steady while nothing is committed
    commit(database, 11)
    versions.append(reader.data_version())
    assert versions == sorted(set(versions)), versions  # every one new, always growing
    assert len(await reader.rows("SELECT n FROM numbers", [])) == 12
    fresh = reader._connect()
    await reader.rows("SELECT n FROM numbers WHERE n < 3", [])  # few rows: no reopening
    commit(database, 12)
    reader.data_version()
    assert reader._connect() is fresh
    reader.close()


async def test_versions_given_after_close_are_higher_than_every_earlier_one(
    database: Path
) -> None:
    reader = SqliteReader(str(database))
    commit(database, 10)
    before = reader.data_version()
    reader.close()
    assert reader.data_version() > before
    reader.close()
