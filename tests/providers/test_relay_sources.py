"""Covers, upload extensions, replaced spans and added parts of relayed clips, through
HTTP, on SQLite and PostgreSQL: the channel that made the clip is asked under its own
ids (``suno-task``: the music submit's ``task``; ``sunoapi-v1``: its upload-cover,
upload-extend, replace-section, add-vocals and add-instrumental routes, with the clip's
audio URL as the upstream gives it), over real HTTP to fake upstreams on loopback, and
what it makes becomes the task's clips, media copied here. A clip of this server's own
stays with the engine; what cannot be asked is refused with the reason, free.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from songgate.clock import ManualClock
from songgate.config import Settings
from songgate.domain import task as rules
from songgate.domain.accounts import Account
from songgate.domain.results import ClipOutput, MusicResult
from songgate.domain.submit import parse_music
from songgate.errors import FinalProviderError, RetryableProviderError
from songgate.store.channels import ChannelStore
from songgate.wiring import Services, stores_of
from tests.support.fake_upstream import FakeUpstream
from tests.support.relay_harness import MUSIC, Relay, relay, up  # noqa: F401 (fixtures)
from tests.support.relay_harness import answered_data as _data
from tests.support.relay_harness import relayed_to_success as _finished

PRICE = 5
FUNDS = 100


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(
        data_dir=tmp_path, database_url=database_url, token_cache_seconds=0,
        progress_write_interval_seconds=0, retry_delay_seconds=0, worker_concurrency=4,
        public_url="http://songgate.test", relay_timeout_seconds=1.0,
        relay_breaker_failures=2, relay_breaker_cooldown_seconds=60, relay_missing_polls=3,
        relay_poll_interval_seconds=5, relay_batch_size=100, task_timeout_seconds=600,
        prices={"MUSIC": str(PRICE)},
        # new songs of this model are routed to the engine; tasks on relayed clips are not
        routes={"MUSIC": "channels", "LYRICS": "channels", "MUSIC/chirp-v3-5": "local"},
    )


async def _relayed_clip(relay: Relay, client: httpx.AsyncClient,  # noqa: F811
                        services: Services, account: Account,
                        up: FakeUpstream) -> dict[str, Any]:  # noqa: F811
    await stores_of(services).credits.topup(account.id, FUNDS, "test",
                                            now=services.clock.now())
    await relay.add(up, media="copy", trusted=True)
    music_id = await _data(await client.post("/suno/submit/music", json=MUSIC))
    clip: dict[str, Any] = (await _finished(relay, client, music_id))["data"][0]
    return clip


# each action: the body (the clip filled in), then what each protocol is asked
ACTIONS: dict[str, dict[str, Any]] = {
    "cover": {"task": "cover", "cover_clip_id": "CLIP", "tags": "bossa nova"},
    "upload_extend": {"task": "upload_extend", "continue_clip_id": "CLIP", "continue_at": 30,
                      "prompt": "[Verse]\nmore rain", "tags": "synthwave"},
    "infill": {"task": "infill", "continue_clip_id": "CLIP", "continue_at": 20,
               "infill_start_s": 20, "infill_end_s": 40, "prompt": "[Verse]\nnew words",
               "tags": "synthwave"},
    "add_vocals": {"task": "add_vocals", "continue_clip_id": "CLIP",
                   "prompt": "[Verse]\nsing this", "tags": "soul"},
    "add_instrumental": {"task": "add_instrumental", "continue_clip_id": "CLIP",
                         "tags": "string quartet"},
}
V1_ROUTES = {"cover": "upload-cover", "upload_extend": "upload-extend",
             "infill": "replace-section", "add_vocals": "add-vocals",
             "add_instrumental": "add-instrumental"}


def _filled(body: dict[str, Any], clip_id: str) -> dict[str, Any]:
    return {k: clip_id if v == "CLIP" else v for k, v in body.items()}


def _check_suno_task(action: str, sent: dict[str, Any], upstream_clip: str) -> None:
    assert sent["task"] == action
    if action == "cover":
        assert sent["cover_clip_id"] == upstream_clip and "continue_clip_id" not in sent
        assert sent["prompt"] == MUSIC["prompt"]  # the song's own words, sung again
        assert sent["title"] == "Rain" and sent["tags"] == "bossa nova"
        return
    assert sent["continue_clip_id"] == upstream_clip
    if action == "upload_extend":
        assert sent["continue_at"] == 30
    elif action == "infill":
        assert (sent["continue_at"], sent["infill_start_s"], sent["infill_end_s"]) == (20, 20, 40)
    else:
        assert "continue_at" not in sent and sent["tags"] == ACTIONS[action]["tags"]


def _check_sunoapi(action: str, sent: dict[str, Any], upstream_task: str,
                   upstream_clip: str, up: FakeUpstream) -> None:  # noqa: F811
    if action == "infill":
        assert (sent["taskId"], sent["audioId"]) == (upstream_task, upstream_clip)
        assert (sent["infillStartS"], sent["infillEndS"]) == (20, 20 + 20)
        assert sent["prompt"] == "[Verse]\nnew words"
        return
    # the clip's audio as the upstream gives it, never this server's copy
    assert sent["uploadUrl"] == f"{up.url}/files/{upstream_clip}.mp3"
    if action == "cover":
        assert sent["customMode"] is True and sent["style"] == "bossa nova"
        assert sent["prompt"] == MUSIC["prompt"] and sent["title"] == "Rain"
    elif action == "upload_extend":
        assert sent["continueAt"] == 30 and sent["defaultParamFlag"] is True
    elif action == "add_vocals":
        assert sent["prompt"] == "[Verse]\nsing this" and sent["style"] == "soul"
    else:
        assert sent["tags"] == "string quartet"


@pytest.mark.parametrize("action", list(ACTIONS))
async def test_an_action_on_a_relayed_clip_is_made_by_its_channel(
    relay: Relay, client: httpx.AsyncClient, account: Account,  # noqa: F811
    up: FakeUpstream, services: Services, action: str,  # noqa: F811
) -> None:
    clip = await _relayed_clip(relay, client, services, account, up)
    source = await relay.jobs.clip_source(clip["id"])
    assert source is not None and source.upstream_task == up.submissions[0]["task_id"]

    task_id = await _data(await client.post("/suno/submit/music",
                                            json=_filled(ACTIONS[action], clip["id"])))
    made = await _finished(relay, client, task_id)
    sent = up.submissions[-1]
    if up.protocol == "suno-task":
        assert sent["path"] == "/suno/submit/music"
        _check_suno_task(action, sent["json"], source.upstream_clip)
    else:
        assert sent["path"] == f"/api/v1/generate/{V1_ROUTES[action]}"
        _check_sunoapi(action, sent["json"], source.upstream_task, source.upstream_clip, up)
    assert source.upstream_clip != clip["id"]  # the upstream's own id for our clip
    # what the upstream made is the task's two clips, served from here
    assert len(made["data"]) == 2
    for got in made["data"]:
        assert got["status"] == "complete"
        assert got["audio_url"] == f"http://songgate.test/media/{got['id']}.mp3"
        copied = await client.get(got["audio_url"].removeprefix("http://songgate.test"))
        assert copied.status_code == 200 and copied.content.startswith(b"ID3")
        assert await relay.jobs.clip_origin(got["id"]) is not None  # its own next actions
    assert await stores_of(services).credits.balance(account.id) == FUNDS - 2 * PRICE


async def test_an_upstream_that_refuses_the_action_fails_the_task(
    relay: Relay, client: httpx.AsyncClient, account: Account,  # noqa: F811
    up: FakeUpstream, services: Services,  # noqa: F811
) -> None:
    clip = await _relayed_clip(relay, client, services, account, up)
    task_id = await _data(await client.post("/suno/submit/music", json={
        "task": "add_vocals", "continue_clip_id": clip["id"], "prompt": "REFUSE"}))
    with pytest.raises(FinalProviderError, match="refused the task"):
        await relay.run(await relay.claim())
    assert (await relay.jobs.job(task_id)) is None  # the upstream holds nothing


async def test_a_clip_whose_channel_is_gone_is_refused_and_costs_nothing(
    relay: Relay, client: httpx.AsyncClient, account: Account,  # noqa: F811
    up: FakeUpstream, services: Services,  # noqa: F811
) -> None:
    clip = await _relayed_clip(relay, client, services, account, up)
    assert await ChannelStore(stores_of(services).database).remove("up")
    before = await stores_of(services).credits.balance(account.id)
    for action, body in ACTIONS.items():
        answer = await client.post("/suno/submit/music", json=_filled(body, clip["id"]))
        assert answer.status_code == 400, (action, answer.text)
        assert answer.json()["code"] == "clip_action_refused"
        assert "made by the upstream channel up, which is no longer configured" in (
            answer.json()["message"])
    assert await stores_of(services).credits.balance(account.id) == before
    listed = (await client.get("/songgate/tasks?action=music")).json()["data"]
    assert len(listed["tasks"]) == 1  # the song itself, nothing after it


async def _local_clip(services: Services, account: Account, clock: ManualClock) -> str:
    """A complete clip of this server's own (no upstream made it), 100 s long."""
    task_id = str(uuid.uuid4())
    provider = f"p-{task_id[:8]}"
    task = rules.new_music_task(
        task_id=task_id, account_id=account.id, owner=account.owner,
        spec=parse_music({"prompt": "la la", "tags": "synthwave"}),
        clip_ids=[str(uuid.uuid4()) for _ in "ab"], provider=provider, now=clock.now(),
        max_attempts=1, timeout_seconds=10**9)
    tasks = stores_of(services).tasks
    await tasks.insert(task)
    [held] = await tasks.claim(now=clock.now(), lease_seconds=60, limit=1, providers=[provider])
    outputs = tuple(ClipOutput(c, "https://m/a.mp3", "https://m/i.jpeg", "https://m/il.jpeg",
                               "", 100.0, title="Neon") for c in held.clip_ids)
    await tasks.succeed(task_id, held.lease_token or "", MusicResult(outputs), now=clock.now())
    return held.clip_ids[0]


