"""An extension's timed lyrics through HTTP, on a real render: the words of the original it
keeps (up to the cut, at their own times), then the new part's words, in order."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.engine_server import RENDER_BACKENDS, engine_env
from tests.support.server import Process, api_data, serving, wait_task

ORIGINAL = "[Verse]\nSunday morning light\nCoffee in my hand\n[Chorus]\nHappy weekend"
MORE = "[Verse]\nand the river carries on"
WAIT = 900.0  # seconds a render may take on a busy machine
NEW_WORDS = re.findall(r"[\w']+", "and the river carries on")


@pytest.fixture(params=RENDER_BACKENDS)
def engine(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Process]:
    with serving(tmp_path, **engine_env(request)) as process:
        yield process


def _words(server: Process, clip_id: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = api_data(server, "GET",
                                           f"/suno/act/timing/{clip_id}")["aligned_words"]
    return found


def test_an_extensions_timing_begins_with_the_kept_words(engine: Process) -> None:
    first = wait_task(engine, api_data(engine, "POST", "/suno/submit/music", {
        "prompt": ORIGINAL, "tags": "pop 100 bpm", "title": "Weekend", "mv": "chirp-v3-0"}),
        timeout=WAIT)
    assert first["status"] == "SUCCESS", first["fail_reason"]
    clip = first["data"][0]
    original = _words(engine, clip["id"])
    assert len(original) >= 6
    continue_at = original[5]["start_s"] + 0.01  # past the sixth word's start
    extended = wait_task(engine, api_data(engine, "POST", "/suno/submit/music", {
        "prompt": MORE, "tags": "pop", "mv": "chirp-v3-0", "continue_clip_id": clip["id"],
        "continue_at": continue_at}), timeout=WAIT)
    assert extended["status"] == "SUCCESS", extended["fail_reason"]
    words = _words(engine, extended["data"][0]["id"])

    # the kept words: the original's first ones, at their own times, begun before the cut
    kept = 0
    while (kept < len(words) and kept < len(original)
           and (words[kept]["word"], words[kept]["start_s"])
           == (original[kept]["word"], original[kept]["start_s"])):
        kept += 1
    assert kept >= 1
    assert all(w["start_s"] < continue_at for w in words[:kept])
    assert all(w["end_s"] == o["end_s"] for w, o in zip(words[:kept - 1], original, strict=False))
    # then the new part's words, every one after the kept ones, in the order sung
    new = words[kept:]
    assert [w["word"] for w in new][:len(NEW_WORDS)] == NEW_WORDS
    assert set(w["word"] for w in new) <= set(NEW_WORDS)
    starts = [w["start_s"] for w in words]
    assert starts == sorted(starts)
    assert new[0]["start_s"] >= words[kept - 1]["end_s"] - 0.06  # at most the crossfade
    # the original words left out are those the cut dropped: none begins before the new part
    assert all(o["start_s"] >= words[kept - 1]["end_s"] for o in original[kept:])
    assert words[-1]["end_s"] <= extended["data"][0]["metadata"]["duration"]
