"""Where one ingest into PostgreSQL spends its time: client CPU, server CPU, waiting.

    .venv/bin/python bench/pg_ingest.py                       # all of mia-html, one process
    .venv/bin/python bench/pg_ingest.py --folders 40 --profile 25

One ``ingest(..., workers=0, check=False)`` (the process parses every file itself, as each of the
two processes of bench/backends.py does) into a fresh database on a throwaway PostgreSQL server
(tests/pgserver.py, fsync on, ``synchronous_commit=off``). Printed: wall seconds; the client's
CPU (user + sys of this process); the server's CPU, split into the backends serving this
ingest's connections and the rest of the server (WAL writer, checkpointer …), read from
``/proc`` (the server runs on this machine); the statements and commits the server counted; and
wall time not covered by either side's CPU (waiting on the network, locks, disk, or another
process of the machine). ``--profile N`` prints the client's N most expensive functions by
cumulative wall time (cProfile), where psycopg's waits show the round trips. The machine's
load average is printed: on a shared machine, wall time is noisy; CPU time much less so.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.pgserver import PgServer, require_pg_bin  # noqa: E402

from prinkipo.ingestion import ingest, iter_files  # noqa: E402
from prinkipo.store import open_store  # noqa: E402
from prinkipo.store.postgres import PostgresStore  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from backends import CORPUS, folders  # noqa: E402


def sched(pid: int | str) -> tuple[float, float]:
    """(seconds on a CPU, seconds runnable but waiting for one) of a process's main thread,
    from ``/proc/PID/schedstat`` ((0, 0) once it has gone)."""
    try:
        on, waiting, _ = Path(f"/proc/{pid}/schedstat").read_text().split()
    except (OSError, ValueError):
        return 0.0, 0.0
    return int(on) / 1e9, int(waiting) / 1e9


def counters(store: PostgresStore) -> int:
    """Transactions the server committed in this database."""
    row = store.pg.raw.execute(
        "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"
    ).fetchone()
    assert row is not None
    return int(row[0])


def backend_pid(store: PostgresStore, side: bool = False) -> int:
    conn = store._side_connection() if side else store.pg
    row = conn.raw.execute("SELECT pg_backend_pid()").fetchone()
    assert row is not None
    return int(row[0])


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--folders", type=int, default=0, help="only the first N folders")
    ap.add_argument("--profile", type=int, default=0, help="print the N costliest functions")
    ap.add_argument("--sort", default="cumulative", help="profile order: cumulative, tottime …")
    args = ap.parse_args()
    pg_bin = require_pg_bin()
    dirs = folders(args.corpus)
    if args.folders:
        dirs = dirs[: args.folders]
    files = sum(1 for _ in iter_files(dirs))
    server = PgServer(pg_bin, durable=True).start()
    prof = cProfile.Profile() if args.profile else None
    try:
        with open_store(server.create_database("ingest")) as store:
            assert isinstance(store, PostgresStore)
            backends = [backend_pid(store), backend_pid(store, side=True)]
            server0, me0 = server.cpu_seconds(), sched("self")
            mine0 = [sched(p) for p in backends]
            commits0, load0 = counters(store), os.getloadavg()[0]
            t0 = time.perf_counter()
            if prof:
                prof.enable()
            report = ingest(store, dirs, check=False, workers=0)
            if prof:
                prof.disable()
            wall = time.perf_counter() - t0
            me1, mine1 = sched("self"), [sched(p) for p in backends]
            server1, commits1 = server.cpu_seconds(), counters(store)
            docs = store.count_documents()
    finally:
        server.stop()
    client, client_wait = me1[0] - me0[0], me1[1] - me0[1]
    mine = sum(b[0] - a[0] for a, b in zip(mine0, mine1, strict=True))
    mine_wait = sum(b[1] - a[1] for a, b in zip(mine0, mine1, strict=True))
    rest = server1 - server0 - mine
    # the client is on a CPU, waiting for one, or blocked on the server; of the time blocked,
    # what the server's backends did not spend on (or waiting for) a CPU is round trips, locks,
    # disk: time a second process could use
    left = wall - client - client_wait - mine - mine_wait
    n = report.files
    per = [1000 * x / n for x in (client, client_wait, mine, mine_wait, rest, left)]
    print("| files | documents | wall s | files/s | client CPU | client waiting for a core |"
          " server backends CPU | backends waiting for a core | rest of server CPU |"
          " neither (round trips, locks, disk) | commits |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    print(f"| {n} | {docs} | {wall:.1f} | {n / wall:.1f} | "
          + " | ".join(f"{x:.1f}" for x in per) + f" | {commits1 - commits0} |")  # fmt: skip
    print(f"\n(ms per file) {files} files in {len(dirs)} folders; load average {load0:.1f}"
          f" before, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} cores")  # fmt: skip
    if prof:
        pstats.Stats(prof).sort_stats(args.sort).print_stats(args.profile)


if __name__ == "__main__":
    main()
