"""One whole songgate (``songgate serve``: API and worker) on loopback, for load and soak.

Tasks run on the no-op provider, so what is measured is the service itself:
HTTP, validation, the queue, the worker's claims and finishes, fetches.
The figures the runs share live here too: the server's memory, and whether
every acknowledged task was finished.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

import httpx

from benchmarks._common import BenchmarkError, ServerProcess, free_port, songgate_env, start_server
from benchmarks.submit import create_token, fetch_statuses

NOOP_ENV = {
    "SONGGATE_PROVIDERS": "noop=benchmarks._scale_provider:noop",
    "SONGGATE_ROUTES": "MUSIC=noop,LYRICS=noop",
}
TERMINAL = {"SUCCESS", "FAILURE"}


@dataclass(frozen=True, slots=True)
class Memory:
    rss_mib: float  # all resident pages, the database file's mapped pages included
    anon_mib: float  # the process's own heap: what a leak would grow


def memory_of(pid: int) -> Memory:
    fields: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "RssAnon"):
            fields[name] = int(value.split()[0]) / 1024
    return Memory(fields["VmRSS"], fields["RssAnon"])


def start_service(data_dir: Path, **env: str) -> tuple[ServerProcess, str]:
    """``songgate serve`` on a fresh SQLite database in ``data_dir``, and a token for it."""
    environment = songgate_env(data_dir, **NOOP_ENV, **env)
    token = create_token(environment)
    port = free_port()
    server = start_server(["-m", "songgate", "serve", "--port", str(port)], environment,
                          data_dir / "serve.log", port)
    return server, token


@dataclass(frozen=True, slots=True)
class Drained:
    acknowledged: int
    found: int
    succeeded: int
    backlog: int  # acknowledged tasks still waiting when the load stopped
    seconds: float  # from the end of the load until every task was finished

    @property
    def lost(self) -> int:
        return self.acknowledged - self.found


def drain(url: str, token: str, task_ids: list[str], stall: float = 60) -> Drained:
    """Wait until every acknowledged task is finished; count those found and succeeded.

    Gives up only when no task has finished for ``stall`` seconds, however long the
    backlog takes to work off.
    """
    started = time.monotonic()
    with httpx.Client(base_url=url, timeout=60,
                      headers={"Authorization": f"Bearer {token}"}) as client:
        statuses = fetch_statuses(client, task_ids)
        backlog = waiting = sum(1 for status in statuses.values() if status not in TERMINAL)
        progressed = time.monotonic()
        while waiting and time.monotonic() - progressed < stall:
            time.sleep(1)
            statuses = fetch_statuses(client, task_ids)
            still = sum(1 for status in statuses.values() if status not in TERMINAL)
            if still < waiting:
                progressed = time.monotonic()
            waiting = still
    if waiting:
        raise BenchmarkError(f"{waiting} tasks unfinished, none finished for {stall:.0f} s")
    succeeded = sum(1 for status in statuses.values() if status == "SUCCESS")
    return Drained(len(task_ids), len(statuses), succeeded, backlog,
                   time.monotonic() - started)


class Judged(Protocol):
    @property
    def ok(self) -> bool: ...


J = TypeVar("J", bound=Judged)


def run_and_report(prefix: str, run: Callable[[Path], J], report: Callable[[J], None]) -> int:
    """``run`` in a temporary directory, then ``report``; the exit status says whether it held."""
    with tempfile.TemporaryDirectory(prefix=prefix) as directory:
        outcome = run(Path(directory))
    report(outcome)
    return 0 if outcome.ok else 1
