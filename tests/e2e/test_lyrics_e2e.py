"""LYRICS tasks and description mode through HTTP on the default configuration."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.server import Process, api_data, free_port, start, wait_task

DEFAULT_ROUTES = "MUSIC=local,LYRICS=local"


@pytest.fixture
def server(tmp_path: Path) -> Any:
    process = start("serve", tmp_path, port=free_port(), SONGGATE_ROUTES=DEFAULT_ROUTES)
    yield process
    process.stop()


@pytest.mark.parametrize("prompt", ["a song about a happy weekend", "关于夏夜和海边的情歌"])
def test_lyrics_task_completes_with_its_times_in_order(
    server: Process, prompt: str
) -> None:
    task = wait_task(server, api_data(server, "POST", "/suno/submit/lyrics", {"prompt": prompt}))
    assert task["status"] == "SUCCESS" and task["progress"] == "100%"
    # how soon after its claim it finishes is measured by benchmarks/lyrics.py
    assert task["submit_time"] <= task["start_time"] <= task["finish_time"]
    data = task["data"]
    assert set(data) == {"id", "text", "title", "status"} and data["status"] == "complete"
    assert data["title"] and "[Verse]" in data["text"] and "[Chorus]" in data["text"]


def test_description_mode_writes_title_tags_and_lyrics(server: Process) -> None:
    description = "a sad rainy night in Tokyo"
    task = wait_task(server, api_data(server, "POST", "/suno/submit/music", {
        "gpt_description_prompt": description, "mv": "chirp-v3-0"}))
    assert task["status"] == "SUCCESS", task["fail_reason"]
    titles = {clip["title"] for clip in task["data"]}
    assert len(titles) == 1 and titles != {""}
    for clip in task["data"]:
        metadata = clip["metadata"]
        assert metadata["gpt_description_prompt"] == description
        assert "[Chorus]" in metadata["prompt"]
        assert metadata["tags"] == "melancholic lo-fi piano"


def test_description_mode_instrumental_has_no_lyrics(server: Process) -> None:
    task = wait_task(server, api_data(server, "POST", "/suno/submit/music", {
        "gpt_description_prompt": "an epic battle in the mountains", "make_instrumental": True,
        "mv": "chirp-v3-0"}))
    assert task["status"] == "SUCCESS", task["fail_reason"]
    for clip in task["data"]:
        assert clip["metadata"]["prompt"] == "" and clip["title"]
        assert "orchestral" in clip["metadata"]["tags"]
