"""Request ids, structured request logs and HTTP metrics, as one pure ASGI middleware."""

from __future__ import annotations

import itertools
import logging
import os
import re
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from songgate.logs import request_id_var
from songgate.metrics import Metrics

log = logging.getLogger("songgate.request")
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics
        # Made ids: 32 hex digits, a random prefix per middleware and a counter, unique
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
        given = ""
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                given = value.decode("latin-1")
        request_id = (given if given and _REQUEST_ID.fullmatch(given)
                      else self._new_request_id())
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", request_id.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
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
