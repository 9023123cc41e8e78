"""Full-text search through tantivy: a derived index beside the archive, rebuilt from it.

FTS5 ranks every matching paragraph with BM25 before it can return the best, so a common word
costs time in proportion to the archive (``the`` on 100,000 pages: millions of paragraphs). The
``tantivy`` package (a Rust search library, from PyPI) ranks with block-max pruning and counts
facets from columnar fields. Measured on mia-html (bench/search.py) the bare FTS5 top 20 ran
about 25 times slower than tantivy's at the median, and far slower for common words, so
:func:`prinkipo.search.search` uses this index wherever tantivy is installed (``engine="auto"``).

The folder beside the archive (``archive.db.tantivy/``) holds two indexes built in one pass:

- ``documents/``: one entry per document (title, paragraphs as separate values so no phrase
  spans two, author, genre, language, periodical, written range, the people and places it
  mentions): ranking, the total and the facet counts (exact: aggregations over every match);
- ``paragraphs/``: one entry per paragraph, so the page's documents each get their best
  paragraphs (BM25 within the document) and how many paragraphs match, without FTS5.

Snippets are cut and marked in Python (:mod:`.highlight`) with the index's own analyzer. The
archive stays the source of truth: the folder records the last entry of the archive's log of
changed documents (``index_changes``, filled by triggers on documents, mentions and entities)
that it holds; a search first re-indexes the documents changed since (or rebuilds the folder
when there are many), so it never misses or keeps a stale document. Deleting it loses nothing.
"""

from __future__ import annotations

import json
import re
import shutil
import threading
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prinkipo.errors import PrinkipoError
from prinkipo.search.fulltext import QueryPlan, build_query, result_object
from prinkipo.search.highlight import Highlighter
from prinkipo.search.query import And, Near, Node, Or, QueryError, Term
from prinkipo.store import Store
from prinkipo.store.search import HitRow, SearchRows

#: bumped when the schema or the analyzer changes: an older folder is rebuilt
INDEX_VERSION = 3
TITLE_BOOST = 2.0
#: indexed terms a one-word prefix expands to, most frequent first
PREFIX_TERMS = 200
#: snippets (best paragraphs) shown per document
SNIPPETS_PER_DOC = 3
#: facet values counted per facet before the top ones are shown
FACET_BUCKETS = 200
#: changed documents re-indexed in place; more than this and the index is rebuilt
CATCH_UP_MAX = 2000
_RAW_FIELDS = (
    "author",
    "author_written",
    "genre",
    "language",
    "periodical",
    "written",
    "person",
    "place",
)
_LOCK = threading.Lock()
_OPEN: dict[str, _Handle] = {}


@dataclass
class _Side:
    """One of the two indexes, with what queries against it need."""

    index: Any
    schema: Any
    fields: list[str]
    boost: dict[str, float] = field(default_factory=dict)

    def searcher(self) -> Any:
        return self.index.searcher()


@dataclass
class _Handle:
    state: str
    docs: _Side
    paras: _Side
    analyzer: Any


class IndexUnavailable(PrinkipoError):
    """The index folder could not be built or opened (read-only place, no space, locked)."""

    status = 503


def available() -> bool:
    try:
        import tantivy  # noqa: F401
    except ImportError:
        return False
    return True


def usable(store: Store) -> bool:
    """Whether ``engine="auto"`` searches ``store`` through this index: tantivy is installed
    and the archive is a SQLite file (the index is a folder beside it)."""
    return serves(store.backend) and store.path not in ("", ":memory:") and available()


def serves(backend: str) -> bool:
    """Whether this index can stand beside an archive of ``backend``: a SQLite file (a
    PostgreSQL archive searches its own ``tsvector`` index)."""
    return backend == "sqlite"


def _analyzer() -> Any:
    from tantivy import Filter, TextAnalyzerBuilder, Tokenizer

    # as FTS5's "porter unicode61 remove_diacritics 2": words, lower case, accents off, stemmed
    return (
        TextAnalyzerBuilder(Tokenizer.simple())
        .filter(Filter.remove_long(60))
        .filter(Filter.lowercase())
        .filter(Filter.ascii_fold())
        .filter(Filter.stemmer("english"))
        .build()
    )


