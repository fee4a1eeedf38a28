"""Counting failed authentications per client address, in this process's memory.

Each API process counts on its own (a client spread over N processes by a
balancer gets up to N times the allowance), which keeps the check free of
database writes: a flood of bad tokens costs one dictionary update each. At most
``max_addresses`` clients are remembered; the one whose window was updated
longest ago is forgotten first, and ended windows are dropped as they are met.
"""

from __future__ import annotations

from songgate.clock import Clock
from songgate.domain.bad_tokens import BadTokenRule, FailureWindow
from songgate.errors import RateLimited


class BadTokenLimiter:
    def __init__(self, rule: BadTokenRule, clock: Clock, *, max_addresses: int) -> None:
        self._rule = rule
        self._clock = clock
        self._max_addresses = max(1, max_addresses)
        self._windows: dict[str, FailureWindow] = {}  # least recently updated first

    @property
    def enabled(self) -> bool:
        return self._rule.enabled

    def __len__(self) -> int:
        return len(self._windows)

    def check(self, client: str) -> None:
        """Raise :class:`RateLimited` while ``client`` has used up its failures."""
        window = self._windows.get(client)
        if window is None:
            return
        now = self._clock.now()
        if self._rule.is_over(window, now):
            del self._windows[client]
            return
        wait = self._rule.retry_after(window, now)
        if wait is not None:
            raise RateLimited(
                "too many requests with invalid tokens from this address", retry_after=wait
            )

    def failed(self, client: str) -> None:
        """Count one failed authentication of ``client``."""
        if not self._rule.enabled:
            return
        window = self._rule.failed(self._windows.pop(client, None), self._clock.now())
        while len(self._windows) >= self._max_addresses:
            del self._windows[next(iter(self._windows))]
        self._windows[client] = window
