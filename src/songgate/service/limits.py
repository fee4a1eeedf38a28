"""Per-token limits: requests per minute and tasks in flight, configurable per account.

Both default to the settings (0: no limit) and may be changed per account
(``songgate accounts limits``). With no limit in force, nothing is counted, so the
hot path pays nothing.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from songgate.clock import Clock
from songgate.domain.accounts import Account, TokenRecord
from songgate.errors import RateLimited
from songgate.store.limits import LimitStore

OVERRIDE_CACHE_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class DefaultLimits:
    """The limits of an account that has no override of its own (0: no limit)."""

    requests_per_minute: int
    tasks_in_flight: int


class RateLimiter:
    def __init__(self, store: LimitStore, defaults: DefaultLimits, clock: Clock) -> None:
        self._store = store
        self._defaults = defaults
        self._clock = clock
        self._overrides: dict[str, tuple[tuple[int | None, int | None], float]] = {}

    async def limits(self, account: Account) -> tuple[int, int]:
        """(requests per minute, tasks in flight) for the account's tokens; 0: no limit."""
        cached = self._overrides.get(account.id)
        if cached is None or time.monotonic() - cached[1] > OVERRIDE_CACHE_SECONDS:
            cached = (await self._store.overrides(account.id), time.monotonic())
            self._overrides[account.id] = cached
        rpm, in_flight = cached[0]
        return (self._defaults.requests_per_minute if rpm is None else rpm,
                self._defaults.tasks_in_flight if in_flight is None else in_flight)

    async def override(
        self, account: Account, *, requests_per_minute: int | None = None,
        tasks_in_flight: int | None = None,
    ) -> None:
        """Give the account limits of its own; a limit left None keeps its current value."""
        rpm, in_flight = await self._store.overrides(account.id)
        await self._store.set_overrides(
            account.id,
            rpm if requests_per_minute is None else requests_per_minute,
            in_flight if tasks_in_flight is None else tasks_in_flight)
        self._overrides.pop(account.id, None)

    async def reset(self, account: Account) -> None:
        """Back to the configured defaults for this account."""
        await self._store.set_overrides(account.id, None, None)
        self._overrides.pop(account.id, None)

    async def count_request(self, token: TokenRecord, account: Account) -> None:
        rpm, _ = await self.limits(account)
        if rpm <= 0:
            return
        now = self._clock.now()
        window = int(now // 60)
        if await self._store.count_request(token.id, window) > rpm:
            raise RateLimited(f"more than {rpm} requests in a minute with this token",
                              retry_after=int((window + 1) * 60 - now) + 1)

    async def tasks_in_flight(self, account: Account) -> int:
        """The in-flight limit a submit must respect (0: none)."""
        return (await self.limits(account))[1]
