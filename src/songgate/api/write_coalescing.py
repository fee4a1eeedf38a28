"""A connection's writes made in one turn of the event loop leave as one.

The HTTP server writes an answer's head and its body with two calls, and each call is a
system call and a segment of its own on the wire. Here the small writes of one turn are
held and sent together at the end of the turn (``call_soon``), in one vectored write: a
whole answer is one system call. A large write goes out at once, with whatever was held
before it, in order.
"""

from __future__ import annotations

import asyncio
from typing import Any

LARGE_WRITE = 64 * 1024  # bytes: written at once, not held


class CoalescingTransport:
    """Wraps a stream transport; everything but :meth:`write` passes through, after the
    held bytes have gone out where order matters (close, write_eof)."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._held: list[bytes | bytearray | memoryview] = []

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if len(data) >= LARGE_WRITE:
            self._held.append(data)
            self.flush()
            return
        if not self._held:
            self._loop.call_soon(self.flush)
        self._held.append(bytes(data))

    def flush(self) -> None:
        """Send whatever is held now."""
        held = self._held
        if not held:
            return
        self._held = []
        if self._transport.is_closing():
            return
        if len(held) == 1:
            self._transport.write(held[0])
        else:  # one vectored write: the pieces are not copied into one buffer
            self._transport.writelines(held)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def write_eof(self) -> None:
        self.flush()
        self._transport.write_eof()

    def abort(self) -> None:
        self._held = []
        self._transport.abort()

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + sum(map(len, self._held))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)
