"""Media in an S3-compatible object store, against a real S3 server (moto) on loopback.

One ``moto_server`` process per module; every test gets its own bucket and songgate
services configured with ``media_backend=s3``. The app is driven in-process, the
store over real HTTP, and presigned URLs are fetched from the store directly.
"""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest

from songgate.config import Settings, load_settings
from songgate.domain.results import MusicResult
from songgate.domain.status import Action
from songgate.domain.submit import parse_music
from songgate.errors import ConfigError, FinalProviderError
from songgate.media.names import names_for
from songgate.media.s3 import PRESIGN_SECONDS, S3MediaStore
from songgate.providers.base import ProviderContext, ProviderTask
from songgate.providers.local import LocalProvider
from songgate.wiring import Services
from tests.providers.test_local import Recorder, decoded_seconds
from tests.support.server import free_port

MOTO_SERVER = Path(sys.executable).parent / "moto_server"
ACCESS_KEY = "songgate-test-access"
SECRET_KEY = "songgate-test-secret-never-shown"
CLIP = str(uuid.uuid4())
CONTENT = bytes(range(256)) * 40


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real S3 API (moto's server) on a free loopback port, for this module."""
    if not MOTO_SERVER.exists():
        pytest.skip("moto_server is not installed: pip install 'moto[server]>=5'")
    port = free_port()
    log = (tmp_path_factory.mktemp("moto") / "moto.log").open("wb")
    process = subprocess.Popen(
        [str(MOTO_SERVER), "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=log
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(endpoint, timeout=1)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"moto_server did not start (see {log.name})")
                time.sleep(0.1)
        yield endpoint
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="module")
def s3(s3_endpoint: str) -> Any:
    """A plain client, to look at the bucket behind songgate's back."""
    return boto3.client(
        "s3", endpoint_url=s3_endpoint, region_name="us-east-1",
        aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
    )


@pytest.fixture
def bucket(s3: Any) -> str:
    name = f"songgate-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name)
    return name


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """SQLite alone: the subject here is where media live, which no database changes (a
    render in the bucket takes minutes; the media routes run on both databases elsewhere)."""
    return f"sqlite+aiosqlite:///{tmp_path / 'songgate.db'}"


@pytest.fixture
def s3_mode() -> str:
    return "proxy"  # tests parametrize this to "presign"


@pytest.fixture
def settings(settings: Settings, s3_endpoint: str, bucket: str, s3_mode: str) -> Settings:
    """The shared test settings, with media in this test's bucket."""
    return Settings(**{
        **settings.model_dump(),
        "media_backend": "s3", "s3_endpoint_url": s3_endpoint, "s3_bucket": bucket,
        "s3_access_key": ACCESS_KEY, "s3_secret_key": SECRET_KEY, "s3_mode": s3_mode,
    })


@pytest.fixture
def store(services: Services) -> S3MediaStore:
    assert isinstance(services.media, S3MediaStore)
    return services.media


@pytest.fixture
def mp3(s3: Any, bucket: str) -> bytes:
    s3.put_object(Bucket=bucket, Key=f"{CLIP}.mp3", Body=CONTENT, ContentType="audio/mpeg")
    return CONTENT


async def test_publish_uploads_with_type_and_cache_control(
    store: S3MediaStore, s3: Any, bucket: str
) -> None:
    work = store.work_dir()
    source = work / "partial.jpeg"
    source.write_bytes(b"\xff\xd8 cover")
    url = await store.publish(source, f"image_{CLIP}.jpeg")
    assert url == f"http://127.0.0.1:8000/media/image_{CLIP}.jpeg"
    assert not source.exists()  # consumed, as the local rename consumes it
    found = s3.get_object(Bucket=bucket, Key=f"image_{CLIP}.jpeg")
    assert found["Body"].read() == b"\xff\xd8 cover"
    assert found["ContentType"] == "image/jpeg"
    assert found["CacheControl"] == "public, max-age=31536000, immutable"
    source.write_bytes(b"x")
    with pytest.raises(ValueError, match="not a media name"):
        await store.publish(source, "../escape.mp3")
    store.discard(work)
    assert not work.exists()


async def test_proxy_relays_the_whole_object(client: httpx.AsyncClient, mp3: bytes) -> None:
    response = await client.get(f"/media/{CLIP}.mp3")
    assert response.status_code == 200 and response.content == mp3
    assert response.headers["content-type"] == "audio/mpeg"
    assert response.headers["content-length"] == str(len(mp3))
    assert response.headers["accept-ranges"] == "bytes"
    assert "last-modified" in response.headers and "etag" in response.headers


async def test_proxy_passes_ranges_through(client: httpx.AsyncClient, mp3: bytes) -> None:
    part = await client.get(f"/media/{CLIP}.mp3", headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.content == mp3[100:200]
    assert part.headers["content-range"] == f"bytes 100-199/{len(mp3)}"
    assert part.headers["content-length"] == "100"
    tail = await client.get(f"/media/{CLIP}.mp3", headers={"Range": "bytes=-10"})
    assert tail.status_code == 206 and tail.content == mp3[-10:]
    assert tail.headers["content-range"] == f"bytes {len(mp3) - 10}-{len(mp3) - 1}/{len(mp3)}"
    beyond = await client.get(f"/media/{CLIP}.mp3", headers={"Range": f"bytes={len(mp3) + 5}-"})
    assert beyond.status_code == 416
    assert beyond.headers["content-range"] == f"bytes */{len(mp3)}"
    for odd in ("bytes=0-1,5-6", "pages=1-2", "bytes=abc"):  # served whole, never sent on
        whole = await client.get(f"/media/{CLIP}.mp3", headers={"Range": odd})
        assert whole.status_code == 200 and whole.content == mp3


async def test_objects_keep_their_cache_control(
    client: httpx.AsyncClient, store: S3MediaStore
) -> None:
    work = store.work_dir()
    (work / "song.mp3").write_bytes(CONTENT)
    await store.publish(work / "song.mp3", f"{CLIP}.mp3")
    response = await client.get(f"/media/{CLIP}.mp3")
    assert response.status_code == 200 and response.content == CONTENT
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    store.discard(work)


@pytest.mark.parametrize("s3_mode", ["proxy", "presign"])
async def test_head_is_answered_in_both_modes(client: httpx.AsyncClient, mp3: bytes) -> None:
    head = await client.head(f"/media/{CLIP}.mp3")
    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["content-length"]) == len(mp3)
    assert head.headers["content-type"] == "audio/mpeg"


@pytest.mark.parametrize("s3_mode", ["proxy", "presign"])
@pytest.mark.parametrize(
    "name",
    [f"{CLIP}.wav", f"{CLIP}.exe", f"..%2F{CLIP}.mp3", f"%2Emeta%2F{CLIP}.json",
     f"{CLIP.upper()}.mp3", "bucket-listing"],
)
async def test_missing_and_invalid_names_are_404(
    client: httpx.AsyncClient, s3: Any, bucket: str, mp3: bytes, name: str
) -> None:
    s3.put_object(Bucket=bucket, Key=f".meta/{CLIP}.json", Body=b"{}")
    for method in ("GET", "HEAD"):
        response = await client.request(method, f"/media/{name}")
        assert response.status_code == 404
        if method == "GET":
            assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("s3_mode", ["presign"])
async def test_presign_redirects_to_a_short_lived_url(
    client: httpx.AsyncClient, s3_endpoint: str, mp3: bytes
) -> None:
    response = await client.get(f"/media/{CLIP}.mp3")
    assert response.status_code == 302
    location = response.headers["location"]
    assert location.startswith(f"{s3_endpoint}/") and f"X-Amz-Expires={PRESIGN_SECONDS}" in location
    assert response.headers["cache-control"] == "private, max-age=300"
    assert SECRET_KEY not in location
    async with httpx.AsyncClient() as direct:
        fetched = await direct.get(location)
    assert fetched.status_code == 200 and fetched.content == mp3


async def test_meta_round_trips_and_bad_sidecars_read_as_none(
    store: S3MediaStore, s3: Any, bucket: str
) -> None:
    meta = {"tags": "folk", "negative_tags": "", "style_seed": 7, "seed": 7}
    await store.write_meta(CLIP, meta)
    assert await store.read_meta(CLIP) == meta
    assert s3.get_object(Bucket=bucket, Key=f".meta/{CLIP}.json")["ContentType"] == (
        "application/json"
    )
    assert await store.read_meta(str(uuid.uuid4())) is None
    assert await store.read_meta("../secrets") is None
    broken = str(uuid.uuid4())
    s3.put_object(Bucket=bucket, Key=f".meta/{broken}.json", Body=b"{not json")
    assert await store.read_meta(broken) is None
    with pytest.raises(ValueError, match="not a clip id"):
        await store.write_meta("../escape", meta)


async def test_local_copy_downloads_into_scratch(store: S3MediaStore, mp3: bytes) -> None:
    work = store.work_dir()
    copy = await store.local_copy(f"{CLIP}.mp3", work)
    assert copy is not None and copy.parent == work and copy.read_bytes() == mp3
    assert await store.local_copy(f"{uuid.uuid4()}.wav", work) is None
    assert await store.local_copy("../etc/passwd", work) is None
    assert [path.name for path in work.iterdir()] == [f"{CLIP}.mp3"]
    store.discard(work)


def test_the_secret_key_stays_out_of_reprs(settings: Settings, store: S3MediaStore) -> None:
    assert SECRET_KEY not in repr(settings) and SECRET_KEY not in str(settings.model_dump())
    assert SECRET_KEY not in repr(store) and SECRET_KEY not in repr(vars(store))


def test_the_s3_backend_needs_a_bucket() -> None:
    with pytest.raises(ConfigError, match=r"SONGGATE_S3_BUCKET: .*bucket is required"):
        load_settings({"SONGGATE_MEDIA_BACKEND": "s3"})
    with pytest.raises(ConfigError, match="SONGGATE_S3_MODE"):
        load_settings({"SONGGATE_MEDIA_BACKEND": "s3", "SONGGATE_S3_BUCKET": "b",
                       "SONGGATE_S3_MODE": "public"})
    assert load_settings({}).media_backend == "local"


async def test_the_local_provider_renders_into_the_bucket_and_extends_from_it(
    store: S3MediaStore, s3: Any, bucket: str, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    """A worker on another machine: renders in local scratch, the clip lives in the bucket."""
    provider = LocalProvider(ProviderContext(store))
    clip = str(uuid.uuid4())
    spec = parse_music({"prompt": "[Verse]\nOne small song", "tags": "folk", "mv": "chirp-v3-0"})
    task = ProviderTask(id="t", action=Action.MUSIC, spec=spec, clip_ids=(clip,), attempt=1)
    async def fetch(url: str) -> bytes | None:  # the stream through songgate, as it streams
        served = await client.get(url.removeprefix("http://127.0.0.1:8000"))
        assert served.headers["cache-control"] == "no-store"
        return served.content if served.status_code == 200 else None

    recorder = Recorder(fetch)
    result = await provider.run(task, recorder)
    assert isinstance(result, MusicResult)
    assert result.clips[0].audio_url == f"http://127.0.0.1:8000/media/{clip}.mp3"
    names = names_for(clip)
    keys = {item["Key"] for item in s3.list_objects_v2(Bucket=bucket)["Contents"]}
    assert {names.audio, names.wav, names.midi, names.image, names.image_large,
            f".meta/{clip}.json"} <= keys
    assert names.stream not in keys  # the stream is removed once the clip's files are up
    first, *_, whole = (served for _, _, served in recorder.streams)  # grown by sections
    assert first is not None and 0 < decoded_seconds(first) < result.clips[0].duration
    assert whole == s3.get_object(Bucket=bucket, Key=names.audio)["Body"].read()
    audio = await client.get(f"/media/{names.audio}")
    assert audio.status_code == 200 and len(audio.content) > 1000
    assert audio.content == s3.get_object(Bucket=bucket, Key=names.audio)["Body"].read()

    def extension(source: str) -> ProviderTask:
        spec = parse_music({"prompt": "[Verse]\nAnd on", "continue_clip_id": source,
                            "continue_at": 2, "mv": "chirp-v3-0"})
        return ProviderTask(id="e", action=Action.MUSIC, spec=spec,
                            clip_ids=(str(uuid.uuid4()),), attempt=1)

    extended = await provider.run(extension(clip), Recorder())  # the source wav is downloaded
    assert isinstance(extended, MusicResult) and extended.clips[0].duration > 2
    assert s3.head_object(Bucket=bucket, Key=f"{extended.clips[0].id}.mp3")["ContentLength"]
    with pytest.raises(FinalProviderError, match="not made by this server"):
        await provider.run(extension(str(uuid.uuid4())), Recorder())
    assert not list((tmp_path / "scratch").iterdir())  # renders and copies cleaned up
