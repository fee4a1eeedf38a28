"""AsyncSongClient: the same client for asyncio (httpx)."""

from __future__ import annotations

import asyncio
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


class AsyncSongClient:
    def __init__(self, base_url: str, token: str, *, timeout: float = 30.0,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx.AsyncClient(base_url=self.base_url, headers=protocol.headers(token),
                                       timeout=timeout, transport=transport)

    async def __aenter__(self) -> AsyncSongClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        await self._http.aclose()

    async def _call(self, method: str, path: str, body: Any = None) -> Any:
        try:
            response = await self._http.request(method, path, json=body)
        except httpx.HTTPError as error:
            raise protocol.connection_failed(self.base_url, error) from None
        return protocol.data_of(response)

    async def submit_music(self, **fields: Any) -> str:
        return str(await self._call("POST", "/suno/submit/music", protocol.music_body(fields)))

    async def submit_lyrics(self, prompt: str, *, notify_hook: str | None = None) -> str:
        body = {"prompt": prompt, **({"notify_hook": notify_hook} if notify_hook else {})}
        return str(await self._call("POST", "/suno/submit/lyrics", body))

    async def fetch(self, ids: Sequence[str], action: str | None = None) -> list[TaskDto]:
        found: list[TaskDto] = []
        for chunk in protocol.chunks(ids):
            body: dict[str, Any] = {"ids": chunk, **({"action": action} if action else {})}
            found += protocol.tasks_of(await self._call("POST", "/suno/fetch", body))
        return found

    async def get(self, task_id: str) -> TaskDto:
        data = await self._call("GET", f"/suno/fetch/{task_id}")
        return TaskDto.from_json(data if isinstance(data, dict) else {})

    async def wait(self, ids: Sequence[str], *, timeout: float = 600.0,
                   on_progress: ProgressCallback | None = None, interval: float = 1.0,
                   max_interval: float = 10.0) -> list[TaskDto]:
        deadline = time.monotonic() + timeout
        latest: dict[str, TaskDto] = {}
        while True:
            waiting = [i for i in ids if i not in latest or not latest[i].is_terminal]
            for task in await self.fetch(waiting):
                latest[task.task_id] = task
            current = [latest[i] for i in ids if i in latest]
            if on_progress is not None:
                on_progress(current)
            if len(current) == len(ids) and all(t.is_terminal for t in current):
                return current
            if time.monotonic() + interval > deadline:
                raise WaitTimedOut(f"tasks still running after {timeout:g} s", list(current))
            await asyncio.sleep(interval)
            interval = protocol.next_interval(interval, max_interval)

    async def download(self, clip: Clip, directory: str | Path, *, what: str = "audio",
                       on_bytes: BytesCallback | None = None) -> Path:
        url = getattr(clip, f"{what}_url", "")
        if not url:
            raise DownloadFailed(f"the clip has no {what} URL")
        final, part = protocol.download_target(url, directory, f"{clip.id}.{what}")
        have = part.stat().st_size if part.exists() else 0
        request_headers = {"Range": f"bytes={have}-"} if have else {}
        try:
            async with httpx.AsyncClient(timeout=60, follow_redirects=True) as http, \
                    http.stream("GET", url, headers=request_headers) as response:
                if response.status_code == 416:
                    part.replace(final)
                    return final
                if response.status_code not in (200, 206):
                    raise DownloadFailed(f"{what} download answered HTTP {response.status_code}")
                mode = "ab" if response.status_code == 206 else "wb"
                expected = response.headers.get("content-length")
                written = 0
                with part.open(mode) as out:
                    async for chunk in response.aiter_bytes():
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
