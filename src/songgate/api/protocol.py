"""The HTTP server's protocol, with a bound on how large a request head may grow.

uvicorn's httptools protocol keeps reading a request line and headers for as
long as a client sends them. This one counts the bytes that arrive before a
request's headers are complete and, past ``max_head_bytes``, answers 431 (an
envelope) and closes the connection, so a client cannot make a process hold
more than the bound (plus one read) for a request it has not finished sending.
A request that is not HTTP at all gets an envelope too, not the server's own text.

A connection's writes of one turn of the event loop leave in one system call (an
answer's head and body together: :mod:`songgate.api.write_coalescing`).

Each request's scope also says when its head arrived (:data:`ARRIVED_NS`, the monotonic
clock in nanoseconds): a read of the database that began later is fresh enough for it.
"""

from __future__ import annotations

import asyncio
import time

import orjson
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from songgate.api.write_coalescing import CoalescingTransport
from songgate.errors import HeadersTooLarge, InvalidRequest, SonggateError

ARRIVED_NS = "songgate.arrived_ns"
_REASONS = {400: b"Bad Request", 431: b"Request Header Fields Too Large"}


def bounded_protocol(max_head_bytes: int) -> type[HttpToolsProtocol]:
    """The protocol class for a server whose request heads may be at most this large."""

    class BoundedHttpToolsProtocol(HttpToolsProtocol):
        _head_bytes = 0
        _reading_head = True

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            coalescing = CoalescingTransport(transport, asyncio.get_running_loop())
            super().connection_made(coalescing)  # type: ignore[arg-type]

        def data_received(self, data: bytes) -> None:
            if self._reading_head:
                self._head_bytes += len(data)
            super().data_received(data)
            if self._reading_head and self._head_bytes > max_head_bytes:
                self._refuse()

        def on_headers_complete(self) -> None:
            self._reading_head = False
            self._head_bytes = 0
            self.scope[ARRIVED_NS] = time.monotonic_ns()  # type: ignore[literal-required]
            super().on_headers_complete()

        def on_message_complete(self) -> None:
            super().on_message_complete()
            self._reading_head = True

        def _refuse(self) -> None:
            if self.transport.is_closing():
                return
            if self.cycle is None or self.cycle.response_complete:
                self.transport.write(_answer(HeadersTooLarge(
                    f"the request's line and headers are larger than {max_head_bytes} bytes")))
            self.transport.close()

        def send_400_response(self, msg: str) -> None:
            self.transport.write(_answer(InvalidRequest("the request is not valid HTTP")))
            self.transport.close()

    return BoundedHttpToolsProtocol


def _answer(error: SonggateError) -> bytes:
    """The envelope of ``error`` as a whole HTTP answer that closes the connection."""
    body = orjson.dumps({"code": error.code, "message": error.message, "data": None})
    return b"".join((
        b"HTTP/1.1 %d %s\r\n" % (error.status, _REASONS[error.status]),
        b"content-type: application/json\r\n",
        b"x-content-type-options: nosniff\r\n",
        b"content-length: %d\r\n" % len(body),
        b"connection: close\r\n\r\n",
        body,
    ))
