"""Relaying through real HTTP to fake upstreams on loopback, on SQLite and PostgreSQL.

Each test drives the pieces a worker process runs: the ``channels`` provider sends a
claimed task upstream (the worker's hand-off follows), and the poller follows it.
"""

# The relay fixtures come from tests.support.relay_harness: tests take them by name.
# ruff: noqa: F811
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import httpx
import pytest

from songgate.clock import ManualClock
from songgate.domain.accounts import Account
from songgate.domain.channels import Channel
from songgate.domain.relay import UpstreamClip
from songgate.domain.status import Action, ClipStatus, TaskStatus
from songgate.errors import FinalProviderError, NoAvailableChannel, RetryableProviderError
from songgate.providers.channels import ChannelRouter
from songgate.providers.relay.collect import CollectError, MediaCollector
from songgate.wiring import Services, stores_of
from tests.support.fake_upstream import FakeUpstream
from tests.support.relay_harness import (  # noqa: F401 (fixtures)
    MUSIC,
    Relay,
    relay,
    settings,
    spare,
    up,
)


async def test_music_and_lyrics_run_upstream_with_the_clients_parameters(
    relay: Relay, account: Account, up: FakeUpstream
) -> None:
    await relay.add(up)
    music_id = await relay.submit(account, {**MUSIC, "negative_tags": "metal",
                                            "notify_hook": "https://hooks.example/x"})
    handed = await relay.send()
    assert handed.status is TaskStatus.QUEUED and handed.lease_token is None
    sent = up.submissions[0]["json"]
    assert "notify_hook" not in sent and "callBackUrl" not in {k for k, v in sent.items() if v}
    if up.protocol == "suno-task":
        assert {k: sent[k] for k in MUSIC} == MUSIC and sent["negative_tags"] == "metal"
    else:
        assert (sent["prompt"], sent["style"], sent["title"], sent["model"]) == (
            MUSIC["prompt"], "synthwave", "Rain", "V4")
        assert sent["negativeTags"] == "metal" and sent["customMode"] is True

    await relay.poller.poll_once()
    running = await relay.task(music_id)
    assert running.status is TaskStatus.IN_PROGRESS and 0 < running.progress < 100
    done = await relay.poll_until_done(music_id)
    assert done.status is TaskStatus.SUCCESS, done.fail_reason
    for clip in done.data:  # media "link": the upstream's own URLs
        assert clip["audio_url"].startswith(up.url + "/files/") and clip["status"] == "complete"
        assert clip["metadata"]["duration"] > 0

    lyrics_id = await relay.submit(account, {"prompt": "a night train"}, Action.LYRICS)
    await relay.send()
    lyrics = await relay.poll_until_done(lyrics_id)
    assert lyrics.status is TaskStatus.SUCCESS and lyrics.data["text"]
    assert lyrics.data["status"] == "complete"


async def test_copied_media_are_served_by_songgate(
    relay: Relay, account: Account, up: FakeUpstream, services: Services
) -> None:
    await relay.add(up, media="copy", trusted=True)
    task_id = await relay.submit(account)
    await relay.send()
    done = await relay.poll_until_done(task_id)
    assert done.status is TaskStatus.SUCCESS, done.fail_reason
    for clip in done.data:
        assert clip["audio_url"] == f"http://songgate.test/media/{clip['id']}.mp3"
        served = await services.media.serve(f"{clip['id']}.mp3", None, head=False)
        assert served is not None
        assert served.path.read_bytes().startswith(b"ID3")  # type: ignore[union-attr]
        assert clip["image_url"].endswith(f"image_{clip['id']}.jpeg")
    assert await relay.jobs.clip_origin(done.data[0]["id"]) is not None


async def test_failed_media_copy_is_tried_again_next_round(
    relay: Relay, account: Account, spare: FakeUpstream
) -> None:
    await relay.add(spare, media="copy", trusted=True)
    task_id = await relay.submit(account)
    await relay.send()
    spare.switches.file_status = 403
    for _ in range(3):
        await relay.poller.poll_once()
        await relay.poller.wait_for_collections()
    assert not (await relay.task(task_id)).is_terminal
    spare.switches.file_status = 200
    done = await relay.poll_until_done(task_id)
    assert done.status is TaskStatus.SUCCESS


async def test_media_on_a_private_address_fail_the_task_unless_the_channel_is_trusted(
    relay: Relay, account: Account, up: FakeUpstream, services: Services
) -> None:
    channel = await relay.add(up, media="copy")  # the fake upstream serves on loopback
    task_id = await relay.submit(account)
    await relay.send()
    refused = await relay.poll_until_done(task_id)
    assert refused.status is TaskStatus.FAILURE  # at once: trying again cannot help
    assert "media were refused" in refused.fail_reason
    assert "trusted = true" in refused.fail_reason
    for clip in refused.data:
        assert await services.media.serve(f"{clip['id']}.mp3", None, head=False) is None
    await relay.add(up, **{**_definition(channel), "trusted": True})
    trusted_id = await relay.submit(account)
    await relay.send()
    done = await relay.poll_until_done(trusted_id)
    assert done.status is TaskStatus.SUCCESS, done.fail_reason