def _doc_schema() -> Any:
    import tantivy

    sb = tantivy.SchemaBuilder()
    sb.add_unsigned_field("doc", stored=True, indexed=True, fast=True)
    sb.add_text_field("title", stored=False, tokenizer_name="prinkipo")
    sb.add_text_field("text", stored=False, tokenizer_name="prinkipo")
    for name in _RAW_FIELDS:
        sb.add_text_field(name, stored=False, tokenizer_name="raw", fast=True)
    sb.add_integer_field("earliest", indexed=True, fast=True)
    sb.add_integer_field("latest", indexed=True, fast=True)
    return sb.build()


def _para_schema() -> Any:
    import tantivy

    sb = tantivy.SchemaBuilder()
    sb.add_unsigned_field("pdoc", stored=False, indexed=True)
    sb.add_unsigned_field("pid", stored=True)
    sb.add_text_field("ptext", stored=False, tokenizer_name="prinkipo")
    return sb.build()


def folder_for(store: Store) -> Path:
    return Path(store.path + ".tantivy")


def _side(folder: Path, schema: Any, fields: list[str], boost: dict[str, float]) -> _Side:
    import tantivy

    idx = tantivy.Index(schema, path=str(folder))
    idx.register_tokenizer("prinkipo", _analyzer())
    idx.reload()
    return _Side(idx, schema, fields, boost)


def _open(store: Store) -> _Handle:
    """The index for this archive, brought up to date first: built when missing, the changed
    documents re-indexed when a few changed, rebuilt when many did."""
    state = json.dumps([INDEX_VERSION, *store.fulltext_state()])
    h = _OPEN.get(store.path)
    if h is not None and h.state == state:
        return h
    with _LOCK:
        h = _OPEN.get(store.path)
        if h is not None and h.state == state:
            return h
        folder = folder_for(store)
        stamp = folder / "prinkipo-state.json"
        try:
            built = json.loads(stamp.read_text()) if stamp.is_file() else None
            if built != json.loads(state) and not _catch_up(store, folder, built, state):
                build(store, folder, state)
            docs = _side(
                folder / "documents", _doc_schema(), ["title", "text"], {"title": TITLE_BOOST}
            )
            paras = _side(folder / "paragraphs", _para_schema(), ["ptext"], {})
        except (OSError, ValueError) as err:
            raise IndexUnavailable(f"{folder}: the full-text index is unavailable ({err})") from err
        h = _OPEN[store.path] = _Handle(state, docs, paras, _analyzer())
        return h


def refresh(store: Store) -> dict[str, Any]:
    """Bring the index up to date now (``prinkipo index`` runs it after a large ingest, so
    the first search does not wait): what it held before, and the seconds it took."""
    t0 = time.perf_counter()
    stamp = folder_for(store) / "prinkipo-state.json"
    before = stamp.read_text() if stamp.is_file() else None
    h = _open(store)
    return {
        "engine": "tantivy",
        "folder": str(folder_for(store)),
        "was_current": before == h.state,
        "documents": int(h.docs.searcher().num_docs),
        "seconds": round(time.perf_counter() - t0, 2),
    }


