"""A file upload sent as a multipart form (as to a presigned POST), to a real
``songgate serve`` over real HTTP: the file part taken, the form bounded as the PUT is."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.support.server import Process, api_data, free_port, start
from tests.uploads.audio_files import tone

MAX_BYTES = 300_000


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Process]:
    process = start("serve", tmp_path_factory.mktemp("form-uploads"), port=free_port(),
                    SONGGATE_UPLOAD_MAX_BYTES=str(MAX_BYTES))
    yield process
    process.stop()


@pytest.fixture(scope="module")
def mp3(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return tone(tmp_path_factory.mktemp("audio") / "a.mp3")


def begin(server: Process) -> dict[str, str]:
    target: dict[str, str] = api_data(server, "POST", "/suno/uploads/audio",
                                      {"extension": "mp3"})
    assert target["url"] == f"{server.url}/suno/uploads/audio/{target['id']}/file"
    return target


def test_a_form_with_fields_and_the_file_makes_the_clip(server: Process, mp3: bytes) -> None:
    target = begin(server)
    sent = httpx.post(target["url"], data={"key": "ignored", "policy": "x" * 1000},
                      files={"file": ("song.mp3", mp3, "audio/mpeg")}, timeout=60)
    assert sent.status_code == 200, sent.text
    assert sent.json()["data"] == {"id": target["id"], "status": "uploaded"}
    done = api_data(server, "POST", f"/suno/uploads/audio/{target['id']}/upload-finish")
    [task] = api_data(server, "POST", "/suno/fetch", {"ids": [done["task_id"]]})
    [clip] = task["data"]
    assert clip["id"] == done["clip_id"] and clip["metadata"]["type"] == "upload"
    assert 1.9 < clip["metadata"]["duration"] < 2.2
    served = httpx.get(clip["audio_url"], timeout=30)
    assert served.status_code == 200 and served.headers["content-type"] == "audio/mpeg"


@pytest.mark.parametrize(("form", "problem"), [
    ({"files": {"key": (None, "k")}}, "the form has no file"),
    ({"files": {"file": ("a.mp3", b"", "audio/mpeg")}}, "the file is empty"),
    ({"files": {"file": ("a.txt", b"not a song at all", "text/plain")}},
     "the file is not audio"),
    ({"files": {"file": ("a.mp3", b"\0" * (MAX_BYTES + 1), "audio/mpeg")}},
     f"the file is too big: more than {MAX_BYTES} bytes"),
])
def test_refused_forms_name_the_problem_and_leave_the_upload_waiting(
    server: Process, mp3: bytes, form: dict[str, object], problem: str
) -> None:
    target = begin(server)
    refused = httpx.post(target["url"], timeout=60, **form)  # type: ignore[arg-type]
    assert refused.status_code == 400, refused.text
    assert refused.json()["code"] == "upload_refused"
    assert refused.json()["message"].startswith(problem)
    again = httpx.post(target["url"], files={"file": ("a.mp3", mp3)}, timeout=60)
    assert again.status_code == 200, again.text


def test_a_form_too_big_as_a_whole_is_refused_while_it_streams(server: Process) -> None:
    """No length declared (chunked): the form is counted as it arrives."""
    target = begin(server)
    boundary = "b0undary"

    def body() -> Iterator[bytes]:
        yield (f"--{boundary}\r\nContent-Disposition: form-data; name=\"pad\"\r\n\r\n"
               ).encode()
        for _ in range(40):
            yield b"p" * 10_000
        yield f"\r\n--{boundary}--\r\n".encode()

    refused = httpx.post(target["url"], content=body(), timeout=60,
                         headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert refused.status_code == 400, refused.text
    assert refused.json()["message"].startswith("the file is too big")


def test_a_post_of_the_file_itself_is_taken_as_a_put_is(server: Process, mp3: bytes) -> None:
    target = begin(server)
    cut = httpx.post(target["url"], content=b"--x\r\n", timeout=60,
                     headers={"Content-Type": "multipart/form-data"})  # no boundary
    assert cut.status_code == 400 and "multipart/form-data with a boundary" in cut.text
    sent = httpx.post(target["url"], content=mp3, headers={"Content-Type": "audio/mpeg"},
                      timeout=60)
    assert sent.status_code == 200, sent.text
    unknown = httpx.post(target["url"].replace(target["id"], "nope"),
                         files={"file": ("a.mp3", mp3)}, timeout=60)
    assert unknown.status_code == 404
    wrong = httpx.patch(target["url"], content=mp3, timeout=60)
    assert wrong.status_code == 405 and wrong.headers["allow"] in ("PUT, POST", "POST, PUT")
