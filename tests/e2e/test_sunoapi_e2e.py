"""sunoapi.org's dialect served: a client of that API, through real HTTP, field by field.

The shapes checked are those of ``SUNO-ACTIONS.md`` (sunoapi.org section): answers
``{code, msg, data}``, ``data.taskId`` from submits, record-info's statuses and
camelCase ``response.sunoData[]`` clips, stage callbacks with snake_case clips.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from songgate.domain.hooks import verify
from tests.support.hook_receiver import HookReceiver
from tests.support.server import Process, api_data, free_port, songgate_env, start, wait_task

ENV = {"SONGGATE_WEBHOOK_ALLOW_PRIVATE": "true", "SONGGATE_WEBHOOK_BACKOFF_SECONDS": "0.2",
       "SONGGATE_WEBHOOK_POLL_SECONDS": "0.1", "SONGGATE_WEBHOOK_TIMEOUT_SECONDS": "1"}
CLIP_FIELDS = {"id", "audioUrl", "sourceAudioUrl", "streamAudioUrl", "sourceStreamAudioUrl",
               "imageUrl", "sourceImageUrl", "prompt", "modelName", "title", "tags",
               "createTime", "duration"}
RECORD_FIELDS = {"taskId", "parentMusicId", "param", "response", "status", "type",
                 "operationType", "errorCode", "errorMessage", "createTime"}
LYRICS = "[Verse]\nneon rain on the window\n[Chorus]\nwe drive until the dawn"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Process]:
    process = start("serve", tmp_path_factory.mktemp("sunoapi"), port=free_port(), **ENV)
    yield process
    process.stop()


def call(server: Process, method: str, path: str, body: Any = None, *,
         token: str | None = None, **params: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {server.token if token is None else token}"}
    if token == "":
        headers = {}
    return httpx.request(method, server.url + path, json=body, params=params or None,
                         headers=headers, timeout=30)


def ok(response: httpx.Response) -> Any:
    """``data`` of a success: HTTP 200 and ``{"code": 200, "msg": "success", "data"}``."""
    assert response.status_code == 200, response.text
    answer = response.json()
    assert set(answer) == {"code", "msg", "data"} and answer["code"] == 200
    assert answer["msg"] == "success"
    return answer["data"]


def refused(response: httpx.Response, code: int) -> str:
    """The message of an error in the dialect's envelope, its code also the HTTP status."""
    assert response.status_code == code, response.text
    answer = response.json()
    assert set(answer) == {"code", "msg", "data"}, answer
    assert answer["code"] == code and answer["data"] is None
    assert isinstance(answer["msg"], str) and answer["msg"]
    return str(answer["msg"])


def submit(server: Process, path: str, body: dict[str, Any]) -> str:
    data = ok(call(server, "POST", path, body))
    assert set(data) == {"taskId"} and isinstance(data["taskId"], str)
    return str(data["taskId"])


def record(server: Process, task_id: str, *, lyrics: bool = False,
           until: tuple[str, ...] = ("SUCCESS",), timeout: float = 60) -> dict[str, Any]:
    path = "/api/v1/lyrics/record-info" if lyrics else "/api/v1/generate/record-info"
    deadline = time.monotonic() + timeout
    while True:
        data: dict[str, Any] = ok(call(server, "GET", path, taskId=task_id))
        if data["status"] in until or time.monotonic() > deadline:
            return data
        time.sleep(0.05)


def test_generate_custom_mode_reads_back_in_both_dialects(server: Process) -> None:
    task_id = submit(server, "/api/v1/generate", {
        "customMode": True, "instrumental": False, "prompt": LYRICS, "style": "synthwave",
        "title": "Night Drive", "model": "V4_5", "negativeTags": "heavy metal",
        "vocalGender": "f", "styleWeight": 0.7, "weirdnessConstraint": 0.2, "audioWeight": 0.5,
    })
    data = record(server, task_id)
    assert set(data) == RECORD_FIELDS
    assert data["taskId"] == task_id and data["status"] == "SUCCESS"
    assert data["type"] == "GENERATE" and data["operationType"] == "generate"
    assert data["parentMusicId"] == "" and data["errorCode"] is None
    assert data["errorMessage"] is None
    param = orjson.loads(data["param"])
    assert param["customMode"] is True and param["model"] == "V4_5"
    assert param["style"] == "synthwave" and param["negativeTags"] == "heavy metal"
    assert data["response"]["taskId"] == task_id
    clips = data["response"]["sunoData"]
    assert len(clips) == 2
    for clip in clips:
        assert set(clip) == CLIP_FIELDS
        assert clip["audioUrl"].endswith(f"/media/{clip['id']}.mp3")
        assert clip["streamAudioUrl"] == clip["audioUrl"] == clip["sourceAudioUrl"]
        assert clip["imageUrl"].endswith(".jpeg")
        assert clip["title"] == "Night Drive" and clip["tags"] == "synthwave"
        assert clip["prompt"] == LYRICS and clip["modelName"] == "chirp-auk"
        assert clip["duration"] == 128.92
        time.strptime(clip["createTime"], "%Y-%m-%d %H:%M:%S")

    # the same task in songgate's own dialect, with the knobs as it names them
    task = wait_task(server, task_id)
    assert [c["id"] for c in task["data"]] == [c["id"] for c in clips]
    assert task["data"][0]["model_name"] == "chirp-auk"
    assert task["data"][0]["metadata"]["tags"] == "synthwave"


