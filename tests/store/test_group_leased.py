"""Workers' changes of leased tasks on SQLite and PostgreSQL: those that wait together share
one commit, yet each is guarded by its own lease and applied as if alone."""

from __future__ import annotations

import asyncio

import pytest

from songgate.clock import ManualClock
from songgate.domain.accounts import Account
from songgate.domain.status import TaskStatus
from songgate.domain.task import Task
from songgate.wiring import Services, stores_of
from tests.store.test_group_submits import counting_commits, new_task

LEASE = 60.0


async def held_tasks(services: Services, account: Account, clock: ManualClock,
                     n: int) -> list[Task]:
    store = stores_of(services).tasks
    for _ in range(n):
        await store.insert(new_task(account, clock.now()))
    return await store.claim(now=clock.now(), lease_seconds=LEASE, limit=n)


async def test_changes_that_wait_together_share_one_commit(
    services: Services, account: Account, clock: ManualClock
) -> None:
    store = stores_of(services).tasks
    held = await held_tasks(services, account, clock, 12)
    with counting_commits(services) as commits:
        changed = await asyncio.gather(*(
            store.progress(task.id, task.lease_token or "", 0.5) for task in held))
    assert commits == [1]
    assert [task.status if task else None for task in changed] == [TaskStatus.IN_PROGRESS] * 12
    for task in held:
        stored = await store.get(task.id)
        assert stored is not None and stored.status is TaskStatus.IN_PROGRESS


async def test_each_change_is_guarded_by_its_own_lease_and_sees_the_one_before(
    services: Services, account: Account, clock: ManualClock
) -> None:
    store = stores_of(services).tasks
    first, second = await held_tasks(services, account, clock, 2)
    token = first.lease_token or ""
    outcomes = await asyncio.gather(
        store.progress(first.id, token, 0.5),
        store.fail(first.id, token, "the prompt was refused", now=clock.now()),
        store.progress(first.id, token, 0.7),  # finished already: the lease no longer runs
        store.progress(second.id, "not-its-token", 0.5),
        store.progress(second.id, second.lease_token or "", 0.3),
    )
    statuses = [task.status if task else None for task in outcomes]
    assert statuses == [TaskStatus.IN_PROGRESS, TaskStatus.FAILURE, None, None,
                        TaskStatus.IN_PROGRESS]
    done = await store.get(first.id)
    assert done is not None and done.status is TaskStatus.FAILURE


async def test_a_change_that_breaks_its_group_fails_alone(
    services: Services, account: Account, clock: ManualClock
) -> None:
    store = stores_of(services).tasks
    one, two = await held_tasks(services, account, clock, 2)

    def broken(_: Task) -> Task:
        raise ValueError("this change cannot be made")

    outcomes = await asyncio.gather(
        store.progress(one.id, one.lease_token or "", 0.5),
        store._change_leased(two.id, two.lease_token or "", broken),
        return_exceptions=True,
    )
    assert isinstance(outcomes[0], Task) and outcomes[0].status is TaskStatus.IN_PROGRESS
    assert isinstance(outcomes[1], ValueError)
    untouched = await store.get(two.id)
    assert untouched is not None and untouched.status is TaskStatus.QUEUED
    with pytest.raises(ValueError):
        await store._change_leased(two.id, two.lease_token or "", broken)


async def test_a_group_writes_the_tasks_still_held_and_not_one_whose_lease_was_lost(
    services: Services, account: Account, clock: ManualClock
) -> None:
    store = stores_of(services).tasks
    first, lost, third = await held_tasks(services, account, clock, 3)
    for task in (first, third):  # these two stay held; the other one's lease runs out
        assert await store.heartbeat(task.id, task.lease_token or "", now=clock.now() + 50,
                                     lease_seconds=LEASE)
    clock.advance(LEASE + 1)
    report = await store.reap(now=clock.now(), retry_delay=1.0)
    assert report.requeued == [lost.id]
    clock.advance(2)
    [again] = await store.claim(now=clock.now(), lease_seconds=LEASE, limit=3)
    assert again.id == lost.id and again.lease_token != lost.lease_token

    with counting_commits(services) as commits:
        outcomes = await asyncio.gather(*(
            store.fail(task.id, task.lease_token or "", "the prompt was refused",
                       now=clock.now())
            for task in (first, lost, third)))
    assert commits == [1]
    assert [task.status if task else None for task in outcomes] == [
        TaskStatus.FAILURE, None, TaskStatus.FAILURE]
    for task in (first, third):
        done = await store.get(task.id)
        assert done is not None and done.status is TaskStatus.FAILURE
        assert done.lease_token is None and done.attempts == 1
    untouched = await store.get(lost.id)
    assert untouched is not None and untouched.status is TaskStatus.QUEUED
    assert untouched.lease_token == again.lease_token and untouched.attempts == 2
    finished = await store.fail(again.id, again.lease_token or "", "refused", now=clock.now())
    assert finished is not None and finished.status is TaskStatus.FAILURE


async def test_one_heartbeat_extends_every_lease_still_held_and_names_the_lost(
    services: Services, account: Account, clock: ManualClock
) -> None:
    store = stores_of(services).tasks
    kept, finished, taken = await held_tasks(services, account, clock, 3)
    assert await store.fail(finished.id, finished.lease_token or "", "refused", now=clock.now())
    clock.advance(30)
    held = await store.heartbeats(
        {kept.id: kept.lease_token or "", finished.id: finished.lease_token or "",
         taken.id: "a token another worker no longer has"},
        now=clock.now(), lease_seconds=LEASE)
    assert held == {kept.id}
    extended = await store.get(kept.id)
    assert extended is not None and extended.lease_expires_at is not None
    assert extended.lease_expires_at >= clock.now() + LEASE
    untouched = await store.get(taken.id)
    assert untouched is not None and untouched.lease_expires_at == taken.lease_expires_at
