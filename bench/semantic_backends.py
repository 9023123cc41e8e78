"""Meaning-based search on PostgreSQL and SQLite through the store: real and synthetic sizes.

    .venv/bin/python bench/semantic_backends.py                  # mia-html, then 100,000
    .venv/bin/python bench/semantic_backends.py --synthetic 0    # mia-html only

The real archive: mia-html ingested into PostgreSQL (``check=False``), embedded with the shipped
model (``prinkipo index``), and copied into a SQLite file (``prinkipo copy``: the same vectors).
Then, on each, what :func:`prinkipo.search.semantic.nearest` costs: the first search of a process
(it reads every document vector into a NumPy matrix: ``cold``), and later ones (``warm``: the
query's embedding, one matrix product over all documents, the paragraph vectors of the best 50
read from the store and ranked), and the whole search (``semantic_search``: also the page and
facets statement and the snippets). ``--synthetic N`` then adds documents with random unit
vectors (two paragraphs each; the time of a dot product does not depend on what the vectors
mean) to the PostgreSQL archive until it holds N, and measures again there.

CPU is reported beside wall time (client: this process; server: every PostgreSQL process),
since the machine is shared: the load average is printed.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.pgserver import PgServer, require_pg_bin  # noqa: E402

from prinkipo.ingestion import ingest  # noqa: E402
from prinkipo.search import semantic  # noqa: E402
from prinkipo.search.embedder import load_embedder  # noqa: E402
from prinkipo.store import Store, open_store  # noqa: E402
from prinkipo.store.copy import copy_archive  # noqa: E402
from prinkipo.store.postgres import PostgresStore  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "mia-html"
QUERIES = [
    "the state as an instrument of class rule",
    "a secret agent who visited the exiled leader",
    "peasants seizing the land from the landlords",
    "the collapse of the Second International in the world war",
    "strikes and trade unions in Britain",
    "colonial peoples fighting imperialism",
    "how profit comes from unpaid labour",
    "the bureaucracy that usurped the workers' state",
    "women's emancipation and the family",
    "the Paris Commune and its lessons",
]


def measure(
    store: Store, server: PgServer | None, fn: Callable[[str], Any], queries: list[str]
) -> tuple[float, float, float]:
    """Median (wall ms, client CPU ms, server CPU ms) of ``fn`` over the queries."""
    walls, clients, servers = [], [], []
    for q in queries:
        s0 = server.cpu_seconds() if server else 0.0
        c0, t0 = time.process_time(), time.perf_counter()
        fn(q)
        walls.append(time.perf_counter() - t0)
        clients.append(time.process_time() - c0)
        servers.append((server.cpu_seconds() if server else 0.0) - s0)
    return tuple(1000 * statistics.median(x) for x in (walls, clients, servers))  # type: ignore[return-value]


def row(name: str, store: Store, server: PgServer | None) -> tuple[str, ...]:
    e = load_embedder()
    semantic._CACHE.clear()  # the first search of a process
    cold = measure(store, server, lambda q: semantic.nearest(store, q, embedder=e), QUERIES[:1])
    warm = measure(store, server, lambda q: semantic.nearest(store, q, embedder=e), QUERIES)
    whole = measure(store, server, lambda q: semantic.semantic_search(store, q), QUERIES)
    matrix = next(iter(semantic._CACHE.values())).m
    return (
        name,
        f"{len(matrix):,}",
        f"{cold[0]:.0f} ({cold[1]:.0f} + {cold[2]:.0f})",
        f"{warm[0]:.1f} ({warm[1]:.1f} + {warm[2]:.1f})",
        f"{whole[0]:.1f} ({whole[1]:.1f} + {whole[2]:.1f})",
        f"{matrix.nbytes / 2**20:.1f}",
    )


def add_synthetic(store: PostgresStore, total: int, dims: int, model: str) -> None:
    """Documents with random unit vectors (and two paragraph vectors) until ``total``."""
    rng = np.random.default_rng(7)
    have = store.count_documents()
    raw = store.pg.raw
    first = int(raw.execute("SELECT coalesce(max(id), 0) + 1 FROM files").fetchone()[0])  # type: ignore[index]
    docs = int(raw.execute("SELECT coalesce(max(id), 0) + 1 FROM documents").fetchone()[0])  # type: ignore[index]
    n = total - have
    with raw.transaction():
        with raw.cursor().copy(
            "COPY files (id, path, source, sha256, size, status, ingested_at) FROM STDIN"
        ) as copy:
            for i in range(n):
                copy.write_row((first + i, f"synthetic/{i}", "", "0" * 64, 0, "document", "now"))
        with raw.cursor().copy(
            "COPY documents (id, file_id, title, text, created_at, updated_at) FROM STDIN"
        ) as copy:
            for i in range(n):
                copy.write_row((docs + i, first + i, f"synthetic {i}", "", "now", "now"))
        for col in (("files", "id"), ("documents", "id")):
            raw.execute(
                f"SELECT setval(pg_get_serial_sequence('{col[0]}', '{col[1]}'),"  # noqa: S608
                f" (SELECT max(id) FROM {col[0]}))"
            )
    for start in range(0, n, 5000):
        k = min(5000, n - start)
        m = rng.standard_normal((k, dims), dtype=np.float32)
        m /= np.linalg.norm(m, axis=1, keepdims=True)
        p = rng.standard_normal((k, 2, dims), dtype=np.float32).astype(np.float16)
        store.put_vectors(
            model,
            dims,
            [(docs + start + j, m[j].tobytes(), p[j].tobytes()) for j in range(k)],
        )
    raw.execute("VACUUM ANALYZE document_vectors")


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--synthetic", type=int, default=100_000)
    args = ap.parse_args()
    pg_bin = require_pg_bin()
    server = PgServer(pg_bin, durable=True).start()
    tmp = Path(tempfile.mkdtemp(prefix="prinkipo-bench-"))
    rows = []
    load0 = os.getloadavg()[0]
    try:
        url = server.create_database("semantic")
        with open_store(url) as pg:
            assert isinstance(pg, PostgresStore)
            ingest(pg, [args.corpus], check=False)
            c0, t0 = time.process_time(), time.perf_counter()
            report = semantic.index(pg)
            print(
                f"embedded {report.documents} documents ({report.paragraphs} paragraphs) in"
                f" {time.perf_counter() - t0:.0f} s, {time.process_time() - c0:.0f} s CPU",
                file=sys.stderr,
            )
            with open_store(tmp / "copy.db") as lite:
                copy_archive(pg, lite)
                rows.append(row("sqlite, mia-html", lite, None))
                print(" | ".join(rows[-1]), file=sys.stderr)
            rows.append(row("postgresql, mia-html", pg, server))
            print(" | ".join(rows[-1]), file=sys.stderr)
            if args.synthetic:
                e = load_embedder()
                add_synthetic(pg, args.synthetic, e.dims, e.name)
                rows.append(row(f"postgresql, {args.synthetic:,}", pg, server))
                print(" | ".join(rows[-1]), file=sys.stderr)
    finally:
        server.stop()
        for f in tmp.iterdir():
            f.unlink()
        tmp.rmdir()
    head = (
        "archive",
        "document vectors",
        "first search: load + rank, ms (client + server CPU ms)",
        "later: nearest() ms (CPU)",
        "later: whole search ms (CPU)",
        "matrix MiB",
    )
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in rows:
        print("| " + " | ".join(r) + " |")
    print(
        f"\n{len(QUERIES)} queries, medians; model {load_embedder().name};"
        f" load average {load0:.1f} at the start, {os.getloadavg()[0]:.1f} at the end,"
        f" on {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
