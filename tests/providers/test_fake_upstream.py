"""The fake upstream the relay tests and the benchmark lean on, checked against itself.

Every shape and every fault switch is asserted over real HTTP (httpx on loopback), so a
relay test that fails points at the relay, not at a fake that drifted from its promise.
"""

from __future__ import annotations

import json
import selectors
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.support.fake_upstream import FakeUpstream, Protocol
from tests.support.server import REPO

AUTH = {"Authorization": "Bearer up-key"}
TASK_KEYS = {"task_id", "action", "status", "fail_reason", "submit_time", "start_time",
             "finish_time", "progress", "data"}
CLIP_KEYS = {"id", "title", "status", "audio_url", "image_url", "image_large_url", "video_url",
             "metadata"}
V1_CLIP_KEYS = {"id", "audioUrl", "streamAudioUrl", "imageUrl", "prompt", "modelName", "title",
                "tags", "createTime", "duration"}
MUSIC = {"prompt": "[Verse]\nhello", "tags": "pop", "mv": "chirp-v4", "title": "Hi",
         "make_instrumental": False}
V1_MUSIC = {"customMode": True, "instrumental": False, "model": "V4", "prompt": "hello",
            "style": "pop", "title": "Hi", "callBackUrl": ""}


@pytest.fixture
def task_up() -> Iterator[FakeUpstream]:
    with FakeUpstream("suno-task", steps=3).start() as up:
        yield up


@pytest.fixture
def v1_up() -> Iterator[FakeUpstream]:
    with FakeUpstream("sunoapi-v1", steps=3).start() as up:
        yield up


def post(up: FakeUpstream, path: str, body: Any, **kwargs: Any) -> httpx.Response:
    return httpx.post(up.url + path, json=body, headers=AUTH, **kwargs)


def get(up: FakeUpstream, path: str, **kwargs: Any) -> httpx.Response:
    return httpx.get(up.url + path, headers=AUTH, **kwargs)


def submit(up: FakeUpstream, body: dict[str, Any] | None = None) -> str:
    task_id: str = post(up, "/suno/submit/music", body or MUSIC).json()["data"]
    return task_id


def fetch(up: FakeUpstream, *ids: str) -> list[dict[str, Any]]:
    response = post(up, "/suno/fetch", {"ids": list(ids)})
    assert response.status_code == 200, response.text
    tasks: list[dict[str, Any]] = response.json()["data"]
    return tasks


def record(up: FakeUpstream, task_id: str, kind: str = "generate") -> dict[str, Any]:
    response = get(up, f"/api/v1/{kind}/record-info", params={"taskId": task_id})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


# -- auth ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("protocol", "method", "path"),
    [("suno-task", "POST", "/suno/submit/music"), ("suno-task", "POST", "/suno/fetch"),
     ("suno-task", "GET", "/suno/fetch/x"), ("sunoapi-v1", "POST", "/api/v1/generate"),
     ("sunoapi-v1", "GET", "/api/v1/generate/record-info?taskId=x")],
)
def test_api_routes_need_the_key(protocol: Protocol, method: str, path: str) -> None:
    with FakeUpstream(protocol).start() as up:
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "up-key"}):
            response = httpx.request(method, up.url + path, json={"ids": []}, headers=headers)
            assert response.status_code == 401
            assert response.headers["content-type"] == "application/json"
            assert response.json()["data"] is None
        assert up.task_ids() == [] and up.fetch_requests == 0 and up.requests == 3
        assert httpx.get(up.url + "/_control/stats").status_code == 200  # no key needed


# -- suno-task -------------------------------------------------------------------------------