async def test_the_collector_refuses_upstream_urls_resolving_to_private_addresses(
    services: Services, tmp_path: Path
) -> None:
    async def private_dns(host: str, port: int) -> list[str]:
        return ["10.9.8.7"]

    collector = MediaCollector(services.media, timeout=1.0, max_bytes=1000, concurrency=1,
                               resolver=private_dns)
    try:
        for url in ("http://cdn.upstream.test/a.mp3", "http://169.254.169.254/latest/",
                    "http://2130706433/a.mp3", "http://[::ffff:127.0.0.1]/a.mp3"):
            with pytest.raises(CollectError, match="forbidden"):
                await collector.collect("c1", UpstreamClip(id="u1", status=ClipStatus.COMPLETE,
                                                                    audio_url=url))
    finally:
        await collector.close()


def _definition(channel: Channel) -> dict[str, Any]:
    return {"protocol": channel.protocol, "base_url": channel.base_url, "key": channel.key,
            "media": channel.media}


async def test_failover_to_the_next_channel_and_the_breaker_opens(
    relay: Relay, account: Account, spare: FakeUpstream, services: Services,
    clock: ManualClock,
) -> None:
    with FakeUpstream("suno-task").start() as broken:
        broken.switches.always_500 = True
        await relay.add(broken, name="broken", priority=10)
        await relay.add(spare, name="spare", priority=1)
        for _ in range(3):
            await relay.submit(account)
            handed = await relay.send()
            assert (await relay.jobs.job(handed.id)).channel == "spare"  # type: ignore[union-attr]
        # two failures opened the breaker: the third task did not even try "broken"
        assert broken.requests == 2
        health = (await stores_of(services).channels.get("broken")).health  # type: ignore[union-attr]
        assert health.failures == 2 and health.is_open(clock.now())
        assert "HTTP 500" in health.last_error
        clock.advance(61)  # cooled down: tried again, and it works now
        broken.switches.always_500 = False
        await relay.submit(account)
        handed = await relay.send()
        assert (await relay.jobs.job(handed.id)).channel == "broken"  # type: ignore[union-attr]
        health = (await stores_of(services).channels.get("broken")).health  # type: ignore[union-attr]
        assert health.failures == 0 and not health.is_open(clock.now())
    assert len(spare.submissions) == 3


@pytest.mark.parametrize("fault", ["rate_limit", "malformed_json", "wrong_content_type",
                                   "missing_id_on_submit", "hang"])
async def test_submit_faults_fail_over_without_losing_the_task(
    relay: Relay, account: Account, spare: FakeUpstream, services: Services, fault: str,
    clock: ManualClock, caplog: pytest.LogCaptureFixture,
) -> None:
    with FakeUpstream("suno-task").start() as flaky:
        if fault == "rate_limit":
            flaky.switches.rate_limit, flaky.switches.retry_after = 1, 120
        elif fault == "hang":
            flaky.switches.hang_seconds = 3
        else:
            setattr(flaky.switches, fault, True)
        await relay.add(flaky, name="flaky", priority=10)
        await relay.add(spare, name="spare")
        task_id = await relay.submit(account)
        with caplog.at_level(logging.WARNING, logger="songgate.relay"):
            await relay.send()
        assert (await relay.jobs.job(task_id)).channel == "spare"  # type: ignore[union-attr]
        assert len(spare.submissions) == 1
        health = (await stores_of(services).channels.get("flaky")).health  # type: ignore[union-attr]
        assert health.failures == 1
        if fault == "rate_limit":  # rests as long as it asked
            assert health.is_open(clock.now() + 119) and not health.is_open(clock.now() + 121)
        # an answer that never came or cannot be read may hide an accepted task: trying the
        # next channel may then run it twice, the one case where that can happen; it is logged
        unreadable = fault != "rate_limit"
        assert ("may have accepted" in caplog.text) == unreadable
        assert len(flaky.submissions) == (1 if fault in ("missing_id_on_submit", "hang") else 0)
    done = await relay.poll_until_done(task_id)
    assert done.status is TaskStatus.SUCCESS


async def test_a_refused_prompt_fails_the_task_without_failover(
    relay: Relay, account: Account, up: FakeUpstream, spare: FakeUpstream,
    services: Services,
) -> None:
    await relay.add(up, priority=10)
    await relay.add(spare, name="spare")
    await relay.submit(account, {**MUSIC, "prompt": "REFUSE"})
    task = await relay.claim()
    with pytest.raises(FinalProviderError, match="refused the task"):
        await relay.run(task)
    assert spare.submissions == []
    assert (await stores_of(services).channels.get("up")).health.failures == 0  # type: ignore[union-attr]


