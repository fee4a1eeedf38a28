"""Both sides of sunoapi.org's dialect agree: songgate relays through the ``sunoapi-v1``
protocol to another songgate that serves the dialect, over real HTTP on loopback.

The channel is added as an operator would, with ``songgate channels add --protocol
sunoapi-v1``; the back service runs the tests' scripted provider.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx

from tests.support.relay_jobs import upstream_id
from tests.support.server import api_data, free_port, songgate_env, start, wait_task

CHANNEL_ROUTES = "MUSIC=channels,LYRICS=channels"


def test_a_task_relays_through_a_songgate_serving_the_dialect(tmp_path: Path) -> None:
    back = start("serve", tmp_path / "back", port=free_port())
    front_dir = tmp_path / "front"
    front_dir.mkdir()
    front = None
    try:
        added = subprocess.run(
            [sys.executable, "-m", "songgate", "channels", "add", "back", "--protocol",
             "sunoapi-v1", "--base-url", back.url, "--key-env", "BACK_KEY", "--trusted"],
            env=songgate_env(front_dir, BACK_KEY=back.token, SONGGATE_ROUTES=CHANNEL_ROUTES),
            capture_output=True, text=True, timeout=60)
        assert added.returncode == 0, added.stderr
        front = start("serve", front_dir, port=free_port(), SONGGATE_ROUTES=CHANNEL_ROUTES,
                      SONGGATE_RELAY_POLL_INTERVAL_SECONDS="0.2")

        lyrics_id = api_data(front, "POST", "/suno/submit/lyrics", {"prompt": "a night train"})
        lyrics = wait_task(front, lyrics_id, timeout=60)
        assert lyrics["status"] == "SUCCESS", lyrics["fail_reason"]
        theirs = upstream_id(front_dir, lyrics_id)
        back_lyrics = wait_task(back, theirs, timeout=10)
        assert lyrics["data"]["title"] == back_lyrics["data"]["title"] == "Happy Weekend"
        assert lyrics["data"]["text"] == back_lyrics["data"]["text"] != ""

        music_id = api_data(front, "POST", "/suno/submit/music", {
            "prompt": "[Verse]\nlights along the river", "tags": "synthwave",
            "title": "Relay script:files=mp3", "mv": "chirp-auk", "vocal_gender": "f",
            "style_weight": 0.8})
        music = wait_task(front, music_id, timeout=90)
        assert music["status"] == "SUCCESS", music["fail_reason"]
        back_id = upstream_id(front_dir, music_id)
        back_music = wait_task(back, back_id, timeout=10)
        # the back made it as the dialect asked: the model named V4_5, the knobs kept
        assert back_music["data"][0]["model_name"] == "chirp-auk"
        record = httpx.get(back.url + "/api/v1/generate/record-info", params={"taskId": back_id},
                           headers={"Authorization": f"Bearer {back.token}"}, timeout=10).json()
        assert record["data"]["status"] == "SUCCESS"
        for ours, upstream in zip(music["data"], back_music["data"], strict=True):
            assert ours["id"] != upstream["id"]
            assert ours["audio_url"].startswith(front.url + "/media/")
            assert ours["title"].startswith("Relay") and ours["metadata"]["tags"] == "synthwave"
            copied = httpx.get(ours["audio_url"], timeout=30)
            original = httpx.get(upstream["audio_url"], timeout=30)
            assert copied.status_code == 200 and copied.content == original.content

        # an extension goes to the same channel under the back's own clip id
        first = music["data"][0]
        extend_id = api_data(front, "POST", "/suno/submit/music", {
            "prompt": "[Verse]\nand on", "tags": "synthwave", "mv": "chirp-auk",
            "title": "More script:files=mp3", "continue_clip_id": first["id"],
            "continue_at": 1})
        extended = wait_task(front, extend_id, timeout=90)
        assert extended["status"] == "SUCCESS", extended["fail_reason"]
        back_extended = wait_task(back, upstream_id(front_dir, extend_id), timeout=10)
        history = back_extended["data"][0]["metadata"]["history"][0]
        assert history["id"] == back_music["data"][0]["id"] and history["continue_at"] == 1
    finally:
        if front is not None:
            front.stop()
        back.stop()
