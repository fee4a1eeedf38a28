"""Refusing clients that keep offering bad tokens, before their next guess is checked.

Every answer 401 to a request that carried an ``Authorization`` header counts
as a failure of its client address (any route: the Suno API, the listing, the
admin API). While an address is over its allowance, every request from it that
carries credentials is answered ``429 rate_limited`` with ``Retry-After``
without looking at the token, good or bad, so the answer says nothing about the
guess. Requests without credentials (media, health, the dashboard page) pass.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from songgate.api.errors import error_response
from songgate.domain.client_address import IPNetwork, client_key
from songgate.errors import RateLimited
from songgate.service.bad_tokens import BadTokenLimiter

_AUTHORIZATION = b"authorization"
_FORWARDED_FOR = b"x-forwarded-for"
MAX_REMEMBERED_PEERS = 4096


class BadTokenGuard:
    def __init__(
        self, app: ASGIApp, limiter: BadTokenLimiter, trusted: Sequence[IPNetwork]
    ) -> None:
        self.app = app
        self.limiter = limiter
        self.trusted = tuple(trusted)
        self._peer_keys: dict[str | None, str] = {}  # without trusted proxies: peer → key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.limiter.enabled:
            await self.app(scope, receive, send)
            return
        headers: list[tuple[bytes, bytes]] = scope["headers"]
        if not any(name == _AUTHORIZATION for name, _ in headers):
            await self.app(scope, receive, send)
            return
        client = self._client(scope, headers)
        try:
            self.limiter.check(client)
        except RateLimited as refused:
            await error_response(refused, scope["path"])(scope, receive, send)
            return

        async def counting_send(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 401:
                self.limiter.failed(client)
            await send(message)

        await self.app(scope, receive, counting_send)

    def _client(self, scope: Scope, headers: list[tuple[bytes, bytes]]) -> str:
        peer = scope.get("client")
        if not self.trusted:  # the key is the peer's alone: parse each address once
            address = peer[0] if peer else None
            key = self._peer_keys.get(address)
            if key is None:
                if len(self._peer_keys) >= MAX_REMEMBERED_PEERS:
                    self._peer_keys.clear()
                key = self._peer_keys[address] = client_key(address, [], ())
            return key
        forwarded = [value.decode("latin-1") for name, value in headers
                     if name == _FORWARDED_FOR] if self.trusted else []
        return client_key(peer[0] if peer else None, forwarded, self.trusted)
