"""SongClient: the blocking client (httpx)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import httpx

from songgate.client import protocol
from songgate.client.errors import DownloadFailed, WaitTimedOut
from songgate.client.models import Clip, TaskDto

ProgressCallback = Callable[[list[TaskDto]], None]
BytesCallback = Callable[[int, int | None], None]  # (bytes so far, total if known)


class SongClient:
    def __init__(self, base_url: str, token: str, *, timeout: float = 30.0,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(base_url=self.base_url, headers=protocol.headers(token),
                                  timeout=timeout, transport=transport)

    def __enter__(self) -> SongClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        try:
            response = self._http.request(method, path, json=body)
        except httpx.HTTPError as error:
            raise protocol.connection_failed(self.base_url, error) from None
        return protocol.data_of(response)

    def submit_music(self, **fields: Any) -> str:
        """Submit a MUSIC task (``prompt``, ``tags``, ``title``, ``mv``, ...); returns its id."""
        return str(self._call("POST", "/suno/submit/music", protocol.music_body(fields)))

    def submit_lyrics(self, prompt: str, *, notify_hook: str | None = None) -> str:
        body = {"prompt": prompt, **({"notify_hook": notify_hook} if notify_hook else {})}
        return str(self._call("POST", "/suno/submit/lyrics", body))

    def fetch(self, ids: Sequence[str], action: str | None = None) -> list[TaskDto]:
        """Tasks among ``ids``, in the order given (unknown ids are left out)."""
        found: list[TaskDto] = []
        for chunk in protocol.chunks(ids):
            body: dict[str, Any] = {"ids": chunk, **({"action": action} if action else {})}
            found += protocol.tasks_of(self._call("POST", "/suno/fetch", body))
        return found

    def get(self, task_id: str) -> TaskDto:
        data = self._call("GET", f"/suno/fetch/{task_id}")
        return TaskDto.from_json(data if isinstance(data, dict) else {})

    def wait(self, ids: Sequence[str], *, timeout: float = 600.0,
             on_progress: ProgressCallback | None = None, interval: float = 1.0,
             max_interval: float = 10.0) -> list[TaskDto]:
        """Poll in batches until every task has ended; returns them in the order given."""
        deadline = time.monotonic() + timeout
        latest: dict[str, TaskDto] = {}
        while True:
            waiting = [i for i in ids if i not in latest or not latest[i].is_terminal]
            for task in self.fetch(waiting):
                latest[task.task_id] = task
            current = [latest[i] for i in ids if i in latest]
            if on_progress is not None:
                on_progress(current)
            if len(current) == len(ids) and all(t.is_terminal for t in current):
                return current
            if time.monotonic() + interval > deadline:
                raise WaitTimedOut(f"tasks still running after {timeout:g} s", list(current))
            time.sleep(interval)
            interval = protocol.next_interval(interval, max_interval)

    def download(self, clip: Clip, directory: str | Path, *, what: str = "audio",
                 on_bytes: BytesCallback | None = None) -> Path:
        """Download a clip's file (``audio``, ``image``, ``image_large`` or ``video``).

        Bytes go to ``<name>.part``, resumed with a range request if one is left from
        an interrupted download, and renamed only when whole.
        """
        url = getattr(clip, f"{what}_url", "")
        if not url:
            raise DownloadFailed(f"the clip has no {what} URL")
        final, part = protocol.download_target(url, directory, f"{clip.id}.{what}")
        have = part.stat().st_size if part.exists() else 0
        request_headers = {"Range": f"bytes={have}-"} if have else {}
        try:
            with httpx.stream("GET", url, headers=request_headers, timeout=60,
                              follow_redirects=True) as response:
                if response.status_code == 416:  # the part is already whole
                    part.replace(final)
                    return final
                if response.status_code not in (200, 206):
                    raise DownloadFailed(f"{what} download answered HTTP {response.status_code}")
                mode = "ab" if response.status_code == 206 else "wb"
                expected = response.headers.get("content-length")
                written = 0
                with part.open(mode) as out:
                    for chunk in response.iter_bytes():
                        out.write(chunk)
                        written += len(chunk)
                        if on_bytes is not None:
                            on_bytes(have + written if mode == "ab" else written,
                                     int(expected) + (have if mode == "ab" else 0)
                                     if expected is not None else None)
                if expected is not None and written != int(expected):
                    raise DownloadFailed(f"{what} download stopped early; run it again to resume")
        except httpx.HTTPError as error:
            raise DownloadFailed(f"{what} download was interrupted ({type(error).__name__}); "
                                 "run it again to resume") from None
        part.replace(final)
        return final
