"""The event loop a songgate process serves on: uvloop where it is installed, else asyncio's.

uvloop (which ``uvicorn[standard]`` installs on Linux and macOS, and which uvicorn itself
picks when it runs an app) implements the loop and its sockets in C over libuv: each
request's reads, writes, callbacks and task switches cost a fraction of what the
standard loop's Python transports spend on them, which is a large part of a small
request's time (``benchmarks/fetch_wrk.py``). Without it, the standard loop does the
same work, slower.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def name() -> str:
    """The loop :func:`run` uses: ``"uvloop"`` or ``"asyncio"`` (uvicorn's names)."""
    try:
        import uvloop  # noqa: F401
    except ImportError:
        return "asyncio"
    return "uvloop"


def run(main: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run(main)``, on uvloop's loop where installed."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(main)
    return uvloop.run(main)


def running() -> str:
    """The kind of the loop running now: ``"uvloop"`` or ``"asyncio"``."""
    kind = type(asyncio.get_running_loop()).__module__
    return "uvloop" if kind.split(".")[0] == "uvloop" else "asyncio"
