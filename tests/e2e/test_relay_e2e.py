"""songgate relaying to another songgate that runs the offline engine, through real HTTP.

The front service has one channel, ``back``, speaking the ``suno-task`` protocol to the
back service. Clients of the front never see the back's ids or URLs: media are copied.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import orjson
import pytest

from tests.support.relay_jobs import upstream_id
from tests.support.server import Process, api_data, free_port, start, wait_task

CHANNEL_ROUTES = "MUSIC=channels,LYRICS=channels"


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[Process, Process]]:
    back = start("serve", tmp_path / "back", port=free_port(), SONGGATE_ROUTES=CHANNEL_ROUTES)
    channels_file = tmp_path / "channels.toml"
    channels_file.write_text(
        '[[channel]]\nname = "back"\nprotocol = "suno-task"\n'
        f'base_url = "{back.url}"\nkey_env = "BACK_KEY"\n'
        'trusted = true\n'  # on loopback: its media come from a private address
    )
    front = start(
        "serve", tmp_path / "front", port=free_port(), SONGGATE_ROUTES=CHANNEL_ROUTES,
        SONGGATE_CHANNELS_FILE=str(channels_file), BACK_KEY=back.token,
        SONGGATE_RELAY_POLL_INTERVAL_SECONDS="0.3",
    )
    try:
        yield front, back
    finally:
        front.stop()
        back.stop()


def test_lyrics_and_music_relay_through_another_songgate(
    pair: tuple[Process, Process], tmp_path: Path
) -> None:
    front, back = pair
    lyrics_id = api_data(front, "POST", "/suno/submit/lyrics", {"prompt": "a night train home"})
    lyrics = wait_task(front, lyrics_id, timeout=60)
    assert lyrics["status"] == "SUCCESS", lyrics["fail_reason"]
    theirs = upstream_id(tmp_path / "front", lyrics_id)
    assert theirs != lyrics_id
    assert theirs not in orjson.dumps(lyrics).decode()  # the upstream id stays private
    back_lyrics = wait_task(back, theirs, timeout=10)
    assert back_lyrics["data"]["text"] == lyrics["data"]["text"] != ""

    music_id = api_data(front, "POST", "/suno/submit/music", {
        "prompt": "[Verse]\nlights along the river\n[Chorus]\nhome again tonight",
        "tags": "synthwave", "title": "Relay", "mv": "chirp-v3-0",
    })
    music = wait_task(front, music_id, timeout=240)
    assert music["status"] == "SUCCESS", music["fail_reason"]
    back_music = wait_task(back, upstream_id(tmp_path / "front", music_id), timeout=10)
    for ours, upstream in zip(music["data"], back_music["data"], strict=True):
        assert ours["id"] != upstream["id"]
        assert ours["audio_url"].startswith(front.url + "/media/")
        assert ours["image_url"].startswith(front.url + "/media/")
        assert ours["title"] == "Relay" and ours["metadata"]["duration"] > 10
        copied = httpx.get(ours["audio_url"], timeout=30)
        original = httpx.get(upstream["audio_url"], timeout=30)
        assert copied.status_code == 200 and copied.headers["content-type"] == "audio/mpeg"
        assert copied.content == original.content

    # extending a relayed clip goes back to the channel that made it, under its own id
    first = music["data"][0]
    extend_id = api_data(front, "POST", "/suno/submit/music", {
        "prompt": "[Verse]\nand the river carries on", "tags": "synthwave", "mv": "chirp-v3-0",
        "continue_clip_id": first["id"], "continue_at": 20,
    })
    extended = wait_task(front, extend_id, timeout=240)
    assert extended["status"] == "SUCCESS", extended["fail_reason"]
    back_extended = wait_task(back, upstream_id(tmp_path / "front", extend_id), timeout=10)
    history = back_extended["data"][0]["metadata"]["history"]
    assert history[0]["id"] == back_music["data"][0]["id"] and history[0]["continue_at"] == 20
    assert extended["data"][0]["metadata"]["history"][0]["id"] == first["id"]
