"""What both clients share: request bodies, reading answers, waiting and download rules."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote, urlsplit

import httpx

from songgate.client.errors import (
    ApiError,
    ConnectionFailed,
    DownloadFailed,
    WaitTimedOut,
    api_error,
)
from songgate.client.models import Clip, TaskDto

ProgressCallback = Callable[[list[TaskDto]], None]
BytesCallback = Callable[[int, int | None], None]  # (bytes so far, total if known)

MUSIC_FIELDS = ("prompt", "tags", "negative_tags", "title", "mv", "make_instrumental",
                "gpt_description_prompt", "continue_clip_id", "continue_at", "notify_hook",
                "vocal_gender", "style_weight", "weirdness_constraint", "audio_weight",
                "persona_id", "cover_clip_id",
                "task", "infill_start_s", "infill_end_s")  # an upload extension, a span
FETCH_CHUNK = 1000  # the most ids one batch fetch may carry


def music_body(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(fields) - set(MUSIC_FIELDS))
    if unknown:
        raise TypeError(f"unknown music fields: {', '.join(unknown)}")
    return {key: value for key, value in fields.items() if value is not None}


def headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Accept": "application/json",
            "User-Agent": "songgate-client"}


TEST_OUTCOME_HEADER = "X-Songgate-Test-Outcome"


def test_headers(outcome: str | None) -> dict[str, str] | None:
    """The header asking an account in test mode for an outcome (songgate's test mode)."""
    return {TEST_OUTCOME_HEADER: outcome} if outcome else None


def data_of(response: httpx.Response) -> Any:
    """The envelope's ``data`` of a successful answer; else the typed error."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.status_code == 200 and isinstance(body, dict) and body.get("code") == "success":
        return body.get("data")
    if response.status_code == 200:
        raise ApiError(200, str(body.get("code") if isinstance(body, dict) else "bad_answer"),
                       "the service answered without a success envelope")
    raise api_error(response.status_code, body, response.headers.get("retry-after"))


def connection_failed(url: str, error: httpx.HTTPError) -> ConnectionFailed:
    return ConnectionFailed(f"could not reach {url}: {type(error).__name__}")


def tasks_of(data: Any) -> list[TaskDto]:
    return [TaskDto.from_json(item) for item in data if isinstance(item, dict)] \
        if isinstance(data, list) else []


def chunks(ids: Sequence[str]) -> list[list[str]]:
    return [list(ids[i:i + FETCH_CHUNK]) for i in range(0, len(ids), FETCH_CHUNK)]


def next_interval(current: float, maximum: float) -> float:
    """Polling slows down while nothing ends: 1.5 times longer each round, up to ``maximum``."""
    return min(current * 1.5, maximum)


def file_name(url: str, fallback: str) -> str:
    name = Path(unquote(urlsplit(url).path)).name
    safe = "".join(ch for ch in name if ch.isalnum() or ch in "._-")
    return safe or fallback


def download_target(url: str, directory: str | Path, fallback: str) -> tuple[Path, Path]:
    """(final path, partial path): bytes go to the partial file, renamed when whole."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / file_name(url, fallback)
    return final, final.with_name(final.name + ".part")


class WaitState:
    """The bookkeeping of ``wait``: which tasks to ask for, when to stop, how long to sleep."""

    def __init__(self, ids: Sequence[str], *, timeout: float, interval: float,
                 max_interval: float) -> None:
        self._ids = list(ids)
        self._timeout = timeout
        self._deadline = time.monotonic() + timeout
        self._interval = interval
        self._max_interval = max_interval
        self._latest: dict[str, TaskDto] = {}

    def waiting(self) -> list[str]:
        return [i for i in self._ids if i not in self._latest or not self._latest[i].is_terminal]

    def update(self, tasks: Sequence[TaskDto]) -> list[TaskDto]:
        for task in tasks:
            self._latest[task.task_id] = task
        return [self._latest[i] for i in self._ids if i in self._latest]

    def done(self, current: Sequence[TaskDto]) -> bool:
        return len(current) == len(self._ids) and all(t.is_terminal for t in current)

    def next_sleep(self, current: Sequence[TaskDto]) -> float:
        """Seconds to sleep before the next round; :class:`WaitTimedOut` past the deadline."""
        interval = self._interval
        if time.monotonic() + interval > self._deadline:
            raise WaitTimedOut(f"tasks still running after {self._timeout:g} s", list(current))
        self._interval = next_interval(interval, self._max_interval)
        return interval


class Download:
    """One file download into ``<name>.part``, resumed by range, renamed only when whole."""

    def __init__(self, clip: Clip, directory: str | Path, what: str,
                 on_bytes: BytesCallback | None) -> None:
        self.url = getattr(clip, f"{what}_url", "")
        if not self.url:
            raise DownloadFailed(f"the clip has no {what} URL")
        self.what = what
        self.final, self.part = download_target(self.url, directory, f"{clip.id}.{what}")
        self.have = self.part.stat().st_size if self.part.exists() else 0
        self.headers = {"Range": f"bytes={self.have}-"} if self.have else {}
        self._on_bytes = on_bytes
        self._written = 0
        self._expected: int | None = None
        self._base = 0

    def open(self, status: int, headers: httpx.Headers) -> IO[bytes] | None:
        """Where the body goes; None when the partial file is already whole (416)."""
        if status == 416:
            return None
        if status not in (200, 206):
            raise DownloadFailed(f"{self.what} download answered HTTP {status}")
        self._base = self.have if status == 206 else 0
        length = headers.get("content-length")
        self._expected = int(length) if length and length.isdigit() else None
        return self.part.open("ab" if status == 206 else "wb")

    def wrote(self, size: int) -> None:
        self._written += size
        if self._on_bytes is not None:
            total = None if self._expected is None else self._base + self._expected
            self._on_bytes(self._base + self._written, total)

    def finish(self) -> Path:
        if self._expected is not None and self._written != self._expected:
            raise DownloadFailed(f"{self.what} download stopped early; run it again to resume")
        self.part.replace(self.final)
        return self.final

    def interrupted(self, error: httpx.HTTPError) -> DownloadFailed:
        return DownloadFailed(f"{self.what} download was interrupted ({type(error).__name__}); "
                              "run it again to resume")
