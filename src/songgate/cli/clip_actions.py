"""``songgate timing CLIP``, ``songgate file wav|mp4|midi CLIP`` and ``songgate stems
CLIP``: what the service can give of a finished clip."""

from __future__ import annotations

import sys
import time
from typing import Annotated

import orjson
import typer
from rich.console import Console
from rich.table import Table

from songgate.cli.client import (
    EXIT_FAILED,
    JsonOption,
    TimeoutOption,
    TokenOption,
    UrlOption,
    _client,
    _exit_for,
    _run,
    _wait,
)


def timing(
    clip_id: str,
    url: UrlOption = "http://127.0.0.1:8000",
    token: TokenOption = "",
    as_json: JsonOption = False,
) -> None:
    """Show a clip's sung words with the second each starts and ends."""
    with _client(url, token) as client:
        found = _run(lambda: client.timing(clip_id))
    if as_json:
        sys.stdout.write(orjson.dumps(found.raw).decode() + "\n")
        return
    table = Table("word", "start", "end")
    for word in found.words:
        table.add_row(word.word, f"{word.start_s:.3f}", f"{word.end_s:.3f}")
    Console().print(table)


def clip_file(
    kind: Annotated[str, typer.Argument(help="wav, mp4 or midi.")],
    clip_id: str,
    url: UrlOption = "http://127.0.0.1:8000",
    token: TokenOption = "",
) -> None:
    """Print the URL of a clip's WAV, MP4 or MIDI file."""
    if kind not in ("wav", "mp4", "midi"):
        Console(stderr=True).print("songgate: the file is wav, mp4 or midi")
        raise typer.Exit(2)
    with _client(url, token) as client:
        found = _run(lambda: client.clip_file_url(clip_id, kind))
    sys.stdout.write(found + "\n")


ENDED = ("complete", "error")


def stems(
    clip_id: str,
    twelve: Annotated[bool, typer.Option("--twelve", help="Every part the song has, "
                                         "not only vocals and instrumental.")] = False,
    url: UrlOption = "http://127.0.0.1:8000",
    token: TokenOption = "",
    timeout: TimeoutOption = 900.0,
    as_json: JsonOption = False,
) -> None:
    """Show a clip's stem clips, waiting for them to be made if they were not yet."""
    with _client(url, token) as client:
        found = _run(lambda: client.stems(clip_id, twelve=twelve))
        clips = found.clips
        if found.task_id:
            [task] = _wait(client, [found.task_id], timeout)
            _exit_for([task])
            clips = task.clips
        deadline = time.monotonic() + timeout
        while any(clip.status not in ENDED for clip in clips):  # asked for before, still made
            if time.monotonic() > deadline:
                Console(stderr=True).print("songgate: the stems are not made yet")
                raise typer.Exit(EXIT_FAILED)
            time.sleep(1.0)
            clips = _run(lambda: client.stems(clip_id, twelve=twelve)).clips
    if as_json:
        sys.stdout.write(orjson.dumps([clip.raw for clip in clips]).decode() + "\n")
        return
    table = Table("title", "status", "seconds", "audio")
    for clip in clips:
        table.add_row(clip.title, clip.status, f"{clip.duration:.1f}", clip.audio_url)
    Console().print(table)
