"""Typed errors of the client; each API error carries the envelope's ``code`` and ``message``."""

from __future__ import annotations


class SongError(Exception):
    """Base of every error the client raises."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ApiError(SongError):
    """The service answered with an error envelope."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}" if message else code)
        self.status = status
        self.code = code
        self.message = message


class Unauthorized(ApiError):
    """401/403: a missing, wrong, revoked or expired token, or a disabled account."""


class NotFound(ApiError):
    """404: no such task (for this token) or route."""


class QuotaExceeded(ApiError):
    """403 ``quota_not_enough``: not enough credits."""


class RateLimited(ApiError):
    """429: wait ``retry_after`` seconds."""

    def __init__(self, status: int, code: str, message: str, retry_after: float) -> None:
        super().__init__(status, code, message)
        self.retry_after = retry_after


class ServerError(ApiError):
    """5xx: the service could not answer; trying again later may work."""


class ConnectionFailed(SongError):
    """The service could not be reached (refused, timed out, name unknown)."""


class WaitTimedOut(SongError):
    """``wait`` gave up before every task ended; ``tasks`` holds their last state."""

    def __init__(self, message: str, tasks: list[object]) -> None:
        super().__init__(message)
        self.tasks = tasks


class DownloadFailed(SongError):
    """A file could not be downloaded whole; nothing is left under its final name."""


def api_error(status: int, body: object, retry_after: str | None) -> ApiError:
    """The typed error for an error answer (any shape: gateways differ)."""
    code, message = f"http_{status}", ""
    if isinstance(body, dict):
        code = str(body.get("code") or code)
        message = str(body.get("message") or body.get("msg") or "")
    if status == 429:
        try:
            wait = float(retry_after or 0)
        except ValueError:
            wait = 0.0
        return RateLimited(status, code, message, wait)
    if code == "quota_not_enough":
        return QuotaExceeded(status, code, message)
    if status in (401, 403):
        return Unauthorized(status, code, message)
    if status == 404:
        return NotFound(status, code, message)
    if status >= 500:
        return ServerError(status, code, message)
    return ApiError(status, code, message)