def _catch_up(store: Store, folder: Path, built: Any, state: str) -> bool:
    """Re-index the documents changed since the index was built (the archive's log of changes,
    ``index_changes``); False where a full rebuild is the way (no index, another version,
    another archive, or more changes than :data:`CATCH_UP_MAX`)."""
    import tantivy

    now = json.loads(state)
    if not (isinstance(built, list) and len(built) == len(now) and built[0] == INDEX_VERSION):
        return False
    if built[1] > now[1] or built[2] > now[2] or built[3] > now[3]:
        return False  # the log went backwards: another archive at this path
    changed = store.changed_documents(built[1], CATCH_UP_MAX)
    if len(changed) >= CATCH_UP_MAX:
        return False
    try:
        writers = {}
        for name, schema in (("documents", _doc_schema()), ("paragraphs", _para_schema())):
            idx = tantivy.Index(schema, path=str(folder / name))
            idx.register_tokenizer("prinkipo", _analyzer())
            writers[name] = idx.writer(heap_size=50_000_000, num_threads=1)
        term = tantivy.Query.term_query
        for doc_id in changed:  # (by query: by_term reads a Python int as a signed term)
            writers["documents"].delete_documents_by_query(term(_doc_schema(), "doc", doc_id))
            writers["paragraphs"].delete_documents_by_query(term(_para_schema(), "pdoc", doc_id))
        _add(writers, store.documents_for_index(changed))
        for w in writers.values():
            w.commit()
            w.wait_merging_threads()
    except (ValueError, OSError):  # a damaged or locked folder: build a fresh one
        return False
    (folder / "prinkipo-state.json").write_text(state)
    return True


def build(store: Store, folder: Path, state: str | None = None) -> dict[str, float]:
    """(Re)build the index in ``folder`` from every document of the archive."""
    import tantivy

    t0 = time.perf_counter()
    tmp = folder.with_name(folder.name + ".building")
    shutil.rmtree(tmp, ignore_errors=True)
    writers = {}
    for name, schema in (("documents", _doc_schema()), ("paragraphs", _para_schema())):
        (tmp / name).mkdir(parents=True)
        idx = tantivy.Index(schema, path=str(tmp / name))
        idx.register_tokenizer("prinkipo", _analyzer())
        writers[name] = idx.writer(heap_size=150_000_000, num_threads=1)
    n, paragraphs = _add(writers, store.documents_for_index())
    for w in writers.values():
        w.commit()
        w.wait_merging_threads()
    (tmp / "prinkipo-state.json").write_text(state or json.dumps([INDEX_VERSION]))
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)
    return {"documents": n, "paragraphs": paragraphs, "seconds": time.perf_counter() - t0}


def _add(writers: dict[str, Any], rows: Iterator[dict[str, Any]]) -> tuple[int, int]:
    """Add documents (rows of ``Store.documents_for_index``) to both indexes."""
    import tantivy

    n = paragraphs = 0
    for row in rows:
        doc = tantivy.Document()
        doc.add_unsigned("doc", row["id"])
        doc.add_text("title", row["title"] or "")
        for pid, text in row["paragraphs"]:
            doc.add_text("text", text)
            if "paragraphs" not in writers:  # (a documents-only index: bench/search.py)
                continue
            para = tantivy.Document()
            para.add_unsigned("pdoc", row["id"])
            para.add_unsigned("pid", pid)
            para.add_text("ptext", text)
            writers["paragraphs"].add_document(para)
            paragraphs += 1
        for name in ("genre", "language", "periodical"):
            doc.add_text(name, row[name] or "")
        for a in row["authors"]:
            doc.add_text("author", a)
        for a in row["as_written"]:
            doc.add_text("author_written", a)
        for kind in ("person", "place"):
            for key in row[kind]:
                doc.add_text(kind, key)
        first, last = row["earliest"] or "", row["latest"] or ""
        doc.add_text("written", f"{first[:4]}/{last[:4]}")
        if first:
            doc.add_integer("earliest", _day(first, low=True))
        if last:
            doc.add_integer("latest", _day(last, low=False))
        writers["documents"].add_document(doc)
        n += 1
    return n, paragraphs


def _quoted(words: tuple[str, ...]) -> str:
    return '"' + " ".join(words).replace("\\", " ").replace('"', " ") + '"'


