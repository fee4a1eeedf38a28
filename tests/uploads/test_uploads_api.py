"""Uploads through real HTTP: by URL from a real file server on loopback (its network
allowed the way an operator allows a private file server), and by the file-upload flow;
every refusal answered 400 naming the problem with nothing stored, on both databases."""

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
from songgate.service.uploads import UploadService
from songgate.wiring import Services, stores_of, upload_settings
from tests.support.file_server import FileServer
from tests.support.settings import scripted_settings
from tests.uploads.audio_files import long_tone, picture, silence, tone

MAX_BYTES = 600_000
NAMES = {"files.test": ["127.0.0.1"], "private.test": ["10.0.0.8"],
         "rebound.test": ["192.168.1.20"]}


async def fake_resolver(host: str, port: int) -> list[str]:
    """DNS as the test says: names resolve only here, never through the network."""
    if host not in NAMES:
        raise OSError("no such name")
    return NAMES[host]


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return scripted_settings(tmp_path, database_url, upload_max_bytes=MAX_BYTES,
                             upload_allowed_networks=("127.0.0.1/32",),
                             public_url="http://songgate.test", prices={"UPLOAD": "3"})


@pytest.fixture
async def client(services: Services, token: str) -> AsyncIterator[httpx.AsyncClient]:
    await services.uploads.close()
    stores = stores_of(services)
    services.uploads = UploadService(
        stores.tasks, stores.uploads, stores.accounts, services.media, _prices(services),
        services.clock, upload_settings(services.settings), resolver=fake_resolver)
    transport = httpx.ASGITransport(app=create_app(services))
    async with httpx.AsyncClient(transport=transport, base_url="http://songgate.test",
                                 headers={"Authorization": f"Bearer {token}"}) as http:
        yield http


def _prices(services: Services) -> Any:
    from songgate.domain.credits import Prices
    return Prices(services.settings.prices)


@pytest.fixture
async def funded(services: Services, account: Account, clock: ManualClock) -> Account:
    await stores_of(services).credits.topup(account.id, 100, "test", now=clock.now())
    return account


@pytest.fixture
def files() -> Iterator[FileServer]:
    with FileServer() as server:
        yield server


