"""Submit and fetch through the app, with the rules of DESIGN.md section 1."""

from __future__ import annotations

import uuid

import httpx
import pytest

from songgate.clock import ManualClock
from songgate.domain.accounts import Account
from songgate.wiring import Services, stores_of
from tests.domain.test_ids import id_millis

SEED_TASK_KEYS = ["task_id", "action", "status", "fail_reason", "submit_time", "start_time",
                  "finish_time", "progress", "data"]


async def submit(client: httpx.AsyncClient, action: str = "music", **body: object) -> str:
    response = await client.post(f"/suno/submit/{action}", json=body or {"prompt": "la la"})
    assert response.status_code == 200, response.text
    envelope = response.json()
    assert envelope["code"] == "success" and envelope["message"] == ""
    assert isinstance(envelope["data"], str)
    return str(envelope["data"])


async def fetch(client: httpx.AsyncClient, **body: object) -> list[dict[str, object]]:
    response = await client.post("/suno/fetch", json=body)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    data = response.json()["data"]
    assert isinstance(data, list)
    return data


@pytest.mark.parametrize("action", ["music", "MUSIC", "Music"])
async def test_action_in_path_is_case_insensitive(
    client: httpx.AsyncClient, action: str
) -> None:
    task_id = await submit(client, action, prompt="hello")
    [task] = await fetch(client, ids=[task_id])
    assert task["action"] == "MUSIC"


async def test_music_task_has_two_full_clips_from_submission(
    client: httpx.AsyncClient, account: Account, clock: ManualClock
) -> None:
    task_id = await submit(client, prompt="[Verse]\nhi", tags="heartfelt salsa", title="快乐周末",
                           mv="chirp-v3-5")
    [task] = await fetch(client, ids=[task_id])
    assert list(task) == SEED_TASK_KEYS
    assert task["status"] == "SUBMITTED" and task["progress"] == "0%"
    assert task["submit_time"] == int(clock.now()) and task["start_time"] == 0
    clips = task["data"]
    assert isinstance(clips, list) and len(clips) == 2 and clips[0]["id"] != clips[1]["id"]
    for clip in clips:
        assert clip["status"] == "submitted" and clip["title"] == "快乐周末"
        assert clip["user_id"] == account.id and clip["handle"] == "alice"
        assert clip["model_name"] == "chirp-v3" and clip["major_model_version"] == "v3.5"
        assert clip["metadata"]["tags"] == "heartfelt salsa"
        assert clip["metadata"]["duration"] is None and clip["metadata"]["type"] == "gen"