def _node(side: _Side, node: Node) -> Any:
    """A query tree as tantivy queries; words and phrases go through the field's analyzer."""
    import tantivy

    if isinstance(node, Term):
        if node.prefix and len(node.words) == 1:
            return _prefix(side, node.words[0])
        text = _quoted(node.words) + ("*" if node.prefix else "")
        return side.index.parse_query(text, side.fields, side.boost)
    if isinstance(node, Near):
        words = tuple(w for t in node.terms for w in t.words)
        return side.index.parse_query(f"{_quoted(words)}~{node.distance}", side.fields, side.boost)
    if isinstance(node, Or):
        return tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, _node(side, i)) for i in node.items]
        )
    assert isinstance(node, And)
    parts = [(tantivy.Occur.Must, _node(side, i)) for i in node.items]
    parts += [(tantivy.Occur.MustNot, _node(side, x)) for x in node.exclude]
    return tantivy.Query.boolean_query(parts)


def _prefix(side: _Side, word: str) -> Any:
    """Words beginning so: the indexed terms (folded, stemmed: a stem keeps the word's start)
    that begin with the prefix, the :data:`PREFIX_TERMS` most frequent, each ranked by BM25."""
    import tantivy

    folded = "".join(
        c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c)
    )
    stem = "".join(re.findall(r"\w", folded))
    searcher = side.searcher()
    parts = [
        (tantivy.Occur.Should, tantivy.Query.term_query(side.schema, f, term))
        for f in side.fields
        for term, _ in (searcher.terms_with_prefix(f, stem, limit=PREFIX_TERMS) if stem else [])
    ]
    if not parts:
        return tantivy.Query.empty_query()
    q = tantivy.Query.boolean_query(parts)
    return q


def _query(side: _Side, plan: QueryPlan) -> Any:
    try:
        return _node(side, plan.query.tree)
    except ValueError as err:
        raise QueryError(f"The tantivy index refused the query: {err}") from err


def search(
    store: Store,
    text: str,
    filters: list[str] | tuple[str, ...] = (),
    facets: list[str] | tuple[str, ...] = (),
    limit: int = 20,
    offset: int = 0,
) -> dict[str, Any]:
    """Full-text search through the tantivy index: the same search object as FTS5's."""
    plan = build_query(text, filters, facets, limit, offset)
    h = _open(store)
    q = _filtered(store, h, _query(h.docs, plan), plan)
    searcher = h.docs.searcher()
    hits, total, raw = rank_and_count(searcher, q, plan.facets, limit, offset)
    store.fill_hit_rows(hits)
    _snippets(store, h, plan, hits)
    rows = SearchRows(total, hits, raw)
    return result_object(plan, rows, "fulltext", store, "tantivy")


def rank_and_count(
    searcher: Any, q: Any, facets: tuple[str, ...], limit: int, offset: int
) -> tuple[list[HitRow], int, dict[str, list[tuple[str, int]]]]:
    """The page's documents best first, how many match, and the facet counts. With facets,
    one aggregation over every match counts them and the total, and the top documents come
    from a search that may skip what cannot rank; without, the search counts."""
    raw, total = _facets(searcher, q, facets)
    res = searcher.search(q, limit, count=total is None, offset=offset)
    hits = [
        HitRow(int(searcher.doc(addr)["doc"][0]), float(score), None, 0, "")
        for score, addr in res.hits
    ]
    return hits, int(res.count or 0) if total is None else total, raw


def ranking(store: Store, plan: QueryPlan, depth: int) -> list[tuple[int, float]]:
    """(document id, score) of the ``depth`` best documents, best first (for hybrid ranking)."""
    h = _open(store)
    searcher = h.docs.searcher()
    res = searcher.search(_filtered(store, h, _query(h.docs, plan), plan), depth, count=False)
    return [(int(searcher.doc(addr)["doc"][0]), float(score)) for score, addr in res.hits]


def _filtered(store: Store, h: _Handle, query: Any, plan: QueryPlan) -> Any:
    import tantivy

    if not plan.filters:
        return query
    musts = [(tantivy.Occur.Must, query)]
    musts += [(tantivy.Occur.Must, _filter(store, h, f.name, f.value)) for f in plan.filters]
    return tantivy.Query.boolean_query(musts)


