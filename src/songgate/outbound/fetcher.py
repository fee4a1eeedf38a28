"""SafeFetcher: HTTP to a URL someone else chose, connected only to addresses just checked.

Every hop (the URL, then each redirect it answers, at most ``max_redirects``) is checked
the same way: http or https, no credentials in it, not a name meaning this machine or the
cloud's metadata service; a numeric host is read in every form a resolver accepts, a name
is resolved once and every address it answers must be public (or in the operator's
allowed networks, :mod:`songgate.domain.addresses`). The request then goes to one of those
addresses (the URL pinned to it, the name only in the Host header and for TLS), so a DNS
answer that changes after the check is never followed. Downloads stop at ``max_bytes``
and the whole fetch, redirects included, at ``timeout_seconds``.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import SplitResult, urljoin, urlsplit

import httpx

from songgate.domain.addresses import (
    IPNetwork,
    is_forbidden_address,
    is_forbidden_name,
    numeric_host,
    pin_url,
)

Resolver = Callable[[str, int], Awaitable[list[str]]]
REDIRECTS = frozenset({301, 302, 303, 307, 308})
CHUNK = 64 * 1024


async def resolve(host: str, port: int) -> list[str]:
    """The host's addresses, in the system resolver's order."""
    found = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in found))


class FetchRefused(Exception):
    """Nothing was fetched; ``message`` says why (safe to show the one who named the URL).

    ``kind``: url, address, resolve, redirect, status, type, too_big, timeout or network.
    """

    def __init__(self, message: str, *, kind: str) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind


@dataclass(frozen=True, slots=True)
class FetchRules:
    timeout_seconds: float  # the whole download, redirects included; per request otherwise
    max_bytes: int = 0  # 0: no bound (a download must give one)
    max_redirects: int = 5
    allowed_networks: tuple[IPNetwork, ...] = ()  # the operator's private networks
    allow_private: bool = False  # any address at all (a trusted channel; tests)


@dataclass(frozen=True, slots=True)
class Downloaded:
    size: int
    content_type: str  # lower case, without parameters


class SafeFetcher:
    def __init__(self, rules: FetchRules, *, user_agent: str,
                 resolver: Resolver = resolve, verify: ssl.SSLContext | bool = True) -> None:
        """``verify``: the TLS context certificates are checked with (for the host name)."""
        self.rules = rules
        self._resolve = resolver
        self._http = httpx.AsyncClient(timeout=rules.timeout_seconds, follow_redirects=False,
                                       headers={"User-Agent": user_agent}, verify=verify)

    def check_url(self, url: str) -> SplitResult:
        """``url`` split, if its form may be fetched at all; else :class:`FetchRefused`."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise FetchRefused("the URL must be http or https", kind="url")
        if not parts.hostname or parts.username is not None or parts.password is not None:
            raise FetchRefused("the URL must name a host and carry no credentials", kind="url")
        try:
            _ = parts.port
        except ValueError:
            raise FetchRefused("the URL has an invalid port", kind="url") from None
        if not self.rules.allow_private and is_forbidden_name(parts.hostname):
            raise FetchRefused("the URL may not point at this machine", kind="address")
        return parts

    async def addresses(self, url: str) -> list[str]:
        """The addresses ``url`` may be fetched from: its host's, each one checked."""
        parts = self.check_url(url)
        host = parts.hostname or ""
        numeric = numeric_host(host)
        rules = self.rules
        if numeric is not None:
            if not rules.allow_private and is_forbidden_address(numeric, rules.allowed_networks):
                raise FetchRefused("the URL names a forbidden (non-public) address",
                                   kind="address")
            return [str(numeric)]
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            found = await self._resolve(host, port)
        except OSError:
            raise FetchRefused("the host name does not resolve", kind="resolve") from None
        if not found:
            raise FetchRefused("the host name does not resolve", kind="resolve")
        if not rules.allow_private and any(
                is_forbidden_address(a, rules.allowed_networks) for a in found):
            raise FetchRefused("the host resolves to a forbidden (non-public) address",
                               kind="address")
        return found

    @asynccontextmanager
    async def stream(
        self, method: str, url: str, *, content: bytes | None = None,
        headers: dict[str, str] | None = None, follow_redirects: bool = False,
    ) -> AsyncIterator[httpx.Response]:
        """The answer of the checked, pinned request (its body unread); redirects are
        followed (each hop checked) only when asked, and only for GET."""
        current = url
        for _ in range(self.rules.max_redirects + 1):
            response = await self._open(method, current, await self.addresses(current),
                                        content, headers or {})
            location = response.headers.get("location", "")
            if follow_redirects and method == "GET" and response.status_code in REDIRECTS \
                    and location:
                await response.aclose()
                current = urljoin(current, location)
                continue
            try:
                yield response
            finally:
                await response.aclose()
            return
        raise FetchRefused(f"more than {self.rules.max_redirects} redirects", kind="redirect")

    async def _open(self, method: str, url: str, addresses: list[str], content: bytes | None,
                    headers: dict[str, str]) -> httpx.Response:
        """The answer from the first of ``addresses`` that takes the connection."""
        for index, address in enumerate(addresses):
            pinned = pin_url(url, address)
            request = self._http.build_request(
                method, pinned.url, content=content, headers={**headers, "Host": pinned.host},
                extensions={"sni_hostname": pinned.server_name})
            try:
                return await self._http.send(request, stream=True)
            except httpx.ConnectError:
                if index == len(addresses) - 1:
                    raise
        raise FetchRefused("the host name does not resolve", kind="resolve")  # never reached

    async def download(self, url: str, target: Path, *,
                       content_types: tuple[str, ...] = ()) -> Downloaded:
        """``url``'s body written to ``target`` (following checked redirects), bounded in
        bytes and time; ``content_types``: prefixes the answer's type must start with.
        Nothing is left at ``target`` when it is refused."""
        try:
            return await self._bounded(url, target, content_types)
        except BaseException:
            target.unlink(missing_ok=True)
            raise

    async def _bounded(self, url: str, target: Path,
                       content_types: tuple[str, ...]) -> Downloaded:
        rules = self.rules
        try:
            async with asyncio.timeout(rules.timeout_seconds):
                return await self._download(url, target, content_types)
        except TimeoutError:
            raise FetchRefused(f"the download took longer than {rules.timeout_seconds:g} s",
                               kind="timeout") from None
        except httpx.TimeoutException:
            raise FetchRefused("the download timed out", kind="timeout") from None
        except httpx.HTTPError as error:
            raise FetchRefused(f"the download failed: {type(error).__name__}",
                               kind="network") from None

    async def _download(self, url: str, target: Path,
                        content_types: tuple[str, ...]) -> Downloaded:
        limit = self.rules.max_bytes
        async with self.stream("GET", url, follow_redirects=True) as response:
            if response.status_code in REDIRECTS:
                raise FetchRefused("the URL redirects without a location", kind="redirect")
            if response.status_code != 200:
                raise FetchRefused(f"the download answered HTTP {response.status_code}",
                                   kind="status")
            content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if content_types and not content_type.startswith(content_types):
                raise FetchRefused(f"the download is {content_type or 'untyped'}", kind="type")
            declared = response.headers.get("content-length", "")
            if limit and declared.isdigit() and int(declared) > limit:
                raise FetchRefused(f"the file is larger than {limit} bytes", kind="too_big")
            size = 0
            with target.open("wb") as out:
                async for chunk in response.aiter_bytes(CHUNK):
                    size += len(chunk)
                    if limit and size > limit:
                        raise FetchRefused(f"the file is larger than {limit} bytes",
                                           kind="too_big")
                    out.write(chunk)
            return Downloaded(size=size, content_type=content_type)

    async def close(self) -> None:
        await self._http.aclose()
