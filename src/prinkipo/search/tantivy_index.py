"""Full-text search through tantivy: a derived index beside the archive, rebuilt from it.

FTS5 ranks every matching paragraph with BM25 before it can return the best, so a common word
costs time in proportion to the archive (``the`` on 100,000 pages: millions of paragraphs). The
``tantivy`` package (a Rust search library, from PyPI) ranks with block-max pruning and counts
facets from columnar fields. Here it holds one entry per document (title, paragraphs as separate
values so no phrase spans two, author, genre, language, periodical, written range) in a folder
beside the archive (``archive.db.tantivy/``). The archive stays the source of truth: the folder
records which state of the archive it was built from (documents, highest row ids, last update)
and is rebuilt when that changes; deleting it loses nothing. Snippets still come from FTS5
(one document's paragraphs at a time, cheap).

:func:`search` answers exactly like :func:`prinkipo.search.fulltext.search`; ``engine="auto"``
there uses this when tantivy is installed and the archive is a SQLite file.
"""

from __future__ import annotations

import json
import re
import shutil
import threading
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prinkipo.search.fulltext import QueryPlan, build_query, result_object
from prinkipo.search.query import And, Near, Node, Or, QueryError, Term
from prinkipo.store import Store
from prinkipo.store.search import HitRow, SearchRows

#: bumped when the schema or the analyzer changes: an older folder is rebuilt
INDEX_VERSION = 2
TITLE_BOOST = 2.0
#: indexed terms a one-word prefix expands to, most frequent first
PREFIX_TERMS = 200
_LOCK = threading.Lock()
_OPEN: dict[str, _Handle] = {}


@dataclass
class _Handle:
    state: str
    index: Any
    schema: Any


def available() -> bool:
    try:
        import tantivy  # noqa: F401
    except ImportError:
        return False
    return True


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


def _schema() -> Any:
    import tantivy

    sb = tantivy.SchemaBuilder()
    sb.add_unsigned_field("doc", stored=True, indexed=True, fast=True)
    sb.add_text_field("title", stored=False, tokenizer_name="prinkipo")
    sb.add_text_field("text", stored=False, tokenizer_name="prinkipo")
    for name in ("author", "author_written", "genre", "language", "periodical", "written"):
        sb.add_text_field(name, stored=False, tokenizer_name="raw", fast=True)
    sb.add_integer_field("earliest", indexed=True, fast=True)
    sb.add_integer_field("latest", indexed=True, fast=True)
    return sb.build()


def folder_for(store: Store) -> Path:
    return Path(store.path + ".tantivy")


def _open(store: Store) -> _Handle:
    """The index for this archive, built or rebuilt first if it is missing or stale."""
    import tantivy

    state = json.dumps([INDEX_VERSION, *store.fulltext_state()])
    folder = folder_for(store)
    with _LOCK:
        h = _OPEN.get(store.path)
        if h is not None and h.state == state:
            return h
        stamp = folder / "prinkipo-state.json"
        if not (stamp.is_file() and stamp.read_text() == state):
            build(store, folder, state)
        schema = _schema()
        idx = tantivy.Index(schema, path=str(folder))
        idx.register_tokenizer("prinkipo", _analyzer())
        idx.reload()
        h = _OPEN[store.path] = _Handle(state, idx, schema)
        return h


def build(store: Store, folder: Path, state: str | None = None) -> dict[str, float]:
    """(Re)build the index in ``folder`` from every document of the archive."""
    import tantivy

    t0 = time.perf_counter()
    tmp = folder.with_name(folder.name + ".building")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    idx = tantivy.Index(_schema(), path=str(tmp))
    idx.register_tokenizer("prinkipo", _analyzer())
    writer = idx.writer(heap_size=200_000_000, num_threads=1)
    n = 0
    for row in store.documents_for_index():
        doc = tantivy.Document()
        doc.add_unsigned("doc", row["id"])
        doc.add_text("title", row["title"] or "")
        for text in row["paragraphs"]:
            doc.add_text("text", text)
        for name in ("genre", "language", "periodical"):
            doc.add_text(name, row[name] or "")
        for a in row["authors"]:
            doc.add_text("author", a)
        for a in row["as_written"]:
            doc.add_text("author_written", a)
        first, last = row["earliest"] or "", row["latest"] or ""
        doc.add_text("written", f"{first[:4]}/{last[:4]}")
        if first:
            doc.add_integer("earliest", _day(first, low=True))
        if last:
            doc.add_integer("latest", _day(last, low=False))
        writer.add_document(doc)
        n += 1
    writer.commit()
    writer.wait_merging_threads()
    (tmp / "prinkipo-state.json").write_text(state or json.dumps([INDEX_VERSION]))
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)
    return {"documents": n, "seconds": time.perf_counter() - t0}


