"""``songgate submit music --continue-clip`` on an upload, at a point or over a span,
against a real ``songgate serve``: submitted as the gateway's own fields, a bad span
refused with its reason (exit 2)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from songgate.client import SongClient
from tests.support.client_cli import run
from tests.support.server import Process, serving
from tests.uploads.audio_files import tone


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Process]:
    with serving(tmp_path_factory.mktemp("spans-cli")) as process:
        yield process


def test_an_upload_is_extended_or_a_span_replaced_from_the_terminal(
    server: Process, tmp_path: Path
) -> None:
    song = tmp_path / "mine.wav"
    tone(song, 20.0)
    with SongClient(server.url, server.token) as client:
        clip = client.upload_file(song).clip_id
        lyrics = tmp_path / "words.txt"
        lyrics.write_text("[Verse]\nOn and on", encoding="utf-8")
        extended = run(server, "submit", "music", "--continue-clip", clip, "--continue-at",
                       "12.5", "--lyrics", str(lyrics))
        assert extended.returncode == 0, extended.stderr
        replaced = run(server, "submit", "music", "--continue-clip", clip, "--infill-start",
                       "2", "--infill-end", "9.5", "--lyrics", str(lyrics))
        assert replaced.returncode == 0, replaced.stderr
        tasks = client.fetch([extended.stdout.strip(), replaced.stdout.strip()])
        assert [task.action for task in tasks] == ["MUSIC", "MUSIC"]
    too_long = run(server, "submit", "music", "--continue-clip", clip, "--infill-start", "2",
                   "--infill-end", "14", "--lyrics", str(lyrics))
    assert too_long.returncode == 2
    assert "at most half the clip (10 s) may be replaced" in " ".join(too_long.stderr.split())
