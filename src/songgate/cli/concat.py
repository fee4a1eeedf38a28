"""``songgate concat CLIP``: an extension chain joined into one clip, from a terminal."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from songgate.cli.client import TokenOption, UrlOption, _client, _run


def concat(
    clip_id: Annotated[str, typer.Argument(help="The last clip of an extension chain.")],
    url: UrlOption = "http://127.0.0.1:8000",
    token: TokenOption = "",
    infill: Annotated[bool, typer.Option(
        "--infill", help="Send is_infill: accepted; the engine's extensions are never "
                         "infills, so it changes nothing.")] = False,
) -> None:
    """Submit a CONCAT task: the whole song of CLIP's chain as one clip; prints its id
    (`songgate wait ID` follows it)."""
    with _client(url, token) as client:
        task_id = _run(lambda: client.submit_concat(clip_id, is_infill=infill))
    sys.stdout.write(task_id + "\n")