@pytest.mark.parametrize("action", ["cover", "upload_extend", "infill"])
async def test_a_clip_of_this_servers_own_stays_with_the_engine(
    relay: Relay, client: httpx.AsyncClient, account: Account,  # noqa: F811
    up: FakeUpstream, services: Services, clock: ManualClock, action: str,  # noqa: F811
) -> None:
    """Only upstream channels configured: a task on a local clip is still the engine's
    (here it finds no audio of the clip, this test having made none), never sent up."""
    await stores_of(services).credits.topup(account.id, FUNDS, "test", now=clock.now())
    await relay.add(up)
    clip_id = await _local_clip(services, account, clock)
    answer = await client.post("/suno/submit/music", json=_filled(ACTIONS[action], clip_id))
    assert answer.status_code == 200, answer.text
    with pytest.raises(FinalProviderError, match=r"clip to (cover|extend)"):
        await relay.run(await relay.claim())
    assert up.submissions == []


async def test_the_dialects_replace_section_of_a_relayed_clip(
    relay: Relay, client: httpx.AsyncClient, account: Account,  # noqa: F811
    up: FakeUpstream, services: Services,  # noqa: F811
) -> None:
    """sunoapi.org's replace-section served here, on a clip an upstream made: its channel
    replaces the span."""
    clip = await _relayed_clip(relay, client, services, account, up)
    source = await relay.jobs.clip_source(clip["id"])
    assert source is not None
    made = (await client.post("/api/v1/generate/replace-section", json={
        "taskId": "ours", "audioId": clip["id"], "prompt": "[Verse]\nbrand new",
        "tags": "synthwave", "title": "Rain", "infillStartS": 10, "infillEndS": 25})).json()
    assert made["code"] == 200, made
    await _finished(relay, client, made["data"]["taskId"])
    sent = up.submissions[-1]["json"]
    if up.protocol == "suno-task":
        assert (sent["task"], sent["continue_clip_id"]) == ("infill", source.upstream_clip)
        assert (sent["infill_start_s"], sent["infill_end_s"]) == (10, 25)
    else:
        assert (sent["taskId"], sent["audioId"]) == (source.upstream_task,
                                                     source.upstream_clip)
        assert (sent["infillStartS"], sent["infillEndS"]) == (10, 25)


