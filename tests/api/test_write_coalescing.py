"""A connection's small writes of one loop turn leave together at the end of the turn, in
order; large writes, close and write_eof send what is held first. On a real socket pair."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from songgate.api.write_coalescing import LARGE_WRITE, CoalescingTransport


@dataclass
class Pair:
    writer: CoalescingTransport
    peer: socket.socket

    def arrived(self) -> bytes:
        """Everything the peer can read now, without waiting."""
        chunks = []
        while True:
            try:
                chunk = self.peer.recv(1 << 20)
            except BlockingIOError:
                break
            if not chunk:
                chunks.append(b"<eof>")
                break
            chunks.append(chunk)
        return b"".join(chunks)


@pytest.fixture
async def pair() -> AsyncIterator[Pair]:
    ours, theirs = socket.socketpair()
    theirs.setblocking(False)
    loop = asyncio.get_running_loop()
    transport, _ = await loop.create_connection(asyncio.Protocol, sock=ours)
    yield Pair(CoalescingTransport(transport, loop), theirs)  # type: ignore[arg-type]
    transport.abort()
    theirs.close()


async def a_turn() -> None:
    for _ in range(3):
        await asyncio.sleep(0)


async def test_writes_of_one_turn_are_held_then_sent_together_in_order(pair: Pair) -> None:
    pair.writer.write(b"HTTP/1.1 200 OK\r\n\r\n")
    pair.writer.write(memoryview(b"body"))
    assert pair.arrived() == b""  # held until the turn ends
    assert pair.writer.get_write_buffer_size() == len(b"HTTP/1.1 200 OK\r\n\r\nbody")
    await a_turn()
    assert pair.arrived() == b"HTTP/1.1 200 OK\r\n\r\nbody"
    pair.writer.write(b"next")
    await a_turn()
    assert pair.arrived() == b"next"


async def test_a_large_write_goes_out_at_once_after_what_was_held(pair: Pair) -> None:
    large = b"x" * LARGE_WRITE
    pair.writer.write(b"head")
    pair.writer.write(large)
    received = b""
    for _ in range(100):  # the socket's buffer may take it in parts; no loop turn needed
        received += pair.arrived()
        if len(received) == len(large) + 4:
            break
        await asyncio.sleep(0.01)
    assert received == b"head" + large


async def test_close_sends_what_is_held_then_ends_the_stream(pair: Pair) -> None:
    pair.writer.write(b"last words")
    pair.writer.close()
    await a_turn()
    assert pair.arrived() == b"last words<eof>"


async def test_abort_drops_what_is_held(pair: Pair) -> None:
    pair.writer.write(b"never sent")
    pair.writer.abort()
    await a_turn()
    assert pair.arrived() in (b"", b"<eof>")
