"""The command line and the two databases of benchmarks that compare a small and a large
task table."""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any, TypeVar

from benchmarks._common import run_async
from benchmarks.scale import FETCH_IDS, SQLITE, Db, Owner, migrate_with_account, new_db

Measured = TypeVar("Measured")


def parse_sizes(argv: Sequence[str] | None, prog: str, doc: str | None) -> argparse.Namespace:
    """--quick, --small, --large, --lists, --rounds and --seed, checked."""
    parser = argparse.ArgumentParser(prog=prog, description=(doc or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="100,000 tasks, 3 rounds")
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, help="tasks in the large table (1000000)")
    parser.add_argument("--lists", type=int, default=200, help="100-id lists per size")
    parser.add_argument("--rounds", type=int, help="timed passes per case and size (7)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    args.large = args.large or (100_000 if args.quick else 1_000_000)
    args.rounds = args.rounds or (3 if args.quick else 7)
    if not FETCH_IDS <= args.small < args.large or args.lists < 1 or args.rounds < 1:
        parser.error(f"need {FETCH_IDS} <= --small < --large, --lists and --rounds >= 1")
    return args


def run_sized(
    argv: Sequence[str] | None, module: str, doc: str | None,
    measure: Callable[[argparse.Namespace, Path], Coroutine[Any, Any, Measured]],
    report: Callable[[Measured, argparse.Namespace], None],
) -> int:
    """Parses the arguments, measures in a temporary directory (deleted after), reports."""
    args = parse_sizes(argv, f"python -m {module}", doc)
    with tempfile.TemporaryDirectory(prefix=f"songgate-{module.rsplit('.', 1)[-1]}-") as base:
        measured = run_async(measure(args, Path(base)))
    report(measured, args)
    return 0


async def small_and_large(
    args: argparse.Namespace, base: Path, name: str
) -> tuple[dict[int, Db], Owner]:
    """An empty, migrated SQLite database per size (in ``base``), and their one account."""
    dbs = {size: await new_db(SQLITE, f"{name}_{size}", base, None)  # type: ignore[arg-type]
           for size in (args.small, args.large)}
    return dbs, await migrate_with_account(list(dbs.values()))
