"""Webhook delivery from the outbox to a real receiver on loopback, on both backends."""

from __future__ import annotations

import socket
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import orjson
import pytest

from songgate.clock import ManualClock
from songgate.config import Settings
from songgate.domain import task as rules
from songgate.domain.accounts import Account
from songgate.domain.hooks import verify
from songgate.domain.results import LyricsResult
from songgate.domain.submit import parse_lyrics
from songgate.store.hooks import Delivery
from songgate.wiring import Services, stores_of, webhook_settings
from songgate.worker.hooks import HookDeliverer
from tests.support.hook_receiver import HookReceiver, Script

LEASE = 30.0


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(
        data_dir=tmp_path, database_url=database_url, token_cache_seconds=0,
        webhook_allow_private=True, webhook_timeout_seconds=0.5, webhook_backoff_seconds=5,
        webhook_retry_seconds=600, routes={"MUSIC": "local", "LYRICS": "local"},
    )


@pytest.fixture
async def deliverer(services: Services) -> AsyncIterator[HookDeliverer]:
    deliverer = services.hook_deliverer()
    yield deliverer
    await deliverer.close()


async def finished_task(services: Services, account: Account, url: str, *,
                        fail: bool = False) -> str:
    clock = services.clock
    task = rules.new_lyrics_task(
        task_id=str(uuid.uuid4()), lyrics_id="l", account_id=account.id,
        spec=parse_lyrics({"prompt": "x", "notify_hook": url}), provider="local",
        now=clock.now(), max_attempts=1, timeout_seconds=600,
    )
    await stores_of(services).tasks.insert(task)
    [held] = await stores_of(services).tasks.claim(now=clock.now(), lease_seconds=LEASE, limit=1)
    assert held.lease_token is not None
    if fail:
        await stores_of(services).tasks.fail(task.id, held.lease_token, "no", now=clock.now())
    else:
        await stores_of(services).tasks.succeed(task.id, held.lease_token, LyricsResult("T", "la"),
                                     now=clock.now())
    return task.id


async def drain(deliverer: HookDeliverer, clock: ManualClock, rounds: int = 10) -> None:
    for _ in range(rounds):
        await deliverer.deliver_due()
        clock.advance(20)


async def test_a_finished_task_is_delivered_signed(
    services: Services, account: Account, deliverer: HookDeliverer, clock: ManualClock
) -> None:
    with HookReceiver() as receiver:
        task_id = await finished_task(services, account, receiver.url + "/hook?k=1")
        assert await deliverer.deliver_due() == 1
        assert await deliverer.deliver_due() == 0
    [got] = receiver.received
    assert got.path == "/hook?k=1"
    secret = await stores_of(services).hooks.secret(account.id, now=clock.now())
    assert verify(secret, got.headers["x-songgate-timestamp"], got.body,
                  got.headers["x-songgate-signature"])
    assert got.headers["x-songgate-event"] == "task.success"
    assert got.headers["content-type"] == "application/json"
    envelope = orjson.loads(got.body)
    assert envelope["code"] == "success" and envelope["data"]["task_id"] == task_id
    assert envelope["data"]["status"] == "SUCCESS"
    [entry] = await stores_of(services).hooks.log(task_id)
    assert entry.state == "delivered" and [a.status_code for a in entry.attempts] == [200]


async def test_failing_receivers_are_retried_with_backoff(
    services: Services, account: Account, deliverer: HookDeliverer, clock: ManualClock
) -> None:
    with HookReceiver() as receiver:
        receiver.script = Script(statuses=[500, 503, 200])
        task_id = await finished_task(services, account, receiver.url, fail=True)
        await deliverer.deliver_due()
        await deliverer.deliver_due()  # not due yet: backing off
        assert receiver.count() == 1
        await drain(deliverer, clock)
    assert receiver.count() == 3
    assert orjson.loads(receiver.received[-1].body)["data"]["status"] == "FAILURE"
    [entry] = await stores_of(services).hooks.log(task_id)
    assert entry.state == "delivered" and entry.event == "task.failure"
    assert [a.status_code for a in entry.attempts] == [500, 503, 200]
    gaps = [b.at - a.at for a, b in zip(entry.attempts, entry.attempts[1:], strict=False)]
    assert all(gap >= 2.5 for gap in gaps)  # at least half the first backoff step


async def test_redirects_timeouts_and_dead_hosts_are_not_delivered(
    services: Services, account: Account, deliverer: HookDeliverer, clock: ManualClock
) -> None:
    with HookReceiver() as receiver, HookReceiver() as other:
        receiver.script = Script(statuses=[302], location=other.url)
        redirected = await finished_task(services, account, receiver.url)
        await deliverer.deliver_due()
        assert other.count() == 0
        slow = HookReceiver()
        with slow:
            slow.script = Script(delay=1.5)
            timed_out = await finished_task(services, account, slow.url)
            await deliverer.deliver_due()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead_url = f"http://127.0.0.1:{probe.getsockname()[1]}/"
    dead = await finished_task(services, account, dead_url)
    await deliverer.deliver_due()
    store = stores_of(services).hooks
    errors = {task: (await store.log(task))[0].attempts[0].error
              for task in (redirected, timed_out, dead)}
    assert errors == {redirected: "redirects are not followed", timed_out: "timed out",
                      dead: "could not be sent: ConnectError"}