def test_a_gateway_task_reads_through_record_info(server: Process) -> None:
    task_id = api_data(server, "POST", "/suno/submit/music", {
        "gpt_description_prompt": "a calm piano piece", "mv": "chirp-crow",
        "make_instrumental": True})
    data = record(server, task_id)
    assert data["status"] == "SUCCESS"
    param = orjson.loads(data["param"])
    assert param == {"prompt": "a calm piano piece", "style": "", "title": "",
                     "customMode": False, "instrumental": True, "model": "V5",
                     "negativeTags": "", "callBackUrl": ""}


def test_description_mode_and_the_statuses_while_running(server: Process) -> None:
    task_id = submit(server, "/api/v1/generate", {
        "customMode": False, "instrumental": False, "model": "V3_5",
        "prompt": "a birthday song for Anna"})
    first = ok(call(server, "GET", "/api/v1/generate/record-info", taskId=task_id))
    assert first["status"] in ("PENDING", "TEXT_SUCCESS", "SUCCESS")
    data = record(server, task_id)
    assert orjson.loads(data["param"])["customMode"] is False
    assert data["response"]["sunoData"][0]["modelName"] == "chirp-v3"

    # a slow task shows TEXT_SUCCESS while it runs, its clips not yet playable
    slow = submit(server, "/api/v1/generate", {
        "customMode": True, "instrumental": True, "style": "ambient",
        "title": "script:sleep=3"})
    running = record(server, slow, until=("TEXT_SUCCESS",))
    assert running["status"] == "TEXT_SUCCESS"
    assert all(c["audioUrl"] == "" and c["duration"] is None
               for c in running["response"]["sunoData"])
    assert record(server, slow)["status"] == "SUCCESS"


def test_a_failed_task(server: Process) -> None:
    task_id = submit(server, "/api/v1/generate", {
        "customMode": True, "instrumental": True, "style": "rock",
        "title": "script:fail=final"})
    data = record(server, task_id, until=("GENERATE_AUDIO_FAILED",))
    assert data["status"] == "GENERATE_AUDIO_FAILED"
    assert data["errorCode"] == 501 and "refused" in data["errorMessage"]


def test_extend_with_own_and_with_the_clips_parameters(server: Process) -> None:
    source = submit(server, "/api/v1/generate", {
        "customMode": True, "instrumental": False, "prompt": LYRICS, "style": "synthwave",
        "title": "Night Drive", "model": "V4"})
    clip = record(server, source)["response"]["sunoData"][0]
    own = submit(server, "/api/v1/generate/extend", {
        "defaultParamFlag": True, "audioId": clip["id"], "continueAt": 60,
        "prompt": "[Verse]\nand the road goes on", "style": "darker synthwave",
        "title": "Night Drive II", "model": "V4"})
    data = record(server, own)
    assert data["type"] == "EXTEND" and data["parentMusicId"] == clip["id"]
    assert data["response"]["sunoData"][0]["title"] == "Night Drive II"
    param = orjson.loads(data["param"])
    assert param["audioId"] == clip["id"] and param["continueAt"] == 60
    assert wait_task(server, own)["data"][0]["metadata"]["history"][0]["continue_at"] == 60

    theirs = submit(server, "/api/v1/generate/extend",
                    {"defaultParamFlag": False, "audioId": clip["id"]})
    extended = record(server, theirs)
    assert extended["status"] == "SUCCESS"
    assert extended["response"]["sunoData"][0]["tags"] == "synthwave"
    history = wait_task(server, theirs)["data"][0]["metadata"]["history"][0]
    assert history["id"] == clip["id"] and history["continue_at"] == clip["duration"]

    message = refused(call(server, "POST", "/api/v1/generate/extend",
                           {"defaultParamFlag": False, "audioId": "no-such-clip"}), 400)
    assert "audioId" in message


