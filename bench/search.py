"""Search figures: full text with facets, tantivy alongside, concordance, meaning, relevance.

    .venv/bin/python bench/search.py [--mia DB] [--replica DB] [--pages 100000] [--rounds 3]

Builds (or reuses) the mia-html archive and a replica of it at ``--pages`` documents
(bench/corpus.py), then prints one table per archive:

- full text with three facets (author, decade, genre), top 20 with snippets: p50/p95 over the
  100 queries of bench/data/queries.txt (each the median of ``--rounds`` runs after a warm-up);
- the same queries bare (paragraph top 20 with ``snippet()``, no grouping or facets) on FTS5 and
  on the ``tantivy`` package indexing the same paragraphs in this run, and their ratio;
- the prinkipo search path with tantivy as the ranking index (``--tantivy-search``) if asked;
- tantivy's ranking, total and facets over mia-html's documents repeated ``--scale-copies``
  times (29: about 100,000 documents), what grows with the archive, without an ingest;
- concordance of a word with 1,000+ occurrences;
- meaning-based top 10 (p50/p95 over the same queries), index build rate and size, and the
  same search over the document vectors repeated to 100,000 and 1,000,000 rows;
- on mia-html, nDCG@10 for full text, semantic and hybrid over tests/data/search_judged.json.

Timings on a shared machine are noisy: run it when the machine is quiet, and say when it was not.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import mia_archive, replica_archive

from prinkipo.search import kwic, parse_query, search, tantivy_index
from prinkipo.search.query import And, Near, Node, Or, Term
from prinkipo.search.semantic import hybrid_search, index, semantic_search
from prinkipo.store import Store, open_store

HERE = Path(__file__).resolve().parent
QUERIES = HERE / "data" / "queries.txt"
JUDGED = HERE.parent / "tests" / "data" / "search_judged.json"
FACETS = ["author", "decade", "genre"]


def queries() -> list[str]:
    lines = QUERIES.read_text().splitlines()
    return [q.strip() for q in lines if q.strip() and not q.startswith("#")]


class Times(list[float]):
    """Per-query wall-clock milliseconds; ``cpu``: the same runs' CPU milliseconds (this
    process, every thread: on a busy machine the steadier figure)."""

    cpu: list[float]


def timed(fn: Callable[[str], Any], qs: list[str], rounds: int) -> Times:
    """Per-query median milliseconds over ``rounds`` runs, after one warm-up run each."""
    for q in qs:
        fn(q)
    out, cpu = Times(), []
    for q in qs:
        runs, cpus = [], []
        for _ in range(rounds):
            c0, t0 = time.process_time(), time.perf_counter()
            fn(q)
            runs.append((time.perf_counter() - t0) * 1000)
            cpus.append((time.process_time() - c0) * 1000)
        out.append(statistics.median(runs))
        cpu.append(statistics.median(cpus))
    out.cpu = cpu
    return out


def p50_95(t: Times, digits: int = 1) -> str:
    """``wall p50 / p95 (CPU p50 / p95)``."""
    return (
        f"{pct(t, 50):.{digits}f} / {pct(t, 95):.{digits}f}"
        f" (CPU {pct(t.cpu, 50):.{digits}f} / {pct(t.cpu, 95):.{digits}f})"
    )


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, math.ceil(p / 100 * len(s)) - 1))]


# -- tantivy over the same paragraphs ----------------------------------------------------------


def build_tantivy(store: Store, folder: str) -> tuple[Any, dict[str, float]]:
    import tantivy

    sb = tantivy.SchemaBuilder()
    sb.add_unsigned_field("doc", stored=True, indexed=True, fast=True)
    sb.add_unsigned_field("para", stored=True)
    sb.add_text_field("text", stored=True, tokenizer_name="en_stem")
    schema = sb.build()
    idx = tantivy.Index(schema, path=folder)
    writer = idx.writer(heap_size=256_000_000, num_threads=2)
    t0 = time.perf_counter()
    n = 0
    for doc_id, pid, text in store.all_paragraphs():
        doc = tantivy.Document()
        doc.add_unsigned("doc", doc_id)
        doc.add_unsigned("para", pid)
        doc.add_text("text", text)
        writer.add_document(doc)
        n += 1
    writer.commit()
    writer.wait_merging_threads()
    idx.reload()
    seconds = time.perf_counter() - t0
    size = sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())
    return idx, {"paragraphs": n, "seconds": seconds, "bytes": size}


def tantivy_syntax(node: Node) -> str:
    """A parsed query in tantivy's query language (the same tree FTS5 gets)."""
    if isinstance(node, Term):
        text = " ".join(node.words).replace('"', " ").replace("\\", " ")
        return f'"{text}"' + ("*" if node.prefix else "")
    if isinstance(node, Near):
        words = " ".join(w for t in node.terms for w in t.words).replace('"', " ")
        return f'"{words}"~{node.distance}'
    if isinstance(node, Or):
        return "(" + " OR ".join(tantivy_syntax(i) for i in node.items) + ")"
    assert isinstance(node, And)
    inner = " AND ".join(tantivy_syntax(i) for i in node.items)
    return "(" + inner + "".join(f" AND NOT {tantivy_syntax(x)}" for x in node.exclude) + ")"


