"""Measuring the offline engine: CPU clocks, system load, and child processes with their
kernel resource usage.

CPU time has to include child processes: fluidsynth, espeak-ng and ffmpeg run as
subprocesses of whatever process renders a song.  ``resource.getrusage(RUSAGE_CHILDREN)``
counts a child once it has been waited for, which ``subprocess.run`` does before it
returns, so CPU deltas taken between pipeline stages are complete.

A ``local_job`` child is waited for with ``os.wait4``, which gives its CPU time
(``RUSAGE_BOTH`` in the kernel: its own plus that of the children it waited for).  Its
``ru_maxrss`` cannot be used as the child's peak memory: subprocess starts children with
vfork + exec, and exec keeps the high-water mark of the address space it replaces, which
under vfork is the parent's, so every child reports at least the peak RSS of the process
that started it.  Peak memory is therefore sampled from ``/proc``: each process's VmHWM
(per address space, fresh after exec) and the summed RSS of the child's process tree.
"""

from __future__ import annotations

import math
import os
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from benchmarks._common import BenchmarkError

MIB = 1024 * 1024
_TICK = os.sysconf("SC_CLK_TCK")
SAMPLE_INTERVAL = 0.02  # seconds between RSS samples of a child's process tree


# -- clocks -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Wall clock and CPU seconds of this process and of its waited-for children."""

    wall: float
    cpu_self: float
    cpu_children: float

    @classmethod
    def take(cls) -> Snapshot:
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return cls(time.perf_counter(), time.process_time(),
                   children.ru_utime + children.ru_stime)

    @property
    def cpu(self) -> float:
        return self.cpu_self + self.cpu_children


@dataclass(frozen=True, slots=True)
class Span:
    """What happened between two snapshots."""

    wall: float
    cpu_self: float
    cpu_children: float

    @classmethod
    def between(cls, start: Snapshot, stop: Snapshot) -> Span:
        return cls(stop.wall - start.wall, stop.cpu_self - start.cpu_self,
                   stop.cpu_children - start.cpu_children)

    @property
    def cpu(self) -> float:
        return self.cpu_self + self.cpu_children


# -- the machine --------------------------------------------------------------------------


def system_busy_seconds() -> float | None:
    """CPU seconds all cores spent busy since boot (not idle, iowait or steal); None
    without /proc/stat."""
    try:
        first = Path("/proc/stat").read_text().split("\n", 1)[0].split()
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq = (int(v) for v in first[1:8])
    return (user + nice + system + irq + softirq) / _TICK


@dataclass(frozen=True, slots=True)
class LoadWindow:
    """The machine's load around a measured part: CPU used by everything else."""

    seconds: float
    own_cpu: float
    others_cpu: float | None  # CPU seconds of all other processes meanwhile
    loadavg: tuple[float, float, float]  # at the end

    def describe(self, own_note: str = "") -> str:
        """One line; ``own_note`` says more about this benchmark's CPU (in parentheses)."""
        cores = os.cpu_count() or 1
        load = "/".join(f"{value:.2f}" for value in self.loadavg)
        text = (f"load average {load} (1/5/15 min, {cores} cores); this benchmark used "
                f"{self.own_cpu:.1f} CPU-s in {self.seconds:.1f} s")
        if own_note:
            text += f" ({own_note})"
        if self.others_cpu is not None:
            share = self.others_cpu / (self.seconds * cores) if self.seconds else 0.0
            text += (f"; other processes used {max(0.0, self.others_cpu):.1f} CPU-s "
                     f"({max(0.0, share) * 100:.0f}% of the machine)")
        return text


class LoadMeter:
    """Start before a part, ``stop()`` after it."""

    def __init__(self) -> None:
        self._start = Snapshot.take()
        self._busy = system_busy_seconds()

    def stop(self) -> LoadWindow:
        span = Span.between(self._start, Snapshot.take())
        busy = system_busy_seconds()
        others = None if busy is None or self._busy is None else busy - self._busy - span.cpu
        return LoadWindow(span.wall, span.cpu, others, os.getloadavg())


# -- child processes ----------------------------------------------------------------------


