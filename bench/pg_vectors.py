"""Meaning-based ranking without pgvector: in SQL over ``real[]``, or in NumPy, at growing sizes.

    .venv/bin/python bench/pg_vectors.py [--dims 384] [--sizes 10000,100000]

Debian 12 has no pgvector, so prinkipo keeps each document's embedding in the database and ranks
by cosine similarity either in SQL (``real[]`` column, a dot product over ``unnest``) or in NumPy
(read the vectors once, then one matrix product per query). This prints, for each size: the SQL
query time, the one-off load into NumPy, the NumPy query time and the memory the matrix takes.
The vectors are random unit vectors (the timing of a dot product does not depend on what the
vectors mean); the server is a throwaway one (tests/pgserver.py).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.pgserver import PgServer, require_pg_bin


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dims", type=int, default=384)
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--queries", type=int, default=5)
    args = ap.parse_args()
    pg_bin = require_pg_bin()
    server = PgServer(pg_bin, durable=True).start()
    rng = np.random.default_rng(7)
    rows = []
    try:
        for n in (int(x) for x in args.sizes.split(",")):
            url = server.create_database(f"vec{n}")
            mat = rng.standard_normal((n, args.dims), dtype=np.float32)
            mat /= np.linalg.norm(mat, axis=1, keepdims=True)
            with psycopg.connect(url, autocommit=True) as raw:
                raw.execute("CREATE TABLE bench_vectors (id bigint PRIMARY KEY, v real[] NOT NULL)")
                with raw.cursor().copy("COPY bench_vectors (id, v) FROM STDIN") as copy:
                    for i, vec in enumerate(mat):
                        copy.write_row((i, vec.tolist()))
                raw.execute("VACUUM ANALYZE bench_vectors")
                queries = mat[rng.integers(0, n, args.queries)]
                sql_times = []
                for q in queries:
                    t0 = time.perf_counter()
                    raw.execute(
                        "SELECT id, (SELECT sum(a * b) FROM unnest(v, %s::real[]) AS x(a, b)) AS s"
                        " FROM bench_vectors ORDER BY s DESC LIMIT 20",
                        (q.tolist(),),
                    ).fetchall()
                    sql_times.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                got = raw.execute("SELECT v FROM bench_vectors ORDER BY id").fetchall()
                loaded = np.asarray([r[0] for r in got], dtype=np.float32)
                load = time.perf_counter() - t0
                np_times = []
                for q in queries:
                    t0 = time.perf_counter()
                    scores = loaded @ q
                    top = np.argpartition(-scores, 20)[:20]
                    top[np.argsort(-scores[top])]
                    np_times.append(time.perf_counter() - t0)
            server.drop_database(url)
            rows.append(
                (
                    f"{n:,}",
                    f"{1000 * statistics.median(sql_times):.0f}",
                    f"{load:.1f}",
                    f"{1000 * statistics.median(np_times):.1f}",
                    f"{loaded.nbytes / 2**20:.0f}",
                )
            )
            print(" | ".join(rows[-1]), file=sys.stderr)
    finally:
        server.stop()
    head = ("vectors", "SQL real[] ms/query", "load into NumPy s", "NumPy ms/query", "MiB")
    print(f"dims {args.dims}, top 20 by dot product (unit vectors: cosine)")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in rows:
        print("| " + " | ".join(r) + " |")


if __name__ == "__main__":
    main()
