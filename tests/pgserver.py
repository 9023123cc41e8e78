"""A throwaway PostgreSQL server for the tests and benchmarks (STACK.md's recipe).

Debian's PostgreSQL (``scripts/setup-system.sh`` installs it), a fresh cluster in a temp folder,
trust authentication on 127.0.0.1 and a random free port, ``fsync=off``; as root the server runs
as the ``postgres`` user. :meth:`PgServer.stop` stops it and deletes the folder.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import psycopg


def find_pg_bin() -> Path | None:
    """The newest ``/usr/lib/postgresql/N/bin`` with an initdb, or None."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parent.parent.name),
    )
    return Path(found[-1]).parent if found else None


def require_pg_bin() -> Path:
    """:func:`find_pg_bin` for the benchmarks: exit with what to do when there is none."""
    found = find_pg_bin()
    if found is None:
        sys.exit("PostgreSQL is not installed: run scripts/setup-system.sh as root")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgServer:
    """One PostgreSQL cluster; :meth:`create_database` gives each test its own database."""

    def __init__(self, pg_bin: Path, durable: bool = False) -> None:
        """``durable``: fsync on (for benchmarks); else fsync off, as throwaway tests want."""
        self.bin = pg_bin
        self.durable = durable
        self.root = os.geteuid() == 0
        self.data = Path(tempfile.mkdtemp(prefix="prinkipo-pg-"))
        self.port = 0
        self.user = "postgres" if self.root else os.environ.get("USER", "postgres")

    def _run(self, *args: str) -> None:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if self.root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)

    def start(self) -> PgServer:
        if self.root:
            shutil.chown(self.data, "postgres", "postgres")
        self.data.chmod(0o700)
        self._run(
            "initdb", "-D", str(self.data), "-U", self.user, "--auth=trust", "-E", "UTF8",
            "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        # a durable (benchmark) server: max_wal_size as PostgreSQL's own log asks for under
        # bulk writes ("checkpoints are occurring too frequently" at the default 1 GB)
        safety = (
            "-c synchronous_commit=off -c max_wal_size=4GB"
            if self.durable
            else "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        for _attempt in range(5):  # another process may take the free port first
            self.port = _free_port()
            try:
                self._run(
                    "pg_ctl", "-D", str(self.data), "-l", str(self.data / "server.log"), "-w",
                    "-t", "60", "-o",
                    f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data} {safety}"
                    " -c max_connections=200",
                    "start",
                )  # fmt: skip
                return self
            except subprocess.CalledProcessError:
                continue
        log = (self.data / "server.log").read_text(errors="replace")[-2000:]
        raise RuntimeError(f"PostgreSQL did not start in {self.data}:\n{log}")

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, prefix: str = "t") -> str:
        """A new empty database; returns its URL."""
        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def cpu_seconds(self) -> float:
        """CPU seconds (user + sys) the server has used: its live processes' and those of its
        processes that have ended (the postmaster's reaped children), read from ``/proc`` (the
        server runs on this machine). Benchmarks take the difference over a run."""
        head = int((self.data / "postmaster.pid").read_text().split()[0])
        tick = os.sysconf("SC_CLK_TCK")
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            pid = int(stat.parent.name)
            if pid == head:
                total += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
            elif int(fields[1]) == head:
                total += int(fields[11]) + int(fields[12])
        return total / tick

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.data, ignore_errors=True)
