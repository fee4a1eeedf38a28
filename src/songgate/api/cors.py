"""CORS for the origins the operator lists; installed only when there are some.

A preflight that the policy allows is answered here (204). One it does not
allow goes on to the routes like any ``OPTIONS`` request (405, no CORS
headers), so the browser refuses the call.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from songgate.domain.cors import CorsPolicy

_VARY = "Origin"


class CorsMiddleware:
    def __init__(self, app: ASGIApp, policy: CorsPolicy) -> None:
        self.app = app
        self.policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_headers = dict(scope["headers"])
        origin = request_headers.get(b"origin", b"").decode("latin-1")
        asked_method = request_headers.get(b"access-control-request-method")
        extra: dict[str, str] = {}
        if origin and scope["method"] == "OPTIONS" and asked_method is not None:
            allowed = self.policy.preflight_headers(
                origin, asked_method.decode("latin-1"),
                request_headers.get(b"access-control-request-headers", b"").decode("latin-1"),
            )
            if allowed is not None:
                await _answer_preflight(allowed, send)
                return
        elif origin:
            extra = self.policy.response_headers(origin)

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.add_vary_header(_VARY)
                headers.update(extra)
            await send(message)

        await self.app(scope, receive, send_with_cors)


async def _answer_preflight(allowed: dict[str, str], send: Send) -> None:
    headers = MutableHeaders(raw=[])
    headers.update(allowed)
    headers.add_vary_header(_VARY)
    await send({"type": "http.response.start", "status": 204, "headers": headers.raw})
    await send({"type": "http.response.body", "body": b""})