async def test_batch_fetch_rules(
    services: Services, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    a = await submit(client, prompt="a")
    b = await submit(client, prompt="b")
    lyrics = await submit(client, "lyrics", prompt="a happy weekend")
    bob = await stores_of(services).accounts.create_account("bob", now=clock.now())
    _, bob_secret = await stores_of(services).accounts.create_token(bob, name="t", now=clock.now())
    foreign = await submit_as(client, bob_secret)

    ids = [b, "unknown", a, foreign, b, lyrics, a]
    assert [t["task_id"] for t in await fetch(client, ids=ids)] == [b, a, lyrics]
    assert [t["task_id"] for t in await fetch(client, ids=ids, action="MUSIC")] == [b, a]
    assert [t["task_id"] for t in await fetch(client, ids=ids, action="lyrics")] == [lyrics]
    assert await fetch(client, ids=[]) == []
    assert await fetch(client, ids=[], action="MUSIC") == []


async def submit_as(client: httpx.AsyncClient, secret: str) -> str:
    response = await client.post("/suno/submit/music", json={"prompt": "x"},
                                 headers={"Authorization": f"Bearer {secret}"})
    return str(response.json()["data"])


async def test_fetch_one(
    services: Services, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    task_id = await submit(client, "lyrics", prompt="summer night")
    response = await client.get(f"/suno/fetch/{task_id}")
    body = response.json()
    assert body["code"] == "success" and body["data"]["task_id"] == task_id
    assert body["data"]["data"] == {
        "id": body["data"]["data"]["id"], "text": "", "title": "", "status": "submitted"}
    missing = await client.get("/suno/fetch/nope")
    assert missing.status_code == 404 and missing.json()["code"] == "task_not_exist"
    bob = await stores_of(services).accounts.create_account("bob", now=clock.now())
    _, secret = await stores_of(services).accounts.create_token(bob, name="t", now=clock.now())
    foreign = await client.get(f"/suno/fetch/{task_id}",
                               headers={"Authorization": f"Bearer {secret}"})
    assert foreign.status_code == 404 and foreign.json()["code"] == "task_not_exist"
    long = await client.get("/suno/fetch/" + "x" * 300)
    assert long.status_code == 404


async def test_submitted_task_is_durable_before_the_answer(
    services: Services, client: httpx.AsyncClient
) -> None:
    task_id = await submit(client, prompt="la")
    stored = await stores_of(services).tasks.get(task_id)
    assert stored is not None and stored.request["prompt"] == "la"


async def test_continuation_needs_a_complete_clip_of_the_account(
    client: httpx.AsyncClient
) -> None:
    response = await client.post("/suno/submit/music", json={
        "prompt": "more", "continue_clip_id": "nope", "continue_at": 10})
    assert response.status_code == 400 and "continue_clip_id" in response.json()["message"]
    task_id = await submit(client, prompt="la")
    [task] = await fetch(client, ids=[task_id])
    clip_id = task["data"][0]["id"]  # type: ignore[index]
    response = await client.post("/suno/submit/music", json={
        "prompt": "more", "continue_clip_id": clip_id, "continue_at": 10})
    assert response.status_code == 400 and "not complete" in response.json()["message"]


async def test_health_ready_and_metrics(client: httpx.AsyncClient) -> None:
    await submit(client, prompt="la")
    assert (await client.get("/healthz")).json()["data"] == {"status": "ok"}
    assert (await client.get("/readyz")).json()["data"] == {"status": "ready"}
    metrics = (await client.get("/metrics")).text
    assert 'songgate_tasks{status="SUBMITTED"} 1.0' in metrics
    assert "songgate_queue_depth 1.0" in metrics
    assert 'songgate_http_requests_total{method="POST",route="/suno/submit/{action}",' \
           'status="200"} 1.0' in metrics


async def test_request_id_is_echoed_or_made(client: httpx.AsyncClient) -> None:
    given = await client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert given.headers["x-request-id"] == "abc-123"
    made = await client.get("/healthz", headers={"X-Request-ID": "bad id with spaces"})
    assert len(made.headers["x-request-id"]) == 32


async def test_continuation_bounds_and_ownership(
    services: Services, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    from songgate.domain.results import ClipOutput, MusicResult

    task_id = await submit(client, prompt="la")
    [held] = await stores_of(services).tasks.claim(now=clock.now(), lease_seconds=30, limit=1)
    outputs = tuple(ClipOutput(c, "a", "i", "il", "v", 60.0) for c in held.clip_ids)
    await stores_of(services).tasks.succeed(task_id, held.lease_token or "", MusicResult(outputs),
                                 now=clock.now())
    clip_id = held.clip_ids[0]
    beyond = await client.post("/suno/submit/music", json={
        "prompt": "more", "continue_clip_id": clip_id, "continue_at": 61})
    assert beyond.status_code == 400
    assert beyond.json()["message"] == "continue_at is 61 s but the clip lasts 60 s"
    ok = await submit(client, prompt="more", continue_clip_id=clip_id, continue_at=30)
    [extension] = await fetch(client, ids=[ok])
    history = extension["data"][0]["metadata"]["history"]  # type: ignore[index]
    assert history == [{"id": clip_id, "continue_at": 30.0, "type": "gen", "source": "api",
                        "infill": False}]
    bob = await stores_of(services).accounts.create_account("bob", now=clock.now())
    _, secret = await stores_of(services).accounts.create_token(bob, name="t", now=clock.now())
    foreign = await client.post(
        "/suno/submit/music", headers={"Authorization": f"Bearer {secret}"},
        json={"prompt": "mine now", "continue_clip_id": clip_id, "continue_at": 10})
    assert foreign.status_code == 400
    assert foreign.json()["message"] == "continue_clip_id does not name a clip of this account"


async def test_task_ids_sort_by_submission_and_clip_ids_stay_random(
    client: httpx.AsyncClient, clock: ManualClock
) -> None:
    first = await submit(client, prompt="one")
    clock.advance(0.002)
    second = await submit(client, "lyrics", prompt="two")
    clock.advance(0.002)
    third = await submit(client, prompt="three")
    assert first < second < third
    assert uuid.UUID(first).version == 7
    assert abs(id_millis(first) - (clock.now() - 0.004) * 1000) <= 1
    [task] = await fetch(client, ids=[third])
    clips = task["data"]
    assert isinstance(clips, list)
    assert [uuid.UUID(clip["id"]).version for clip in clips] == [4, 4]  # public media names
