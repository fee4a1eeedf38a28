"""The fetch contract, checked against the documented example over real HTTP on loopback."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import requests

from tests.support.server import Process, wait_task

EXAMPLE = json.loads((Path(__file__).parent / "fetch_response_example.json").read_text())
DOC_IDS = ["2a145658-3342-4228-b779-b8323a2b77df1", "2a145658-3342-4228-b779-b8323a2b77df2"]


def json_type(value: Any) -> str:
    return type(value).__name__


def assert_same_shape(ours: Any, theirs: Any, path: str = "$") -> None:
    """Every key of ``theirs`` is in ``ours`` with the same JSON type, recursively."""
    assert json_type(ours) == json_type(theirs), f"{path}: {json_type(ours)} != {theirs!r}"
    if isinstance(theirs, dict):
        for key, value in theirs.items():
            assert key in ours, f"{path}.{key} missing"
            assert_same_shape(ours[key], value, f"{path}.{key}")
    elif isinstance(theirs, list) and theirs:
        assert ours, f"{path} is empty"
        for index, item in enumerate(ours):
            assert_same_shape(item, theirs[0], f"{path}[{index}]")


def post(server: Process, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = requests.post(
        server.url + path, json=body, headers={"Authorization": f"Bearer {server.token}"},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def test_music_task_matches_the_documented_example(serve: Process) -> None:
    task_id = post(serve, "/suno/submit/music", {
        "prompt": "[Verse]\n快乐周末", "tags": "heartfelt salsa", "title": "快乐周末",
        "mv": "chirp-v3-5"})["data"]
    done = wait_task(serve, task_id, timeout=20)
    assert done["status"] == "SUCCESS" and done["progress"] == "100%"
    body = post(serve, "/suno/fetch", {"ids": [task_id], "action": "MUSIC"})
    assert_same_shape(body, EXAMPLE)
    theirs_clip = EXAMPLE["data"][0]["data"][0]
    for clip in body["data"][0]["data"]:
        assert list(clip) == list(theirs_clip)  # same keys, same order
        assert list(clip["metadata"]) == list(theirs_clip["metadata"])
        assert clip["audio_url"].startswith(serve.url) and clip["audio_url"].endswith(".mp3")
        assert clip["status"] == "complete" and clip["model_name"] == "chirp-v3"


def test_lyrics_task_has_the_documented_envelope(serve: Process) -> None:
    task_id = post(serve, "/suno/submit/lyrics", {"prompt": "a happy weekend"})["data"]
    done = wait_task(serve, task_id, timeout=20)
    body = post(serve, "/suno/fetch", {"ids": [task_id], "action": "LYRICS"})
    task_example = EXAMPLE["data"][0]
    ours = body["data"][0]
    assert list(ours) == list(task_example)
    for key in task_example:
        if key != "data":
            assert json_type(ours[key]) == json_type(task_example[key]), key
    assert set(done["data"]) == {"id", "text", "title", "status"}
    assert done["data"]["status"] == "complete" and done["data"]["text"]


def test_documented_curl_example_runs_unchanged(serve: Process) -> None:
    payload = json.dumps({"ids": DOC_IDS, "action": "MUSIC"}, indent=2)
    result = subprocess.run(
        ["curl", "-sS", "-X", "POST", f"{serve.url}/suno/fetch",
         "-H", "Content-Type: application/json",
         "-H", f"Authorization: Bearer {serve.token}", "-d", payload],
        capture_output=True, check=True, timeout=10,
    )
    assert json.loads(result.stdout) == {"code": "success", "message": "", "data": []}


def test_documented_requests_example_runs_unchanged(serve: Process) -> None:
    known = post(serve, "/suno/submit/music", {"prompt": "la la"})["data"]
    response = requests.post(
        f"{serve.url}/suno/fetch",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {serve.token}"},
        json={"ids": [*DOC_IDS, known], "action": "MUSIC"},
        timeout=10,
    )
    body = response.json()
    assert body["code"] == "success" and body["message"] == ""
    assert [task["task_id"] for task in body["data"]] == [known]


def test_errors_over_http_keep_the_envelope(serve: Process) -> None:
    response = requests.post(f"{serve.url}/suno/fetch", data=b"{", timeout=10,
                             headers={"Authorization": f"Bearer {serve.token}"})
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid_request", "message": "request body is not valid JSON", "data": None}
