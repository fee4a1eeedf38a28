"""``songgate upload FILE|URL``: a song of your own as a clip of your account."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import orjson
import typer

from songgate.cli.client import TokenOption, UrlOption, _client, _run


def upload(
    source: Annotated[str, typer.Argument(
        help="An audio file here, or an http(s) URL the server fetches.")],
    url: UrlOption = "http://127.0.0.1:8000",
    token: TokenOption = "",
) -> None:
    """Upload audio (any format ffmpeg reads, up to 8 minutes); prints the clip as JSON."""
    is_url = source.startswith(("http://", "https://"))
    if not is_url and not Path(source).is_file():
        typer.echo(f"error: {source} is not a file (nor an http(s) URL)", err=True)
        raise typer.Exit(2)
    with _client(url, token) as client:
        made = _run(lambda: client.upload_url(source) if is_url
                    else client.upload_file(source))
    print(orjson.dumps({"clip_id": made.clip_id, "task_id": made.task_id,
                        "duration": made.duration}, option=orjson.OPT_INDENT_2).decode())
