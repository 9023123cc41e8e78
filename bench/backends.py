"""SQLite and PostgreSQL in one run: ingest, search, concordance, size, parallel ingest.

    .venv/bin/python bench/backends.py                  # mia-html (../shared/corpus/mia-html)
    .venv/bin/python bench/backends.py --replica 100000 # and an archive of 100,000 pages

For each backend, on the real mia-html pages with the real ingest (HTML reader, header rules,
authority), three ingests into fresh archives, all without the checks (a team's workers ingest
with ``--no-check`` and the checks run once after: their time is a column of its own):

- **1 process**: one ``ingest`` over every folder that parses its files itself (``workers=0``):
  one process reads, parses and writes in turn, so one parsing process in all;
- **2 processes**: two such processes at once, each over half the folders (about half the
  files each): two parsing processes in all. The speed-up is this rate over the first; it is
  what a second ingest machine (or process) adds, the issue's figure;
- **1 process, 2 parse workers**: one ``ingest`` with a pool of two parsing processes (the
  default on 2 cores), writing in its main process: the same number of parsing processes as
  the two-process run, in one writer.

Each rate has the CPU it cost beside it, in ms per file: the ingest processes' (with their
parsing workers) + the PostgreSQL server's (all its processes). Then search latency p50/p95 with
four facets over a fixed list of queries; concordance time for a few terms; database size.
``--folders N`` runs on the first N folders only, ``--ingest-only`` skips the rest (tries).
``--replica N`` also builds an archive of N pages (mia-html's parsed documents saved again under
new paths: real text at archive scale, parsing not timed: the corpus is parsed once for both
backends) and times search and concordance on it. The replica is saved in transactions of 200
documents, as an ingest writes them; on SQLite by one process (its one write lock makes more
queue) with the mentions' entity index built at the end, as a bulk ingest does; on PostgreSQL by
``--replica-processes`` processes at once (default: one per core), as several ingest machines
would write it. Its build rate is not an issue figure (ingest rates are mia-html's); its search,
concordance and size are. The run ends with the time each part took and an estimate of the
whole run with ``--replica 100000`` from them (try ``--replica 10000`` first).

PostgreSQL is a throwaway server (tests/pgserver.py) with fsync on and
``synchronous_commit=off``, the durability of SQLite's WAL with ``synchronous=NORMAL``: a crash
may lose the last transactions, never corrupt the archive. Both run on the same machine, so the
PostgreSQL server's own CPU time competes with the ingest processes for the same cores. The
machine's load average is printed: on a shared machine, timings are noisy.
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing as mp
import os
import resource
import shutil
import signal
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.pgserver import PgServer, require_pg_bin  # noqa: E402

from prinkipo.entities.authority import demo_authority  # noqa: E402
from prinkipo.ingestion import ingest, iter_files, parse  # noqa: E402
from prinkipo.model import FileInfo  # noqa: E402
from prinkipo.search import kwic, search  # noqa: E402
from prinkipo.store import open_store  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "mia-html"
QUERIES = [
    "revolution",
    "bourgeoisie",
    '"working class"',
    "trade unions",
    "imperialism war",
    "lenin",
    "capital*",
    "peasants -soviet",
    "NEAR(party congress, 5)",
    "strike",
    "dialectics",
    "trotsky OR stalin",
    "commune",
    "socialism",
    '"surplus value"',
    "democracy",
    "bolsheviks",
    "proletariat dictatorship",
    "colonial",
    "fascism",
]
FACETS = ["author", "genre", "language", "decade"]
KWIC_TERMS = ["dialectics", '"surplus value"', "commune"]


def folders(corpus: Path) -> list[Path]:
    """The corpus as folders small enough to share out: each author, each other section."""
    out = []
    for top in sorted(p for p in corpus.iterdir() if p.is_dir()):
        out.extend(
            sorted(p for p in top.iterdir() if p.is_dir()) if top.name == "archive" else [top]
        )
    return out


def halves(dirs: list[Path]) -> tuple[list[Path], list[Path]]:
    """Two groups of folders with about the same number of files each."""
    sized = sorted(dirs, key=lambda d: -sum(1 for _ in iter_files([d])))
    a: list[Path] = []
    b: list[Path] = []
    na = nb = 0
    for d in sized:
        n = sum(1 for _ in iter_files([d]))
        if na <= nb:
            a.append(d)
            na += n
        else:
            b.append(d)
            nb += n
    return a, b


def _ingest_worker(target: str, dirs: list[Path], workers: int, start: Any, out: Any) -> None:
    with open_store(target) as store:
        start.wait()
        cpu0 = _cpu()
        report = ingest(store, dirs, check=False, workers=workers)
        cpu = _cpu() - cpu0  # with its parsing workers (joined when ingest ends)
    out.put((report.files, cpu))


@dataclass(frozen=True, slots=True)
class Run:
    """One timed ingest: wall seconds, files, and CPU seconds of the ingest processes (with
    their parsing workers) and of the PostgreSQL server (0 for SQLite)."""

    seconds: float
    files: int
    client_cpu: float
    server_cpu: float

    @property
    def rate(self) -> float:
        return self.files / self.seconds

    def cpu_ms(self) -> str:
        """CPU milliseconds per file, the ingest processes' + the server's."""
        client, server = 1000 * self.client_cpu / self.files, 1000 * self.server_cpu / self.files
        return f"{client:.0f} + {server:.0f}" if server else f"{client:.0f}"


def timed_ingest(
    target: str, groups: list[list[Path]], workers: int = 0, server: PgServer | None = None
) -> Run:
    """``len(groups)`` processes ingesting at once into ``target``, each with ``workers``
    parsing processes (0: it parses its files itself)."""
    open_store(target).close()  # create the schema first: not part of the timing
    ctx = mp.get_context("spawn")
    start, out = ctx.Barrier(len(groups) + 1), ctx.Queue()
    procs = [
        ctx.Process(target=_ingest_worker, args=(target, g, workers, start, out)) for g in groups
    ]
    for p in procs:
        p.start()
    start.wait()
    server0 = server.cpu_seconds() if server else 0.0
    t0 = time.perf_counter()
    done = [out.get(timeout=7200) for _ in procs]
    seconds = time.perf_counter() - t0
    server1 = server.cpu_seconds() if server else 0.0
    for p in procs:
        p.join()
    return Run(seconds, sum(f for f, _ in done), sum(c for _, c in done), server1 - server0)


def _cpu() -> float:
    """CPU seconds of this process and of its children that have ended."""
    me, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def timed_checks(target: str) -> float:
    """Seconds for the checks over the whole archive (what ``ingest`` runs once at its end)."""
    from prinkipo.checks import refresh_findings

    with open_store(target) as store:
        t0 = time.perf_counter()
        refresh_findings(store)
        return time.perf_counter() - t0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def time_search(target: str, repeat: int) -> dict[str, float]:
    with open_store(target) as store:
        for q in QUERIES:  # warm caches once
            search(store, q, facets=FACETS)
        times = []
        for _ in range(repeat):
            for q in QUERIES:
                t0 = time.perf_counter()
                search(store, q, facets=FACETS)
                times.append(time.perf_counter() - t0)
        kwic_times, lines = [], 0
        for term in KWIC_TERMS:
            runs = []
            for _ in range(max(1, repeat)):
                t0 = time.perf_counter()
                n = len(kwic(store, term))
                runs.append(time.perf_counter() - t0)
            kwic_times.append(statistics.median(runs))
            lines += n
        docs = store.count_documents()
    return {
        "documents": docs,
        "p50_ms": 1000 * percentile(times, 0.5),
        "p95_ms": 1000 * percentile(times, 0.95),
        "kwic_ms": 1000 * statistics.median(kwic_times),
        "kwic_lines": lines / len(KWIC_TERMS),
    }


def size_of(target: str) -> int:
    """Bytes on disk: the PostgreSQL database, or the SQLite file with its write-ahead log."""
    if target.startswith("postgresql://"):
        from prinkipo.store.postgres import PostgresStore

        with open_store(target) as store:
            assert isinstance(store, PostgresStore)
            return store.database_size()
    return sum(Path(target + s).stat().st_size for s in ("", "-wal") if Path(target + s).exists())


def parsed_corpus(corpus: Path) -> list[tuple[str, bytes, Any]]:
    """Every document of ``corpus`` the reader keeps, parsed once: (key, bytes, parsed)."""
    authority = demo_authority()
    docs = []
    for cand in iter_files([corpus]):
        data = cand.source.read_bytes()
        try:
            doc = parse(cand.key, data, None, authority)
        except Exception:
            continue
        if not doc.record.skip_reason:
            docs.append((cand.key, data, doc))
    return docs


#: documents saved per transaction while a replica is built (as ingest batches them)
REPLICA_BATCH = 200


def _save_share(target: str, docs: list[tuple[str, bytes, Any]], pages: int, share: int,
                shares: int) -> int:  # fmt: skip
    """Save page numbers ``share``, ``share + shares`` … below ``pages``: page ``i`` is corpus
    document ``i % len(docs)`` under ``replica/<i // len(docs)>/``. Transactions of
    :data:`REPLICA_BATCH` documents, as an ingest writes them. Returns documents saved."""
    n = 0
    with open_store(target) as store:
        mine = range(share, pages, shares)
        for start in range(0, len(mine), REPLICA_BATCH):
            with store.transaction():
                for i in mine[start : start + REPLICA_BATCH]:
                    key, data, doc = docs[i % len(docs)]
                    path = f"replica/{i // len(docs)}/{key}"
                    info = FileInfo(path, hashlib.sha256(data).hexdigest(), len(data))
                    store.save_document(info, path, data, doc)
                    n += 1
    return n


_REPLICA_DOCS: list[tuple[str, bytes, Any]] = []  # the parsed corpus, for forked builders


def _save_share_forked(target: str, pages: int, share: int, shares: int, out: Any) -> None:
    out.put(_save_share(target, _REPLICA_DOCS, pages, share, shares))


def build_replica(
    target: str,
    corpus: Path,
    pages: int,
    docs: list[tuple[str, bytes, Any]] | None = None,
    processes: int = 1,
) -> float:
    """An archive of ``pages`` documents: mia-html's documents, parsed once (or ``docs``, from
    :func:`parsed_corpus`), saved again and again under ``replica/<k>/…`` by ``processes``
    processes at once (a PostgreSQL archive takes several writers, as several ingest machines
    would write it; SQLite's one write lock would only make them queue). Returns documents saved
    per second (parsing not timed)."""
    global _REPLICA_DOCS
    _REPLICA_DOCS = docs if docs is not None else parsed_corpus(corpus)
    authority = demo_authority()
    with open_store(target) as store:
        store.load_authority(authority, origin="builtin")
        store.defer_indexes()  # as a bulk ingest does (SQLite only; PostgreSQL keeps them)
    t0 = time.perf_counter()
    if processes <= 1:
        n = _save_share(target, _REPLICA_DOCS, pages, 0, 1)
    else:
        ctx = mp.get_context("fork")  # the children share the parsed documents
        out = ctx.Queue()
        procs = [
            ctx.Process(target=_save_share_forked, args=(target, pages, k, processes, out))
            for k in range(processes)
        ]
        for proc in procs:
            proc.start()
        n = sum(out.get(timeout=7200) for _ in procs)
        for proc in procs:
            proc.join()
    with open_store(target) as store:
        store.restore_indexes()
    return n / (time.perf_counter() - t0)


#: the replica size the issue asks for
FULL_REPLICA = 100_000


def print_estimate(timings: dict[str, float], pages: int) -> None:
    """What each part took, and the run's time with ``--replica 100000`` estimated from it:
    the replica's parts grow with its pages (building it linearly; search and concordance with
    the matches, about linearly too), the rest stays."""
    scale = FULL_REPLICA / pages
    total = full = 0.0
    print(f"\ntime of each part (wall), and estimated for --replica {FULL_REPLICA:,}:")
    for part, seconds in timings.items():
        grows = "replica" in part
        total += seconds
        full += seconds * scale if grows else seconds
        later = f"{seconds * scale / 60:.1f} min" if grows else "the same"
        print(f"  {part}: {seconds / 60:.1f} min; {later}")
    load = os.getloadavg()[0]
    print(f"  this run: {total / 60:.1f} min; with --replica {FULL_REPLICA:,}: about"
          f" {full / 60:.0f} min (on this machine, at load average {load:.1f})")  # fmt: skip


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))  # so the server is stopped
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--replica", type=int, default=0, help="also an archive of this many pages")
    ap.add_argument("--repeat", type=int, default=3, help="times each query runs")
    ap.add_argument("--backends", default="sqlite,postgresql")
    ap.add_argument("--folders", type=int, default=0, help="only the first N folders (a try)")
    ap.add_argument("--ingest-only", action="store_true", help="no checks, search, size")
    ap.add_argument(
        "--replica-processes",
        type=int,
        default=os.cpu_count() or 1,
        help="processes building the PostgreSQL replica at once (SQLite's: one)",
    )
    args = ap.parse_args()
    #: what each part of the run took (wall seconds), for the estimate printed at the end
    timings: dict[str, float] = {}
    replica_docs: list[tuple[str, bytes, Any]] = []
    pg_bin = require_pg_bin()
    server = PgServer(pg_bin, durable=True).start()
    tmp = Path(tempfile.mkdtemp(prefix="prinkipo-bench-"))
    rows: list[tuple[str, ...]] = []
    try:
        dirs = folders(args.corpus)[: args.folders or None]
        a, b = halves(dirs)
        print(f"corpus {args.corpus}: {sum(1 for _ in iter_files(dirs))} files in {len(dirs)}"
              f" folders; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
              file=sys.stderr)  # fmt: skip
        for backend in args.backends.split(","):

            def new(name: str, backend: str = backend) -> str:
                if backend == "sqlite":
                    return str(tmp / f"{name}.db")
                return server.create_database(name)

            def drop(target: str) -> None:
                """Delete an archive that has been measured (its disk is needed later)."""
                if target.startswith("postgresql://"):
                    server.drop_database(target)
                    return
                for suffix in ("", "-wal", "-shm"):
                    Path(target + suffix).unlink(missing_ok=True)
                for index in tmp.glob(Path(target).name + "*"):  # a tantivy index folder
                    shutil.rmtree(index, ignore_errors=True)

            t0 = time.perf_counter()
            one = new("one")
            pg = server if backend == "postgresql" else None
            run1 = timed_ingest(one, [a + b], 0, pg)
            two = new("two")
            run2 = timed_ingest(two, [a, b], 0, pg)
            drop(two)  # the disk: a 100,000-page run holds both backends' replicas otherwise
            pool = new("pool")
            pool_run = timed_ingest(pool, [a + b], 2, pg)
            drop(pool)
            ingest_cols = (
                f"{run1.rate:.1f} ({run1.cpu_ms()})",
                f"{run2.rate:.1f} ({run2.rate / run1.rate:.2f}×; {run2.cpu_ms()})",
                f"{pool_run.rate:.1f} ({pool_run.cpu_ms()})",
            )
            if args.ingest_only:
                rows.append((backend, "mia-html", "", *ingest_cols, "", "", "", "", ""))
                print(" | ".join(rows[-1]), f"(load {os.getloadavg()[0]:.1f})", file=sys.stderr)
                continue
            checks = timed_checks(one)
            s = time_search(one, args.repeat)
            rows.append(
                (
                    backend,
                    "mia-html",
                    f"{s['documents']}",
                    *ingest_cols,
                    f"{checks:.0f}",
                    f"{s['p50_ms']:.1f}",
                    f"{s['p95_ms']:.1f}",
                    f"{s['kwic_ms']:.0f} ({s['kwic_lines']:.0f} lines)",
                    f"{size_of(one) / 2**20:.0f}",
                )
            )
            print(" | ".join(rows[-1]), f"(load {os.getloadavg()[0]:.1f})", file=sys.stderr)
            drop(one)
            timings[f"{backend}: mia-html (ingests, checks, search, size)"] = (
                time.perf_counter() - t0
            )
            if args.replica:
                rep = new("replica")
                if not replica_docs:
                    t0 = time.perf_counter()
                    replica_docs = parsed_corpus(args.corpus)
                    timings["parse the corpus once"] = time.perf_counter() - t0
                t0 = time.perf_counter()
                shares = args.replica_processes if backend == "postgresql" else 1
                rate = build_replica(rep, args.corpus, args.replica, replica_docs, shares)
                timings[f"{backend}: build the replica"] = time.perf_counter() - t0
                t0 = time.perf_counter()
                s = time_search(rep, args.repeat)
                rows.append(
                    (
                        backend,
                        f"replica {args.replica:,}",
                        f"{s['documents']}",
                        f"{rate:.0f} saves/s",
                        "",
                        "",
                        "",
                        f"{s['p50_ms']:.1f}",
                        f"{s['p95_ms']:.1f}",
                        f"{s['kwic_ms']:.0f} ({s['kwic_lines']:.0f} lines)",
                        f"{size_of(rep) / 2**20:.0f}",
                    )
                )
                drop(rep)
                timings[f"{backend}: search, concordance and size of the replica"] = (
                    time.perf_counter() - t0
                )
                print(" | ".join(rows[-1]), f"(load {os.getloadavg()[0]:.1f})", file=sys.stderr)
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)  # archives and their tantivy index folders
    head = (
        "backend",
        "archive",
        "documents",
        "ingest files/s, 1 process (CPU ms/file)",
        "2 processes files/s (speed-up; CPU ms/file)",
        "1 process, 2 parse workers files/s (CPU ms/file)",
        "checks s",
        "search p50 ms",
        "search p95 ms",
        "kwic median ms",
        "size MiB",
    )
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in rows:
        print("| " + " | ".join(r) + " |")
    if args.replica:
        print_estimate(timings, args.replica)
    load = os.getloadavg()[0]
    facets = ", ".join(FACETS)
    print(f"\nload average at the end: {load:.1f} on {os.cpu_count()} cores; "
          f"search: {len(QUERIES)} queries × {args.repeat}, facets {facets}")  # fmt: skip


if __name__ == "__main__":
    main()
