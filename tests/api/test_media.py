"""Media files over HTTP: types, ranges, caching, and nothing outside the media directory."""

from __future__ import annotations

import asyncio
import os
import uuid
from pathlib import Path

import httpx
import pytest
from starlette.types import Message

from songgate.api.media import _response as media_response
from songgate.wiring import Services

CLIP = str(uuid.uuid4())


@pytest.fixture
def mp3(services: Services) -> bytes:
    content = bytes(range(256)) * 40
    services.media.root.mkdir(parents=True, exist_ok=True)
    (services.media.root / f"{CLIP}.mp3").write_bytes(content)
    return content


async def test_whole_file_with_type_and_cache_headers(
    client: httpx.AsyncClient, mp3: bytes
) -> None:
    response = await client.get(f"/media/{CLIP}.mp3")
    assert response.status_code == 200 and response.content == mp3
    assert response.headers["content-type"] == "audio/mpeg"
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["accept-ranges"] == "bytes"


async def test_a_stream_is_replaced_in_place_and_never_cached(
    services: Services, client: httpx.AsyncClient
) -> None:
    name = f"stream_{CLIP}.mp3"
    for content in (b"first bars", b"the whole song"):
        work = services.media.work_dir()
        (work / "part.mp3").write_bytes(content)
        await services.media.publish(work / "part.mp3", name)
        services.media.discard(work)
        response = await client.get(f"/media/{name}")
        assert response.content == content and response.headers["cache-control"] == "no-store"
        assert response.headers["content-type"] == "audio/mpeg"
    await services.media.remove(name)
    assert (await client.get(f"/media/{name}")).status_code == 404
    assert (await client.get(f"/media/stream_{CLIP}.wav")).status_code == 404  # MP3 only


async def test_range_requests_let_players_seek(client: httpx.AsyncClient, mp3: bytes) -> None:
    response = await client.get(f"/media/{CLIP}.mp3", headers={"Range": "bytes=100-199"})
    assert response.status_code == 206 and response.content == mp3[100:200]
    assert response.headers["content-range"] == f"bytes 100-199/{len(mp3)}"
    tail = await client.get(f"/media/{CLIP}.mp3", headers={"Range": "bytes=-10"})
    assert tail.status_code == 206 and tail.content == mp3[-10:]
    beyond = await client.get(f"/media/{CLIP}.mp3", headers={"Range": f"bytes={len(mp3) + 5}-"})
    assert beyond.status_code == 416


@pytest.mark.parametrize("unreadable", ["bytes", "bytes=x-y", "bytes=9-3", "items=0-5", "bytes=,"])
async def test_a_range_that_cannot_be_read_is_ignored(
    client: httpx.AsyncClient, mp3: bytes, unreadable: str
) -> None:
    response = await client.get(f"/media/{CLIP}.mp3", headers={"Range": unreadable})
    assert response.status_code == 200 and response.content == mp3
    assert response.headers["content-type"] == "audio/mpeg"


async def test_head_and_urls(services: Services, client: httpx.AsyncClient, mp3: bytes) -> None:
    head = await client.head(f"/media/{CLIP}.mp3")
    assert head.status_code == 200 and int(head.headers["content-length"]) == len(mp3)
    assert services.media.url(f"{CLIP}.mp3") == f"http://127.0.0.1:8000/media/{CLIP}.mp3"


@pytest.mark.parametrize(
    "name",
    [f"{CLIP}.wav", f"{CLIP}.exe", "songgate.db", "..%2Fsonggate.db", "%2e%2e%2fsonggate.db",
     f"image_{CLIP}.png", f"{CLIP.upper()}.mp3"],
)
async def test_nothing_else_is_served(
    services: Services, client: httpx.AsyncClient, mp3: bytes, name: str
) -> None:
    (services.media.root.parent / "songgate.db").touch()
    response = await client.get(f"/media/{name}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


async def test_publish_is_atomic_and_checks_names(services: Services) -> None:
    work = services.media.work_dir()
    source = work / "partial.mp3"
    source.write_bytes(b"abc")
    url = await services.media.publish(source, f"{CLIP}.mp3")
    assert url.endswith(f"/media/{CLIP}.mp3") and not source.exists()
    assert (services.media.root / f"{CLIP}.mp3").read_bytes() == b"abc"
    with pytest.raises(ValueError, match="not a media name"):
        await services.media.publish(source, "../escape.mp3")
    services.media.discard(work)
    assert not work.exists()


async def test_a_file_replaced_while_it_is_sent_is_sent_whole_as_it_was(
    services: Services, tmp_path: Path
) -> None:
    # a stream's file is replaced (here by a shorter one) between the lookup and the send
    name = f"stream_{CLIP}.mp3"
    longer, shorter = bytes(range(256)) * 400, b"the mastered song"
    work = services.media.work_dir()
    (work / "part.mp3").write_bytes(longer)
    await services.media.publish(work / "part.mp3", name)
    served = await services.media.serve(name, None, head=False)
    assert served is not None
    response = media_response(served, name)
    (tmp_path / "next.mp3").write_bytes(shorter)
    os.replace(tmp_path / "next.mp3", services.media.root / name)
    sent: list[Message] = []

    async def receive() -> Message:  # the client stays
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    async def send(message: Message) -> None:
        sent.append(message)

    await response({"type": "http", "method": "GET", "headers": []}, receive, send)
    length = dict(sent[0]["headers"])[b"content-length"]
    body = b"".join(message.get("body", b"") for message in sent[1:])
    assert body == longer and int(length) == len(longer)
