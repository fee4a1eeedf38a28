"""Another connection's commits while a benchmark measures polls, as a worker process's:
each commit renews a lease and writes one task's TaskDto again, so the database's
version moves and a poll must take a task's change in (SQLite).

    python -m benchmarks._changes DB_PATH PER_SECOND IDS_JSON

runs them at a steady rate until SIGTERM (how ``benchmarks.scale`` starts them, as a
process of its own beside the servers, by :func:`command`); :class:`Committer` makes
them in process.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

COMMITTED_TASKS = 10_000  # the most tasks a benchmark's commits write in turn

def mark_unfinished(path: Path) -> None:
    """Every task IN_PROGRESS (the TaskDtos stay as written): no finished-task cache."""
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE tasks SET status = 'IN_PROGRESS'")
    conn.close()


class Committer:
    """Commits of one connection, each a lease renewed and the TaskDto of the next task of
    ``ids`` written again (the same bytes: answers stay comparable)."""

    def __init__(self, path: Path, ids: Sequence[str]) -> None:
        self._conn = sqlite3.connect(path, isolation_level=None)
        self._ids = ids
        self.count = 0

    def commit(self) -> None:
        self.count += 1
        self._conn.execute("BEGIN IMMEDIATE")
        self._conn.execute(
            "INSERT OR REPLACE INTO leases (name, holder, expires_at) VALUES (?, ?, ?)",
            ("benchmark-commits", "benchmark", float(self.count)))
        self._conn.execute("UPDATE tasks SET dto = dto WHERE id = ?",
                           (self._ids[self.count % len(self._ids)],))
        self._conn.execute("COMMIT")

    def close(self) -> None:
        self._conn.close()


def command(path: Path, per_second: float, ids_path: Path) -> list[str]:
    """The arguments after the interpreter that run this module committing ``per_second``
    times into ``path``, to the tasks whose ids ``ids_path`` holds (a JSON list)."""
    return ["-m", "benchmarks._changes", str(path), str(per_second), str(ids_path)]


def run(path: Path, per_second: float, ids: Sequence[str]) -> int:
    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    committer = Committer(path, ids)
    interval, due = 1.0 / per_second, time.monotonic()
    try:
        while not stopping:
            committer.commit()
            due += interval
            time.sleep(max(0.0, due - time.monotonic()))
    finally:
        committer.close()
    print(f"{committer.count} commits into {path}")
    return 0


if __name__ == "__main__":
    db_path, rate, ids_json = sys.argv[1:]
    raise SystemExit(run(Path(db_path), float(rate), json.loads(Path(ids_json).read_text())))
