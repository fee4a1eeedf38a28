"""The relay half of a worker process, driven step by step, against fake upstreams on
loopback: the settings it runs with, :class:`Relay`, and the fixtures the relay tests
share (``settings``, ``relay``, ``up`` in either protocol, ``spare``)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from songgate.config import Settings
from songgate.domain.accounts import Account
from songgate.domain.channels import Channel
from songgate.domain.results import HandedOff
from songgate.domain.status import Action, TaskStatus
from songgate.domain.task import Task
from songgate.providers.channels import ChannelRouter
from songgate.providers.relay.poller import RelayPoller
from songgate.store.relay import RelayStore
from songgate.wiring import Services, stores_of
from songgate.worker.runner import provider_task
from tests.support.fake_upstream import FakeUpstream, Protocol

MUSIC = {"prompt": "[Verse]\nneon rain", "tags": "synthwave", "title": "Rain", "mv": "chirp-v4"}
LEASE = 30.0


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(
        data_dir=tmp_path, database_url=database_url, token_cache_seconds=0,
        progress_write_interval_seconds=0, retry_delay_seconds=0, worker_concurrency=4,
        public_url="http://songgate.test", relay_timeout_seconds=1.0,
        relay_breaker_failures=2, relay_breaker_cooldown_seconds=60, relay_missing_polls=3,
        relay_poll_interval_seconds=5, relay_batch_size=100, task_timeout_seconds=600,
    )


async def no_progress(fraction: float, finished: Any = ()) -> None:
    return None


class Relay:
    """The relay half of a worker process, driven step by step."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.context = services.relay_context()
        self.registry = services.provider_registry(self.context)
        self.router = self.registry.get("channels")
        assert isinstance(self.router, ChannelRouter)
        self.poller: RelayPoller = services.relay_poller(self.context, holder="node-a")
        self.jobs = RelayStore(stores_of(services).database)

    async def add(self, up: FakeUpstream, name: str = "up", **changes: Any) -> Channel:
        values: dict[str, Any] = {"protocol": up.protocol, "base_url": up.url, "key": up.key,
                                  "media": "link"}
        values.update(changes)
        channel = Channel(name=name, **values)
        await stores_of(self.services).channels.save(channel, now=self.services.clock.now())
        self.context.catalog.forget()
        return channel

    async def submit(self, account: Account, body: Any = None,
                     action: Action = Action.MUSIC) -> str:
        payload = body if body is not None else MUSIC
        return await self.services.task_service.submit(account, action, payload)

    async def claim(self) -> Task:
        clock = self.services.clock
        [task] = await stores_of(self.services).tasks.claim(now=clock.now(), lease_seconds=LEASE,
                                                            limit=1)
        assert task.lease_token is not None
        return task

    async def run(self, task: Task) -> Any:
        return await self.router.run(provider_task(task), no_progress)

    async def send(self) -> Task:
        """Claim the oldest task and run it on the channels; returns its stored state."""
        clock = self.services.clock
        task = await self.claim()
        assert task.lease_token is not None
        outcome = await self.run(task)
        assert isinstance(outcome, HandedOff), outcome
        handed = await self.jobs.hand_off(task.id, task.lease_token, outcome.channel,
                                          outcome.upstream_id, now=clock.now())
        assert handed is not None
        return handed

    async def task(self, task_id: str) -> Task:
        found = await stores_of(self.services).tasks.get(task_id)
        assert found is not None
        return found

    async def poll_until_done(self, task_id: str, rounds: int = 10) -> Task:
        for _ in range(rounds):
            await self.poller.poll_once()
            await self.poller.wait_for_collections()
            task = await self.task(task_id)
            if task.is_terminal:
                return task
        raise AssertionError(f"task {task_id} still {task.status} after {rounds} rounds")

    async def close(self) -> None:
        await self.poller.close()
        await self.registry.close()
        await self.context.close()


@pytest.fixture
async def relay(services: Services) -> AsyncIterator[Relay]:
    relay = Relay(services)
    yield relay
    await relay.close()


@pytest.fixture(params=["suno-task", "sunoapi-v1"])
def up(request: pytest.FixtureRequest) -> Iterator[FakeUpstream]:
    protocol: Protocol = request.param
    with FakeUpstream(protocol, steps=2).start() as upstream:
        yield upstream


@pytest.fixture
def spare() -> Iterator[FakeUpstream]:
    with FakeUpstream("suno-task", steps=2, key="spare-key").start() as upstream:
        yield upstream


async def answered_data(answer: httpx.Response) -> Any:
    """The ``data`` of a 200 envelope."""
    assert answer.status_code == 200, answer.text
    return answer.json()["data"]


async def relayed_to_success(relay: Relay, client: httpx.AsyncClient,
                             task_id: str) -> dict[str, Any]:
    """The task as the API shows it, once the relay has sent it and polled it to SUCCESS."""
    await relay.send()
    done = await relay.poll_until_done(task_id)
    assert done.status is TaskStatus.SUCCESS, done.fail_reason
    task: dict[str, Any] = await answered_data(await client.get(f"/suno/fetch/{task_id}"))
    return task
