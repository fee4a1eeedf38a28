"""Who is calling: the Bearer token and its account, counted against the token's limits.

Every route a client's token opens (``/suno/...``, ``/songgate/...``) asks here,
so authentication and request limits are the same for all of them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request

from songgate.domain.accounts import Account, TokenRecord
from songgate.wiring import Services

Caller = Callable[[Request], Awaitable[tuple[TokenRecord, Account]]]


def token_caller(services: Services) -> Caller:
    authenticator = services.authenticator
    limiter = services.limiter

    async def caller(request: Request) -> tuple[TokenRecord, Account]:
        token, account = await authenticator.authenticate_token(
            request.headers.get("authorization"))
        await limiter.count_request(token, account)
        return token, account

    return caller
