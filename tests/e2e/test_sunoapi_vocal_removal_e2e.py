"""sunoapi.org's vocal removal served over the engine's stems, through real HTTP, field by
field: ``/api/v1/vocal-removal/generate`` answers ``data.taskId``; ``record-info`` answers
``successFlag`` and ``response`` with the dialect's stem fields; ``callBackUrl`` hears
``callbackType: complete`` with ``vocal_removal_info``. A real engine song, kept short
(two lines of lyrics), split both ways.
"""

from __future__ import annotations

import os
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
from tests.e2e.test_sunoapi_e2e import call, ok, record, refused, submit, wait_for
from tests.support.hook_receiver import HookReceiver
from tests.support.server import REPO, Process, api_data, free_port, songgate_env, start

LYRICS = "[Verse]\nSunday morning light\n[Chorus]\nHappy weekend"
TITLE = "Weekend"
WAIT = 900.0  # seconds a render may take on a busy machine
ENV = {"SONGGATE_ROUTES": "MUSIC=local", "SONGGATE_PRICES": "STEM=3",
       "SONGGATE_WEBHOOK_ALLOW_PRIVATE": "true", "SONGGATE_WEBHOOK_BACKOFF_SECONDS": "0.2",
       "SONGGATE_WEBHOOK_POLL_SECONDS": "0.1", "SONGGATE_WEBHOOK_TIMEOUT_SECONDS": "1",
       "PYTHONPATH": os.pathsep.join((str(REPO / "src"), str(REPO)))}
RECORD_FIELDS = {"taskId", "musicId", "callbackUrl", "type", "completeTime", "response",
                 "successFlag", "status", "createTime", "errorCode", "errorMessage"}
TWELVE_FIELDS = {"vocalUrl", "backingVocalsUrl", "drumsUrl", "bassUrl", "guitarUrl",
                 "keyboardUrl", "percussionUrl", "stringsUrl", "synthUrl", "fxUrl", "brassUrl",
                 "woodwindsUrl"}
# each of our parts' title label and the dialect's field naming it
FIELD_OF_LABEL = {"Vocals": "vocalUrl", "Instrumental": "instrumentalUrl", "Drums": "drumsUrl",
                  "Percussion": "percussionUrl", "Bass": "bassUrl", "Guitar": "guitarUrl",
                  "Keys": "keyboardUrl", "Strings": "stringsUrl", "Synth": "synthUrl",
                  "FX": "fxUrl", "Pads": "padsUrl", "Other": "otherUrl"}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sunoapi-stems")


@pytest.fixture(scope="module")
def server(data_dir: Path) -> Iterator[Process]:
    process = start("serve", data_dir, port=free_port(), **ENV)
    yield process
    process.stop()


@pytest.fixture(scope="module")
def song(server: Process, data_dir: Path) -> tuple[str, dict[str, Any]]:
    cli(data_dir, "accounts", "topup", "default", "100")
    task_id = submit(server, "/api/v1/generate", {
        "customMode": True, "instrumental": False, "prompt": LYRICS, "style": "pop",
        "title": TITLE})
    data = record(server, task_id, timeout=WAIT)
    assert data["status"] == "SUCCESS", data["errorMessage"]
    return task_id, data["response"]["sunoData"][0]


def cli(data_dir: Path, *args: str) -> str:
    return subprocess.run([sys.executable, "-m", "songgate", *args], capture_output=True,
                          text=True, check=True, timeout=60,
                          env=songgate_env(data_dir, **ENV)).stdout


def stems_record(server: Process, task_id: str, token: str | None = None) -> dict[str, Any]:
    deadline = time.monotonic() + WAIT
    while True:
        data: dict[str, Any] = ok(call(server, "GET", "/api/v1/vocal-removal/record-info",
                                       token=token, taskId=task_id))
        assert set(data) == RECORD_FIELDS
        if data["successFlag"] != "PENDING" or time.monotonic() > deadline:
            return data
        assert data["status"] == "PENDING" and data["completeTime"] is None
        time.sleep(0.2)


def fetched(url: str) -> bytes:
    got = httpx.get(url, timeout=30)
    assert got.status_code == 200, url
    assert got.content[:3] == b"ID3" or got.content[:2] in (b"\xff\xfb", b"\xff\xf3")
    return got.content


def gateway_stems(server: Process, task_id: str) -> dict[str, str]:
    """The STEM task as the gateway dialect reads it: each stem's label and audio URL."""
    task = api_data(server, "GET", f"/suno/fetch/{task_id}")
    assert task["action"] == "STEM" and task["status"] == "SUCCESS"
    return {clip["title"].removeprefix(f"{TITLE} - "): clip["audio_url"]
            for clip in task["data"]}


def balance(data_dir: Path) -> int:
    shown = cli(data_dir, "accounts", "show", "default")
    return int(shown.split("balance ")[1].split()[0])