def _memory(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) of a process in bytes; zeros once it has exited."""
    rss = hwm = 0
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return rss, hwm
    for line in text.splitlines():
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1]) * 1024
        elif line.startswith("VmHWM:"):
            hwm = int(line.split()[1]) * 1024
    return rss, hwm


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return found
    for task in tasks:
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return found


def descendants(pid: int) -> list[int]:
    found: list[int] = []
    pending = _children(pid)
    while pending:
        current = pending.pop()
        if current not in found:
            found.append(current)
            pending += _children(current)
    return found


class TreeSampler:
    """Samples a process and its live descendants from /proc in a thread.

    ``own_peak`` is the process's own high-water mark (VmHWM, kept by the kernel per
    address space, so it is fresh after exec) as last read before it exited: exact
    up to the final ``interval``.  ``helper_peak`` is the largest VmHWM of any
    descendant seen (short-lived ones can slip between samples), ``tree_peak`` the
    largest sum of the current RSS of the process and its descendants.
    """

    def __init__(self, pid: int, interval: float = SAMPLE_INTERVAL) -> None:
        self.own_peak = 0
        self.helper_peak = 0
        self.tree_peak = 0
        self._pid = pid
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> None:
        rss, hwm = _memory(self._pid)
        self.own_peak = max(self.own_peak, hwm)
        tree = rss
        for child in descendants(self._pid):
            child_rss, child_hwm = _memory(child)
            tree += child_rss
            self.helper_peak = max(self.helper_peak, child_hwm)
        self.tree_peak = max(self.tree_peak, tree)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self._interval)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


@dataclass
class ChildRun:
    """One JSON-lines child process, run to completion and reaped with ``os.wait4``."""

    spawned: float  # perf_counter
    exited: float = 0.0  # perf_counter when its stdout closed
    exit_code: int = 0
    messages: list[tuple[float, dict[str, Any]]] = field(default_factory=list)
    # CPU seconds of the child (and the processes it waited for) as each message was read
    cpu_at: list[float] = field(default_factory=list)
    usage: resource.struct_rusage | None = None
    own_peak: int = 0  # bytes: see TreeSampler
    helper_peak: int = 0
    tree_peak: int = 0
    stderr: str = ""
    timed_out: bool = False

    @property
    def wall(self) -> float:
        return self.exited - self.spawned

    @property
    def cpu(self) -> float:
        """User + system CPU of the child and the processes it waited for."""
        return 0.0 if self.usage is None else self.usage.ru_utime + self.usage.ru_stime

    @property
    def wait4_max_rss(self) -> int:
        """ru_maxrss from wait4, in bytes: NOT the child's own peak, see the module doc."""
        return 0 if self.usage is None else self.usage.ru_maxrss * 1024

    def first(self, key: str) -> tuple[float, dict[str, Any]] | None:
        return next(((t, m) for t, m in self.messages if key in m), None)


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of a live process and of the children it has waited for
    (/proc/<pid>/stat utime, stime, cutime, cstime); nan once it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return math.nan
    fields = text.rsplit(")", 1)[1].split()  # from the state on: utime is the 12th
    return sum(int(value) for value in fields[11:15]) / _TICK


def run_json_child(
    args: list[str], job: Mapping[str, Any], *, timeout: float,
    env: Mapping[str, str] | None = None,
) -> ChildRun:
    """Start ``python <args>``, write ``job`` as JSON to its stdin, read JSON lines from its
    stdout until it closes, then reap it with ``os.wait4``. Killed after ``timeout`` s."""
    run = ChildRun(spawned=time.perf_counter())
    popen = subprocess.Popen(
        [sys.executable, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, env=None if env is None else dict(env),
    )
    assert popen.stdin and popen.stdout and popen.stderr
    errors: list[bytes] = []
    stderr = popen.stderr
    reader = threading.Thread(target=lambda: errors.append(stderr.read()), daemon=True)
    reader.start()

    def kill() -> None:
        run.timed_out = True
        popen.kill()

    timer = threading.Timer(timeout, kill)
    timer.start()
    try:
        with TreeSampler(popen.pid) as sampler:
            popen.stdin.write(orjson.dumps(dict(job)))
            popen.stdin.close()
            for line in popen.stdout:
                run.messages.append((time.perf_counter(), orjson.loads(line)))
                run.cpu_at.append(process_cpu(popen.pid))
            run.exited = time.perf_counter()
            timer.cancel()
            _, status, usage = os.wait4(popen.pid, 0)
        run.own_peak, run.helper_peak = sampler.own_peak, sampler.helper_peak
        run.tree_peak = sampler.tree_peak
    except BaseException:
        timer.cancel()
        if popen.returncode is None:
            popen.kill()
            popen.wait()
        raise
    popen.returncode = run.exit_code = os.waitstatus_to_exitcode(status)
    run.usage = usage
    popen.stdout.close()
    reader.join()
    run.stderr = b"".join(errors).decode(errors="replace")
    if run.timed_out:
        raise BenchmarkError(f"the child took longer than {timeout:.0f} s and was killed")
    return run
