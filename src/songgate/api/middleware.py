"""The edge: the one ASGI layer every HTTP request passes, before any route.

In the order a request meets them:

1. the request id (a well-formed ``X-Request-Id`` the client sent, else a made one),
   on the answer and in every log line of the request; the request log line and
   the HTTP metrics once it is answered;
2. security headers on every answer (:mod:`songgate.api.headers`);
3. CORS, when the operator lists origins (:mod:`songgate.api.cors`): an allowed
   preflight is answered here;
4. bounds on the URL, headers and declared body (:mod:`songgate.api.bounds`);
5. the bad-token guard (:mod:`songgate.api.bad_tokens`): 429 while the client is over
   its allowance of failures, and every 401 answer counted.

These used to be five nested middlewares, each wrapping ``send`` again; as one layer
a request pays for one wrapper, and its answer's head is edited once. The hot routes
(:mod:`songgate.api.hot`) pass even that: :meth:`Edge.answer` makes their 200's head
itself, with the edge's headers in it.
"""

from __future__ import annotations

import itertools
import logging
import os
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from songgate.api.bad_tokens import BadTokenGuard
from songgate.api.bounds import RequestBounds
from songgate.api.cors import cors_answer, with_cors
from songgate.api.envelope import JSON
from songgate.api.errors import error_response
from songgate.api.headers import NOSNIFF, secured
from songgate.domain.cors import CorsPolicy
from songgate.errors import RateLimited
from songgate.logs import request_id_var
from songgate.metrics import Metrics

log = logging.getLogger("songgate.request")
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_X_REQUEST_ID = b"x-request-id"
_AUTHORIZATION = b"authorization"
_JSON = (b"content-type", JSON.encode())

# A route answered without the app (:meth:`Edge.answer`): its 200's JSON body, else the
# answer to send (an error), else None when there is nothing to send.
Answer = Callable[[Scope, Receive], Awaitable["bytes | ASGIApp | None"]]


class Edge:
    def __init__(
        self, app: ASGIApp, *, metrics: Metrics, bounds: RequestBounds, guard: BadTokenGuard,
        cors: CorsPolicy | None = None,
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.bounds = bounds
        self.guard = guard
        self.cors = cors if cors is not None and cors.enabled else None
        # Made ids: 32 hex digits, a random prefix per edge and a counter, unique
        # without asking the system for random bytes on every request.
        self._id_prefix = os.urandom(8).hex()
        self._id_counter = itertools.count()
        self._counted: dict[tuple[str, str, int], Any] = {}
        self._timed: dict[tuple[str, str], Any] = {}

    def _new_request_id(self) -> str:
        return f"{self._id_prefix}{next(self._id_counter) & 0xFFFF_FFFF_FFFF_FFFF:016x}"

    def _observe(self, method: str, template: str, status: int, elapsed: float) -> None:
        """Count and time the request, on label children looked up once per combination."""
        counted = self._counted.get((method, template, status))
        if counted is None:
            counted = self.metrics.requests.labels(method, template, str(status))
            self._counted[(method, template, status)] = counted
        timed = self._timed.get((method, template))
        if timed is None:
            timed = self.metrics.request_seconds.labels(method, template)
            self._timed[(method, template)] = timed
        counted.inc()
        timed.observe(elapsed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self._edge(scope, receive, send, None)

    async def answer(self, scope: Scope, receive: Receive, send: Send, answer: Answer) -> None:
        """The edge around ``answer`` instead of the app: a route that gives the body of
        its 200 (JSON), whose head is made here at once with the edge's own headers, or
        the answer to send through the edge (an error), or None (the client left)."""
        await self._edge(scope, receive, send, answer)

    async def _edge(self, scope: Scope, receive: Receive, send: Send,
                    answer: Answer | None) -> None:
        given = b""
        authorized = False
        for name, value in scope["headers"]:
            if name == _X_REQUEST_ID:
                given = value
            elif name == _AUTHORIZATION:
                authorized = True
        request_id = given.decode("latin-1") if given else ""
        if not (request_id and _REQUEST_ID.fullmatch(request_id)):
            request_id = self._new_request_id()
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 500
        last = (_X_REQUEST_ID, request_id.encode())
        cors_extra: dict[str, str] | None = None  # None: the answer gets no CORS headers
        failures_of: str | None = None  # the client whose 401 answers count

        async def edge_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                if failures_of is not None and status == 401:
                    self.guard.limiter.failed(failures_of)
                raw = message.get("headers", [])
                if cors_extra is not None:
                    raw = with_cors(raw, cors_extra)
                message["headers"] = secured(raw, last)
            await send(message)

        try:
            if self.cors is not None:
                preflight, cors_extra = cors_answer(self.cors, scope)
                if preflight is not None:
                    cors_extra = None
                    await edge_send({"type": "http.response.start", "status": 204,
                                     "headers": preflight})
                    await edge_send({"type": "http.response.body", "body": b""})
                    return
            refused = self.bounds.refusal(scope)
            if refused is None and authorized and self.guard.limiter.enabled:
                client = self.guard.client(scope)
                try:
                    self.guard.limiter.check(client)
                    failures_of = client
                except RateLimited as limited:
                    refused = limited
            if refused is not None:
                await error_response(refused, scope["path"])(scope, receive, edge_send)
            elif answer is None:
                await self.app(scope, receive, edge_send)
            else:
                body = await answer(scope, receive)
                if isinstance(body, bytes):
                    # the head edge_send would make of (content-length, content-type)
                    length = (b"content-length", b"%d" % len(body))
                    head = ([length, _JSON, NOSNIFF, last] if cors_extra is None
                            else secured(with_cors([length, _JSON], cors_extra), last))
                    status = 200
                    await send({"type": "http.response.start", "status": 200,
                                "headers": head})
                    await send({"type": "http.response.body", "body": body})
                elif body is not None:
                    await body(scope, receive, edge_send)
        finally:
            elapsed = time.perf_counter() - started
            route = scope.get("route")
            template = getattr(route, "path", "unmatched")
            method = scope["method"]
            self._observe(method, template, status, elapsed)
            if log.isEnabledFor(logging.INFO):
                log.info(
                    "request",
                    extra={
                        "method": method,
                        "path": scope["path"],
                        "route": template,
                        "status": status,
                        "ms": round(elapsed * 1000, 2),
                    },
                )
            request_id_var.reset(token)