def test_suno_task_music_progresses_over_steps(task_up: FakeUpstream) -> None:
    response = post(task_up, "/suno/submit/music", MUSIC)
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "success" and body["message"] == ""
    task_id = body["data"]
    assert len(task_id) == 32 and task_up.task_ids() == [task_id]
    assert task_up.submissions == [{"path": "/suno/submit/music", "json": MUSIC,
                                    "task_id": task_id}]

    for step in (1, 2):
        [task] = fetch(task_up, task_id)
        assert set(task) == TASK_KEYS
        assert task["status"] == "IN_PROGRESS" and task["action"] == "MUSIC"
        assert task["progress"] == f"{step * 100 // 3}%" and task["finish_time"] == 0
        assert len(task["data"]) == 2
        for clip in task["data"]:
            assert set(clip) == CLIP_KEYS and clip["status"] == "streaming"
            assert clip["audio_url"] == clip["image_url"] == clip["video_url"] == ""
            assert clip["metadata"] == {"duration": None, "tags": "pop",
                                        "prompt": "[Verse]\nhello"}

    [task] = fetch(task_up, task_id)
    assert task["status"] == "SUCCESS" and task["progress"] == "100%"
    assert task["fail_reason"] == "" and task["finish_time"] >= task["submit_time"] > 0
    for clip in task["data"]:
        assert clip["status"] == "complete" and clip["title"] == "Hi"
        assert clip["audio_url"] == f"{task_up.url}/files/{clip['id']}.mp3"
        cover = f"{task_up.url}/files/{clip['id']}.jpeg"
        assert clip["image_url"] == clip["image_large_url"] == cover
        assert clip["video_url"] == f"{task_up.url}/files/{clip['id']}.mp4"
        assert clip["metadata"]["duration"] == 120.5
    assert task_up.fetch_requests == 3 and task_up.fetched_ids == [1, 1, 1]
    assert task_up.requests == 4


def test_suno_task_batch_order_single_fetch_and_lyrics(task_up: FakeUpstream) -> None:
    music = submit(task_up)
    lyrics = post(task_up, "/suno/submit/lyrics", {"prompt": "rain"}).json()["data"]
    tasks = fetch(task_up, lyrics, "unknown", music)
    assert [t["task_id"] for t in tasks] == [lyrics, music]
    assert tasks[0]["action"] == "LYRICS"
    assert tasks[0]["data"]["status"] == "running" and tasks[0]["data"]["text"] == ""
    assert task_up.fetched_ids == [3]

    one = get(task_up, f"/suno/fetch/{lyrics}")
    assert one.status_code == 200 and one.json()["data"]["status"] == "IN_PROGRESS"
    done, again = fetch(task_up, lyrics, lyrics)  # asked twice: answered twice, advanced once
    assert done == again
    assert done["status"] == "SUCCESS"
    assert set(done["data"]) == {"id", "title", "text", "status"}
    assert done["data"]["status"] == "complete" and done["data"]["text"].startswith("[Verse]\n")

    missing = get(task_up, "/suno/fetch/nope")
    assert missing.status_code == 404 and missing.json()["code"] == "task_not_exist"
    assert task_up.fetched_ids == [3, 1, 2, 1]


def test_suno_task_refuses_a_prompt_without_creating_a_task(task_up: FakeUpstream) -> None:
    response = post(task_up, "/suno/submit/music", {**MUSIC, "prompt": "REFUSE"})
    assert response.status_code == 400
    assert response.json() == {"code": "invalid_request", "message": "prompt refused",
                               "data": None}
    assert task_up.submissions == [] and task_up.task_ids() == []


def test_fail_forget_and_never_finish(task_up: FakeUpstream) -> None:
    failing, forgotten, stuck, stuck_too = (submit(task_up) for _ in range(4))
    task_up.fail(failing, "upstream exploded")
    task_up.forget(forgotten)
    task_up.switches.never_finish = {stuck}
    for _ in range(4):
        tasks = {t["task_id"]: t for t in fetch(task_up, failing, forgotten, stuck, stuck_too)}
    assert forgotten not in tasks
    assert tasks[failing]["status"] == "FAILURE"
    assert tasks[failing]["fail_reason"] == "upstream exploded"
    assert {c["status"] for c in tasks[failing]["data"]} == {"error"}
    assert tasks[stuck]["status"] == "IN_PROGRESS" and tasks[stuck_too]["status"] == "SUCCESS"

    task_up.switches.never_finish_all = True
    other = submit(task_up)
    for _ in range(4):
        [task] = fetch(task_up, other)
    assert task["status"] == "IN_PROGRESS"
    task_up.switches.never_finish_all = False
    assert fetch(task_up, other)[0]["status"] == "SUCCESS"
    with pytest.raises(KeyError):
        task_up.fail("nope", "x")