def test_lyrics(server: Process) -> None:
    task_id = submit(server, "/api/v1/lyrics", {"prompt": "a night train home",
                                                "callBackUrl": ""})
    data = record(server, task_id, lyrics=True)
    assert set(data) == {"taskId", "param", "response", "status", "type", "errorCode",
                         "errorMessage", "createTime"}
    assert data["status"] == "SUCCESS" and data["type"] == "LYRICS"
    [item] = data["response"]["data"]
    assert item["title"] == "Happy Weekend" and item["text"].startswith("[Verse]")
    assert item["status"] == "complete" and item["errorMessage"] == ""
    # each kind of task reads at its own route only
    refused(call(server, "GET", "/api/v1/generate/record-info", taskId=task_id), 404)


def test_credit_answers_the_balance(server: Process, tmp_path: Path) -> None:
    assert ok(call(server, "GET", "/api/v1/generate/credit")) == 0


def test_errors_in_the_dialects_codes(server: Process) -> None:
    generate = {"customMode": False, "instrumental": False, "prompt": "a song"}
    refused(call(server, "POST", "/api/v1/generate", generate, token=""), 401)
    refused(call(server, "POST", "/api/v1/generate", generate, token="sk-not-a-token"), 401)
    assert "model" in refused(call(server, "POST", "/api/v1/generate",
                                   {**generate, "model": "V9"}), 400)
    assert "callBackUrl" in refused(call(server, "POST", "/api/v1/generate",
                                         {**generate, "callBackUrl": "ftp://x"}), 400)
    too_long = {"customMode": True, "instrumental": False, "prompt": "la " * 1001,
                "style": "pop", "title": "Long", "model": "V4"}
    assert "prompt" in refused(call(server, "POST", "/api/v1/generate", too_long), 413)
    refused(httpx.post(server.url + "/api/v1/generate", content=b"{" + b" " * 3_000_000 + b"}",
                       headers={"Authorization": f"Bearer {server.token}"}, timeout=30), 413)
    refused(call(server, "POST", "/api/v1/generate", [1, 2]), 400)
    refused(call(server, "GET", "/api/v1/generate/record-info", taskId="no-such-task"), 404)
    refused(call(server, "GET", "/api/v1/generate/record-info"), 400)
    refused(call(server, "GET", "/api/v1/no-such-route"), 404)
    refused(call(server, "GET", "/api/v1/generate"), 405)


def test_callbacks_at_each_stage_signed(server: Process) -> None:
    check_stage_callbacks(server)


@pytest.mark.postgres
def test_callbacks_at_each_stage_on_postgresql(postgres_database_url: str,
                                                tmp_path: Path) -> None:
    process = start("serve", tmp_path, port=free_port(),
                    SONGGATE_DATABASE_URL=postgres_database_url, **ENV)
    try:
        check_stage_callbacks(process, postgres_database_url)
    finally:
        process.stop()


def check_stage_callbacks(server: Process, database_url: str = "") -> None:
    """text, first and complete for a task that succeeds, text and error for one that
    fails: each once, in order, signed with the account's secret."""
    with HookReceiver() as receiver:
        task_id = submit(server, "/api/v1/generate", {
            "customMode": True, "instrumental": True, "style": "lofi",
            "title": "script:sleep=1", "callBackUrl": receiver.url + "/hook"})
        assert record(server, task_id)["status"] == "SUCCESS"
        failed = submit(server, "/api/v1/generate", {
            "customMode": True, "instrumental": True, "style": "lofi",
            "title": "script:fail=final", "callBackUrl": receiver.url + "/hook"})
        wait_for(lambda: receiver.count() == 5)
    database = {"SONGGATE_DATABASE_URL": database_url} if database_url else {}
    secret = subprocess.run(
        [sys.executable, "-m", "songgate", "accounts", "webhook-secret", "default"],
        env=songgate_env(server_dir(server), **database), capture_output=True, text=True,
        timeout=60, check=True).stdout.strip()
    bodies = [orjson.loads(got.body) for got in receiver.received]
    for got in receiver.received:
        assert verify(secret, got.headers["x-songgate-timestamp"], got.body,
                      got.headers["x-songgate-signature"])
    mine = [b for b in bodies if b["data"]["task_id"] == task_id]
    assert [b["data"]["callbackType"] for b in mine] == ["text", "first", "complete"]
    assert [b["code"] for b in mine] == [200, 200, 200]
    complete = mine[-1]
    assert complete["msg"] == "All generated successfully."
    assert len(complete["data"]["data"]) == 2
    for clip in complete["data"]["data"]:
        assert set(clip) == {"id", "audio_url", "source_audio_url", "stream_audio_url",
                             "source_stream_audio_url", "image_url", "source_image_url",
                             "prompt", "model_name", "title", "tags", "createTime", "duration"}
        assert clip["audio_url"].endswith(".mp3") and clip["tags"] == "lofi"
    text, error = [b for b in bodies if b["data"]["task_id"] == failed]
    assert text["data"]["callbackType"] == "text"  # it ran, then failed
    assert error["code"] == 501 and error["data"]["callbackType"] == "error"
    assert "refused" in error["msg"]


