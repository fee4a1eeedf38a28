"""Channels and relay jobs on SQLite and PostgreSQL: the store half of relaying."""

from __future__ import annotations

from songgate.clock import ManualClock
from songgate.domain import task as rules
from songgate.domain.accounts import Account
from songgate.domain.channels import Channel
from songgate.domain.results import ClipOutput, MusicResult
from songgate.domain.status import TaskStatus
from songgate.domain.task import Task
from songgate.store.relay import DONE, RelayChange, RelayStore
from songgate.wiring import Services, stores_of
from tests.store.test_task_store import LEASE, add_music


def up(name: str = "up", **changes: object) -> Channel:
    values: dict[str, object] = {"protocol": "suno-task", "base_url": "http://up.example",
                                 "key": "sk-secret-123456"}
    values.update(changes)
    return Channel(name=name, **values)  # type: ignore[arg-type]


async def claimed(services: Services, account: Account, clock: ManualClock) -> Task:
    task_id = await add_music(services, account, clock.now())
    [task] = await stores_of(services).tasks.claim(now=clock.now(), lease_seconds=LEASE, limit=1)
    assert task.id == task_id
    return task


async def test_channels_are_saved_replaced_and_switched(
    services: Services, clock: ManualClock
) -> None:
    store = stores_of(services).channels
    assert await store.save(up(priority=2), now=clock.now())
    assert not await store.save(up(priority=7, weight=3), now=clock.now())
    [saved] = await store.all()
    assert (saved.priority, saved.weight, saved.key) == (7, 3, "sk-secret-123456")
    assert await store.set_enabled("up", False, now=clock.now())
    assert not (await store.get("up")).enabled  # type: ignore[union-attr]
    assert not await store.set_enabled("nope", False, now=clock.now())
    assert await store.remove("up") and await store.all() == []


async def test_breaker_state_is_shared_through_the_table(
    services: Services, clock: ManualClock
) -> None:
    store = stores_of(services).channels
    await store.save(up(), now=clock.now())
    for _ in range(3):
        await store.record_failure("up", "HTTP 500", now=clock.now(), threshold=3, cooldown=60)
    health = (await store.get("up")).health  # type: ignore[union-attr]
    assert health.failures == 3 and health.is_open(clock.now() + 59)
    # saving the definition again keeps the breaker as it is
    await store.save(up(priority=1), now=clock.now())
    assert (await store.get("up")).health.failures == 3  # type: ignore[union-attr]
    await store.record_success("up")
    health = (await store.get("up")).health  # type: ignore[union-attr]
    assert health.failures == 0 and not health.is_open(clock.now())
    assert health.last_error == "HTTP 500"


async def test_hand_off_then_poll_to_success(
    services: Services, account: Account, clock: ManualClock
) -> None:
    jobs = RelayStore(stores_of(services).database)
    task = await claimed(services, account, clock)
    assert await jobs.begin(task.id, "up", now=clock.now()) is None
    assert await stores_of(services).channels.in_flight() == {"up": 1}
    assert task.lease_token is not None
    handed = await jobs.hand_off(task.id, task.lease_token, "up", "u-1", now=clock.now())
    assert handed is not None and handed.lease_token is None
    # no worker holds it: the reaper does not requeue it when leases expire
    clock.advance(LEASE * 3)
    report = await stores_of(services).tasks.reap(now=clock.now(), retry_delay=0)
    assert report.total == 0
    [followed] = await jobs.followed("up")
    assert (followed.upstream_id, followed.misses) == ("u-1", 0)
    assert await jobs.polled_channels() == ["up"]

    await jobs.apply("up", [RelayChange(task.id, misses=2)], now=clock.now())
    assert (await jobs.followed("up"))[0].misses == 2

    result = MusicResult(tuple(
        ClipOutput(id=c, audio_url=f"http://x/{c}.mp3", image_url="", image_large_url="",
                   video_url="", duration=30.0) for c in task.clip_ids
    ))
    written = await jobs.apply("up", [RelayChange(
        task.id, change=lambda t: rules.succeeded(t, result, now=clock.now()),
        clips=[(task.clip_ids[0], "x-1"), (task.clip_ids[1], "x-2")],
    )], now=clock.now())
    assert written == 1
    done = await stores_of(services).tasks.get(task.id)
    assert done is not None and done.status is TaskStatus.SUCCESS
    assert (await jobs.job(task.id)).state == DONE  # type: ignore[union-attr]
    assert await jobs.followed("up") == []
    assert await stores_of(services).channels.in_flight() == {}
    assert await jobs.clip_origin(task.clip_ids[1]) == ("up", "x-2")
    assert await jobs.clip_origin("not-relayed") is None


async def test_a_task_ended_elsewhere_is_not_overwritten(
    services: Services, account: Account, clock: ManualClock
) -> None:
    jobs = RelayStore(stores_of(services).database)
    task = await claimed(services, account, clock)
    await jobs.begin(task.id, "up", now=clock.now())
    assert task.lease_token is not None
    await jobs.hand_off(task.id, task.lease_token, "up", "u-1", now=clock.now())
    clock.advance(601)  # past its deadline: the reaper fails it
    report = await stores_of(services).tasks.reap(now=clock.now(), retry_delay=0)
    assert report.timed_out == [task.id]
    written = await jobs.apply("up", [RelayChange(
        task.id, change=lambda t: rules.failed(t, "late", now=clock.now())
    )], now=clock.now())
    assert written == 0
    ended = await stores_of(services).tasks.get(task.id)
    assert ended is not None and ended.fail_reason.startswith("timed out")
    assert (await jobs.job(task.id)).state == DONE  # type: ignore[union-attr]


async def test_begin_reports_an_attempt_that_died_while_asking(
    services: Services, account: Account, clock: ManualClock
) -> None:
    jobs = RelayStore(stores_of(services).database)
    task = await claimed(services, account, clock)
    await jobs.begin(task.id, "up", now=clock.now())
    before = await jobs.begin(task.id, "other", now=clock.now())
    assert before is not None and before.state == "submitting" and before.channel == "up"
    await jobs.abandon(task.id, "other")
    assert await jobs.job(task.id) is None


async def test_hand_off_refused_without_the_lease(
    services: Services, account: Account, clock: ManualClock
) -> None:
    jobs = RelayStore(stores_of(services).database)
    task = await claimed(services, account, clock)
    await jobs.begin(task.id, "up", now=clock.now())
    assert await jobs.hand_off(task.id, "not-the-token", "up", "u-1", now=clock.now()) is None