def test_steps_zero_finishes_only_on_complete() -> None:
    with FakeUpstream("suno-task", steps=0).start() as up:
        first, second = submit(up), submit(up)
        for _ in range(5):
            assert {t["status"] for t in fetch(up, first, second)} == {"IN_PROGRESS"}
        before = time.time()
        done = up.complete([first])
        assert list(done) == [first] and before <= done[first] <= time.time()
        statuses = {t["task_id"]: t["status"] for t in fetch(up, first, second)}
        assert statuses == {first: "SUCCESS", second: "IN_PROGRESS"}
        assert up.complete().keys() == {second}  # None: only the unfinished ones
        assert up.complete([first]) == done  # already done: its first completion time
        assert up.complete() == {}
        with pytest.raises(KeyError):
            up.complete(["nope"])


# -- sunoapi-v1 ------------------------------------------------------------------------------


def test_sunoapi_v1_music_progresses_through_its_stages(v1_up: FakeUpstream) -> None:
    response = post(v1_up, "/api/v1/generate", V1_MUSIC)
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == 200 and body["msg"] == "success"
    task_id = body["data"]["taskId"]

    stages = [record(v1_up, task_id) for _ in range(3)]
    assert [s["data"]["status"] for s in stages] == ["TEXT_SUCCESS", "FIRST_SUCCESS", "SUCCESS"]
    for stage in stages:
        assert stage["code"] == 200 and stage["msg"] == "success"
        data = stage["data"]
        assert set(data) == {"taskId", "status", "response", "errorMessage"}
        assert data["taskId"] == data["response"]["taskId"] == task_id
        assert data["errorMessage"] is None
        assert len(data["response"]["sunoData"]) == 2
        for clip in data["response"]["sunoData"]:
            assert set(clip) == V1_CLIP_KEYS
            assert clip["streamAudioUrl"] == f"{v1_up.url}/files/{clip['id']}.mp3"
            assert (clip["title"], clip["tags"], clip["prompt"]) == ("Hi", "pop", "hello")
    audio = [[c["audioUrl"] for c in s["data"]["response"]["sunoData"]] for s in stages]
    assert audio[0] == ["", ""] and audio[1][0] != "" and audio[1][1] == ""
    final = stages[2]["data"]["response"]["sunoData"]
    assert all(c["audioUrl"] == f"{v1_up.url}/files/{c['id']}.mp3" for c in final)
    assert all(c["imageUrl"].endswith(".jpeg") and c["duration"] == 120.5 for c in final)
    assert v1_up.fetched_ids == [1, 1, 1]


def test_sunoapi_v1_extend_lyrics_refusal_and_unknown(v1_up: FakeUpstream) -> None:
    extend = post(v1_up, "/api/v1/generate/extend", {**V1_MUSIC, "audioId": "a", "continueAt": 9})
    assert extend.json()["code"] == 200
    lyrics_id = post(v1_up, "/api/v1/lyrics", {"prompt": "rain"}).json()["data"]["taskId"]
    assert [s["path"] for s in v1_up.submissions] == ["/api/v1/generate/extend", "/api/v1/lyrics"]

    pending = record(v1_up, lyrics_id, "lyrics")["data"]
    assert pending["status"] == "PENDING" and pending["response"]["data"] == []
    done = record(v1_up, lyrics_id, "lyrics")["data"]
    assert done["status"] == "PENDING"
    done = record(v1_up, lyrics_id, "lyrics")["data"]
    assert done["status"] == "SUCCESS"
    [lyrics] = done["response"]["data"]
    assert set(lyrics) == {"text", "title", "status"} and lyrics["status"] == "complete"

    not_found = {"code": 404, "msg": "task not found", "data": None}
    assert record(v1_up, lyrics_id) == not_found  # a lyrics task is not a music record
    assert record(v1_up, "nope") == not_found
    v1_up.forget(lyrics_id)
    assert record(v1_up, lyrics_id, "lyrics") == not_found

    refused = post(v1_up, "/api/v1/generate", {**V1_MUSIC, "prompt": "REFUSE"})
    assert refused.status_code == 200
    assert refused.json() == {"code": 400, "msg": "prompt refused", "data": None}
    assert len(v1_up.submissions) == 2

    failing = post(v1_up, "/api/v1/generate", V1_MUSIC).json()["data"]["taskId"]
    v1_up.fail(failing, "no luck")
    failed = record(v1_up, failing)["data"]
    assert failed["status"] == "GENERATE_AUDIO_FAILED" and failed["errorMessage"] == "no luck"