def server_dir(server: Process) -> Path:
    return server.log_path.parent


def wait_for(condition: Any, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def test_wav_mp4_and_timed_lyrics_of_a_clip(server: Process) -> None:
    task_id = submit(server, "/api/v1/generate", {
        "customMode": True, "instrumental": False, "prompt": LYRICS, "style": "pop",
        "title": "Files"})
    clip_id = record(server, task_id)["response"]["sunoData"][0]["id"]
    # the scripted provider publishes no WAV and no word times: place them where the
    # engine would
    media = server_dir(server) / "media"
    (media / ".meta").mkdir(parents=True, exist_ok=True)
    (media / f"{clip_id}.wav").write_bytes(b"RIFF" + b"\0" * 64)
    (media / ".meta" / f"{clip_id}.json").write_bytes(orjson.dumps({
        "aligned_words": [{"word": "neon", "start_s": 0.5, "end_s": 0.9, "success": True,
                           "p_align": 0.8}], "waveform_data": [0.1, 0.6]}))
    wav = ok(call(server, "POST", "/api/v1/wav/generate",
                  {"taskId": task_id, "audioId": clip_id}))
    assert wav == {"taskId": f"wav-{clip_id}"}
    data = ok(call(server, "GET", "/api/v1/wav/record-info", taskId=wav["taskId"]))
    assert set(data) == {"taskId", "musicId", "callbackUrl", "completeTime", "response",
                         "successFlag", "createTime", "errorCode", "errorMessage"}
    assert data["musicId"] == clip_id and data["successFlag"] == "SUCCESS"
    url = data["response"]["audioWavUrl"]
    assert url.endswith(f"/media/{clip_id}.wav")
    assert httpx.get(url, timeout=10).content.startswith(b"RIFF")

    assert "MP4" in refused(call(server, "POST", "/api/v1/mp4/generate",
                                 {"taskId": task_id, "audioId": clip_id}), 400)
    timed = ok(call(server, "POST", "/api/v1/generate/get-timestamped-lyrics",
                    {"taskId": task_id, "audioId": clip_id}))
    assert timed == {"alignedWords": [{"word": "neon", "success": True, "startS": 0.5,
                                       "endS": 0.9, "palign": 0.8}],
                     "waveformData": [0.1, 0.6], "hootCer": 0.0, "isStreamed": False}
    refused(call(server, "POST", "/api/v1/wav/generate", {"audioId": "no-such-clip"}), 404)
    other = submit(server, "/api/v1/lyrics", {"prompt": "rain"})
    refused(call(server, "POST", "/api/v1/wav/generate", {"taskId": other, "audioId": clip_id}),
            404)
    refused(call(server, "GET", "/api/v1/wav/record-info", taskId=f"mp4-{clip_id}"), 404)


def test_credits_and_limits(tmp_path: Path) -> None:
    priced = start("serve", tmp_path, port=free_port(), SONGGATE_PRICES="MUSIC=10",
                   SONGGATE_RATE_LIMIT_REQUESTS_PER_MINUTE="6")
    try:
        generate = {"customMode": False, "instrumental": False, "prompt": "a song"}
        assert ok(call(priced, "GET", "/api/v1/generate/credit")) == 0
        assert "credit" in refused(call(priced, "POST", "/api/v1/generate", generate),
                                   429).lower()
        subprocess.run([sys.executable, "-m", "songgate", "accounts", "topup", "default", "25"],
                       env=songgate_env(tmp_path), capture_output=True, timeout=60, check=True)
        assert ok(call(priced, "GET", "/api/v1/generate/credit")) == 25
        task_id = submit(priced, "/api/v1/generate", generate)
        assert ok(call(priced, "GET", "/api/v1/generate/credit")) == 15
        # 6 a minute: a few more reads are refused (more than 4, in case a slow machine's
        # requests fall on both sides of a window's end)
        answers = [call(priced, "GET", "/api/v1/generate/record-info", taskId=task_id)
                   for _ in range(12)]
        too_often = next(a for a in answers if a.status_code != 200)
        refused(too_often, 430)
        assert int(too_often.headers["retry-after"]) >= 1
    finally:
        priced.stop()