@pytest.fixture(scope="module")
def audio(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    made = tmp_path_factory.mktemp("audio")
    return {"mp3": tone(made / "a.mp3"), "flac": tone(made / "a.flac", 3.0),
            "ogg": tone(made / "a.ogg"), "silent": silence(made / "s.wav"),
            "long": long_tone(made / "long.mp3", 8 * 60 + 5),
            "png": picture(made / "p.png"), "big": tone(made / "big.wav", 10.0)}


async def stored_task_count(services: Services) -> int:
    counts = await stores_of(services).tasks.count_by_status()
    return sum(counts.values())


def media_files(services: Services) -> list[Path]:
    root = services.settings.resolved_media_dir
    return sorted(p for p in root.rglob("*") if p.is_file() and ".work" not in p.parts
                  and "work" not in p.parts) if root.exists() else []


async def test_a_url_upload_is_a_clip_served_and_fetched_like_any_other(
    client: httpx.AsyncClient, services: Services, funded: Account, files: FileServer,
    audio: dict[str, bytes],
) -> None:
    url = files.add("My%20Song.mp3", audio["mp3"])
    answer = await client.post("/suno/uploads/audio-url", json={"url": url})
    assert answer.status_code == 200, answer.text
    made = answer.json()["data"]
    assert made["id"] == made["clip_id"] and made["status"] == "complete"
    assert 1.9 < made["duration"] < 2.2
    fetched = await client.post("/suno/fetch", json={"ids": [made["task_id"]]})
    [task] = fetched.json()["data"]
    assert task["action"] == "UPLOAD" and task["status"] == "SUCCESS"
    [clip] = task["data"]
    assert clip["id"] == made["clip_id"] and clip["status"] == "complete"
    assert clip["metadata"]["type"] == "upload" and clip["title"] == "My Song"
    assert clip["user_id"] == funded.id
    audio_path = clip["audio_url"].removeprefix("http://songgate.test")
    served = await client.get(audio_path)
    assert served.status_code == 200 and served.headers["content-type"] == "audio/mpeg"
    assert served.content[:3] == b"ID3" or served.content[:2] == b"\xff\xfb"
    wav = await client.get(f"/suno/act/wav/{clip['id']}")
    assert wav.status_code == 200, wav.text
    balance = await stores_of(services).credits.balance(funded.id)
    assert balance == 97  # the price key UPLOAD


@pytest.mark.parametrize("kind", ["flac", "ogg"])
async def test_any_format_ffmpeg_decodes_is_taken(
    client: httpx.AsyncClient, funded: Account, files: FileServer, audio: dict[str, bytes],
    kind: str,
) -> None:
    answer = await client.post("/suno/uploads/audio-url",
                               json={"url": files.add(f"a.{kind}", audio[kind], "audio/x")})
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize(("name", "problem"), [
    ("png", "the file is not audio"), ("text", "the file is not audio"),
    ("empty", "the file is empty"), ("silent", "the audio is silent"),
    ("long", "the audio is too long: more than 8 minutes"),
    ("big", f"the file is too big: more than {MAX_BYTES} bytes"),
])
async def test_bad_files_are_refused_naming_the_problem_and_nothing_is_stored(
    client: httpx.AsyncClient, services: Services, funded: Account, files: FileServer,
    audio: dict[str, bytes], name: str, problem: str,
) -> None:
    made = {"text": b"<html>not a song</html>", "empty": b""}
    body = made[name] if name in made else audio[name]
    answer = await client.post("/suno/uploads/audio-url",
                               json={"url": files.add(name, body)})
    assert answer.status_code == 400, answer.text
    assert answer.json()["code"] == "upload_refused"
    assert answer.json()["message"].startswith(problem)
    assert await stored_task_count(services) == 0 and media_files(services) == []


@pytest.mark.parametrize("url", [
    "http://10.0.0.1/a.mp3", "http://2130706434/a.mp3", "http://0177.0.0.2/a.mp3",
    "http://0x7f.0.0.2/a.mp3", "http://[::ffff:127.0.0.2]/a.mp3", "http://[::1]/a.mp3",
    "http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/",
    "http://100.64.1.1/a.mp3", "http://localhost/a.mp3", "http://private.test/a.mp3",
    "http://rebound.test/a.mp3",
])
async def test_forbidden_addresses_are_refused(
    client: httpx.AsyncClient, services: Services, funded: Account, url: str
) -> None:
    answer = await client.post("/suno/uploads/audio-url", json={"url": url})
    assert answer.status_code == 400 and answer.json()["code"] == "upload_refused"
    assert "url cannot be fetched" in answer.json()["message"]
    assert "forbidden" in answer.json()["message"] or "this machine" in answer.json()["message"]
    assert await stored_task_count(services) == 0


@pytest.mark.parametrize("target", ["http://10.0.0.1/a.mp3", "http://2130706434/a.mp3",
                                    "http://private.test/a.mp3", "http://localhost/a.mp3"])
async def test_redirects_to_forbidden_addresses_are_refused(
    client: httpx.AsyncClient, services: Services, funded: Account, files: FileServer,
    target: str,
) -> None:
    answer = await client.post("/suno/uploads/audio-url",
                               json={"url": f"{files.url}/redirect?to={target}"})
    assert answer.status_code == 400 and answer.json()["code"] == "upload_refused"
    assert len(files.hosts) == 1 and await stored_task_count(services) == 0


async def test_a_name_resolving_to_an_allowed_network_is_fetched_by_its_name(
    client: httpx.AsyncClient, funded: Account, files: FileServer, audio: dict[str, bytes],
) -> None:
    files.add("a.mp3", audio["mp3"])
    answer = await client.post("/suno/uploads/audio-url",
                               json={"url": f"http://files.test:{files.port}/f/a.mp3"})
    assert answer.status_code == 200, answer.text
    assert files.hosts == [f"files.test:{files.port}"]


@pytest.mark.parametrize(("body", "problem"), [
    ({}, "url is empty"), ({"url": ""}, "url is empty"), ({"url": 5}, "url must be"),
    ({"url": "ftp://x/a.mp3"}, "url must be an http or https URL"),
    ({"url": "http://x/" + "a" * 3000}, "url is 3009 characters long"),
])
async def test_bad_bodies_are_refused(client: httpx.AsyncClient, funded: Account,
                                      body: Any, problem: str) -> None:
    answer = await client.post("/suno/uploads/audio-url", json=body)
    assert answer.status_code == 400 and answer.json()["message"].startswith(problem), answer.text


async def test_the_file_upload_flow_makes_the_clip(
    client: httpx.AsyncClient, services: Services, funded: Account, audio: dict[str, bytes],
) -> None:
    begun = await client.post("/suno/uploads/audio", json={"extension": "mp3"})
    assert begun.status_code == 200, begun.text
    target = begun.json()["data"]
    assert target["url"] == f"http://songgate.test/suno/uploads/audio/{target['id']}/file"
    assert target["method"] == "PUT" and target["fields"] == {}
    early = await client.post(f"/suno/uploads/audio/{target['id']}/upload-finish")
    assert early.status_code == 400 and "not been uploaded" in early.json()["message"]
    path = target["url"].removeprefix("http://songgate.test")
    sent = await client.put(path, content=audio["mp3"], headers={"Authorization": ""})
    assert sent.status_code == 200, sent.text
    again = await client.put(path, content=audio["mp3"])
    assert again.status_code == 404  # the id is spent
    done = await client.post(f"/suno/uploads/audio/{target['id']}/upload-finish")
    assert done.status_code == 200, done.text
    made = done.json()["data"]
    fetched = await client.post("/suno/fetch", json={"ids": [made["task_id"]]})
    [clip] = fetched.json()["data"][0]["data"]
    assert clip["id"] == made["clip_id"] and clip["metadata"]["type"] == "upload"


async def test_a_refused_file_leaves_the_upload_waiting_for_another(
    client: httpx.AsyncClient, services: Services, funded: Account, audio: dict[str, bytes],
) -> None:
    target = (await client.post("/suno/uploads/audio", json={"extension": "wav"})).json()["data"]
    path = f"/suno/uploads/audio/{target['id']}/file"
    for body, problem in ((audio["silent"], "the audio is silent"), (b"", "the file is empty"),
                          (audio["png"], "the file is not audio"),
                          (audio["big"], "the file is too big")):
        refused = await client.put(path, content=body)
        assert refused.status_code == 400 and refused.json()["message"].startswith(problem)
    assert await stored_task_count(services) == 0 and media_files(services) == []
    assert (await client.put(path, content=audio["mp3"])).status_code == 200


async def test_uploads_belong_to_their_account(
    client: httpx.AsyncClient, services: Services, funded: Account, clock: ManualClock,
    audio: dict[str, bytes],
) -> None:
    target = (await client.post("/suno/uploads/audio", json={"extension": "mp3"})).json()["data"]
    await client.put(f"/suno/uploads/audio/{target['id']}/file", content=audio["mp3"])
    other = await stores_of(services).accounts.create_account("bob", now=clock.now())
    _, secret = await stores_of(services).accounts.create_token(other, name="b", now=clock.now())
    foreign = await client.post(f"/suno/uploads/audio/{target['id']}/upload-finish",
                                headers={"Authorization": f"Bearer {secret}"})
    assert foreign.status_code == 404 and foreign.json()["code"] == "upload_not_exist"
    unknown = await client.put("/suno/uploads/audio/nope/file", content=b"x")
    assert unknown.status_code == 404
    bad = await client.post("/suno/uploads/audio", json={"extension": "exe"})
    assert bad.status_code == 400 and "extension must be one of" in bad.json()["message"]
    assert (await client.post("/suno/uploads/audio-url", json={"url": "http://x/"},
                              headers={"Authorization": ""})).status_code == 401


async def test_an_upload_is_not_a_submit_action(client: httpx.AsyncClient, funded: Account) -> None:
    answer = await client.post("/suno/submit/upload", json={})
    assert answer.status_code == 400 and answer.json()["code"] == "action_not_supported"


async def test_without_credits_nothing_is_made(
    client: httpx.AsyncClient, services: Services, account: Account, files: FileServer,
    audio: dict[str, bytes],
) -> None:
    answer = await client.post("/suno/uploads/audio-url",
                               json={"url": files.add("a.mp3", audio["mp3"])})
    assert answer.status_code == 403 and answer.json()["code"] == "quota_not_enough"
    assert await stored_task_count(services) == 0 and media_files(services) == []
    target = (await client.post("/suno/uploads/audio", json={"extension": "mp3"})).json()["data"]
    sent = await client.put(f"/suno/uploads/audio/{target['id']}/file", content=audio["mp3"])
    assert sent.status_code == 403 and sent.json()["code"] == "quota_not_enough"
    assert await stored_task_count(services) == 0 and media_files(services) == []


async def test_a_clip_committed_before_a_crash_is_found_by_upload_finish(
    client: httpx.AsyncClient, services: Services, funded: Account, audio: dict[str, bytes],
) -> None:
    """songgate stops after committing the clip, before marking the upload done: the
    upload is left receiving; a fresh service finishes it with that clip, made once."""
    target = (await client.post("/suno/uploads/audio", json={"extension": "mp3"})).json()["data"]
    stores = stores_of(services)
    claimed = await stores.uploads.claim(target["id"], now=services.clock.now())
    assert claimed is not None
    made = await services.uploads.make_clip(claimed, _chunks(audio["mp3"]))
    assert (await stores.uploads.get(target["id"])).state == "receiving"  # type: ignore[union-attr]
    restarted = UploadService(
        stores.tasks, stores.uploads, stores.accounts, services.media, _prices(services),
        services.clock, upload_settings(services.settings), resolver=fake_resolver)
    try:
        done = await restarted.finish(funded, target["id"])
    finally:
        await restarted.close()
    assert (done["clip_id"], done["task_id"]) == (made["clip_id"], made["task_id"])
    again = await client.post(f"/suno/uploads/audio/{target['id']}/upload-finish")
    assert again.status_code == 200 and again.json()["data"]["task_id"] == made["task_id"]
    resent = await client.put(f"/suno/uploads/audio/{target['id']}/file", content=audio["mp3"])
    assert resent.status_code == 404  # done: the id is spent
    assert await stored_task_count(services) == 1
    assert await stores_of(services).credits.balance(funded.id) == 97  # charged once


async def test_a_file_resent_after_a_failure_finds_the_clip_already_made(
    client: httpx.AsyncClient, services: Services, funded: Account, audio: dict[str, bytes],
) -> None:
    """The clip was committed but the upload went back to waiting (its request failed
    after the commit): sending the file again answers that clip, not a second one."""
    target = (await client.post("/suno/uploads/audio", json={"extension": "mp3"})).json()["data"]
    stores = stores_of(services)
    claimed = await stores.uploads.claim(target["id"], now=services.clock.now())
    assert claimed is not None
    made = await services.uploads.make_clip(claimed, _chunks(audio["mp3"]))
    await stores.uploads.release(target["id"])
    resent = await client.put(f"/suno/uploads/audio/{target['id']}/file", content=audio["mp3"])
    assert resent.status_code == 200, resent.text
    done = await client.post(f"/suno/uploads/audio/{target['id']}/upload-finish")
    assert done.json()["data"]["task_id"] == made["task_id"]
    assert await stored_task_count(services) == 1


async def _chunks(body: bytes) -> AsyncIterator[bytes]:
    yield body
