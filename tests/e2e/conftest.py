from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.server import Process, free_port, start


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Process]:
    """``songgate serve`` for real on a loopback port, with its first token."""
    process = start("serve", tmp_path / "serve", port=free_port())
    yield process
    process.stop()