async def test_no_usable_channel(relay: Relay, account: Account, spare: FakeUpstream,
                                 services: Services) -> None:
    await relay.add(spare, name="spare", models=frozenset({"chirp-auk"}))
    with pytest.raises(NoAvailableChannel, match="mv chirp-v4"):
        await relay.submit(account)
    spare.switches.always_500 = True
    await relay.submit(account, {**MUSIC, "mv": "chirp-auk"})
    task = await relay.claim()
    for _ in range(2):  # two failures in a row open its breaker
        with pytest.raises(RetryableProviderError, match="every channel failed"):
            await relay.run(task)
    with pytest.raises(RetryableProviderError, match="no channel can take"):
        await relay.run(task)  # its breaker is open now
    assert await relay.jobs.job(task.id) is None  # nothing left marked as in flight


async def test_polls_are_batched_per_channel(
    relay: Relay, account: Account, services: Services
) -> None:
    with FakeUpstream("suno-task", steps=0).start() as batch:
        await relay.add(batch, name="batch")
        ids = [await relay.submit(account) for _ in range(250)]
        for _ in ids:
            await relay.send()
        [report] = await relay.poller.poll_once()
        assert (report.followed, report.requests) == (250, 3)
        assert sorted(batch.fetched_ids) == [50, 100, 100]  # chunks go out two at a time
        assert report.written == 250  # all of them started upstream
        [report] = await relay.poller.poll_once()
        assert report.written == 0  # nothing changed upstream: nothing written
        completed = batch.complete(batch.task_ids()[:10])
        assert len(completed) == 10
        [report] = await relay.poller.poll_once()
        assert report.written == 10 and report.requests == 3
    statuses = [(await relay.task(i)).status for i in ids]
    assert statuses.count(TaskStatus.SUCCESS) == 10


async def test_poll_faults_back_off_and_lose_nothing(
    relay: Relay, account: Account, spare: FakeUpstream, clock: ManualClock
) -> None:
    await relay.add(spare, name="spare")
    task_id = await relay.submit(account)
    await relay.send()
    for fault in ("always_500", "malformed_json", "wrong_content_type", "huge_body_bytes"):
        setattr(spare.switches, fault, 20_000_000 if fault == "huge_body_bytes" else True)
        before = spare.requests
        [report] = await relay.poller.poll_once()
        assert report.requests == 1 and report.written == 0
        assert await relay.poller.poll_once() == []  # backing off: the channel is not asked
        assert spare.requests == before + 1
        setattr(spare.switches, fault, 0 if fault == "huge_body_bytes" else False)
        clock.advance(relay.services.settings.relay_backoff_max_seconds)
        assert not (await relay.task(task_id)).is_terminal
    done = await relay.poll_until_done(task_id)
    assert done.status is TaskStatus.SUCCESS


async def test_duplicated_ids_take_the_first_answer(
    relay: Relay, account: Account, spare: FakeUpstream
) -> None:
    await relay.add(spare, name="spare")
    spare.switches.duplicate_ids = True
    task_id = await relay.submit(account)
    await relay.send()
    done = await relay.poll_until_done(task_id)
    assert done.status is TaskStatus.SUCCESS


async def test_ids_the_upstream_forgets_fail_with_a_reason(
    relay: Relay, account: Account, up: FakeUpstream
) -> None:
    await relay.add(up)
    task_id = await relay.submit(account)
    await relay.send()
    up.forget(up.task_ids()[0])
    for _ in range(2):
        await relay.poller.poll_once()
        assert not (await relay.task(task_id)).is_terminal
    await relay.poller.poll_once()
    failed = await relay.task(task_id)
    assert failed.status is TaskStatus.FAILURE
    assert failed.fail_reason == (
        "the upstream channel up no longer reports this task (3 polls in a row)"
    )


async def test_upstream_failures_and_never_finishing_tasks_end_with_reasons(
    relay: Relay, account: Account, up: FakeUpstream, services: Services, clock: ManualClock
) -> None:
    await relay.add(up)
    failing = await relay.submit(account)
    await relay.send()
    up.fail(up.task_ids()[0], "sensitive word")
    failed = await relay.poll_until_done(failing)
    assert failed.status is TaskStatus.FAILURE
    assert failed.fail_reason.startswith("the upstream channel up failed the task")
    assert all(c["status"] == "error" for c in failed.data)

    up.switches.never_finish_all = True
    stuck = await relay.submit(account)
    await relay.send()
    await relay.poller.poll_once()
    clock.advance(601)
    await stores_of(services).tasks.reap(now=clock.now(), retry_delay=0)
    ended = await relay.task(stuck)
    assert ended.status is TaskStatus.FAILURE and ended.fail_reason.startswith("timed out")
    await relay.poller.poll_once()  # the poller lets it go
    assert (await relay.jobs.job(stuck)).state == "done"  # type: ignore[union-attr]


