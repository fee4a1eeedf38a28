"""Headers every answer carries, and one it never does.

``X-Content-Type-Options: nosniff`` makes browsers keep to the declared type
(an envelope stays JSON, a cover stays an image). No ``Server`` header names
the software behind the service; the server is told not to add one, and any
that a component sets is dropped here.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_NOSNIFF = (b"x-content-type-options", b"nosniff")
_DROPPED = frozenset({b"server", b"x-powered-by"})


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(name, value) for name, value in message.get("headers", [])
                           if name.lower() not in _DROPPED and name.lower() != _NOSNIFF[0]]
                headers.append(_NOSNIFF)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