def tantivy_query(idx: Any, text: str) -> Any:
    q = tantivy_syntax(parse_query(text).tree)
    try:
        return idx.parse_query(q, ["text"])
    except ValueError:
        return idx.parse_query_lenient(q, ["text"])[0]


# -- relevance ------------------------------------------------------------------------------


def ndcg10(paths: list[str], relevant: list[str], total_relevant: int) -> float:
    gains = [1.0 if any(p.startswith("mia-html/" + r) for r in relevant) else 0.0 for p in paths]
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains[:10]))
    ideal = sum(1 / math.log2(i + 2) for i in range(min(10, total_relevant)))
    return dcg / ideal if ideal else 0.0


def relevance(store: Store) -> dict[str, float]:
    judged = json.loads(JUDGED.read_text())["queries"]
    all_paths = store.document_paths()
    modes: dict[str, Callable[..., dict[str, Any]]] = {
        "fulltext": search,
        "semantic": semantic_search,
        "hybrid": hybrid_search,
    }
    out: dict[str, list[float]] = {m: [] for m in modes}
    kinds: dict[str, dict[str, list[float]]] = {}
    for item in judged:
        n_rel = sum(
            1 for p in all_paths if any(p.startswith("mia-html/" + r) for r in item["relevant"])
        )
        for mode, fn in modes.items():
            r = fn(store, item["q"], limit=10)
            score = ndcg10([i["path"] for i in r["items"]], item["relevant"], n_rel)
            out[mode].append(score)
            kinds.setdefault(item["kind"], {}).setdefault(mode, []).append(score)
    result = {m: statistics.mean(v) for m, v in out.items()}
    for kind, per in kinds.items():
        for m, v in per.items():
            result[f"{m} ({kind}, {len(v)})"] = statistics.mean(v)
    result["queries"] = len(judged)
    return result


# -- one archive ---------------------------------------------------------------------------


class Rows(list[tuple[str, str]]):
    """Rows of a table, each also printed as it is measured (a long run shows progress)."""

    def append(self, row: tuple[str, str]) -> None:
        print(f"  {row[0]}: {row[1]}", file=sys.stderr, flush=True)
        super().append(row)