async def test_a_delivery_gives_up_after_the_retry_period(
    services: Services, account: Account, deliverer: HookDeliverer, clock: ManualClock
) -> None:
    with HookReceiver() as receiver:
        receiver.script = Script(statuses=[500])
        task_id = await finished_task(services, account, receiver.url)
        for _ in range(40):
            await deliverer.deliver_due()
            clock.advance(60)
    [entry] = await stores_of(services).hooks.log(task_id)
    assert entry.state == "failed"
    assert len(entry.attempts) == receiver.count() >= 4
    assert entry.attempts[-1].at - entry.attempts[0].at <= 600


async def test_names_resolving_to_private_addresses_are_refused(
    services: Services, account: Account, clock: ManualClock
) -> None:
    strict = Settings(**{**services.settings.model_dump(), "webhook_allow_private": False})
    deliverer = HookDeliverer(stores_of(services).hooks, webhook_settings(strict), clock)
    try:
        with HookReceiver() as receiver:
            port = receiver.url.rsplit(":", 1)[1]
            for host in ("localhost", socket.gethostname()):
                await deliverer.deliver(Delivery(
                    id=str(uuid.uuid4()), task_id="t", account_id=account.id,
                    url=f"http://{host}:{port}/", event="task.success", payload=b"{}",
                    attempts=0, created_at=clock.now()))
        assert receiver.count() == 0
    finally:
        await deliverer.close()


async def test_every_status_mode_delivers_in_order(
    tmp_path: Path, database_url: str, clock: ManualClock, settings: Settings
) -> None:
    every = Settings(**{**settings.model_dump(), "webhook_every_status": True})
    services = Services.build(every, clock)
    await services.migrate()
    account = await stores_of(services).accounts.create_account("eve", now=clock.now())
    deliverer = HookDeliverer(stores_of(services).hooks, webhook_settings(every), clock)
    try:
        with HookReceiver() as receiver:
            receiver.script = Script(statuses=[500, 200])  # the first event fails once
            task_id = await finished_task(services, account, receiver.url)
            await drain(deliverer, clock)
        events = [r.headers["x-songgate-event"] for r in receiver.received]
        assert events == ["task.queued", "task.queued", "task.success"]
        log = await stores_of(services).hooks.log(task_id)
        assert [(e.event, e.state) for e in log] == [("task.queued", "delivered"),
                                                     ("task.success", "delivered")]
    finally:
        await deliverer.close()
        await services.close()


async def test_a_receiver_down_for_ten_minutes_still_gets_it(
    services: Services, account: Account, clock: ManualClock, settings: Settings
) -> None:
    patient = Settings(**{**settings.model_dump(), "webhook_retry_seconds": 3600})
    deliverer = HookDeliverer(stores_of(services).hooks, webhook_settings(patient), clock)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    try:
        task_id = await finished_task(services, account, f"http://127.0.0.1:{port}/late")
        started = clock.now()
        while clock.now() - started < 600:  # ten minutes of refused connections
            await deliverer.deliver_due()
            clock.advance(15)
        with HookReceiver(port) as receiver:
            for _ in range(20):
                await deliverer.deliver_due()
                if receiver.count():
                    break
                clock.advance(60)
        assert receiver.count() == 1
        [entry] = await stores_of(services).hooks.log(task_id)
        assert entry.state == "delivered" and len(entry.attempts) >= 5
        assert all(a.error == "could not be sent: ConnectError" for a in entry.attempts[:-1])
    finally:
        await deliverer.close()


async def test_a_slow_receiver_within_the_timeout_is_delivered(
    services: Services, account: Account, deliverer: HookDeliverer
) -> None:
    with HookReceiver() as receiver:
        receiver.script = Script(delay=0.3)  # the timeout is 0.5 s
        task_id = await finished_task(services, account, receiver.url)
        await deliverer.deliver_due()
    [entry] = await stores_of(services).hooks.log(task_id)
    assert entry.state == "delivered" and entry.attempts[0].duration_ms >= 300


async def test_a_delivery_connects_to_the_address_it_checked(
    services: Services, account: Account, clock: ManualClock
) -> None:
    lookups: list[str] = []

    async def changing_answer(host: str, port: int) -> list[str]:
        """A name whose answer changes after the first lookup (DNS rebinding)."""
        lookups.append(host)
        return ["127.0.0.1"] if len(lookups) == 1 else ["127.0.0.2"]

    deliverer = HookDeliverer(stores_of(services).hooks, webhook_settings(services.settings),
                              clock, resolver=changing_answer)
    try:
        with HookReceiver() as receiver:
            port = receiver.url.rsplit(":", 1)[1]
            # .invalid never resolves: only the checked address can have been connected to
            await deliverer.deliver(Delivery(
                id=str(uuid.uuid4()), task_id="t", account_id=account.id,
                url=f"http://hooks.songgate.invalid:{port}/done", event="task.success",
                payload=b"{}", attempts=0, created_at=clock.now()))
            assert receiver.count() == 1
            [received] = receiver.received
    finally:
        await deliverer.close()
    assert lookups == ["hooks.songgate.invalid"]  # resolved once, never again to connect
    assert received.headers["host"] == f"hooks.songgate.invalid:{port}"
    assert received.path == "/done"
