"""What a front songgate kept of a task it relayed, read from its SQLite database."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def upstream_id(front_dir: Path, task_id: str) -> str:
    """The upstream's id of ``task_id``, relayed by the front server to its channel "back"."""
    with sqlite3.connect(front_dir / "songgate.db") as db:
        row = db.execute("SELECT channel, upstream_id FROM relay_jobs WHERE task_id = ?",
                         (task_id,)).fetchone()
    assert row is not None and row[0] == "back"
    return str(row[1])
