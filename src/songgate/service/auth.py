"""Bearer-token authentication with a short-lived cache that keeps the database off the hot path.

A revoked or expired token stops working within ``cache_seconds``. When a token's entry
runs out, the requests that carry it meanwhile wait for one lookup instead of each
making its own.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from songgate.clock import Clock
from songgate.domain.accounts import Account, TokenRecord, TokenState, hash_token, looks_like_token
from songgate.errors import AccountDisabled, TokenExpired, TokenRevoked, Unauthorized
from songgate.store.accounts import AccountStore

CACHE_MAX_ENTRIES = 10_000


@dataclass(frozen=True, slots=True)
class _Cached:
    found: tuple[TokenRecord, Account] | None
    stored_at: float


class Authenticator:
    def __init__(self, accounts: AccountStore, clock: Clock, *, cache_seconds: float) -> None:
        self._accounts = accounts
        self._clock = clock
        self._cache_seconds = cache_seconds
        self._cache: dict[str, _Cached] = {}
        self._looking: dict[str, asyncio.Task[tuple[TokenRecord, Account] | None]] = {}

    async def authenticate(self, authorization: str | None) -> Account:
        return (await self.authenticate_token(authorization))[1]

    async def authenticate_token(self, authorization: str | None) -> tuple[TokenRecord, Account]:
        """The token and its account, or the 401/403 saying why not."""
        secret = _bearer_secret(authorization)
        token_hash = hash_token(secret)
        now = self._clock.now()
        cached = self._cache.get(token_hash)
        if cached is None or now - cached.stored_at >= self._cache_seconds:
            found = await self._look_up(token_hash, now)
        else:
            found = cached.found
        if found is None:
            raise Unauthorized("the token is not valid")
        token, account = found
        state = token.state(now)
        if state is TokenState.REVOKED:
            raise TokenRevoked("the token has been revoked")
        if state is TokenState.EXPIRED:
            raise TokenExpired("the token has expired")
        if account.disabled:
            raise AccountDisabled("the account of this token is disabled")
        return token, account

    async def _look_up(self, token_hash: str, now: float) -> tuple[TokenRecord, Account] | None:
        """The token's record from the database: one lookup at a time per token, shared by
        every request that asks while it runs (each may leave without cancelling it)."""
        looking = self._looking.get(token_hash)
        if looking is None:
            looking = asyncio.ensure_future(self._accounts.find_by_token_hash(token_hash))
            self._looking[token_hash] = looking
            looking.add_done_callback(lambda done: self._looked_up(token_hash, done, now))
        return await asyncio.shield(looking)

    def _looked_up(self, token_hash: str, done: asyncio.Task[tuple[TokenRecord, Account] | None],
                   now: float) -> None:
        del self._looking[token_hash]
        if not done.cancelled() and done.exception() is None:
            self._remember(token_hash, _Cached(done.result(), now))

    def _remember(self, token_hash: str, entry: _Cached) -> None:
        if len(self._cache) >= CACHE_MAX_ENTRIES:
            self._cache.pop(next(iter(self._cache)))
        self._cache.pop(token_hash, None)
        self._cache[token_hash] = entry


def _bearer_secret(authorization: str | None) -> str:
    if not authorization:
        raise Unauthorized("missing Authorization header: send Authorization: Bearer <token>")
    scheme, _, secret = authorization.strip().partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret:
        raise Unauthorized("malformed Authorization header: expected Bearer <token>")
    if not looks_like_token(secret):
        raise Unauthorized("malformed token: songgate tokens look like sk-…")
    return secret
