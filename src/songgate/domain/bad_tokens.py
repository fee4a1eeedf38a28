"""The rule for clients that keep offering bad tokens: so many failures per window, then wait.

A window opens at a client's first failed authentication and lasts
``window_seconds``. Once ``max_failures`` failures fall in it, the client is
refused until the window ends, whatever it sends, so that a refusal never tells
a guessed token from a good one. Pure: the caller keeps one
:class:`FailureWindow` per client and passes the time in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FailureWindow:
    started: float
    failures: int


@dataclass(frozen=True, slots=True)
class BadTokenRule:
    max_failures: int  # 0: the rule is off
    window_seconds: float

    @property
    def enabled(self) -> bool:
        return self.max_failures > 0

    def is_over(self, window: FailureWindow, now: float) -> bool:
        """True once the window has ended (or the clock went back): it counts no longer."""
        return not window.started <= now < window.started + self.window_seconds

    def failed(self, window: FailureWindow | None, now: float) -> FailureWindow:
        """The client's window after one more failure at ``now``."""
        if window is None or self.is_over(window, now):
            return FailureWindow(started=now, failures=1)
        return FailureWindow(started=window.started, failures=window.failures + 1)

    def retry_after(self, window: FailureWindow | None, now: float) -> int | None:
        """Whole seconds until the client may try again, or None if it may now."""
        if not self.enabled or window is None or self.is_over(window, now):
            return None
        if window.failures < self.max_failures:
            return None
        return max(1, math.ceil(window.started + self.window_seconds - now))
