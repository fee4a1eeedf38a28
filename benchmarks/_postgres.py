"""A throw-away PostgreSQL cluster for benchmarks: initdb + pg_ctl in a temporary
directory on loopback (as the ``postgres`` user when run as root), stopped and deleted
on the way out; it can also be stopped and started again in between."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from benchmarks._common import HOST, BenchmarkError, free_port

PG_BIN_DIRS = ("/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/*/bin")
PG_SERVER_OPTIONS = (
    "-c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=256MB "
    "-c max_wal_size=4GB"
)


def pg_bindir() -> Path:
    for pattern in PG_BIN_DIRS:
        for directory in sorted(Path("/").glob(pattern.lstrip("/")), reverse=True):
            if (directory / "initdb").exists():
                return directory
    raise BenchmarkError("no PostgreSQL binaries under /usr/lib/postgresql/*/bin "
                         "(scripts/postgres.sh installs them)")


def run_checked(command: Sequence[str], what: str, log: Path | None = None) -> None:
    """Run ``command``; a non-zero exit raises with its output and the tail of ``log``."""
    done = subprocess.run(list(command), capture_output=True, text=True, timeout=120,
                          check=False)
    if done.returncode != 0:
        tail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
        raise BenchmarkError(f"{what} failed ({done.returncode}):\n{done.stdout}{done.stderr}"
                             f"{tail}")


@dataclass(frozen=True, slots=True)
class PostgresCluster:
    root: Path
    port: int
    bindir: Path | None = None
    run_as: tuple[str, ...] = ()  # the command prefix that runs pg_ctl as the cluster's owner

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def log(self) -> Path:
        return self.root / "server.log"

    def url(self, database: str) -> str:
        """For songgate (SQLAlchemy)."""
        return f"postgresql+asyncpg://songgate@{HOST}:{self.port}/{database}"

    def dsn(self, database: str) -> str:
        """For asyncpg directly."""
        return f"postgresql://songgate@{HOST}:{self.port}/{database}"

    async def create_database(self, name: str) -> str:
        admin = await asyncpg.connect(self.dsn("postgres"))
        try:
            await admin.execute(f'CREATE DATABASE "{name}"')
        finally:
            await admin.close()
        return self.url(name)

    def _pg_ctl(self, *args: str) -> list[str]:
        bindir = self.bindir or pg_bindir()
        return [*self.run_as, str(bindir / "pg_ctl"), "-D", str(self.data), *args]

    def start(self) -> None:
        """``pg_ctl start -w``: returns once the server accepts connections."""
        run_checked(self._pg_ctl("-l", str(self.log), "-w", "-o",
                                 f"-p {self.port} -k {self.root} {PG_SERVER_OPTIONS}", "start"),
                    "pg_ctl start", self.log)

    def stop(self, mode: str = "fast") -> None:
        """``pg_ctl stop -m mode -w``: returns once the server is down."""
        run_checked(self._pg_ctl("-m", mode, "-w", "stop"), "pg_ctl stop", self.log)


@contextmanager
def postgres_cluster(prefix: str = "songgate-scale-pg-") -> Iterator[PostgresCluster]:
    """initdb + pg_ctl start in a temporary directory; stopped and deleted on the way out."""
    bindir = pg_bindir()
    run_as: tuple[str, ...] = ()
    root = Path(tempfile.mkdtemp(prefix=prefix))
    started = False
    try:
        if os.geteuid() == 0:  # the server refuses to run as root
            shutil.chown(root, "postgres")
            run_as = ("runuser", "-u", "postgres", "--")
        cluster = PostgresCluster(root, free_port(), bindir, run_as)
        run_checked([*run_as, str(bindir / "initdb"), "-D", str(cluster.data), "-U", "songgate",
                     "--auth=trust", "-E", "UTF8", "--no-sync"], "initdb")
        started = True
        cluster.start()
        yield cluster
    finally:
        if started:  # immediate: the cluster is deleted anyway, no need for a checkpoint
            stop = [*run_as, str(bindir / "pg_ctl"), "-D", str(root / "data"), "-m",
                    "immediate", "stop"]
            subprocess.run(stop, capture_output=True, timeout=60, check=False)
        shutil.rmtree(root, ignore_errors=True)
