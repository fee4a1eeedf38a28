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

from starlette.types import Scope

from songgate.domain.client_address import IPNetwork, client_key
from songgate.service.bad_tokens import BadTokenLimiter

_FORWARDED_FOR = b"x-forwarded-for"
MAX_REMEMBERED_PEERS = 4096


class BadTokenGuard:
    """The limiter, and the key a request's client is counted under; the edge
    (:mod:`songgate.api.middleware`) checks it before the routes and counts each 401."""

    def __init__(self, limiter: BadTokenLimiter, trusted: Sequence[IPNetwork]) -> None:
        self.limiter = limiter
        self.trusted = tuple(trusted)
        self._peer_keys: dict[str | None, str] = {}  # without trusted proxies: peer → key

    def client(self, scope: Scope) -> str:
        peer = scope.get("client")
        if not self.trusted:  # the key is the peer's alone: parse each address once
            address = peer[0] if peer else None
            key = self._peer_keys.get(address)
            if key is None:
                if len(self._peer_keys) >= MAX_REMEMBERED_PEERS:
                    self._peer_keys.clear()
                key = self._peer_keys[address] = client_key(address, [], ())
            return key
        forwarded = [value.decode("latin-1") for name, value in scope["headers"]
                     if name == _FORWARDED_FOR]
        return client_key(peer[0] if peer else None, forwarded, self.trusted)
