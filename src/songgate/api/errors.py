"""Where exceptions become HTTP responses: the only place that maps the error tree."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from songgate.api.envelope import error
from songgate.api.sunoapi.errors import speaks_sunoapi, sunoapi_error
from songgate.errors import (
    InvalidRequest,
    MethodNotAllowed,
    RateLimited,
    RouteNotFound,
    ServiceUnavailable,
    SonggateError,
)

log = logging.getLogger("songgate.api")


RETRY_AFTER_SECONDS = "5"


def _from_songgate_error(exc: SonggateError, path: str = "") -> Response:
    if speaks_sunoapi(path):
        return sunoapi_error(exc)
    if isinstance(exc, RateLimited):
        return error(exc.status, exc.code, exc.message,
                     {"Retry-After": str(exc.retry_after)}, {"retry_after": exc.retry_after})
    if isinstance(exc, ServiceUnavailable):
        return error(exc.status, exc.code, exc.message, {"Retry-After": RETRY_AFTER_SECONDS})
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    if exc.status >= 500 and exc.code == "internal_error":
        return error(500, "internal_error", "internal error")
    return error(exc.status, exc.code, exc.message, headers)


def error_response(exc: SonggateError, path: str = "") -> Response:
    """The answer to an error raised outside the routes, by a middleware, on ``path``."""
    return _from_songgate_error(exc, path)


async def _songgate_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SonggateError)
    if isinstance(exc, ServiceUnavailable):
        log.warning("database unavailable", extra={"path": request.url.path,
                                                   "error": type(exc.__cause__ or exc).__name__})
    return _from_songgate_error(exc, request.url.path)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    path = request.url.path
    if exc.status_code == 404:
        return _from_songgate_error(RouteNotFound("no such route"), path)
    if exc.status_code == 405:
        refused = _from_songgate_error(MethodNotAllowed("method not allowed on this route"),
                                       path)
        refused.headers.update(exc.headers or {})  # Allow: the methods the route has
        return refused
    return error(exc.status_code, "http_error", "request refused")


async def _validation_error(request: Request, exc: Exception) -> Response:
    return _from_songgate_error(InvalidRequest("the request is not valid"), request.url.path)


async def _unexpected_error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, ServiceUnavailable):  # an outage met outside the routes' handlers
        return await _songgate_error(request, exc)
    log.exception("unhandled error", extra={"path": request.url.path})
    return _from_songgate_error(SonggateError("internal error"), request.url.path)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(SonggateError, _songgate_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    # System errors (files, sockets) are answered where they are caught. Left to the
    # handler of Exception, the 500 would be sent and the error raised on to the server,
    # which logs it as a crash and drops the client's connection.
    app.add_exception_handler(OSError, _unexpected_error)
    app.add_exception_handler(Exception, _unexpected_error)
