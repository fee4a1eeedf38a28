"""new-api as an upstream: its batch fetch answers ``data: null`` when it knows none of the ids."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from songgate.domain.accounts import Account
from songgate.domain.status import TaskStatus
from songgate.wiring import Services
from tests.support.fake_upstream import FakeUpstream
from tests.support.relay_harness import Relay, relay, settings  # noqa: F401 (fixtures)


@pytest.fixture
def new_api() -> Iterator[FakeUpstream]:
    with FakeUpstream("suno-task", steps=2).start() as upstream:
        upstream.switches.null_when_none_known = True
        yield upstream


async def test_null_data_means_none_of_these_and_the_missing_poll_rule_fails_them(
    relay: Relay, account: Account, new_api: FakeUpstream  # noqa: F811
) -> None:
    await relay.add(new_api)
    task_id = await relay.submit(account)
    await relay.send()
    new_api.forget(new_api.task_ids()[0])
    for _ in range(2):
        await relay.poller.poll_once()
        assert not (await relay.task(task_id)).is_terminal
    await relay.poller.poll_once()
    failed = await relay.task(task_id)
    assert failed.status is TaskStatus.FAILURE
    assert failed.fail_reason == (
        "the upstream channel up no longer reports this task (3 polls in a row)"
    )


async def test_channel_check_passes_on_a_null_answer(
    relay: Relay, new_api: FakeUpstream, services: Services  # noqa: F811
) -> None:
    await relay.add(new_api)
    result = await services.channels.check("up")
    assert result.ok, result.detail
