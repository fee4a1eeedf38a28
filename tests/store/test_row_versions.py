"""Every change of a task's TaskDto bumps its row's version, and a kept TaskDto is served
after other commits only while its row's version is still the one it was read with."""

from __future__ import annotations

import sqlite3
import uuid

import orjson
import pytest
from sqlalchemy import select, text

from songgate.clock import ManualClock
from songgate.domain import task as rules
from songgate.domain.accounts import Account
from songgate.domain.results import ClipOutput, MusicResult
from songgate.domain.submit import parse_music
from songgate.store.tables import tasks
from songgate.store.tasks import sqlite_dto_rows_sql, sqlite_versions_sql
from songgate.wiring import Services, stores_of

LEASE = 30.0


async def add_music(services: Services, account: Account, now: float) -> str:
    task = rules.new_music_task(
        task_id=str(uuid.uuid4()), account_id=account.id, owner=account.owner,
        spec=parse_music({"prompt": "la"}), clip_ids=[str(uuid.uuid4()) for _ in "ab"],
        provider="scripted", now=now, max_attempts=3, timeout_seconds=600,
    )
    await stores_of(services).tasks.insert(task)
    return task.id


async def stored(services: Services, task_id: str) -> tuple[int, bytes]:
    async with stores_of(services).database.read() as conn:
        row = (await conn.execute(select(tasks.c.version, tasks.c.dto).where(
            tasks.c.id == task_id))).one()
    return row.version, bytes(row.dto)


async def test_every_write_of_a_tasks_dto_bumps_its_version(
    services: Services, account: Account, clock: ManualClock
) -> None:
    store = stores_of(services).tasks
    task_id = await add_music(services, account, clock.now())
    seen = [await stored(services, task_id)]
    assert seen[0][0] == 0

    async def step() -> None:
        version, dto = await stored(services, task_id)
        last_version, last_dto = seen[-1]
        assert version in (last_version, last_version + 1)  # one bump per write
        assert (dto != last_dto) == (version > last_version), (version, last_version)
        seen.append((version, dto))

    async def claimed() -> str:
        [held] = await store.claim(now=clock.now(), lease_seconds=LEASE, limit=1)
        await step()
        return held.lease_token or ""

    lease = await claimed()
    assert await store.heartbeat(task_id, lease, now=clock.now(), lease_seconds=LEASE)
    await step()  # the lease moved, the TaskDto did not
    await store.progress(task_id, lease, 0.25)
    await step()
    await store.retry(task_id, lease, "busy", now=clock.now(), delay=0)
    await step()
    lease = await claimed()
    await store.release(task_id, lease, now=clock.now())
    await step()
    lease = await claimed()
    assert await store.heartbeats({task_id: lease}, now=clock.now(),
                                  lease_seconds=LEASE) == {task_id}
    await step()
    clock.advance(LEASE + 1)
    await store.reap(now=clock.now(), retry_delay=0)  # the lease ran out: requeued
    await step()
    lease = await claimed()
    held = await store.get(task_id)
    assert held is not None
    outputs = tuple(ClipOutput(c, "a", "i", "il", "v", 3.0) for c in held.clip_ids)
    await store.succeed(task_id, lease, MusicResult(outputs), now=clock.now())
    await step()


async def test_a_dto_written_without_its_version_bumps_it_anyway(
    services: Services, account: Account, clock: ManualClock
) -> None:
    """A process of the previous release writes TaskDtos without versions (SQLite)."""
    if not stores_of(services).database.is_sqlite:
        pytest.skip("the trigger is SQLite's, where polls keep TaskDtos")
    task_id = await add_music(services, account, clock.now())
    async with stores_of(services).database.write() as conn:
        await conn.execute(text("UPDATE tasks SET dto = :dto WHERE id = :id"),
                           {"dto": b"{}", "id": task_id})
    assert await stored(services, task_id) == (1, b"{}")
    async with stores_of(services).database.write() as conn:  # as this release writes
        await conn.execute(text(
            "UPDATE tasks SET dto = :dto, version = version + 1 WHERE id = :id"),
            {"dto": b"[]", "id": task_id})
        await conn.execute(text("UPDATE tasks SET progress = 5 WHERE id = :id"),
                           {"id": task_id})
    assert await stored(services, task_id) == (2, b"[]")


async def test_a_kept_dto_is_checked_by_its_rows_version_after_other_commits(
    services: Services, account: Account, clock: ManualClock
) -> None:
    database = stores_of(services).database
    if database.sqlite_reader is None:
        pytest.skip("polls keep unfinished TaskDtos on SQLite")
    store = stores_of(services).tasks
    polled = await add_music(services, account, clock.now())
    statements: list[str] = []
    reader: sqlite3.Connection = database.sqlite_reader._connect()
    reader.set_trace_callback(statements.append)

    async def status() -> str:
        statements.clear()
        found = await store.dtos(account.id, [polled])
        return str(orjson.loads(found[polled])["status"])

    assert await status() == "SUBMITTED"
    assert any(" dto, version FROM" in sql for sql in statements)  # read from its row
    await add_music(services, account, clock.now())  # a commit elsewhere in the table
    assert await status() == "SUBMITTED"
    assert not any(" dto, version FROM" in sql for sql in statements)  # kept, and current
    assert any("INDEXED BY ix_tasks_fetch" in sql for sql in statements)
    assert await status() == "SUBMITTED"
    assert statements == ["PRAGMA data_version"]  # no commit since the check
    [held] = await store.claim(now=clock.now(), lease_seconds=LEASE, limit=1)
    assert held.id == polled
    assert await status() == "QUEUED"  # its own row changed: read again
    assert any(" dto, version FROM" in sql for sql in statements)
    other = await stores_of(services).accounts.create_account("bob", now=clock.now())
    assert await store.dtos(other.id, [polled]) == {}  # kept, still the account's alone


async def test_the_version_check_reads_one_index_alone(services: Services) -> None:
    if not stores_of(services).database.is_sqlite:
        pytest.skip("query plans are checked on SQLite")
    async with stores_of(services).database.read() as conn:
        plan = (await conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN " + sqlite_versions_sql(3), ("x", "y", "z"))).all()
        rows_plan = (await conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN " + sqlite_dto_rows_sql(3), ("a", "x", "y", "z"))).all()
    details = " ".join(str(row[-1]) for row in plan)
    assert "USING COVERING INDEX ix_tasks_fetch (id=?)" in details, details
    rows_details = " ".join(str(row[-1]) for row in rows_plan)
    assert "sqlite_autoindex_tasks_1 (id=?)" in rows_details, rows_details