def test_separate_vocal(server: Process, data_dir: Path,
                        song: tuple[str, dict[str, Any]]) -> None:
    song_task, clip = song
    before = balance(data_dir)
    with HookReceiver() as receiver:
        hook = receiver.url + "/stems"
        stem_task = submit(server, "/api/v1/vocal-removal/generate", {
            "taskId": song_task, "audioId": clip["id"], "type": "separate_vocal",
            "callBackUrl": hook})
        assert balance(data_dir) == before - 3  # the STEM price
        data = stems_record(server, stem_task)
        wait_for(lambda: receiver.count() == 1)
        time.sleep(0.5)  # nothing more arrives
        assert receiver.count() == 1
    assert data["successFlag"] == data["status"] == "SUCCESS"
    assert data["taskId"] == stem_task and data["musicId"] == clip["id"]
    assert data["type"] == "separate_vocal" and data["callbackUrl"] == hook
    assert data["errorCode"] is None and data["errorMessage"] is None
    assert len(data["createTime"]) == 19 and len(data["completeTime"]) == 19
    response = data["response"]
    assert set(response) == {"originUrl", "vocalUrl", "instrumentalUrl"}
    assert response["originUrl"] == clip["audioUrl"]
    parts = gateway_stems(server, stem_task)  # the same task in the other dialect
    assert parts == {"Vocals": response["vocalUrl"],
                     "Instrumental": response["instrumentalUrl"]}
    for url in response.values():
        fetched(url)

    got = receiver.received[0]
    assert got.path == "/stems" and got.headers["x-songgate-event"] == "sunoapi.complete"
    secret = cli(data_dir, "accounts", "webhook-secret", "default").strip()
    assert verify(secret, got.headers["x-songgate-timestamp"], got.body,
                  got.headers["x-songgate-signature"])
    body = orjson.loads(got.body)
    assert body["code"] == 200 and isinstance(body["msg"], str)
    assert body["data"] == {"callbackType": "complete", "task_id": stem_task,
                            "taskId": stem_task, "vocal_removal_info": {
                                "origin_url": clip["audioUrl"],
                                "vocal_url": response["vocalUrl"],
                                "instrumental_url": response["instrumentalUrl"]}}


def test_split_stem(server: Process, song: tuple[str, dict[str, Any]]) -> None:
    song_task, clip = song
    stem_task = submit(server, "/api/v1/vocal-removal/generate", {
        "taskId": song_task, "audioId": clip["id"], "type": "split_stem"})
    data = stems_record(server, stem_task)
    assert data["successFlag"] == "SUCCESS" and data["type"] == "split_stem"
    assert data["callbackUrl"] == ""
    response = data["response"]
    parts = gateway_stems(server, stem_task)
    extras = {FIELD_OF_LABEL[label] for label in parts} - TWELVE_FIELDS
    assert extras <= {"padsUrl", "otherUrl"}
    assert set(response) == {"originUrl", *TWELVE_FIELDS, *extras}
    assert response["originUrl"] == clip["audioUrl"]
    # every part the song has under its field, every other field null
    named = {FIELD_OF_LABEL[label]: url for label, url in parts.items()}
    assert {name: url for name, url in response.items() if name != "originUrl"} == {
        name: named.get(name) for name in (TWELVE_FIELDS | extras)}
    assert response["vocalUrl"] and len(named) >= 4
    for absent in ("backingVocalsUrl", "brassUrl", "woodwindsUrl"):
        assert response[absent] is None
    for url in named.values():
        fetched(url)


def test_refusals(server: Process, data_dir: Path, song: tuple[str, dict[str, Any]]) -> None:
    song_task, clip = song
    spent = balance(data_dir)
    path = "/api/v1/vocal-removal/generate"
    other = cli(data_dir, "tokens", "create", "--account", "other",
                "--create-account").strip()
    body = {"taskId": song_task, "audioId": clip["id"], "type": "separate_vocal"}
    refused(call(server, "POST", path, body, token=other), 404)
    refused(call(server, "POST", path, {"audioId": clip["id"]}, token=other), 400)
    message = refused(call(server, "POST", path, {**body, "type": "vocals"}), 400)
    assert "is not one of separate_vocal, split_stem" in message
    assert "audioId" in refused(call(server, "POST", path, {"taskId": song_task}), 400)
    refused(call(server, "POST", path, {**body, "audioId": "no-such-clip"}), 404)
    refused(call(server, "POST", path, {**body, "callBackUrl": "ftp://x"}), 400)
    refused(call(server, "POST", path, body, token=""), 401)
    assert balance(data_dir) == spent  # a refused request costs nothing

    record_path = "/api/v1/vocal-removal/record-info"
    refused(call(server, "GET", record_path), 400)
    refused(call(server, "GET", record_path, taskId="no-such-task"), 404)
    assert "not a vocal removal task" in refused(
        call(server, "GET", record_path, taskId=song_task), 404)
    stem_task = submit(server, path, body)
    refused(call(server, "GET", record_path, token=other, taskId=stem_task), 404)
    stems_record(server, stem_task)  # let it end before the server stops


def test_the_openapi_document_describes_vocal_removal(server: Process) -> None:
    document = httpx.get(server.url + "/openapi.json", timeout=30).json()
    made = document["paths"]["/api/v1/vocal-removal/generate"]["post"]
    assert made["operationId"] == "sunoapi_vocal_removal_generate"
    assert {"200", "400", "401", "404", "429"} <= set(made["responses"])
    schema = made["requestBody"]["content"]["application/json"]["schema"]
    assert schema["properties"]["type"]["enum"] == ["separate_vocal", "split_stem", None]
    read = document["paths"]["/api/v1/vocal-removal/record-info"]["get"]
    data = read["responses"]["200"]["content"]["application/json"]["schema"]["properties"]
    assert set(data["data"]["properties"]) == RECORD_FIELDS