def bench(
    db: str, rounds: int, with_relevance: bool, scale_copies: int = 0
) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = Rows()
    qs = queries()
    with open_store(db) as store:
        counts = store.counts()
        rows.append(
            ("documents / paragraphs", f"{counts['documents']:,} / {counts['paragraphs']:,}")
        )
        rows.append(("archive file", f"{os.path.getsize(db) / 2**20:,.0f} MiB"))

        ft = timed(lambda q: search(store, q, facets=FACETS, limit=20), qs, rounds)
        rows.append(("full text + 3 facets, top 20: p50 / p95 ms", p50_95(ft)))
        slow = sorted(zip(ft, qs, strict=True), reverse=True)[:5]
        rows.append(("  slowest", ", ".join(f"{q} {t:.0f}" for t, q in slow)))

        tvs = timed(lambda q: tantivy_index.search(store, q, facets=FACETS, limit=20), qs, rounds)
        rows.append(
            (
                "same through the tantivy index (prinkipo.search.tantivy_index): p50 / p95 ms",
                p50_95(tvs),
            )
        )

        bare = timed(lambda q: store.paragraph_top(parse_query(q).fts, 20), qs, rounds)
        rows.append(
            (
                "FTS5 bare paragraph top 20 + snippets: p50 / p95 ms",
                p50_95(bare, 2),
            )
        )

        with tempfile.TemporaryDirectory() as folder:
            idx, built = build_tantivy(store, folder)
            searcher = idx.searcher()
            parsed = {q: tantivy_query(idx, q) for q in qs}

            def tv(q: str) -> None:
                res = searcher.search(parsed[q], 20)
                for _, addr in res.hits:
                    searcher.doc(addr)

            tt = timed(tv, qs, rounds)
            rows.append(
                (
                    "tantivy bare paragraph top 20 + count: p50 / p95 ms",
                    p50_95(tt, 2),
                )
            )
            rows.append(
                ("  FTS5 / tantivy at p50 (bare)", f"{pct(bare, 50) / max(pct(tt, 50), 1e-9):.1f}x")
            )
            rows.append(
                (
                    "  prinkipo search / tantivy at p50",
                    f"{pct(ft, 50) / max(pct(tt, 50), 1e-9):.1f}x",
                )
            )
            rows.append(
                (
                    "tantivy index build",
                    f"{built['paragraphs'] / built['seconds']:,.0f} paragraphs/s, "
                    f"{built['bytes'] / 2**20:,.0f} MiB",
                )
            )

        if scale_copies and counts["documents"] < 20_000:
            at_scale, built = fulltext_at_scale(store, qs, rounds, scale_copies)
            rows.append(
                (
                    f"tantivy ranking + total + 3 facets over {built['documents']:,} documents"
                    f" ({scale_copies} copies of this archive): p50 / p95 ms",
                    p50_95(at_scale) + f"; index built in {built['seconds']:.0f} s",
                )
            )
            slow = sorted(zip(at_scale, qs, strict=True), reverse=True)[:5]
            rows.append(("  slowest", ", ".join(f"{q} {t:.0f}" for t, q in slow)))

        word = "proletariat"
        hits = len(kwic(store, word, width=40))
        k_doc = timed(lambda w: kwic(store, w, width=40), [word], rounds)
        k_left = timed(lambda w: kwic(store, w, width=40, sort="left"), [word], rounds)
        rows.append(
            (
                f"kwic '{word}' ({hits:,} lines): ms, sorted by left ms",
                f"{k_doc[0]:.0f}, {k_left[0]:.0f} (CPU {k_doc.cpu[0]:.0f}, {k_left.cpu[0]:.0f})",
            )
        )

        if counts["documents"] > 20_000:
            rows.append(("semantic", "not measured here: embedding every copy takes too long"))
            return rows
        store.clear_vectors()
        rep = index(store)
        size = store.vector_bytes()
        rows.append(
            (
                "semantic index build",
                f"{rep.paragraphs:,} paragraphs in {rep.seconds:.0f} s"
                f" = {rep.paragraphs / rep.seconds:,.0f}/s; {size / 2**20:,.0f} MiB",
            )
        )
        sem = timed(lambda q: semantic_search(store, q, limit=10), qs, rounds)
        rows.append(("semantic top 10: p50 / p95 ms", p50_95(sem)))
        for rows_at_scale in (100_000, 1_000_000):
            scaled = semantic_at_scale(store, qs, rounds, rows_at_scale)
            rows.append(
                (
                    f"semantic top 10 with {rows_at_scale:,} document vectors (synthetic): "
                    "p50 / p95 ms",
                    p50_95(scaled),
                )
            )
        hyb = timed(lambda q: hybrid_search(store, q, facets=FACETS, limit=20), qs, rounds)
        rows.append(("hybrid + 3 facets, top 20: p50 / p95 ms", p50_95(hyb)))

        if with_relevance:
            for k, v in relevance(store).items():
                rows.append(
                    (
                        f"nDCG@10 {k}" if k != "queries" else "judged queries",
                        f"{v:.3f}" if k != "queries" else str(v),
                    )
                )
    return rows


