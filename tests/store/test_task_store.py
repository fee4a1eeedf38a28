"""The store contract: the same tests on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid

import orjson
import pytest

from songgate.clock import ManualClock
from songgate.domain import task as rules
from songgate.domain.accounts import Account
from songgate.domain.results import ClipOutput, MusicResult
from songgate.domain.status import Action, TaskStatus
from songgate.domain.submit import parse_lyrics, parse_music
from songgate.store.tables import clips, tasks
from songgate.store.tasks import sqlite_dto_rows_sql
from songgate.wiring import Services, stores_of

LEASE = 30.0


async def add_music(services: Services, account: Account, now: float, **body: object) -> str:
    task = rules.new_music_task(
        task_id=str(uuid.uuid4()), account_id=account.id, owner=account.owner,
        spec=parse_music({"prompt": "la", **body}), clip_ids=[str(uuid.uuid4()) for _ in "ab"],
        provider="scripted", now=now, max_attempts=2, timeout_seconds=600,
    )
    await stores_of(services).tasks.insert(task)
    return task.id


async def test_dtos_are_scoped_to_the_account_and_filtered_by_action(
    services: Services, account: Account, clock: ManualClock
) -> None:
    other = await stores_of(services).accounts.create_account("bob", now=clock.now())
    mine = await add_music(services, account, clock.now())
    theirs = await add_music(services, other, clock.now())
    lyrics = rules.new_lyrics_task(
        task_id=str(uuid.uuid4()), lyrics_id="l", account_id=account.id,
        spec=parse_lyrics({"prompt": "x"}), provider="scripted", now=clock.now(),
        max_attempts=1, timeout_seconds=60,
    )
    await stores_of(services).tasks.insert(lyrics)
    found = await stores_of(services).tasks.dtos(account.id, [mine, theirs, lyrics.id, "nope"])
    assert set(found) == {mine, lyrics.id}
    assert orjson.loads(found[mine])["task_id"] == mine
    only_music = await stores_of(services).tasks.dtos(account.id, [mine, lyrics.id], Action.MUSIC)
    assert set(only_music) == {mine}


async def test_claim_is_oldest_first_and_exclusive(
    services: Services, account: Account, clock: ManualClock
) -> None:
    ids = [await add_music(services, account, clock.now() + i) for i in range(6)]
    clock.advance(10)
    batches = await asyncio.gather(*[
        stores_of(services).tasks.claim(now=clock.now(), lease_seconds=LEASE, limit=2)
        for _ in range(5)
    ])
    claimed = [task.id for batch in batches for task in batch]
    assert sorted(claimed) == sorted(ids)  # each exactly once
    assert len(set(claimed)) == 6
    first = await stores_of(services).tasks.claim(now=clock.now(), lease_seconds=LEASE, limit=5)
    assert first == []


async def test_claim_waits_for_run_after_and_filters_providers(
    services: Services, account: Account, clock: ManualClock
) -> None:
    await add_music(services, account, clock.now() + 100)
    assert await stores_of(services).tasks.claim(now=clock.now(), lease_seconds=LEASE,
                                                 limit=5) == []
    clock.advance(200)
    none = await stores_of(services).tasks.claim(
        now=clock.now(), lease_seconds=LEASE, limit=5, providers=["other"])
    assert none == []
    assert len(await stores_of(services).tasks.claim(now=clock.now(), lease_seconds=LEASE,
                                                     limit=5)) == 1


async def test_expired_lease_is_reclaimed_and_the_old_holder_refused(
    services: Services, account: Account, clock: ManualClock
) -> None:
    task_id = await add_music(services, account, clock.now())
    [first] = await stores_of(services).tasks.claim(now=clock.now(), lease_seconds=LEASE, limit=1)
    assert first.lease_token
    clock.advance(LEASE - 1)
    assert (await stores_of(services).tasks.reap(now=clock.now(), retry_delay=0)).total == 0
    clock.advance(2)
    report = await stores_of(services).tasks.reap(now=clock.now(), retry_delay=0)
    assert report.requeued == [task_id]
    assert not await stores_of(services).tasks.heartbeat(
        task_id, first.lease_token, now=clock.now(), lease_seconds=LEASE)
    [second] = await stores_of(services).tasks.claim(now=clock.now(), lease_seconds=LEASE, limit=1)
    assert second.id == task_id and second.attempts == 2 and second.lease_token
    outputs = tuple(ClipOutput(c, "a", "i", "il", "v", 3.0) for c in second.clip_ids)
    refused = await stores_of(services).tasks.succeed(
        task_id, first.lease_token, MusicResult(outputs), now=clock.now())
    assert refused is None
    done = await stores_of(services).tasks.succeed(
        task_id, second.lease_token, MusicResult(outputs), now=clock.now())
    assert done is not None and done.status is TaskStatus.SUCCESS
    again = await stores_of(services).tasks.succeed(
        task_id, second.lease_token, MusicResult(outputs), now=clock.now())
    assert again is None  # finished once, never twice


async def test_lease_expiry_after_max_attempts_fails_with_reason(
    services: Services, account: Account, clock: ManualClock
) -> None:
    task_id = await add_music(services, account, clock.now())
    for _ in range(2):
        assert await stores_of(services).tasks.claim(now=clock.now(), lease_seconds=LEASE, limit=1)
        clock.advance(LEASE + 1)
        report = await stores_of(services).tasks.reap(now=clock.now(), retry_delay=0)
    assert report.failed == [task_id]
    task = await stores_of(services).tasks.get(task_id)
    assert task is not None and task.status is TaskStatus.FAILURE
    assert "stopped renewing its lease" in task.fail_reason and "2 attempts" in task.fail_reason


async def test_heartbeat_keeps_the_lease(
    services: Services, account: Account, clock: ManualClock
) -> None:
    task_id = await add_music(services, account, clock.now())
    [task] = await stores_of(services).tasks.claim(now=clock.now(), lease_seconds=LEASE, limit=1)
    assert task.lease_token
    for _ in range(5):
        clock.advance(LEASE - 5)
        assert await stores_of(services).tasks.heartbeat(
            task_id, task.lease_token, now=clock.now(), lease_seconds=LEASE)
        assert (await stores_of(services).tasks.reap(now=clock.now(), retry_delay=0)).total == 0


async def test_past_deadline_fails_even_while_running(
    services: Services, account: Account, clock: ManualClock
) -> None:
    waiting = await add_music(services, account, clock.now())
    running = await add_music(services, account, clock.now())
    [held] = await stores_of(services).tasks.claim(now=clock.now(), lease_seconds=LEASE, limit=1)
    clock.advance(601)
    await stores_of(services).tasks.heartbeat(held.id, held.lease_token or "", now=clock.now(),
                                   lease_seconds=LEASE)
    report = await stores_of(services).tasks.reap(now=clock.now(), retry_delay=0)
    assert sorted(report.timed_out) == sorted([waiting, running])
    for task_id in (waiting, running):
        task = await stores_of(services).tasks.get(task_id)
        assert task is not None and task.status is TaskStatus.FAILURE
        assert task.fail_reason == "timed out: not finished within 600 s of submission"
        found = await stores_of(services).tasks.dtos(task.account_id, [task_id])
        dto = orjson.loads(found[task_id])
        assert dto["status"] == "FAILURE" and dto["fail_reason"] == task.fail_reason
        assert dto["finish_time"] == int(clock.now())


async def test_release_returns_the_task_without_counting(
    services: Services, account: Account, clock: ManualClock
) -> None:
    task_id = await add_music(services, account, clock.now())
    [task] = await stores_of(services).tasks.claim(now=clock.now(), lease_seconds=LEASE, limit=1)
    released = await stores_of(services).tasks.release(task_id, task.lease_token or "",
                                                       now=clock.now())
    assert released is not None and released.status is TaskStatus.SUBMITTED
    assert released.attempts == 0


async def test_counts_by_status(services: Services, account: Account, clock: ManualClock) -> None:
    for _ in range(3):
        await add_music(services, account, clock.now())
    await stores_of(services).tasks.claim(now=clock.now(), lease_seconds=LEASE, limit=1)
    assert await stores_of(services).tasks.count_by_status() == {
        TaskStatus.SUBMITTED: 2, TaskStatus.QUEUED: 1}


async def test_fetch_sees_every_change_until_the_task_ends_then_serves_it_cached(
    services: Services, account: Account, clock: ManualClock
) -> None:
    other = await stores_of(services).accounts.create_account("mallory", now=clock.now())
    task_id = await add_music(services, account, clock.now())

    async def status(owner: Account = account, action: Action | None = None) -> str | None:
        found = await stores_of(services).tasks.dtos(owner.id, [task_id], action)
        return orjson.loads(found[task_id])["status"] if task_id in found else None

    assert await status() == "SUBMITTED"
    [held] = await stores_of(services).tasks.claim(now=clock.now(), lease_seconds=LEASE, limit=1)
    assert await status() == "QUEUED"
    await stores_of(services).tasks.progress(task_id, held.lease_token or "", 0.5)
    assert await status() == "IN_PROGRESS"
    outputs = tuple(ClipOutput(c, "a", "i", "il", "v", 3.0) for c in held.clip_ids)
    await stores_of(services).tasks.succeed(task_id, held.lease_token or "", MusicResult(outputs),
                                 now=clock.now())
    assert await status() == "SUCCESS"
    # prove the next answers come from memory
    async with stores_of(services).database.write() as conn:
        await conn.execute(clips.delete())
        await conn.execute(tasks.delete())
    assert await status() == "SUCCESS"
    assert await status(action=Action.MUSIC) == "SUCCESS"
    assert await status(action=Action.LYRICS) is None  # the filter still applies
    assert await status(owner=other) is None  # and so does the account


async def test_batch_fetch_seeks_ids_through_the_primary_key(services: Services) -> None:
    if not stores_of(services).database.is_sqlite:
        pytest.skip("query plans are checked on SQLite")
    async with stores_of(services).database.read() as conn:
        plan = (await conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN " + sqlite_dto_rows_sql(3), ("a", "x", "y", "z"))).all()
    details = " ".join(str(row[-1]) for row in plan)
    assert "sqlite_autoindex_tasks_1 (id=?)" in details, details
