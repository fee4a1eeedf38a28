"""``songgate submit | fetch | wait``: the task API from a terminal, through the client.

Works against any service that speaks the API: ``--url`` and ``--token`` (or
``SONGGATE_URL`` and ``SONGGATE_TOKEN``) are all it needs. Exit codes scripts can
rely on: 0 every task succeeded (or was submitted), 1 a task failed, 2 the request
was refused (bad input, token, credits, limits), 3 the service could not be reached
or failed, 4 waiting timed out, 5 a download failed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, TypeVar

import orjson
import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TaskID, TextColumn
from rich.table import Table

from songgate.cli.add_parts import part_task
from songgate.client import (
    ApiError,
    Clip,
    ConnectionFailed,
    DownloadFailed,
    ServerError,
    SongClient,
    TaskDto,
    WaitTimedOut,
)

EXIT_FAILED, EXIT_REFUSED, EXIT_UNREACHABLE, EXIT_TIMEOUT, EXIT_DOWNLOAD = 1, 2, 3, 4, 5

submit_app = typer.Typer(no_args_is_help=True, help="Submit MUSIC or LYRICS tasks.")
err = Console(stderr=True)
T = TypeVar("T")

UrlOption = Annotated[str, typer.Option("--url", envvar="SONGGATE_URL",
                                        help="The service's base URL.")]
TokenOption = Annotated[str, typer.Option("--token", envvar="SONGGATE_TOKEN",
                                          help="An API token (sk-...).", show_default=False)]
JsonOption = Annotated[bool, typer.Option("--json", help="JSON instead of a table.")]
TimeoutOption = Annotated[float, typer.Option(help="Seconds to wait at most.")]


def _client(url: str, token: str) -> SongClient:
    if not token:
        err.print("songgate: no token: pass --token or set SONGGATE_TOKEN")
        raise typer.Exit(EXIT_REFUSED)
    return SongClient(url, token)


def _run(action: Callable[[], T]) -> T:
    """Run a client call; map its errors to a message and an exit code."""
    try:
        return action()
    except ServerError as error:
        err.print(f"songgate: the service failed: {error}")
        raise typer.Exit(EXIT_UNREACHABLE) from None
    except ApiError as error:
        err.print(f"songgate: refused: {error}")
        raise typer.Exit(EXIT_REFUSED) from None
    except ConnectionFailed as error:
        err.print(f"songgate: {error.message}")
        raise typer.Exit(EXIT_UNREACHABLE) from None
    except DownloadFailed as error:
        err.print(f"songgate: {error.message}")
        raise typer.Exit(EXIT_DOWNLOAD) from None


def _print_tasks(tasks: Sequence[TaskDto], as_json: bool) -> None:
    if as_json:
        sys.stdout.write(orjson.dumps([t.raw for t in tasks]).decode() + "\n")
        return
    table = Table("task", "action", "status", "progress", "title / reason", "audio")
    for task in tasks:
        title = task.fail_reason or (task.lyrics.title if task.lyrics else
                                     ", ".join(c.title for c in task.clips[:1]))
        audio = "\n".join(c.audio_url for c in task.clips if c.audio_url)
        table.add_row(task.task_id, task.action, task.status, f"{task.progress}%", title, audio)
    Console().print(table)


def _exit_for(tasks: Sequence[TaskDto]) -> None:
    if any(t.status != "SUCCESS" for t in tasks):
        raise typer.Exit(EXIT_FAILED)


def _wait(client: SongClient, ids: Sequence[str], timeout: float) -> list[TaskDto]:
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[s]}"),
                  console=err, transient=True) as bars:
        rows: dict[str, TaskID] = {i: bars.add_task(i[:8], total=100, s="SUBMITTED") for i in ids}

        def show(tasks: list[TaskDto]) -> None:
            for task in tasks:
                bars.update(rows[task.task_id], completed=task.progress, s=task.status)

        try:
            return _run(lambda: client.wait(ids, timeout=timeout, on_progress=show))
        except WaitTimedOut as timed_out:
            bars.stop()
            err.print(f"songgate: {timed_out.message}")
            raise typer.Exit(EXIT_TIMEOUT) from None


def _download(client: SongClient, tasks: Sequence[TaskDto], directory: Path) -> None:
    with Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
                  console=err, transient=True) as bars:
        for task in tasks:
            for clip in task.clips:
                row = bars.add_task(clip.id[:8], total=None)

                def one(clip: Clip = clip, row: TaskID = row) -> Path:
                    def moved(done: int, total: int | None) -> None:
                        bars.update(row, completed=done, total=total)

                    return client.download(clip, directory, on_bytes=moved)

                err.print(f"saved {_run(one)}")


@submit_app.command("music")
def submit_music(
    url: UrlOption = "http://127.0.0.1:8000",
    token: TokenOption = "",
    tags: Annotated[str, typer.Option(help="Style tags.")] = "",
    title: Annotated[str, typer.Option()] = "",
    lyrics: Annotated[str, typer.Option(help="A file of lyrics, or - for standard input.")] = "",
    description: Annotated[str, typer.Option(help="Describe the song instead (description mode).")]
    = "",
    instrumental: Annotated[bool, typer.Option(help="No vocals.")] = False,
    mv: Annotated[str, typer.Option(help="Model version, e.g. chirp-v4.")] = "",
    vocal_gender: Annotated[str, typer.Option(help="The singer: m or f.")] = "",
    style_weight: Annotated[float | None, typer.Option(help="0-1: how strongly the tags lead.")]
    = None,
    weirdness: Annotated[float | None, typer.Option(help="0-1: how far from the genre.")]
    = None,
    audio_weight: Annotated[float | None, typer.Option(help="0-1: weight of reference audio.")]
    = None,
    persona: Annotated[str, typer.Option(help="Sing as this persona (its id).")] = "",
    add_vocals: Annotated[str, typer.Option(
        help="Sing the lyrics over this uploaded clip (an instrumental).")] = "",
    add_instrumental: Annotated[str, typer.Option(
        help="Play a band in the tags' style under this uploaded clip (a vocal).")] = "",
    continue_clip: Annotated[str, typer.Option(
        help="Extend this clip (an upload too) at --continue-at, or replace its span "
             "--infill-start..--infill-end.")] = "",
    continue_at: Annotated[float | None, typer.Option(help="Seconds into the clip.")] = None,
    infill_start: Annotated[float | None, typer.Option(
        help="Replace the span from here (seconds; 6-60 s long, at most half the clip).")]
    = None,
    infill_end: Annotated[float | None, typer.Option(help="...to here (seconds).")] = None,
    cover: Annotated[str, typer.Option(help="Cover this clip (a song or an upload) in the "
                                             "tags; its own words unless --lyrics.")] = "",
    wait: Annotated[bool, typer.Option(help="Wait until it ends.")] = False,
    download: Annotated[Path | None, typer.Option(help="Download the songs here (waits).")]
    = None,
    timeout: TimeoutOption = 900.0,
    as_json: JsonOption = False,
) -> None:
    """Submit a MUSIC task (a cover with --cover); prints its id (or the finished task with
    --wait)."""
    text = ""
    if lyrics == "-":
        text = sys.stdin.read()
    elif lyrics:
        try:
            text = Path(lyrics).read_text(encoding="utf-8")
        except OSError as error:
            err.print(f"songgate: cannot read {lyrics}: {error.strerror}")
            raise typer.Exit(EXIT_REFUSED) from None
    fields = {"prompt": text, "tags": tags, "title": title, "make_instrumental": instrumental,
              "gpt_description_prompt": description or None, "mv": mv or None,
              "vocal_gender": vocal_gender or None, "style_weight": style_weight,
              "weirdness_constraint": weirdness, "audio_weight": audio_weight,
              "persona_id": persona or None, "continue_clip_id": continue_clip or None,
              "continue_at": infill_start if continue_at is None else continue_at,
              "infill_start_s": infill_start,
              "infill_end_s": infill_end,
              "cover_clip_id": cover or None}
    with _client(url, token) as client:
        task_id = _run(lambda: part_task(client, fields, add_vocals, add_instrumental)
                       or client.submit_music(**fields))
        if not (wait or download):
            print(task_id)
            return
        tasks = _wait(client, [task_id], timeout)
        _print_tasks(tasks, as_json)
        if download is not None and tasks[0].status == "SUCCESS":
            _download(client, tasks, download)
        _exit_for(tasks)


@submit_app.command("lyrics")
def submit_lyrics(
    prompt: str,
    url: UrlOption = "http://127.0.0.1:8000",
    token: TokenOption = "",
    wait: Annotated[bool, typer.Option(help="Wait until it ends.")] = False,
    timeout: TimeoutOption = 300.0,
    as_json: JsonOption = False,
) -> None:
    """Submit a LYRICS task; prints its id (or the lyrics with --wait)."""
    with _client(url, token) as client:
        task_id = _run(lambda: client.submit_lyrics(prompt))
        if not wait:
            print(task_id)
            return
        tasks = _wait(client, [task_id], timeout)
        if as_json:
            _print_tasks(tasks, True)
        elif tasks[0].lyrics is not None and tasks[0].status == "SUCCESS":
            print(f"# {tasks[0].lyrics.title}\n\n{tasks[0].lyrics.text}")
        else:
            _print_tasks(tasks, False)
        _exit_for(tasks)


def fetch(
    ids: Annotated[list[str], typer.Argument(help="Task ids.")],
    url: UrlOption = "http://127.0.0.1:8000",
    token: TokenOption = "",
    as_json: JsonOption = False,
) -> None:
    """Show tasks by id (unknown ids are left out; exit 1 if any is missing)."""
    with _client(url, token) as client:
        tasks = _run(lambda: client.fetch(ids))
    _print_tasks(tasks, as_json)
    if len(tasks) != len(set(ids)):
        raise typer.Exit(EXIT_FAILED)


def wait(
    ids: Annotated[list[str], typer.Argument(help="Task ids.")],
    url: UrlOption = "http://127.0.0.1:8000",
    token: TokenOption = "",
    timeout: TimeoutOption = 900.0,
    as_json: JsonOption = False,
) -> None:
    """Wait until every task has ended; exit 1 if any failed."""
    with _client(url, token) as client:
        tasks = _wait(client, ids, timeout)
    _print_tasks(tasks, as_json)
    _exit_for(tasks)