def fulltext_at_scale(
    store: Store, qs: list[str], rounds: int, copies: int
) -> tuple[Times, dict[str, float]]:
    """The ranking, total and three facets of the tantivy path (what grows with the archive:
    snippets are 20 documents' own paragraphs at any size) over a documents index holding this
    archive's documents ``copies`` times: real text at archive scale without an ingest."""
    import tantivy

    from prinkipo.search import build_query
    from prinkipo.search import tantivy_index as ti

    rows = list(store.documents_for_index())
    with tempfile.TemporaryDirectory() as folder:
        idx = tantivy.Index(ti._doc_schema(), path=folder)
        idx.register_tokenizer("prinkipo", ti._analyzer())
        writer = idx.writer(heap_size=400_000_000, num_threads=2)
        t0 = time.perf_counter()
        for k in range(copies):
            ti._add({"documents": writer}, ({**r, "id": r["id"] + k * 10_000_000} for r in rows))
        writer.commit()
        writer.wait_merging_threads()
        idx.reload()
        built = {"documents": len(rows) * copies, "seconds": time.perf_counter() - t0}
        side = ti._Side(idx, ti._doc_schema(), ["title", "text"], {"title": ti.TITLE_BOOST})

        def one(q: str) -> None:
            plan = build_query(q, (), FACETS, 20)
            query = ti._query(side, plan)
            searcher = side.searcher()
            ti.rank_and_count(searcher, query, plan.facets, 20, 0)

        return timed(one, qs, rounds), built


def semantic_at_scale(store: Store, qs: list[str], rounds: int, rows: int) -> Times:
    """Meaning-based top 10 as if the archive had ``rows`` documents: the real document vectors
    of this archive repeated (each copy moved a little at random, then normalised) into the
    in-memory matrix the search scans, so the whole search (query embedding, the scan over every
    document vector, the paragraph re-ranking of the best 50, facets) runs as it would at that
    size. At 100,000 pages that is 100,000 document vectors: paragraphs are only compared for
    the best documents, so the 4.3 million paragraph vectors are never scanned."""
    import numpy as np

    from prinkipo.search import semantic
    from prinkipo.search.embedder import load_embedder

    e = load_embedder()
    real = semantic._matrix(store, e)
    reps = -(-rows // len(real.ids))
    rng = np.random.default_rng(8)
    m = np.tile(real.m, (reps, 1))[:rows]
    m = m + rng.normal(0, 0.02, m.shape).astype(np.float32)
    m /= np.linalg.norm(m, axis=1, keepdims=True)
    ids = np.tile(real.ids, reps)[:rows]
    key = (store.path, e.name)
    semantic._CACHE[key] = semantic._Matrix(real.state, ids, m.astype(np.float32))
    try:
        return timed(lambda q: semantic_search(store, q, limit=10), qs, rounds)
    finally:
        semantic._CACHE.pop(key, None)


def print_table(title: str, rows: list[tuple[str, str]]) -> None:
    width = max(len(r[0]) for r in rows)
    print(f"\n## {title}\n")
    print(f"| {'measure':<{width}} | value |")
    print(f"|{'-' * (width + 2)}|-------|")
    for k, v in rows:
        print(f"| {k:<{width}} | {v} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mia", default="/tmp/prinkipo-bench/mia.db")
    ap.add_argument("--replica", default="/tmp/prinkipo-bench/replica.db")
    ap.add_argument("--pages", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--skip-replica", action="store_true")
    ap.add_argument(
        "--scale-copies",
        type=int,
        default=29,
        help="time tantivy's ranking and facets over mia-html's documents this many times"
        " over (29: about 100,000 documents; 0: skip)",
    )
    args = ap.parse_args()
    Path(args.mia).parent.mkdir(parents=True, exist_ok=True)
    print(f"mia-html archive: {mia_archive(args.mia)}", flush=True)
    print_table(f"mia-html ({args.mia})", bench(args.mia, args.rounds, True, args.scale_copies))
    if not args.skip_replica:
        print(f"replica: {replica_archive(args.replica, args.pages)}", flush=True)
        print_table(
            f"replica, {args.pages:,} pages ({args.replica})",
            bench(args.replica, args.rounds, False),
        )


if __name__ == "__main__":
    main()
