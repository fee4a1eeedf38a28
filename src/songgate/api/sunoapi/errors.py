"""songgate's error tree in sunoapi.org's codes and envelope: the one place they map.

Every answer under :data:`PREFIX` that is an error, whether a route, the framework or a
middleware raised it, is ``{"code": <code>, "msg": <message>, "data": null}`` with the
code as its HTTP status too. The dialect's codes: 400 bad parameters, 401 no access,
404 no such task or route, 405 wrong method, 413 text too long or body too large,
429 not enough credits, 430 too frequent, 455 unavailable (maintenance), 500 error.
Messages name the dialect's fields (``callBackUrl``, not ``notify_hook``).

An upstream-style refusal (test mode's ``submit=429`` and ``submit=5xx``) answers as
sunoapi.org would: a rate limit is 430 with ``Retry-After``, a 503 is 455, any other 5xx
is 500, each with its message (it names what was asked for, nothing internal).
"""

from __future__ import annotations

import re

import orjson
from starlette.responses import Response

from songgate.domain.sunoapi.names import FIELD_NAMES
from songgate.errors import (
    AccountDisabled,
    ClipNotExist,
    HeadersTooLarge,
    MethodNotAllowed,
    NoAvailableChannel,
    PersonaNotExist,
    QuotaNotEnough,
    RateLimited,
    RequestTooLarge,
    RouteNotFound,
    ServiceUnavailable,
    SonggateError,
    TaskNotExist,
    TextTooLong,
    Unauthorized,
    UpstreamFailed,
    UrlTooLong,
)

PREFIX = "/api/v1/"
RETRY_AFTER_SECONDS = "5"

# Most specific first: the first class the error is an instance of gives its code.
CODES: tuple[tuple[type[SonggateError], int], ...] = (
    (TextTooLong, 413), (RequestTooLarge, 413), (UrlTooLong, 413), (HeadersTooLarge, 413),
    (Unauthorized, 401), (AccountDisabled, 401),
    (QuotaNotEnough, 429), (RateLimited, 430),
    (TaskNotExist, 404), (ClipNotExist, 404), (PersonaNotExist, 404), (RouteNotFound, 404),
    (MethodNotAllowed, 405),
    (ServiceUnavailable, 455), (NoAvailableChannel, 455),
)
_FIELD = re.compile(r"\b(" + "|".join(sorted(FIELD_NAMES, key=len, reverse=True)) + r")\b")


def speaks_sunoapi(path: str) -> bool:
    return path.startswith(PREFIX)


def code_of(exc: SonggateError) -> int:
    if isinstance(exc, UpstreamFailed):
        return 455 if exc.status == 503 else 500
    for kind, code in CODES:
        if isinstance(exc, kind):
            return code
    if exc.status == 400:
        return 400
    return 500


def dialect_message(message: str) -> str:
    """``message`` with songgate's field names replaced by the dialect's."""
    return _FIELD.sub(lambda found: FIELD_NAMES[found.group(1)], message)


def sunoapi_error(exc: SonggateError) -> Response:
    code = code_of(exc)
    shown = code != 500 or isinstance(exc, UpstreamFailed)
    message = dialect_message(exc.message) if shown else "internal error"
    headers: dict[str, str] = {}
    if isinstance(exc, RateLimited):
        headers["Retry-After"] = str(exc.retry_after)
    elif code == 455:
        headers["Retry-After"] = RETRY_AFTER_SECONDS
    elif code == 401:
        headers["WWW-Authenticate"] = "Bearer"
    body = orjson.dumps({"code": code, "msg": message, "data": None})
    return Response(content=body, status_code=code, media_type="application/json",
                    headers=headers)
