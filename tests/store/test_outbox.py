"""The outbox and test mode: only a task's last notification is doubled or delayed."""

from __future__ import annotations

import uuid
from dataclasses import replace

from sqlalchemy import select

from songgate.clock import ManualClock
from songgate.domain import task as rules
from songgate.domain.accounts import Account
from songgate.domain.results import ClipOutput, MusicResult
from songgate.domain.submit import parse_music
from songgate.domain.sunoapi.callbacks import SUNOAPI
from songgate.store.tables import webhook_deliveries
from songgate.wiring import Services, stores_of


async def ended_at_once(services: Services, account: Account, clock: ManualClock,
                        outcome: str) -> tuple[str, float]:
    """A sunoapi-dialect task told nothing until it succeeds: all its stages in one change."""
    spec = replace(parse_music({"prompt": "la", "notify_hook": "https://hooks.example.com/x"}),
                   callback_dialect=SUNOAPI, test_outcome=outcome)
    task = rules.new_music_task(
        task_id=str(uuid.uuid4()), account_id=account.id, owner=account.owner, spec=spec,
        clip_ids=[str(uuid.uuid4()) for _ in "ab"], provider="test-mode", now=clock.now(),
        max_attempts=1, timeout_seconds=600,
    )
    store = stores_of(services).tasks
    await store.insert(task)
    [held] = await store.claim(now=clock.now(), lease_seconds=30, limit=1)
    clock.advance(2)
    outputs = tuple(ClipOutput(c, "a", "i", "il", "v", 3.0) for c in held.clip_ids)
    done = await store.succeed(task.id, held.lease_token or "", MusicResult(outputs),
                               now=clock.now())
    assert done is not None and done.finish_time is not None
    return task.id, done.finish_time


async def queued(services: Services, task_id: str) -> list[tuple[str, float]]:
    async with stores_of(services).database.read() as conn:
        rows = (await conn.execute(
            select(webhook_deliveries.c.event, webhook_deliveries.c.next_at)
            .where(webhook_deliveries.c.task_id == task_id)
            .order_by(webhook_deliveries.c.seq))).all()
    return [(row.event, float(row.next_at)) for row in rows]


async def test_hook_twice_doubles_only_the_last_stage(
    services: Services, account: Account, clock: ManualClock
) -> None:
    task_id, finished = await ended_at_once(services, account, clock, "hook-twice")
    assert await queued(services, task_id) == [
        ("sunoapi.text", finished), ("sunoapi.first", finished),
        ("sunoapi.complete", finished), ("sunoapi.complete", finished)]


async def test_hook_late_delays_only_the_last_stage(
    services: Services, account: Account, clock: ManualClock
) -> None:
    task_id, finished = await ended_at_once(services, account, clock, "hook-late=30")
    assert await queued(services, task_id) == [
        ("sunoapi.text", finished), ("sunoapi.first", finished),
        ("sunoapi.complete", finished + 30)]
