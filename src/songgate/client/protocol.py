"""What both clients share: request bodies, reading answers, waiting and download rules."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import httpx

from songgate.client.errors import ApiError, ConnectionFailed, api_error
from songgate.client.models import TaskDto

MUSIC_FIELDS = ("prompt", "tags", "negative_tags", "title", "mv", "make_instrumental",
                "gpt_description_prompt", "continue_clip_id", "continue_at", "notify_hook")
FETCH_CHUNK = 1000  # the most ids one batch fetch may carry


def music_body(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(fields) - set(MUSIC_FIELDS))
    if unknown:
        raise TypeError(f"unknown music fields: {', '.join(unknown)}")
    return {key: value for key, value in fields.items() if value is not None}


def headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Accept": "application/json",
            "User-Agent": "songgate-client"}


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
