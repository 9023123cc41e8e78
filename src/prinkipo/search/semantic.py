"""Meaning-based and hybrid search: nearest documents by embedding, fused with full text.

Index: each document gets one vector per paragraph (float16) and one for the whole (float32: the
normalised mean of its paragraphs', with its title's added at half weight), stored in
``document_vectors`` beside the text; a document whose text changes loses its vectors (a
trigger) and :func:`index` embeds it again. Search runs in two steps: every document's vector
against the query's (one matrix product over an in-memory copy, reloaded when the table
changes), then the paragraphs of the best :data:`RERANK` documents, so a document's score is
the mean of its whole-text and its best paragraph's similarity, and that paragraph is its
snippet.

Hybrid ranks documents by reciprocal-rank fusion (RRF, k = 60) of the full-text ranking and the
meaning-based one. Without the model (:class:`SemanticUnavailable`), ``semantic`` mode is an
error (503 on the API) and ``hybrid`` falls back to full text, saying so in ``notes``.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prinkipo.search.embedder import Embedder, SemanticUnavailable, load_embedder
from prinkipo.search.fulltext import QueryPlan, build_query, result_object
from prinkipo.search.query import QueryError, parse_query
from prinkipo.store import Store
from prinkipo.store.search import SearchRows, filter_statement, ranked_statements

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

#: documents whose paragraphs are compared in the second step
RERANK = 50
#: documents a meaning-based search returns (it ranks everything; only the nearest are shown)
SEMANTIC_DEPTH = 100
#: reciprocal-rank fusion constant
RRF_K = 60
#: documents embedded per transaction
BATCH = 64
MODES = ("fulltext", "semantic", "hybrid")


@dataclass(slots=True)
class IndexReport:
    documents: int
    paragraphs: int
    seconds: float
    model: str

    def to_dict(self) -> dict[str, Any]:
        rate = self.paragraphs / self.seconds if self.seconds else 0.0
        return {
            "documents": self.documents,
            "paragraphs": self.paragraphs,
            "seconds": round(self.seconds, 2),
            "paragraphs_per_second": round(rate),
            "model": self.model,
        }


def index(
    store: Store,
    embedder: Embedder | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> IndexReport:
    """Embed every document that has no vectors of the current model; returns what it did."""
    import numpy as np

    e = embedder or load_embedder()
    t0 = time.perf_counter()
    docs = paragraphs = 0
    while ids := store.documents_without_vectors(e.name, BATCH):
        texts = store.texts_to_embed(ids)
        rows = []
        for doc_id in ids:
            title, paras = texts.get(doc_id, ("", []))
            vectors = e.embed([t for _, _, t in paras] + [title])
            para_vecs, title_vec = vectors[:-1], vectors[-1]
            whole = para_vecs.mean(axis=0) if len(para_vecs) else np.zeros(e.dims, np.float32)
            whole = whole + 0.5 * title_vec
            whole = whole / max(float(np.linalg.norm(whole)), 1e-12)
            rows.append(
                (
                    doc_id,
                    whole.astype(np.float32).tobytes(),
                    para_vecs.astype(np.float16).tobytes(),
                )
            )
            paragraphs += len(paras)
        store.put_vectors(e.name, e.dims, rows)
        docs += len(ids)
        if on_batch:
            on_batch(len(ids))
    return IndexReport(docs, paragraphs, time.perf_counter() - t0, e.name)


class _Matrix:
    """Every document vector of one archive and model, in memory, with the state it was read at."""

    def __init__(self, state: tuple[int, int], ids: NDArray[np.int64], m: NDArray[np.float32]):
        self.state = state
        self.ids = ids
        self.m = m


_CACHE: dict[tuple[str, str], _Matrix] = {}
_CACHE_LOCK = threading.Lock()


def _matrix(store: Store, e: Embedder) -> _Matrix:
    import numpy as np

    key = (store.path, e.name)
    state = store.search_state()
    with _CACHE_LOCK:
        cached = _CACHE.get(key)
        if cached is not None and cached.state == state:
            return cached
    rows = store.document_vectors(e.name)
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    m = (
        np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), e.dims)
        if rows
        else np.zeros((0, e.dims), np.float32)
    )
    fresh = _Matrix(state, ids, m)
    with _CACHE_LOCK:
        _CACHE[key] = fresh
    return fresh


def nearest(
    store: Store,
    text: str,
    filters: list[str] | tuple[str, ...] = (),
    depth: int = SEMANTIC_DEPTH,
    embedder: Embedder | None = None,
) -> list[tuple[int, float, int]]:
    """(document id, similarity, best paragraph n) of the ``depth`` nearest documents."""
    import numpy as np

    e = embedder or load_embedder()
    query = parse_query(text)
    qv = e.embed([query.plain])[0]
    if not qv.any():
        raise QueryError(f"Nothing in {text[:60]!r} that the meaning model knows")
    mat = _matrix(store, e)
    if len(mat.ids) == 0:
        return []
    sims = mat.m @ qv
    if filters:
        plan = build_query(text, filters)
        keep = store.filtered_documents(filter_statement([(f.name, f.value) for f in plan.filters]))
        sims = np.where(np.isin(mat.ids, np.array(keep, dtype=np.int64)), sims, -np.inf)
    k = min(max(depth, RERANK), len(sims))
    top = np.argpartition(-sims, k - 1)[:k]
    top = top[np.isfinite(sims[top])]
    top = top[np.argsort(-sims[top])]
    cand = [int(mat.ids[i]) for i in top[:RERANK]]
    blobs = store.paragraph_vectors(cand, e.name)
    out: list[tuple[int, float, int]] = []
    seen: set[int] = set()
    for i in top:
        doc_id, sim = int(mat.ids[i]), float(sims[i])
        if doc_id in seen:  # one row per document (a matrix built with repeats has more)
            continue
        seen.add(doc_id)
        blob = blobs.get(doc_id)
        best_n, best = 0, sim
        if blob:
            pv = np.frombuffer(blob, dtype=np.float16).reshape(-1, e.dims).astype(np.float32)
            psims = pv @ qv
            j = int(np.argmax(psims))
            best_n, best = j + 1, float(psims[j])
        score = (sim + best) / 2 if doc_id in blobs else sim
        out.append((doc_id, score, best_n))
    out.sort(key=lambda x: -x[1])
    return out[:depth]


def semantic_search(
    store: Store,
    text: str,
    filters: list[str] | tuple[str, ...] = (),
    facets: list[str] | tuple[str, ...] = (),
    limit: int = 20,
    offset: int = 0,
    model_dir: Path | None = None,
) -> dict[str, Any]:
    """The search object, documents ranked by meaning alone (the nearest :data:`SEMANTIC_DEPTH`).

    :param model_dir: a model2vec static model folder (default: the one shipped)
    :raises SemanticUnavailable: without the model or its packages
    """
    plan = build_query(text, filters, facets, limit, offset)
    e = load_embedder(model_dir)
    _index_missing(store, e)
    near = nearest(store, text, filters, SEMANTIC_DEPTH, e)
    return _ranked_result(store, plan, [(d, s, n) for d, s, n in near], "semantic")


def hybrid_search(
    store: Store,
    text: str,
    filters: list[str] | tuple[str, ...] = (),
    facets: list[str] | tuple[str, ...] = (),
    limit: int = 20,
    offset: int = 0,
    model_dir: Path | None = None,
) -> dict[str, Any]:
    """Full text and meaning, fused by reciprocal rank; full text alone if the model is absent."""
    plan = build_query(text, filters, facets, limit, offset)
    try:
        e = load_embedder(model_dir)
    except SemanticUnavailable as err:
        from prinkipo.search.fulltext import search

        result = search(store, text, filters, facets, limit, offset)
        result["mode"] = "fulltext"
        result["notes"].append(f"meaning-based part left out: {err}")
        return result
    _index_missing(store, e)
    full = _fulltext_ranking(store, plan)
    near = nearest(store, text, filters, SEMANTIC_DEPTH, e)
    fused: dict[int, float] = {}
    para: dict[int, int] = {}
    for rank, (doc_id, _) in enumerate(full, start=1):
        fused[doc_id] = fused.get(doc_id, 0.0) + 1.0 / (RRF_K + rank)
    for rank, (doc_id, _, n) in enumerate(near, start=1):
        fused[doc_id] = fused.get(doc_id, 0.0) + 1.0 / (RRF_K + rank)
        para[doc_id] = n
    ranked = sorted(fused.items(), key=lambda x: (-x[1], x[0]))
    return _ranked_result(store, plan, [(d, s, para.get(d, 0)) for d, s in ranked], "hybrid")


def _fulltext_ranking(store: Store, plan: QueryPlan) -> list[tuple[int, float]]:
    """The best 1,000 documents by full text, through the same engine a full-text search uses."""
    from prinkipo.search import tantivy_index

    if tantivy_index.usable(store):
        return tantivy_index.ranking(store, plan, 1000)
    fill = [s for s in plan.statements if s.name in ("create", "clear", "hits")]
    total = [s for s in plan.statements if s.name in ("total", "page")]
    store.run_search(fill + total)
    return store.ranked_hits(1000)


def _index_missing(store: Store, e: Embedder) -> None:
    """Embed the documents not embedded yet (after an ingest; `prinkipo index` does the bulk)."""
    if missing_vectors(store, e.name, 1):
        index(store, e)


_MISSING: dict[tuple[str, str, int], tuple[tuple[int, int], list[int]]] = {}


def missing_vectors(store: Store, model: str, limit: int) -> list[int]:
    """Documents with no vectors of ``model`` (at most ``limit``). Looking costs a pass over
    every document, so the answer is kept until the archive changes
    (:meth:`~prinkipo.store.Store.search_state`, two index lookups): a search pays nothing."""
    key = (store.path, model, limit)
    state = store.search_state()
    memo = _MISSING.get(key)
    if memo is not None and memo[0] == state:
        return memo[1]
    found = store.documents_without_vectors(model, limit)
    _MISSING[key] = (state, found)
    return found


def _ranked_result(
    store: Store, plan: QueryPlan, ranked: list[tuple[int, float, int]], mode: str
) -> dict[str, Any]:
    statements = ranked_statements(_facet_sql(plan), _page(plan, "limit"), _page(plan, "offset"))
    rows = store.run_ranked(statements, json.dumps([[d, s, n] for d, s, n in ranked]))
    best = {d: n for d, _, n in ranked}
    texts = store.paragraph_rows([(h.document_id, best[h.document_id]) for h in rows.hits])
    words = [w.casefold() for t in plan.query.terms for w in t.words]
    for hit in rows.hits:
        n = best.get(hit.document_id, 0)
        if (hit.document_id, n) in texts:
            hit.snippets = [(n, _excerpt(texts[(hit.document_id, n)], words))]
    return result_object(plan, SearchRows(rows.total, rows.hits, rows.facets), mode, store, None)


def _facet_sql(plan: QueryPlan) -> list[str]:
    return [s.name.split(":", 1)[1] for s in plan.statements if s.name.startswith("facet:")]


def _page(plan: QueryPlan, key: str) -> int:
    return int(next(s for s in plan.statements if s.name == "page").params[key])


def _excerpt(text: str, words: list[str], size: int = 280) -> str:
    """The paragraph's start (or the stretch around the first query word), words marked."""
    from prinkipo.store.search import MARK_CLOSE, MARK_OPEN

    folded = text.casefold()
    hits = [folded.find(w) for w in words if w and folded.find(w) >= 0]
    start = max(0, min(hits) - size // 3) if hits else 0
    piece = text[start : start + size]
    prefix = "…" if start else ""
    suffix = "…" if start + size < len(text) else ""
    for w in sorted(set(words), key=len, reverse=True):
        if not w:
            continue
        i, low = 0, piece.casefold()
        out = []
        while (j := low.find(w, i)) >= 0:
            out.append(piece[i:j] + MARK_OPEN + piece[j : j + len(w)] + MARK_CLOSE)
            i = j + len(w)
        piece = "".join(out) + piece[i:]
        break  # one word marked is enough for a hint; avoids nested marks
    return prefix + piece + suffix


def search_any(
    store: Store,
    text: str,
    filters: list[str] | tuple[str, ...] = (),
    facets: list[str] | tuple[str, ...] = (),
    limit: int = 20,
    offset: int = 0,
    mode: str = "fulltext",
    engine: str = "auto",
) -> dict[str, Any]:
    """One entry point for the three modes (``fulltext``, ``semantic``, ``hybrid``); ``engine``
    picks the full-text engine (:func:`prinkipo.search.search`)."""
    from prinkipo.search.fulltext import search

    if mode == "fulltext":
        return search(store, text, filters, facets, limit, offset, engine)
    if mode == "semantic":
        return semantic_search(store, text, filters, facets, limit, offset)
    if mode == "hybrid":
        return hybrid_search(store, text, filters, facets, limit, offset)
    raise QueryError(f"Unknown mode {mode[:40]!r}; modes: {', '.join(MODES)}")


def search_sql(
    text: str,
    filters: list[str] | tuple[str, ...] = (),
    facets: list[str] | tuple[str, ...] = (),
    limit: int = 20,
    offset: int = 0,
    mode: str = "fulltext",
    engine: str = "auto",
    backend: str = "sqlite",
) -> str:
    """The SQL a search of this mode runs on an archive of ``backend`` (``sqlite`` or
    ``postgresql``, :func:`prinkipo.store.backend_of`), as text (nothing runs)."""
    from prinkipo.search import tantivy_index

    plan = build_query(text, filters, facets, limit, offset)
    if mode == "fulltext":
        if engine == "fts5" or not tantivy_index.serves(backend):
            return plan.sql(backend)
        return (
            "-- where the tantivy package is installed (--engine auto, the default) the search"
            " ranks,\n-- counts and facets through the derived tantivy index beside the archive"
            " and reads\n-- titles and paragraphs by id; this is the SQL it runs without"
            " tantivy (--engine fts5):\n\n" + plan.sql(backend)
        )
    if mode not in MODES:
        raise QueryError(f"Unknown mode {mode[:40]!r}; modes: {', '.join(MODES)}")
    statements = ranked_statements(_facet_sql(plan), limit, offset)
    filters_sql = filter_statement([(f.name, f.value) for f in plan.filters])
    head = [
        f"-- {mode}: the query's embedding is compared in NumPy with every row of",
        "-- document_vectors (SELECT document_id, vector FROM document_vectors WHERE model = :m),",
        "-- then the best documents' paragraph vectors; the ranked list then fills search_hits.",
    ]
    if mode == "hybrid":
        head.append("-- hybrid also runs the full-text statements (--mode fulltext --sql).")
    body = QueryPlan(plan.query, plan.filters, plan.facets, [filters_sql, *statements])
    return "\n".join(head) + "\n\n" + body.sql(backend)
