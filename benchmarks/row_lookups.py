"""Row lookups: what each id of a batch fetch costs SQLite as the task table grows, by
the lookups a fetch can be made of, at a small and a large table side by side.

    .venv/bin/python -m benchmarks.row_lookups [--quick]

Fills a small (1,000) and a large (1,000,000; quick: 100,000) SQLite database with the
same tasks as ``benchmarks.scale`` (``make_task``) and times two SELECTs of 100 ids
drawn from the whole table (every id a cold page), on the read-only connection the
server's fetch uses (:class:`songgate.store.sqlite_reader.SqliteReader`: the file
mapped, a 256 MiB page cache), with no commit in between:

- ``by id``: the batch fetch's read of the rows (``sqlite_dto_rows_sql``): per id a walk
  down the primary key's index, then one down the table to the row;
- ``by rowid``: the same rows' columns by their row ids: the table walk alone, the
  least any lookup that reads the rows can cost (a fetch would need ids that name
  their rows to get there).

Lookups and sizes are timed in turns, round after round; each figure is the median of
the rounds' mean microseconds per SELECT. The "added per id" column is what one id costs
more in the large table: memory latency, B-tree pages that are not in the CPU's caches.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks._common import BenchmarkError, fmt_ratio, render_table, say
from benchmarks._sizes import run_sized, small_and_large
from benchmarks.scale import (
    FETCH_IDS,
    WHOLE,
    choose_lists,
    fill,
)
from songgate.store.sqlite_reader import SqliteReader
from songgate.store.tasks import sqlite_dto_rows_sql

LOOKUPS = ("by id", "by rowid")
Key = tuple[str, int]  # lookup, size
_MARKS = ",".join("?" * FETCH_IDS)
ROWIDS = f"SELECT rowid FROM tasks WHERE id IN ({_MARKS})"
BY_ID = sqlite_dto_rows_sql(FETCH_IDS)
BY_ROWID = ("SELECT id, action, status, dto FROM tasks WHERE +account_id = ? "
            f"AND rowid IN ({_MARKS})")


async def statements(reader: SqliteReader, account_id: str,
                     lists: Sequence[Sequence[str]]) -> dict[str, list[tuple[str, list[Any]]]]:
    """Each lookup's (SQL, parameters) per id list; the rowids are read beforehand."""
    made: dict[str, list[tuple[str, list[Any]]]] = {lookup: [] for lookup in LOOKUPS}
    for ids in lists:
        rowids = [row[0] for row in await reader.rows(ROWIDS, list(ids))]
        if len(rowids) != len(ids):
            raise BenchmarkError(f"{len(rowids)} of {len(ids)} ids found")
        made["by id"].append((BY_ID, [account_id, *ids]))
        made["by rowid"].append((BY_ROWID, [account_id, *rowids]))
    return made


async def timed_pass(reader: SqliteReader, made: Sequence[tuple[str, list[Any]]]) -> float:
    """Mean microseconds per SELECT (every row fetched)."""
    started = time.perf_counter()
    for sql, params in made:
        if len(await reader.rows(sql, params)) != FETCH_IDS:
            raise BenchmarkError("a lookup missed rows")
    return (time.perf_counter() - started) / len(made) * 1e6


async def measure(args: argparse.Namespace, base: Path) -> dict[Key, list[float]]:
    sizes = (args.small, args.large)
    dbs, owner = await small_and_large(args, base, "lookups")
    rng = random.Random(args.seed)
    readers = {size: SqliteReader(str(db.sqlite_path)) for size, db in dbs.items()}
    try:
        made: dict[int, dict[str, list[tuple[str, list[Any]]]]] = {}
        for size, db in dbs.items():
            say(f"populating {size} tasks ...")
            ids = await fill([db], owner.account, size)
            chosen = choose_lists(ids, args.lists, rng, args.small)[WHOLE]
            made[size] = await statements(readers[size], owner.account.id, chosen)
            for lookup in LOOKUPS:  # warm: every page once through the cache or the map
                await timed_pass(readers[size], made[size][lookup])
        times: dict[Key, list[float]] = {(lookup, size): [] for lookup in LOOKUPS
                                         for size in sizes}
        order = list(times)
        for round_ in range(args.rounds):
            say(f"round {round_ + 1} of {args.rounds} ...")
            for lookup, size in order if round_ % 2 == 0 else order[::-1]:
                times[lookup, size].append(await timed_pass(readers[size], made[size][lookup]))
        return times
    finally:
        for reader in readers.values():
            reader.close()


def report(times: dict[Key, list[float]], args: argparse.Namespace) -> None:
    median = {key: statistics.median(values) for key, values in times.items()}
    rows = []
    for lookup in LOOKUPS:
        small, large = median[lookup, args.small], median[lookup, args.large]
        rows.append([lookup, f"{small:.0f}", f"{large:.0f}", fmt_ratio(large / small),
                     f"{(large - small) / FETCH_IDS:.2f}"])
    print(f"\nSELECT of {FETCH_IDS} ids drawn from the whole table; median of {args.rounds} "
          f"rounds of {args.lists} SELECTs, microseconds per SELECT")
    print(render_table(["lookup", f"{args.small} tasks", f"{args.large} tasks",
                        "large / small", "µs added per id"], rows))


def main(argv: Sequence[str] | None = None) -> int:
    return run_sized(argv, "benchmarks.row_lookups", __doc__, measure, report)


if __name__ == "__main__":
    raise SystemExit(main())