def test_actions_on_a_clip_take_only_the_fakes_own_clips(
    task_up: FakeUpstream, v1_up: FakeUpstream
) -> None:
    song = submit(task_up)
    task_up.complete([song])
    clip_id = post(task_up, "/suno/fetch", {"ids": [song]}).json()["data"][0]["data"][0]["id"]
    for body in ({"task": "cover", "cover_clip_id": clip_id},
                 {"task": "upload_extend", "continue_clip_id": clip_id, "continue_at": 9},
                 {"task": "infill", "continue_clip_id": clip_id, "infill_start_s": 1,
                  "infill_end_s": 9},
                 {"task": "add_vocals", "continue_clip_id": clip_id}):
        assert post(task_up, "/suno/submit/music", {**MUSIC, **body}).json()["code"] == "success"
        unknown = {k: "nope" if v == clip_id else v for k, v in body.items()}
        refused = post(task_up, "/suno/submit/music", {**MUSIC, **unknown})
        assert refused.status_code == 400 and refused.json()["code"] == "invalid_request"
    assert len(task_up.submissions) == 5

    made = post(v1_up, "/api/v1/generate", V1_MUSIC).json()["data"]["taskId"]
    v1_up.complete([made])
    [first, _] = record(v1_up, made)["data"]["response"]["sunoData"]
    for route in ("upload-cover", "upload-extend", "add-vocals", "add-instrumental"):
        own = post(v1_up, f"/api/v1/generate/{route}", {"uploadUrl": first["audioUrl"]})
        assert own.json()["code"] == 200
        elsewhere = post(v1_up, f"/api/v1/generate/{route}",
                         {"uploadUrl": "https://example.com/song.mp3"})
        assert elsewhere.json()["code"] == 400
    span = {"infillStartS": 10, "infillEndS": 20}
    replaced = post(v1_up, "/api/v1/generate/replace-section",
                    {"taskId": made, "audioId": first["id"], **span})
    assert replaced.json()["code"] == 200
    wrong = post(v1_up, "/api/v1/generate/replace-section",
                 {"taskId": "nope", "audioId": first["id"], **span})
    assert wrong.json()["code"] == 400
    assert len(v1_up.submissions) == 6


# -- files -----------------------------------------------------------------------------------


def test_file_routes_serve_typed_bytes_without_auth(task_up: FakeUpstream) -> None:
    task_id = submit(task_up)
    [clip_id, _] = [c["id"] for c in fetch(task_up, task_id)[0]["data"]]
    kinds = {"mp3": "audio/mpeg", "jpeg": "image/jpeg", "mp4": "video/mp4"}
    for ext, content_type in kinds.items():
        response = httpx.get(f"{task_up.url}/files/{clip_id}.{ext}")
        assert response.status_code == 200
        assert response.headers["content-type"] == content_type
        assert len(response.content) == 4096
    assert httpx.get(f"{task_up.url}/files/{clip_id}.mp3").content.startswith(b"ID3")
    assert httpx.get(f"{task_up.url}/files/{clip_id}.jpeg").content.startswith(b"\xff\xd8\xff")
    assert httpx.get(f"{task_up.url}/files/{clip_id}.mp4").content[4:8] == b"ftyp"
    assert httpx.get(f"{task_up.url}/files/nope.mp3").status_code == 404

    task_up.switches.file_bytes = 100_000
    assert len(httpx.get(f"{task_up.url}/files/{clip_id}.mp3").content) == 100_000
    task_up.switches.file_status = 503
    task_up.switches.always_500 = True  # API faults leave files alone, and the reverse
    assert httpx.get(f"{task_up.url}/files/{clip_id}.mp3").status_code == 503


# -- fault switches --------------------------------------------------------------------------


