"""Every change of a task's TaskDto bumps its row's version (on SQLite above every other
row's, so the newest versions name the latest changes), and a kept TaskDto is served
after other commits only while no change of its task has been seen since it was read."""

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
from songgate.store.tasks import (
    SQLITE_CHANGES_SQL,
    SQLITE_LATEST_VERSION_SQL,
    TaskStore,
    sqlite_dto_rows_sql,
)
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
        assert version >= last_version
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


async def latest_version(services: Services) -> int:
    async with stores_of(services).database.read() as conn:
        return int((await conn.execute(text("SELECT max(version) FROM tasks"))).scalar_one())


async def test_on_sqlite_a_changed_row_passes_every_other_rows_version(
    services: Services, account: Account, clock: ManualClock
) -> None:
    """Also when a process of an earlier release writes a TaskDto without its version."""
    if not stores_of(services).database.is_sqlite:
        pytest.skip("the trigger is SQLite's, where polls keep TaskDtos")
    first, second = [await add_music(services, account, clock.now()) for _ in "ab"]
    written = [
        ("UPDATE tasks SET dto = :dto, version = version + 1 WHERE id = :id", first),  # ours
        ("UPDATE tasks SET dto = :dto WHERE id = :id", second),  # an earlier release's
        ("UPDATE tasks SET dto = :dto, version = version + 1 WHERE id = :id", second),
        ("UPDATE tasks SET dto = :dto WHERE id = :id", first),
    ]
    for number, (sql, task_id) in enumerate(written):
        before = await latest_version(services)
        async with stores_of(services).database.write() as conn:
            await conn.execute(text(sql), {"dto": str(number).encode(), "id": task_id})
            await conn.execute(text("UPDATE tasks SET progress = 5 WHERE id = :id"),
                               {"id": task_id})  # not the TaskDto: no new version
        version, dto = await stored(services, task_id)
        assert dto == str(number).encode()
        assert version > before and version == await latest_version(services)
    async with stores_of(services).database.write() as conn:  # one statement, two rows
        await conn.execute(text("UPDATE tasks SET dto = x'00' WHERE id IN (:a, :b)"),
                           {"a": first, "b": second})
    versions = sorted([(await stored(services, task_id))[0] for task_id in (first, second)])
    assert versions[0] > len(written) and versions[1] == await latest_version(services)


async def test_a_kept_dto_is_forgotten_when_its_task_changes(
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
    assert any(" dto FROM" in sql for sql in statements)  # read from its row
    await add_music(services, account, clock.now())  # a commit elsewhere in the table
    assert await status() == "SUBMITTED"
    assert not any(" dto FROM" in sql for sql in statements)  # kept, and current
    assert any("INDEXED BY ix_tasks_changes" in sql for sql in statements)
    assert await status() == "SUBMITTED"
    assert statements == ["PRAGMA data_version"]  # no commit since the last look
    [held] = await store.claim(now=clock.now(), lease_seconds=LEASE, limit=1)
    assert held.id == polled
    assert await status() == "QUEUED"  # its own row changed: forgotten, read again
    assert any(" dto FROM" in sql for sql in statements)
    assert await status() == "QUEUED"
    assert not any(" dto FROM" in sql for sql in statements)
    other = await stores_of(services).accounts.create_account("bob", now=clock.now())
    assert await store.dtos(other.id, [polled]) == {}  # kept, still the account's alone


async def test_too_many_changes_since_the_last_look_forget_every_kept_dto(
    services: Services, account: Account, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = stores_of(services).database
    if database.sqlite_reader is None:
        pytest.skip("polls keep unfinished TaskDtos on SQLite")
    monkeypatch.setattr("songgate.store.tasks.CHANGES_READ_AT_MOST", 2)
    store: TaskStore = stores_of(services).tasks
    polled = [await add_music(services, account, clock.now()) for _ in "abc"]
    assert len(await store.dtos(account.id, polled)) == 3
    statements: list[str] = []
    database.sqlite_reader._connect().set_trace_callback(statements.append)
    async with database.write() as conn:  # one change: taken as it is
        await conn.execute(text("UPDATE tasks SET dto = x'7b7d' WHERE id = :id"),
                           {"id": polled[0]})
    assert (await store.dtos(account.id, polled))[polled[0]] == b"{}"
    assert sum(" dto FROM" in sql for sql in statements) == 1
    assert not any("max(version)" in sql for sql in statements)
    statements.clear()
    async with database.write() as conn:  # two changes: all forgotten, all read again
        for task_id in polled[1:]:
            await conn.execute(text("UPDATE tasks SET dto = x'5b5d' WHERE id = :id"),
                               {"id": task_id})
    found = await store.dtos(account.id, polled)
    assert [found[task_id] for task_id in polled] == [b"{}", b"[]", b"[]"]
    assert any("max(version)" in sql for sql in statements)
    statements.clear()
    async with database.write() as conn:  # after the restart, changes are taken again
        await conn.execute(text("UPDATE tasks SET dto = x'3132' WHERE id = :id"),
                           {"id": polled[2]})
    found = await store.dtos(account.id, polled)
    assert [found[task_id] for task_id in polled] == [b"{}", b"[]", b"12"]
    assert not any("max(version)" in sql for sql in statements)


async def test_the_reads_of_changes_use_one_index_alone(services: Services) -> None:
    if not stores_of(services).database.is_sqlite:
        pytest.skip("query plans are checked on SQLite")
    async with stores_of(services).database.read() as conn:
        plan = (await conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN " + SQLITE_CHANGES_SQL, (5, 100))).all()
        latest_plan = (await conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN " + SQLITE_LATEST_VERSION_SQL)).all()
        rows_plan = (await conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN " + sqlite_dto_rows_sql(3), ("a", "x", "y", "z"))).all()
    details = " ".join(str(row[-1]) for row in plan)
    assert "USING COVERING INDEX ix_tasks_changes (version>?)" in details, details
    assert "ORDER BY" not in details, details  # in the index's order, no sort
    latest = " ".join(str(row[-1]) for row in latest_plan)
    assert "COVERING INDEX ix_tasks_changes" in latest, latest
    rows_details = " ".join(str(row[-1]) for row in rows_plan)
    assert "sqlite_autoindex_tasks_1 (id=?)" in rows_details, rows_details
