"""Regenerates ``docs/reliability.md``: what was tried against songgate and what held.

    scripts/reliability            # PostgreSQL started for the tests, then this
    .venv/bin/python -m benchmarks.reliability [--quick] [--output PATH]

Runs the crash, fault, fuzzing and security tests with pytest (their outcome
and time per test, parametrised cases counted together), then the load run
(``benchmarks.load``: 64 clients for 60 s) and the soak
(``benchmarks.soak``: ten minutes, memory every 10 s), and writes the page.
``--quick`` shortens load and soak (for trying the script, not for the page).
Exits 1 if any test failed or a run broke its bound; the page is written
either way, saying so.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import load, soak
from benchmarks._common import REPO, fmt_ms, fmt_ratio, ratio, say
from benchmarks._mix import ROUTES

OUTPUT = REPO / "docs" / "reliability.md"


@dataclass(frozen=True, slots=True)
class Group:
    title: str
    purpose: str
    paths: tuple[str, ...]


GROUPS = (
    Group("Crashes and faults",
          "processes killed mid-work, the database restarted or locked, media storage failing, "
          "upstream services misbehaving",
          ("tests/reliability", "tests/e2e/test_processes.py",
           "tests/e2e/test_postgres_restart.py", "tests/api/test_outage.py",
           "tests/e2e/test_relay_faults.py")),
    Group("Fuzzing and properties",
          "schemathesis over the OpenAPI document, arbitrary JSON at every route, "
          "Hypothesis properties of parsing and of the task state machine",
          ("tests/fuzz", "tests/api/test_fuzz.py", "tests/domain/test_parsing_properties.py",
           "tests/domain/test_task_machine.py", "tests/store/test_task_store_machine.py")),
    Group("Security",
          "account isolation, tokens, bad-token limiting, input bounds, headers and CORS",
          ("tests/security", "tests/api/test_errors.py", "tests/api/test_limits.py")),
)


@dataclass
class TestFigures:
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    seconds: float = 0.0

    @property
    def outcome(self) -> str:
        if self.failed:
            return f"**FAILED** ({self.failed} of {self.runs})"
        if not self.passed:
            return "skipped"
        return "held" + (f" ({self.skipped} skipped)" if self.skipped else "")

    @property
    def runs(self) -> int:
        return self.passed + self.failed + self.skipped


@dataclass
class GroupResult:
    group: Group
    tests: dict[tuple[str, str], TestFigures] = field(default_factory=dict)

    @property
    def failed(self) -> int:
        return sum(figures.failed for figures in self.tests.values())


def _module_path(classname: str) -> str:
    parts = classname.split(".")
    while parts and not parts[-1].startswith("test_"):
        parts.pop()  # a test class's name follows its module's
    return "/".join(parts) + ".py"


def _stateful_name(classname: str) -> str:
    """A stateful test runs as ``runTest``; its class names it (TestTaskLife → task life)."""
    words = re.sub(r"(?<!^)(?=[A-Z])", "_", classname.rsplit(".", 1)[-1].removeprefix("Test"))
    return f"test_{words.lower()}_through_random_sequences_of_events"


def read_junit(path: Path, result: GroupResult) -> None:
    for case in ElementTree.parse(path).getroot().iter("testcase"):
        name = re.sub(r"\[.*\]$", "", case.get("name", ""))
        if name == "runTest":
            name = _stateful_name(case.get("classname", ""))
        key = (_module_path(case.get("classname", "")), name)
        figures = result.tests.setdefault(key, TestFigures())
        figures.seconds += float(case.get("time", "0"))
        if case.find("failure") is not None or case.find("error") is not None:
            figures.failed += 1
        elif case.find("skipped") is not None:
            figures.skipped += 1
        else:
            figures.passed += 1


def run_group(group: Group, work: Path) -> GroupResult:
    missing = [path for path in group.paths if not (REPO / path).exists()]
    if missing:
        raise SystemExit(f"{group.title}: no such test path: {', '.join(missing)}")
    report = work / f"{len(list(work.iterdir()))}.xml"
    say(f"running {group.title.lower()}: {' '.join(group.paths)} ...")
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                    f"--junitxml={report}", *group.paths], cwd=REPO, check=False,
                   stdout=subprocess.DEVNULL)
    result = GroupResult(group)
    read_junit(report, result)
    say(f"  {len(result.tests)} tests, {result.failed} failed runs, "
        f"{time.monotonic() - started:.0f} s")
    return result


def humanise(test_name: str) -> str:
    words = test_name.removeprefix("test_").replace("_", " ")
    return words[:1].upper() + words[1:]


def machine() -> str:
    postgres = "not found"
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"), reverse=True):
        done = subprocess.run([str(candidate), "--version"], capture_output=True, text=True,
                              check=False)
        postgres = done.stdout.strip() or postgres
        break
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{os.cpu_count()} CPUs, {memory:.0f} GiB, {platform.system()} "
            f"{platform.release()}; Python {platform.python_version()}, SQLite "
            f"{sqlite3.sqlite_version}, {postgres}")


def group_markdown(result: GroupResult) -> list[str]:
    lines = [f"## {result.group.title}", "", result.group.purpose[:1].upper()
             + result.group.purpose[1:] + ".", "",
             "| file | what was tried | runs | result | seconds |", "|---|---|---|---|---|"]
    for (module, name), figures in result.tests.items():
        lines.append(f"| `{module}` | {humanise(name)} | {figures.runs} | {figures.outcome} "
                     f"| {figures.seconds:.1f} |")
    return [*lines, ""]


def load_markdown(outcome: load.LoadOutcome) -> list[str]:
    mix, base = outcome.mix, outcome.healthz
    lines = ["## Load", "",
             f"`benchmarks.load`: {outcome.clients} clients on loopback for {mix.seconds:g} s "
             "against `songgate serve` (SQLite, synchronous=FULL, the no-op provider), "
             "mixing submits and batch fetches; `/healthz` at the same concurrency is the "
             "baseline.", "",
             "| route | requests | errors | req/s | p50 ms | p99 ms | p50 / healthz |",
             "|---|---|---|---|---|---|---|"]
    for route in ROUTES:
        figures = mix.routes[route]
        lines.append(f"| `{route}` | {figures.requests} | {sum(figures.errors.values())} | "
                     f"{figures.requests / mix.seconds:.0f} | {fmt_ms(figures.p50)} | "
                     f"{fmt_ms(figures.p99)} | {fmt_ratio(ratio(figures.p50, base.p50))} |")
    lines.append(f"| `GET /healthz` (baseline) | {base.requests} | {base.failures} | "
                 f"{base.rps:.0f} | {fmt_ms(base.p50)} | {fmt_ms(base.p99)} | 1.00 |")
    d = outcome.drained
    lines += ["", f"Errors: **{mix.errors}** of {mix.requests} requests. Acknowledged tasks: "
              f"{d.acknowledged}; found afterwards: {d.found}; finished SUCCESS: {d.succeeded} "
              f"({d.backlog} were still waiting when the load stopped: one process both "
              f"answers and works; the worker finished them {d.seconds:.0f} s later). "
              "Server memory: RSS "
              f"{outcome.memory_before.rss_mib:.0f} → {outcome.memory_after.rss_mib:.0f} MiB.",
              ""]
    return lines


def soak_markdown(outcome: soak.SoakOutcome) -> list[str]:
    mix = outcome.mix
    per_minute = [s for s in outcome.samples if round(s.at) % 60 < 10]
    lines = ["## Soak", "",
             f"`benchmarks.soak`: a polling-heavy mix (submits 5%) from {outcome.clients} "
             "clients for "
             f"{mix.seconds / 60:g} minutes "
             f"({mix.requests} requests, {mix.requests / mix.seconds:.0f}/s, "
             f"**{mix.errors}** errors), memory sampled every 10 s (shown once a minute). The "
             "heap is RssAnon, what a leak would grow; RSS also counts the database file's "
             "mapped pages.", "",
             "| s | RSS MiB | heap MiB |", "|---|---|---|"]
    lines += [f"| {s.at:.0f} | {s.memory.rss_mib:.0f} | {s.memory.anon_mib:.0f} |"
              for s in per_minute]
    d = outcome.drained
    lines += ["", f"Heap growth after the first minute: **{outcome.growth_mib:+.1f} MiB** "
              f"(bound {outcome.bound_mib:g} MiB); trend over the second half: "
              f"**{outcome.slope:+.2f} MiB/min** (bound {outcome.slope_mib:g}). "
              f"Acknowledged tasks: {d.acknowledged}; found: {d.found}; SUCCESS: "
              f"{d.succeeded}; still waiting when the soak stopped: {d.backlog}. "
              f"Verdict: **{'held' if outcome.ok else 'FAILED'}**.", ""]
    return lines


def page(groups: Sequence[GroupResult], load_outcome: load.LoadOutcome,
         soak_outcome: soak.SoakOutcome, seconds: float) -> str:
    held = not any(g.failed for g in groups) and load_outcome.ok and soak_outcome.ok
    lines = ["# Reliability", "",
             "What was tried against songgate, and what held. This page is generated: "
             "`scripts/reliability` reruns everything on it and rewrites it "
             f"(this run: {seconds / 60:.0f} minutes).", "",
             f"- Generated: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
             f"- Machine: {machine()}",
             f"- Overall: **{'everything held' if held else 'something FAILED (see below)'}**",
             "", "Tests run on SQLite and, where a database is involved, on PostgreSQL too "
             "(the runs of a parametrised test are counted together).", ""]
    for group in groups:
        lines += group_markdown(group)
    lines += load_markdown(load_outcome)
    lines += soak_markdown(soak_outcome)
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.reliability",
                                     description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="short load and soak")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="the page to write")
    parser.add_argument("--skip-tests", action="store_true",
                        help="only load and soak (for trying the script)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    groups: list[GroupResult] = []
    with tempfile.TemporaryDirectory(prefix="songgate-reliability-") as directory:
        work = Path(directory)
        if not args.skip_tests:
            groups = [run_group(group, work) for group in GROUPS]
        load_args = load.parse_args(["--quick"] if args.quick else [])
        (work / "load").mkdir()
        load_outcome = load.run_load(load_args, work / "load")
        load.report(load_outcome)
        soak_args = soak.parse_args(["--quick"] if args.quick else [])
        (work / "soak").mkdir()
        soak_outcome = soak.run_soak(soak_args, work / "soak")
        soak.report(soak_outcome)
    text = page(groups, load_outcome, soak_outcome, time.monotonic() - started)
    args.output.write_text(text + "\n", encoding="utf-8")
    say(f"wrote {args.output}")
    failed = any(g.failed for g in groups) or not (load_outcome.ok and soak_outcome.ok)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