async def test_a_clip_the_upstream_no_longer_gives_fails_the_task(
    relay: Relay, client: httpx.AsyncClient, account: Account,  # noqa: F811
    up: FakeUpstream, services: Services,  # noqa: F811
) -> None:
    """sunoapi-v1 sends a clip's audio by the URL its record gives: a record the upstream
    has forgotten gives none, and asking again cannot help."""
    if up.protocol != "sunoapi-v1":
        pytest.skip("only sunoapi-v1 names a clip's audio by URL")
    clip = await _relayed_clip(relay, client, services, account, up)
    up.forget(up.submissions[0]["task_id"])
    await _data(await client.post("/suno/submit/music", json=_filled(ACTIONS["cover"],
                                                                     clip["id"])))
    with pytest.raises(FinalProviderError, match="gives no audio for its clip"):
        await relay.run(await relay.claim())
    assert len(up.submissions) == 1  # only the song: nothing was submitted for the cover


async def test_a_relayed_clip_goes_to_its_channel_whatever_the_route_and_waits_for_it(
    relay: Relay, client: httpx.AsyncClient, account: Account,  # noqa: F811
    up: FakeUpstream, services: Services,  # noqa: F811
) -> None:
    clip = await _relayed_clip(relay, client, services, account, up)
    await stores_of(services).channels.set_enabled("up", False, now=services.clock.now())
    relay.context.catalog.forget()
    task_id = await _data(await client.post("/suno/submit/music", json={
        **_filled(ACTIONS["cover"], clip["id"]), "mv": "chirp-v3-5"}))
    assert (await relay.task(task_id)).provider == "channels"  # not the route's engine
    with pytest.raises(RetryableProviderError, match="clip to cover cannot take tasks"):
        await relay.run(await relay.claim())
    assert len(up.submissions) == 1