def test_status_500_then_normal_and_always_500(task_up: FakeUpstream) -> None:
    task_up.switches.status_500 = 2
    for _ in range(2):
        response = post(task_up, "/suno/submit/music", MUSIC)
        assert response.status_code == 500 and response.json() == {"code": "internal"}
    assert task_up.switches.status_500 == 0 and task_up.submissions == []
    assert post(task_up, "/suno/submit/music", MUSIC).status_code == 200
    task_up.switches.always_500 = True
    assert [post(task_up, "/suno/fetch", {"ids": []}).status_code for _ in range(3)] == [500] * 3
    assert task_up.fetch_requests == 0 and task_up.requests == 6
    assert httpx.get(task_up.url + "/_control/stats").status_code == 200


@pytest.mark.parametrize("protocol", ["suno-task", "sunoapi-v1"])
def test_rate_limit_answers_429_with_retry_after(protocol: Protocol) -> None:
    with FakeUpstream(protocol).start() as up:
        up.switches.rate_limit, up.switches.retry_after = 2, 7
        path = "/suno/submit/music" if protocol == "suno-task" else "/api/v1/generate"
        answers = [post(up, path, MUSIC) for _ in range(3)]
        assert [a.status_code for a in answers] == [429, 429, 200]
        assert answers[0].headers["retry-after"] == "7"
        assert answers[0].headers["content-type"] == "application/json"
        assert len(up.submissions) == 1


def test_malformed_json_and_wrong_content_type_create_nothing(task_up: FakeUpstream) -> None:
    task_up.switches.malformed_json = True
    response = post(task_up, "/suno/submit/music", MUSIC)
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    assert response.content == b'{"code": "succ'
    with pytest.raises(json.JSONDecodeError):
        response.json()
    task_up.switches.malformed_json = False
    task_up.switches.wrong_content_type = True
    response = post(task_up, "/suno/fetch", {"ids": []})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.text == "<html>busy</html>"
    assert task_up.submissions == [] and task_up.fetch_requests == 0


@pytest.mark.parametrize("protocol", ["suno-task", "sunoapi-v1"])
def test_huge_body_pads_status_answers_only(protocol: Protocol) -> None:
    with FakeUpstream(protocol).start() as up:
        up.switches.huge_body_bytes = 2_000_000
        if protocol == "suno-task":
            submitted = post(up, "/suno/submit/music", MUSIC)
            task_id = submitted.json()["data"]
            answer = post(up, "/suno/fetch", {"ids": [task_id]})
            assert answer.json()["data"][0]["task_id"] == task_id
        else:
            submitted = post(up, "/api/v1/generate", V1_MUSIC)
            task_id = submitted.json()["data"]["taskId"]
            answer = get(up, "/api/v1/generate/record-info", params={"taskId": task_id})
            assert answer.json()["data"]["taskId"] == task_id
        assert len(submitted.content) < 1000
        assert len(answer.content) >= 2_000_000


def test_drop_and_duplicate_ids(task_up: FakeUpstream) -> None:
    kept, dropped = submit(task_up), submit(task_up)
    task_up.switches.drop_ids = {dropped}
    assert [t["task_id"] for t in fetch(task_up, kept, dropped)] == [kept]
    assert get(task_up, f"/suno/fetch/{dropped}").status_code == 404
    task_up.switches.drop_ids = set()
    task_up.switches.duplicate_ids = True
    fetch(task_up, kept)
    tasks = fetch(task_up, kept, dropped)  # kept's 3rd fetch finishes it
    assert [t["task_id"] for t in tasks] == [kept, kept, dropped, dropped]
    assert [t["status"] for t in tasks] == ["SUCCESS"] + ["IN_PROGRESS"] * 3
    assert tasks[0]["data"] == tasks[1]["data"] and tasks[1]["progress"] == "50%"


@pytest.mark.parametrize("protocol", ["suno-task", "sunoapi-v1"])
def test_missing_id_on_submit_still_creates_the_task(protocol: Protocol) -> None:
    with FakeUpstream(protocol).start() as up:
        up.switches.missing_id_on_submit = True
        if protocol == "suno-task":
            body = post(up, "/suno/submit/music", MUSIC).json()
            assert body["code"] == "success" and body["data"] is None
        else:
            body = post(up, "/api/v1/generate", V1_MUSIC).json()
            assert body["code"] == 200 and "taskId" not in (body["data"] or {})
        [task_id] = up.task_ids()
        assert [s["task_id"] for s in up.submissions] == [task_id]


