"""JSON over HTTP to an upstream, with every answer bounded and every failure classified."""

from __future__ import annotations

from typing import Any

import httpx
import orjson

from songgate.providers.relay.protocol import UpstreamError

DEFAULT_MAX_BYTES = 8 * 1024 * 1024
_MAX_RETRY_AFTER = 3600.0


def retry_after_seconds(value: str | None) -> float:
    """Seconds from a ``Retry-After`` header (delta form); 0 when absent or unreadable."""
    try:
        return min(max(float(value or 0), 0.0), _MAX_RETRY_AFTER)
    except ValueError:
        return 0.0


class JsonClient:
    """One upstream base URL and key; ``request`` returns parsed JSON or raises UpstreamError."""

    def __init__(
        self, base_url: str, key: str, *, timeout: float, max_bytes: int = DEFAULT_MAX_BYTES,
        name: str = "upstream",
    ) -> None:
        headers = {"Accept": "application/json", "User-Agent": "songgate-relay"}
        if key:
            headers["Authorization"] = f"Bearer {key}"
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"), headers=headers, timeout=timeout,
            follow_redirects=False, limits=httpx.Limits(max_connections=32),
        )
        self._max_bytes = max_bytes
        self._name = name

    async def request(
        self, method: str, path: str, *, json: Any = None, params: dict[str, str] | None = None,
        sends_task: bool = False,
    ) -> tuple[int, Any]:
        """(status, body) for 2xx and 4xx answers with a JSON body.

        ``sends_task``: the request creates an upstream task, so a timeout or garbled
        answer may hide an accepted one (see :class:`UpstreamError`).
        """
        where = f"{self._name} {path}"
        try:
            async with self._http.stream(method, path, json=json, params=params) as response:
                status = response.status_code
                if status == 429:
                    raise UpstreamError(
                        f"{where}: rate limited (429)",
                        retry_after=retry_after_seconds(response.headers.get("retry-after")),
                    )
                if status >= 500 or status in (401, 403) or 300 <= status < 400:
                    raise UpstreamError(f"{where}: answered HTTP {status}")
                body = await self._read(response, where, sends_task)
        except httpx.TimeoutException:
            raise UpstreamError(f"{where}: timed out", maybe_accepted=sends_task) from None
        except httpx.HTTPError as error:
            raise UpstreamError(
                f"{where}: {type(error).__name__}", maybe_accepted=sends_task
            ) from None
        return status, body

    async def _read(self, response: httpx.Response, where: str, sends_task: bool) -> Any:
        content_type = response.headers.get("content-type", "")
        if "json" not in content_type.split(";")[0].lower():
            raise UpstreamError(f"{where}: answered {content_type or 'no content type'}, not JSON",
                                maybe_accepted=sends_task)
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self._max_bytes:
            raise UpstreamError(f"{where}: answer larger than {self._max_bytes} bytes",
                                maybe_accepted=sends_task)
        chunks, size = [], 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > self._max_bytes:
                raise UpstreamError(f"{where}: answer larger than {self._max_bytes} bytes",
                                    maybe_accepted=sends_task)
            chunks.append(chunk)
        try:
            return orjson.loads(b"".join(chunks))
        except orjson.JSONDecodeError:
            raise UpstreamError(f"{where}: answered malformed JSON",
                                maybe_accepted=sends_task) from None

    async def close(self) -> None:
        await self._http.aclose()


def text_field(value: Any, limit: int = 20_000) -> str:
    return value[:limit] if isinstance(value, str) else ""


def number_field(value: Any) -> float:
    if isinstance(value, bool):
        return 0.0
    if isinstance(value, int | float):
        return float(value) if 0 <= value < 1e11 else 0.0
    if isinstance(value, str):
        try:
            return number_field(float(value))
        except ValueError:
            return 0.0
    return 0.0


def url_field(value: Any) -> str:
    """An http(s) URL from an upstream, or "" (anything else is never fetched nor shown)."""
    if not isinstance(value, str) or len(value) > 4096:
        return ""
    return value if value.startswith(("https://", "http://")) else ""


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
