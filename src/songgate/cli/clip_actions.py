"""``songgate timing CLIP`` and ``songgate file wav|mp4|midi CLIP``: what the service
can give of a finished clip."""

from __future__ import annotations

import sys
from typing import Annotated

import orjson
import typer
from rich.console import Console
from rich.table import Table

from songgate.cli.client import JsonOption, TokenOption, UrlOption, _client, _run


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