def test_hang_times_the_client_out_but_leaves_the_task(task_up: FakeUpstream) -> None:
    task_up.switches.hang_seconds = 0.5
    with pytest.raises(httpx.ReadTimeout):
        post(task_up, "/suno/submit/music", MUSIC, timeout=0.2)
    [task_id] = task_up.task_ids()
    assert len(task_up.submissions) == 1
    with pytest.raises(httpx.ReadTimeout):
        post(task_up, "/suno/fetch", {"ids": [task_id]}, timeout=0.2)

    task_up.switches.hang_submits_only = True
    hung: list[BaseException] = []

    def hang() -> None:
        try:
            post(task_up, "/suno/submit/music", MUSIC, timeout=5)
        except BaseException as exc:  # pragma: no cover - reported below
            hung.append(exc)

    thread = threading.Thread(target=hang)
    started = time.monotonic()
    thread.start()
    time.sleep(0.05)
    assert fetch(task_up, task_id)[0]["task_id"] == task_id  # served while a submit hangs
    assert thread.is_alive()  # the submit is still hanging
    thread.join(5)
    assert hung == [] and time.monotonic() - started >= 0.5
    assert len(task_up.submissions) == 2


async def test_usable_from_async_tests(task_up: FakeUpstream) -> None:
    async with httpx.AsyncClient(base_url=task_up.url, headers=AUTH) as client:
        task_id = (await client.post("/suno/submit/lyrics", json={"prompt": "x"})).json()["data"]
        for _ in range(3):
            answer = (await client.post("/suno/fetch", json={"ids": [task_id]})).json()
    assert answer["data"][0]["status"] == "SUCCESS"


def test_control_switches_validates(task_up: FakeUpstream) -> None:
    url = task_up.url + "/_control/switches"
    answer = httpx.post(url, json={"never_finish": ["a"], "status_500": 1, "hang_seconds": 0.1})
    assert answer.status_code == 200
    assert answer.json()["never_finish"] == ["a"]
    assert task_up.switches.never_finish == {"a"} and task_up.switches.status_500 == 1
    for bad in ({"nope": 1}, {"status_500": "1"}, {"always_500": 1}, {"drop_ids": "a"}):
        assert httpx.post(url, json=bad).status_code == 400
    assert task_up.switches.always_500 is False


# -- separate process --------------------------------------------------------------------------


def test_subprocess_prints_ready_and_obeys_control() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.support.fake_upstream", "--protocol", "suno-task",
         "--port", "0", "--steps", "0"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)
            assert selector.select(timeout=20), "no READY line"
        line = process.stdout.readline().decode()
        assert line.startswith("READY "), line
        url = f"http://127.0.0.1:{int(line.split()[1])}"

        task_id = httpx.post(url + "/suno/submit/music", json=MUSIC, headers=AUTH).json()["data"]
        fetched = httpx.post(url + "/suno/fetch", json={"ids": [task_id]}, headers=AUTH)
        assert fetched.json()["data"][0]["status"] == "IN_PROGRESS"
        completed = httpx.post(url + "/_control/complete", json={"ids": None}).json()
        assert list(completed["completed"]) == [task_id]
        assert httpx.post(url + "/_control/complete", json={"ids": ["nope"]}).status_code == 404
        assert httpx.post(url + "/_control/switches", json={"status_500": 1}).status_code == 200
        assert httpx.post(url + "/suno/fetch", json={"ids": [task_id]},
                          headers=AUTH).status_code == 500
        fetched = httpx.post(url + "/suno/fetch", json={"ids": [task_id]}, headers=AUTH)
        assert fetched.json()["data"][0]["status"] == "SUCCESS"
        stats = httpx.get(url + "/_control/stats").json()
        assert stats == {"submissions": 1, "fetch_requests": 2, "fetched_ids": [1, 1],
                         "requests": 4, "tasks": 1}
        process.send_signal(signal.SIGTERM)
        assert process.wait(10) == 0
        assert process.stdout.read() == b""
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