def _quoted(words: tuple[str, ...]) -> str:
    return '"' + " ".join(words).replace("\\", " ").replace('"', " ") + '"'


def _node(h: _Handle, node: Node) -> Any:
    """A query tree as tantivy queries; words and phrases go through the field's analyzer."""
    import tantivy

    fields, boost = ["title", "text"], {"title": TITLE_BOOST}
    if isinstance(node, Term):
        if node.prefix and len(node.words) == 1:
            return _prefix(h, node.words[0])
        text = _quoted(node.words) + ("*" if node.prefix else "")
        return h.index.parse_query(text, fields, boost)
    if isinstance(node, Near):
        words = tuple(w for t in node.terms for w in t.words)
        return h.index.parse_query(f"{_quoted(words)}~{node.distance}", fields, boost)
    if isinstance(node, Or):
        return tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, _node(h, i)) for i in node.items]
        )
    assert isinstance(node, And)
    parts = [(tantivy.Occur.Must, _node(h, i)) for i in node.items]
    parts += [(tantivy.Occur.MustNot, _node(h, x)) for x in node.exclude]
    return tantivy.Query.boolean_query(parts)


def _prefix(h: _Handle, word: str) -> Any:
    """Words beginning so: the indexed terms (folded, stemmed: a stem keeps the word's start)
    that begin with the prefix, the :data:`PREFIX_TERMS` most frequent, each ranked by BM25."""
    import tantivy

    folded = "".join(
        c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c)
    )
    stem = "".join(re.findall(r"\w", folded))
    searcher = h.index.searcher()
    parts = [
        (tantivy.Occur.Should, tantivy.Query.term_query(h.schema, field, term))
        for field in ("title", "text")
        for term, _ in (searcher.terms_with_prefix(field, stem, limit=PREFIX_TERMS) if stem else [])
    ]
    return tantivy.Query.boolean_query(parts) if parts else tantivy.Query.empty_query()


def _query(h: _Handle, plan: QueryPlan) -> Any:
    try:
        return _node(h, plan.query.tree)
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
    import tantivy

    plan = build_query(text, filters, facets, limit, offset)
    h = _open(store)
    query = _query(h, plan)
    musts = [(tantivy.Occur.Must, query)]
    for f in plan.filters:
        musts.append((tantivy.Occur.Must, _filter(h, f.name, f.value)))
    q = tantivy.Query.boolean_query(musts) if len(musts) > 1 else query
    searcher = h.index.searcher()
    res = searcher.search(q, limit, count=True, offset=offset)
    hits = []
    for score, addr in res.hits:
        doc_id = int(searcher.doc(addr)["doc"][0])
        hits.append(HitRow(doc_id, float(score), None, 0, ""))
    store.fill_hit_rows(hits)
    store.snippets_for(plan.query.fts, hits)
    raw = _facets(searcher, q, plan.facets)
    return result_object(plan, SearchRows(int(res.count or 0), hits, raw), "fulltext")


def _filter(h: _Handle, name: str, value: str) -> Any:
    import tantivy

    s = h.schema
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


def _facets(searcher: Any, q: Any, asked: tuple[str, ...]) -> dict[str, list[tuple[str, int]]]:
    fields = {("written" if f in ("year", "decade") else f) for f in asked}
    if not fields:
        return {}
    spec = {f: {"terms": {"field": f, "size": 10_000 if f == "written" else 200}} for f in fields}
    out = searcher.aggregate(q, spec)
    return {
        f: [(str(b["key"]), int(b["doc_count"])) for b in out[f]["buckets"] if b["key"] != ""]
        for f in fields
    }
