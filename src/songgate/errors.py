"""One exception tree for the whole service.

Every error a client can cause is a :class:`SonggateError` with a stable
``code`` and an HTTP ``status``; the API maps the tree to responses in one
place (:mod:`songgate.api.errors`). Messages are written for clients: they
say what was wrong with the request and never carry internals.
"""

from __future__ import annotations


class SonggateError(Exception):
    """Base of every error songgate raises on purpose."""

    code: str = "internal_error"
    status: int = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidRequest(SonggateError):
    code = "invalid_request"
    status = 400


class TextTooLong(InvalidRequest):
    """A text field longer than its bound (the same code: only its status may differ in
    another dialect)."""


class PromptEmpty(InvalidRequest):
    code = "prompt_empty"


class InvalidNotifyHook(InvalidRequest):
    code = "invalid_notify_hook"


class InvalidModelVersion(InvalidRequest):
    code = "invalid_model_version"


class ActionNotSupported(InvalidRequest):
    code = "action_not_supported"


class Unauthorized(SonggateError):
    code = "unauthorized"
    status = 401


class TokenExpired(Unauthorized):
    code = "token_expired"


class TokenRevoked(Unauthorized):
    code = "token_revoked"


class Forbidden(SonggateError):
    code = "forbidden"
    status = 403


class AccountDisabled(Forbidden):
    code = "account_disabled"


class QuotaNotEnough(Forbidden):
    code = "quota_not_enough"


class TaskNotExist(SonggateError):
    code = "task_not_exist"
    status = 404


class ClipNotExist(SonggateError):
    """No clip of the caller's account has this id."""

    code = "clip_not_exist"
    status = 404


class ClipActionRefused(InvalidRequest):
    """The clip exists but cannot answer this action (not finished, not ours to answer)."""

    code = "clip_action_refused"


class UploadRefused(InvalidRequest):
    """An uploaded file or URL was not taken (not audio, too long, too big, empty, silent,
    or an address songgate may not fetch); the message names the problem."""

    code = "upload_refused"


class UploadNotExist(SonggateError):
    code = "upload_not_exist"
    status = 404


class PersonaNotExist(SonggateError):
    code = "persona_not_exist"
    status = 404


class AccountNotFound(SonggateError):
    code = "account_not_found"
    status = 404


class RouteNotFound(SonggateError):
    code = "not_found"
    status = 404


class MethodNotAllowed(SonggateError):
    code = "method_not_allowed"
    status = 405


class RequestTooLarge(SonggateError):
    code = "request_too_large"
    status = 413


class UrlTooLong(SonggateError):
    code = "url_too_long"
    status = 414


class HeadersTooLarge(SonggateError):
    code = "headers_too_large"
    status = 431


class RateLimited(SonggateError):
    """Too many requests or tasks for this token; ``retry_after`` says when to come back."""

    code = "rate_limited"
    status = 429

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)


class UpstreamFailed(SonggateError):
    """A 5xx the way an upstream Suno service answers one (test mode's ``submit=503``)."""

    code = "upstream_error"
    status = 502

    def __init__(self, message: str, *, status: int = 502) -> None:
        super().__init__(message)
        self.status = status


class NoAvailableChannel(SonggateError):
    code = "no_available_channel"
    status = 503


class ServiceUnavailable(SonggateError):
    """The database cannot be reached right now (down, restarting, or busy past its timeout).

    The store raises it in place of the driver's exception, which it keeps as the cause.
    """

    code = "service_unavailable"
    status = 503


class ConfigError(SonggateError):
    """The operator's configuration is wrong; raised at start-up, never to clients."""

    code = "config_error"


class LeaseLost(SonggateError):
    """A worker wrote to a task it no longer holds: the write was refused."""

    code = "lease_lost"
    status = 409


class ProviderError(SonggateError):
    """A provider could not produce a task's result.

    ``retryable`` says whether running the same task again may succeed
    (a timeout, a busy upstream) or not (a rejected prompt).
    """

    code = "provider_error"
    status = 502

    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.retryable = retryable


class RetryableProviderError(ProviderError):
    def __init__(self, message: str) -> None:
        super().__init__(message, retryable=True)


class FinalProviderError(ProviderError):
    def __init__(self, message: str) -> None:
        super().__init__(message, retryable=False)
