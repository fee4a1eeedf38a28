"""POST /suno/submit/concat: an engine extension chain joined into one clip, over HTTP."""

from __future__ import annotations

import uuid
import wave
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest

from songgate.clock import ManualClock
from songgate.domain import task as rules
from songgate.domain.accounts import Account
from songgate.domain.results import ClipOutput, MusicResult
from songgate.domain.submit import parse_music
from songgate.engine.encode.audio import write_wav
from songgate.media.names import names_for
from songgate.providers.base import ProviderContext
from songgate.providers.local import LocalProvider
from songgate.wiring import Services, stores_of
from tests.api.test_tasks_api import fetch
from tests.support.providers import write_playable

RATE = 44_100


async def finished(services: Services, account: Account, clock: ManualClock,
                   body: dict[str, Any]) -> str:
    """A committed MUSIC task made to succeed; returns its first clip's id."""
    task_id = str(uuid.uuid4())
    provider = f"p-{task_id[:8]}"
    task = rules.new_music_task(
        task_id=task_id, account_id=account.id, owner=account.owner, spec=parse_music(body),
        clip_ids=[str(uuid.uuid4()) for _ in "ab"], provider=provider, now=clock.now(),
        max_attempts=1, timeout_seconds=10**9)
    tasks = stores_of(services).tasks
    await tasks.insert(task)
    [held] = await tasks.claim(now=clock.now(), lease_seconds=60, limit=1, providers=[provider])
    outputs = tuple(ClipOutput(c, "https://m/a.mp3", "https://m/i.jpeg", "https://m/il.jpeg",
                               "", 12.0, title="Neon") for c in held.clip_ids)
    await tasks.succeed(task_id, held.lease_token or "", MusicResult(outputs), now=clock.now())
    return held.clip_ids[0]


async def engine_files(services: Services, clip_id: str, tmp_path: Path) -> np.ndarray:
    """What the engine publishes for a clip: audio, covers, and its sidecar."""
    audio = 0.1 * np.sin(2 * np.pi * 220 * np.arange(RATE * 3) / RATE)
    write_wav(audio, RATE, tmp_path / "song.wav")
    write_playable(tmp_path, clip_id, pitch=220)
    names = names_for(clip_id)
    await services.media.publish(tmp_path / "song.wav", names.wav)
    for name in (names.image, names.image_large, names.audio):
        await services.media.publish(tmp_path / name, name)
    await services.media.write_meta(clip_id, {"tags": "synthwave", "negative_tags": "",
                                              "style_seed": 7, "seed": 7, "singer": "f"})
    return audio


async def test_a_chain_becomes_one_concat_clip(
    client: httpx.AsyncClient, services: Services, account: Account, clock: ManualClock,
    tmp_path: Path,
) -> None:
    first = await finished(services, account, clock, {"prompt": "la", "title": "Neon"})
    second = await finished(services, account, clock, {"prompt": "la la", "title": "Neon",
                                                       "continue_clip_id": first,
                                                       "continue_at": 6})
    last = await finished(services, account, clock, {"prompt": "la la la", "title": "Neon",
                                                     "continue_clip_id": second,
                                                     "continue_at": 9.5})
    await engine_files(services, last, tmp_path)
    answer = await client.post("/suno/submit/concat", json={"clip_id": last, "is_infill": False})
    assert answer.status_code == 200, answer.text
    task_id = answer.json()["data"]
    [task] = await fetch(client, ids=[task_id])
    assert task["action"] == "CONCAT" and task["status"] == "SUBMITTED"
    [clip] = task["data"]  # type: ignore[misc]
    metadata = clip["metadata"]
    assert metadata["type"] == "concat" and clip["title"] == "Neon"
    assert [(p["id"], p["continue_at"]) for p in metadata["concat_history"]] == [
        (first, None), (second, 6), (last, 9.5)]

    tasks = stores_of(services).tasks
    [held] = await tasks.claim(now=clock.now(), lease_seconds=60, limit=1)
    assert held.id == task_id
    from songgate.worker.runner import provider_task

    async def sink(fraction: float, finished: Any = ()) -> None:
        return None

    result = await LocalProvider(ProviderContext(media=services.media)).run(
        provider_task(held), sink)
    assert isinstance(result, MusicResult)
    await tasks.succeed(task_id, held.lease_token or "", result, now=clock.now())
    [done] = await fetch(client, ids=[task_id])
    [joined] = done["data"]  # type: ignore[misc]
    assert done["status"] == "SUCCESS" and joined["status"] == "complete"
    assert joined["metadata"]["duration"] == 3.0 and joined["metadata"]["type"] == "concat"
    assert joined["audio_url"].endswith(f"/media/{joined['id']}.mp3")
    wav = services.media.path(names_for(joined["id"]).wav)  # type: ignore[attr-defined]
    source = services.media.path(names_for(last).wav)  # type: ignore[attr-defined]
    assert wav.read_bytes() == source.read_bytes()  # the whole song, unchanged: no seam
    with wave.open(str(wav)) as read:
        assert read.getnframes() == RATE * 3
    assert (await client.get(f"/media/{joined['id']}.mp3")).status_code == 200
    assert await services.media.read_meta(joined["id"]) is not None


@pytest.mark.parametrize(("case", "status", "code", "message"), [
    ("unknown", 404, "clip_not_exist", "clip_id names no clip of this account"),
    ("not_extension", 400, "invalid_request",
     "clip_id is not an extension: a concat joins the parts of an extension chain, named "
     "by its last clip"),
    ("relayed", 400, "invalid_request",
     "clip_id names a clip this server's engine did not make: only the engine's extension "
     "chains can be joined here"),
    ("blank", 400, "prompt_empty", "clip_id is empty: name the last clip of an extension chain"),
])
async def test_refused_concats_make_and_charge_nothing(
    client: httpx.AsyncClient, services: Services, account: Account, clock: ManualClock,
    case: str, status: int, code: str, message: str,
) -> None:
    first = await finished(services, account, clock, {"prompt": "la"})
    extension = await finished(services, account, clock, {"prompt": "la", "continue_clip_id":
                                                          first, "continue_at": 3})
    clip_id = {"unknown": str(uuid.uuid4()), "not_extension": first, "relayed": extension,
               "blank": " "}[case]
    answer = await client.post("/suno/submit/concat", json={"clip_id": clip_id})
    assert answer.status_code == status
    assert answer.json() == {"code": code, "message": message, "data": None}
    listed = (await client.get("/songgate/tasks?action=concat")).json()["data"]
    assert listed["tasks"] == []


def test_concat_has_its_own_price_key() -> None:
    from songgate.domain.credits import Prices
    from songgate.domain.status import Action

    prices = Prices({"MUSIC": "10", "CONCAT": "2"})
    assert (prices.price(Action.CONCAT), prices.price(Action.MUSIC)) == (2, 10)


async def test_the_client_submits_a_concat(
    services: Services, account: Account, clock: ManualClock, token: str, tmp_path: Path,
) -> None:
    from songgate.api.app import create_app
    from songgate.client import AsyncSongClient

    first = await finished(services, account, clock, {"prompt": "la"})
    last = await finished(services, account, clock, {"prompt": "la", "continue_clip_id": first,
                                                     "continue_at": 3})
    await engine_files(services, last, tmp_path)
    transport = httpx.ASGITransport(app=create_app(services))
    async with AsyncSongClient("http://songgate.test", token, transport=transport) as client:
        task_id = await client.submit_concat(last)
        [task] = await client.fetch([task_id])
    assert task.action == "CONCAT" and len(task.clips) == 1