async def test_continuation_goes_to_the_channel_that_made_the_clip(
    relay: Relay, account: Account, up: FakeUpstream, spare: FakeUpstream
) -> None:
    await relay.add(up, name="maker", priority=1)
    source = await relay.submit(account)
    await relay.send()
    done = await relay.poll_until_done(source)
    await relay.add(spare, name="spare", priority=50)  # preferred for new songs from now on
    clip = done.data[1]
    origin = await relay.jobs.clip_origin(clip["id"])
    assert origin is not None and origin[0] == "maker"
    extend = await relay.submit(account, {**MUSIC, "continue_clip_id": clip["id"],
                                          "continue_at": 10})
    await relay.send()
    assert (await relay.jobs.job(extend)).channel == "maker"  # type: ignore[union-attr]
    sent = up.submissions[-1]
    if up.protocol == "suno-task":
        assert sent["json"]["continue_clip_id"] == origin[1] and sent["json"]["continue_at"] == 10
    else:
        assert sent["path"] == "/api/v1/generate/extend"
        assert sent["json"]["audioId"] == origin[1] and sent["json"]["continueAt"] == 10
    assert spare.submissions == []
    # the maker switched off: the extension waits for it rather than going elsewhere
    await stores_of(relay.services).channels.set_enabled("maker", False,
                                                         now=relay.services.clock.now())
    relay.context.catalog.forget()
    await relay.submit(account, {**MUSIC, "continue_clip_id": clip["id"], "continue_at": 5})
    with pytest.raises(RetryableProviderError, match="made the clip to extend"):
        await relay.run(await relay.claim())
    assert spare.submissions == []


async def test_one_poller_per_cluster_and_a_new_one_carries_on(
    relay: Relay, account: Account, spare: FakeUpstream, services: Services,
    clock: ManualClock,
) -> None:
    await relay.add(spare, name="spare")
    task_id = await relay.submit(account)
    await relay.send()
    second = services.relay_poller(relay.context, holder="node-b")
    try:
        assert len(await relay.poller.poll_once()) == 1
        assert await second.poll_once() == [] and not second.is_leader
        clock.advance(60)  # node-a died: its lease runs out and node-b takes over
        await second.poll_once()
        assert second.is_leader
        for _ in range(3):
            await second.poll_once()
        assert (await relay.task(task_id)).status is TaskStatus.SUCCESS
    finally:
        await second.close()


async def test_removed_channel_fails_its_tasks(
    relay: Relay, account: Account, spare: FakeUpstream, services: Services
) -> None:
    await relay.add(spare, name="spare")
    task_id = await relay.submit(account)
    await relay.send()
    await stores_of(services).channels.remove("spare")
    relay.context.catalog.forget()
    await relay.poller.poll_once()
    failed = await relay.task(task_id)
    assert failed.fail_reason == "the upstream channel spare was removed while it held the task"


async def test_channel_check(relay: Relay, up: FakeUpstream, services: Services) -> None:

    admin = services.channels
    await relay.add(up)
    assert (await admin.check("up")).ok
    await relay.add(up, key="wrong")
    result = await admin.check("up")
    assert not result.ok and "401" in result.detail
    assert httpx.URL(up.url).host == "127.0.0.1"


async def test_a_full_channel_passes_tasks_on_until_it_has_room(
    relay: Relay, account: Account, spare: FakeUpstream
) -> None:
    with FakeUpstream("suno-task", steps=1).start() as small:
        await relay.add(small, name="small", priority=10, max_in_flight=2)
        await relay.add(spare, name="spare")
        ids = [await relay.submit(account) for _ in range(3)]
        for _ in ids:
            await relay.send()
        channels = [(await relay.jobs.job(i)).channel for i in ids]  # type: ignore[union-attr]
        assert channels == ["small", "small", "spare"]
        await relay.poll_until_done(ids[0])  # small has room again
        later = await relay.submit(account)
        await relay.send()
        assert (await relay.jobs.job(later)).channel == "small"  # type: ignore[union-attr]


async def test_the_channels_provider_shares_the_registrys_offline_engine(
    services: Services,
) -> None:
    registry = services.provider_registry()
    try:
        router = registry.get("channels")
        assert isinstance(router, ChannelRouter)
        # one LocalProvider per process, so one render pool whichever route a task took
        assert router._local_provider() is registry.get("local")
    finally:
        await registry.close()
