"""Kept polls: a batch fetch of unfinished tasks while other commits go on, as the table
grows, with the TaskDtos a poll keeps (brought current by the changes since its last
look) against reading them.

    .venv/bin/python -m benchmarks.kept_polls [--quick]

Polling clients ask for their unfinished tasks again and again while workers commit
other tasks' changes, so the database's version moves between any two polls and a poll
must learn which kept TaskDtos are still current. This benchmark fills
a small (1,000) and a large (1,000,000; quick: 100,000) SQLite database with the same
tasks as ``benchmarks.scale`` (``make_task``), marks every task unfinished (so no
finished-task cache applies), and times the store's batch fetch of 100 ids drawn from
the whole table (every id a cold page) and from the newest 1,000 tasks (what polling
clients ask for: both sizes then serve the same working set), in process, with another
connection's commit before every fetch, as a worker's (a lease renewed, and the TaskDto
of the next task of the table written again):

- ``rows``: nothing kept (``fetch_cache_bytes=0``): every id's row is read, an index
  walk and a table walk per id (the baseline);
- ``kept``: TaskDtos kept from an earlier pass over the same lists: the fetch reads the
  tasks changed since its last look (the newest row versions, at the right edge of
  ``ix_tasks_changes``), forgets those, and serves the kept bytes of the rest.

The two modes and both sizes are timed in turns, round after round; each figure is the
median of the rounds' mean microseconds per fetch. Target (issue 17): the large
table's figure within 1.3 times the small table's.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks._changes import COMMITTED_TASKS, Committer, mark_unfinished
from benchmarks._common import BenchmarkError, fmt_ratio, render_table, say
from benchmarks._sizes import run_sized, small_and_large
from benchmarks.scale import (
    FETCH_IDS,
    RECENT,
    WHOLE,
    Db,
    choose_lists,
    fill,
)
from songgate.config import Settings
from songgate.store.tasks import TaskStore
from songgate.wiring import Services, stores_of

MODES = ("rows", "kept")
PATTERNS = (WHOLE, RECENT)
Key = tuple[str, str, int]  # mode, pattern, size


def services_of(db: Db, mode: str) -> Services:
    settings: Settings = db.settings().model_copy(update={
        "fetch_cache_bytes": 0 if mode == "rows" else 1 << 30, "poll_answer_bytes": 0})
    return Services.build(settings)


async def timed_pass(store: TaskStore, committer: Committer, account_id: str,
                     lists: Sequence[Sequence[str]]) -> float:
    """Mean microseconds per fetch, a commit elsewhere before each (not timed)."""
    spent = 0.0
    for ids in lists:
        committer.commit()
        started = time.perf_counter()
        found = await store.dtos_in_order(account_id, ids)
        spent += time.perf_counter() - started
        if len(found) != len(ids):
            raise BenchmarkError(f"a fetch of {len(ids)} ids returned {len(found)}")
    return spent / len(lists) * 1e6


async def measure(args: argparse.Namespace, base: Path) -> dict[Key, list[float]]:
    sizes = (args.small, args.large)
    dbs, owner = await small_and_large(args, base, "kept")
    rng = random.Random(args.seed)
    lists: dict[int, dict[str, list[list[str]]]] = {}
    changed: dict[int, list[str]] = {}  # what the committer writes, in turn
    for size, db in dbs.items():
        say(f"populating {size} tasks ...")
        ids = await fill([db], owner.account, size)
        mark_unfinished(db.sqlite_path)
        lists[size] = choose_lists(ids, args.lists, rng, args.small)
        changed[size] = rng.sample(ids, min(size, COMMITTED_TASKS))
    services = {(mode, size): services_of(dbs[size], mode) for mode in MODES for size in sizes}
    committers = {size: Committer(dbs[size].sqlite_path, changed[size]) for size in sizes}
    try:
        for size in sizes:  # the same answers both ways; keeps the TaskDtos
            for chosen in lists[size][WHOLE] + lists[size][RECENT]:
                answers = [await stores_of(services[mode, size]).tasks.dtos_in_order(
                    owner.account.id, chosen) for mode in MODES]
                if answers[0] != answers[1]:
                    raise BenchmarkError("kept and read TaskDtos differ")
        times: dict[Key, list[float]] = {
            (mode, pattern, size): [] for mode in MODES for pattern in PATTERNS
            for size in sizes}
        order = list(times)
        for round_ in range(args.rounds):
            say(f"round {round_ + 1} of {args.rounds} ...")
            for key in order if round_ % 2 == 0 else order[::-1]:
                mode, pattern, size = key
                times[key].append(await timed_pass(
                    stores_of(services[mode, size]).tasks, committers[size],
                    owner.account.id, lists[size][pattern]))
        return times
    finally:
        for committer in committers.values():
            committer.close()
        for built in services.values():
            await built.close()


def report(times: dict[Key, list[float]], args: argparse.Namespace) -> None:
    median = {key: statistics.median(values) for key, values in times.items()}
    rows = []
    for pattern in PATTERNS:
        for mode in MODES:
            small, large = median[mode, pattern, args.small], median[mode, pattern, args.large]
            rows.append([pattern, mode, f"{small:.0f}", f"{large:.0f}",
                         fmt_ratio(large / small), "PASS" if large / small <= 1.3 else "MISS"])
    print(f"\nBatch fetch of {FETCH_IDS} unfinished ids, another connection's commit before "
          f"each; median of {args.rounds} rounds of {args.lists} fetches, microseconds per "
          "fetch")
    print(render_table(["ids", "mode", f"{args.small} tasks", f"{args.large} tasks",
                        "large / small", "target 1.3"], rows))
    for pattern in PATTERNS:
        for size in (args.small, args.large):
            kept, read = median["kept", pattern, size], median["rows", pattern, size]
            print(f"kept / rows, ids {pattern}, {size} tasks: {fmt_ratio(kept / read)}")


def main(argv: Sequence[str] | None = None) -> int:
    return run_sized(argv, "benchmarks.kept_polls", __doc__, measure, report)


if __name__ == "__main__":
    raise SystemExit(main())
