"""Covers of uploads in-process on both databases: the gateway's ``cover_clip_id`` and
sunoapi.org's ``upload-cover``, charged as a MUSIC task; every refusal free and answered
before anything is stored."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from songgate.api.app import create_app
from songgate.clock import ManualClock
from songgate.config import Settings
from songgate.domain.accounts import Account
from songgate.domain.credits import Prices
from songgate.service.uploads import UploadService
from songgate.wiring import Services, stores_of, upload_settings
from tests.support.file_server import FileServer
from tests.support.settings import scripted_settings
from tests.uploads.audio_files import tone

NAMES = {"files.test": ["127.0.0.1"]}
UPLOAD_PRICE, MUSIC_PRICE = 3, 10


async def fake_resolver(host: str, port: int) -> list[str]:
    if host not in NAMES:
        raise OSError("no such name")
    return NAMES[host]


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return scripted_settings(tmp_path, database_url, upload_allowed_networks=("127.0.0.1/32",),
                             public_url="http://songgate.test",
                             prices={"UPLOAD": str(UPLOAD_PRICE), "MUSIC": str(MUSIC_PRICE)})


@pytest.fixture
async def client(services: Services, token: str) -> AsyncIterator[httpx.AsyncClient]:
    await services.uploads.close()
    stores = stores_of(services)
    services.uploads = UploadService(
        stores.tasks, stores.uploads, stores.accounts, services.media,
        Prices(services.settings.prices), services.clock, upload_settings(services.settings),
        resolver=fake_resolver)
    transport = httpx.ASGITransport(app=create_app(services))
    async with httpx.AsyncClient(transport=transport, base_url="http://songgate.test",
                                 headers={"Authorization": f"Bearer {token}"}) as http:
        yield http


@pytest.fixture
async def funded(services: Services, account: Account, clock: ManualClock) -> Account:
    await stores_of(services).credits.topup(account.id, 100, "test", now=clock.now())
    return account


@pytest.fixture
def files(tmp_path: Path) -> Iterator[FileServer]:
    with FileServer() as server:
        server.add("song.mp3", tone(tmp_path / "song.mp3"))
        yield server


def _url(files: FileServer) -> str:
    return f"{files.url}/f/song.mp3"


async def _balance(services: Services, account: Account) -> int:
    return await stores_of(services).credits.balance(account.id)


async def _task(client: httpx.AsyncClient, task_id: str) -> dict[str, Any]:
    fetched = await client.post("/suno/fetch", json={"ids": [task_id]})
    [task] = fetched.json()["data"]
    found: dict[str, Any] = task
    return found


async def test_an_upload_is_covered_as_an_instrumental_when_no_words_are_given(
    client: httpx.AsyncClient, services: Services, funded: Account, files: FileServer,
) -> None:
    made = (await client.post("/suno/uploads/audio-url",
                              json={"url": _url(files)})).json()["data"]
    answer = await client.post("/suno/submit/music", json={
        "task": "cover", "continue_clip_id": made["clip_id"], "tags": "bossa nova"})
    assert answer.status_code == 200, answer.text
    task = await _task(client, answer.json()["data"])
    assert task["action"] == "MUSIC" and len(task["data"]) == 2
    for clip in task["data"]:
        metadata = clip["metadata"]
        assert metadata["task"] == "cover" and metadata["cover_clip_id"] == made["clip_id"]
        assert metadata["prompt"] == "" and metadata["history"] is None
        assert clip["title"] == "song"  # the upload's
    assert await _balance(services, funded) == 100 - UPLOAD_PRICE - MUSIC_PRICE


async def test_covers_of_what_cannot_be_covered_are_refused_free(
    client: httpx.AsyncClient, services: Services, funded: Account, files: FileServer,
    clock: ManualClock,
) -> None:
    running = await client.post("/suno/submit/music", json={"prompt": "la la", "tags": "pop"})
    running_clip = (await _task(client, running.json()["data"]))["data"][0]["id"]
    made = (await client.post("/suno/uploads/audio-url",
                              json={"url": _url(files)})).json()["data"]
    other = await stores_of(services).accounts.create_account("other", now=clock.now())
    _, foreign = await stores_of(services).accounts.create_token(other, name="t",
                                                                 now=clock.now())
    before = await _balance(services, funded)
    for body, status, problem in (
        ({"cover_clip_id": running_clip, "tags": "rock"}, 400, "not complete"),
        ({"cover_clip_id": "00000000-0000-4000-8000-000000000000"}, 404, "no clip"),
        ({"cover_clip_id": made["clip_id"], "continue_at": 3}, 400, "no continue_at"),
        ({"task": "cover", "tags": "rock"}, 400, "needs the clip to cover"),
    ):
        refused = await client.post("/suno/submit/music", json=body)
        assert refused.status_code == status and problem in refused.json()["message"], body
    refused = await client.post("/suno/submit/music", json={"cover_clip_id": made["clip_id"]},
                                headers={"Authorization": f"Bearer {foreign}"})
    assert refused.status_code == 404 and refused.json()["code"] == "clip_not_exist"
    assert await _balance(services, funded) == before


async def test_sunoapi_upload_cover_uploads_then_covers(
    client: httpx.AsyncClient, services: Services, funded: Account, files: FileServer,
) -> None:
    answer = await client.post("/api/v1/generate/upload-cover", json={
        "uploadUrl": _url(files), "customMode": True, "style": "lofi",
        "prompt": "[Verse]\nnew words for an old tune", "title": "Again", "model": "V4"})
    assert answer.status_code == 200 and answer.json()["code"] == 200, answer.text
    task = await _task(client, answer.json()["data"]["taskId"])
    [first, _] = task["data"]
    assert first["metadata"]["task"] == "cover" and first["title"] == "Again"
    assert first["metadata"]["prompt"] == "[Verse]\nnew words for an old tune"
    upload = await stores_of(services).tasks.clip_task(funded.id,
                                                       first["metadata"]["cover_clip_id"])
    assert upload is not None and upload.action.value == "UPLOAD"
    assert await _balance(services, funded) == 100 - UPLOAD_PRICE - MUSIC_PRICE
    counts = await stores_of(services).tasks.count_by_status()
    refused = await client.post("/api/v1/generate/upload-cover", json={
        "uploadUrl": _url(files), "customMode": True, "style": "lofi"})
    assert refused.json()["code"] == 400 and "prompt" in refused.json()["msg"]
    missing = await client.post("/api/v1/generate/upload-cover", json={"prompt": "a song"})
    assert missing.json()["code"] == 400 and "uploadUrl" in missing.json()["msg"]
    assert await stores_of(services).tasks.count_by_status() == counts  # nothing stored