def _snippets(store: Store, h: _Handle, plan: QueryPlan, hits: list[HitRow]) -> None:
    """Each hit's best paragraphs (BM25 among its own, from the paragraph index), how many of
    its paragraphs match, and their snippets marked by :class:`~.highlight.Highlighter`."""
    import tantivy

    if not hits:
        return
    pq = _query(h.paras, plan)
    searcher = h.paras.searcher()
    best: dict[int, list[int]] = {}
    for hit in hits:
        in_doc = tantivy.Query.term_query(h.paras.schema, "pdoc", hit.document_id)
        q = tantivy.Query.boolean_query([(tantivy.Occur.Must, pq), (tantivy.Occur.Must, in_doc)])
        res = searcher.search(q, SNIPPETS_PER_DOC, count=True)
        hit.paragraphs = int(res.count or 0)
        best[hit.document_id] = [int(searcher.doc(a)["pid"][0]) for _, a in res.hits]
    texts = store.paragraphs_by_id([p for ps in best.values() for p in ps])
    marker = Highlighter(plan.query.terms, h.analyzer.analyze)
    for hit in hits:
        hit.snippets = [
            (texts[p][1], marker.snippet(texts[p][2])) for p in best[hit.document_id] if p in texts
        ]


def _filter(store: Store, h: _Handle, name: str, value: str) -> Any:
    import tantivy

    s = h.docs.schema
    if name in ("person", "place"):
        keys = store.mentioned_keys(name, value)
        return tantivy.Query.term_set_query(s, name, keys) if keys else tantivy.Query.empty_query()
    if name == "author":
        return tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Should, tantivy.Query.term_query(s, "author", value)),
                (tantivy.Occur.Should, tantivy.Query.term_query(s, "author_written", value)),
            ]
        )
    if name in ("genre", "language", "periodical"):
        return tantivy.Query.term_query(s, name, value)
    integer = tantivy.FieldType.Integer
    if name in ("year", "decade"):
        digits = re.sub(r"\D", "", value)
        first = digits[:4] if name == "year" else digits[:3] + "0"
        last = digits[:4] if name == "year" else digits[:3] + "9"
        lo, hi = _day(first, low=True), _day(last, low=False)
        return tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Must, tantivy.Query.range_query(s, "earliest", integer, lo, hi)),
                (tantivy.Occur.Must, tantivy.Query.range_query(s, "latest", integer, lo, hi)),
            ]
        )
    if name == "from":
        return tantivy.Query.range_query(s, "latest", integer, _day(value, low=True), 99991231)
    if name == "to":
        return tantivy.Query.range_query(s, "earliest", integer, 0, _day(value, low=False))
    raise QueryError(f"Unknown filter {name!r}")


def _day(text: str, low: bool) -> int:
    """``1917``, ``1917-03`` or ``1917-03-05`` as a yyyymmdd number, the first or last day."""
    parts = [p for p in re.split(r"\D+", text) if p][:3]
    year = int(parts[0][:4]) if parts else 0
    month = int(parts[1]) if len(parts) > 1 else (1 if low else 12)
    day = int(parts[2]) if len(parts) > 2 else (1 if low else 31)
    return year * 10000 + month * 100 + day


def _facets(
    searcher: Any, q: Any, asked: tuple[str, ...]
) -> tuple[dict[str, list[tuple[str, int]]], int | None]:
    """Documents per value of each facet over every match, and how many match (None when no
    facet was asked: nothing was counted). Exact: each segment reports every value it has
    (``segment_size``), so no count is a sum of truncated per-segment lists."""
    fields = {("written" if f in ("year", "decade") else f) for f in asked}
    if not fields:
        return {}, None
    spec: dict[str, Any] = {
        f: {
            "terms": {
                "field": f,
                "size": 10_000 if f == "written" else FACET_BUCKETS,
                "segment_size": 1_000_000,
            }
        }
        for f in fields
    }
    spec["_matches"] = {"value_count": {"field": "doc"}}
    out = searcher.aggregate(q, spec)
    counts = {
        f: [(str(b["key"]), int(b["doc_count"])) for b in out[f]["buckets"] if b["key"] != ""]
        for f in fields
    }
    return counts, int(out["_matches"]["value"] or 0)
