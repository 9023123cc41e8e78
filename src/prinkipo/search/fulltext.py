"""Full-text search over the archive: ranked documents, snippets, facets.

:func:`build_query` turns a query and its options into the SQL that would run (nothing runs:
``prinkipo search --sql`` prints it); :func:`search` runs it and returns the contract's search
object. Ranking is SQLite FTS5's BM25 over paragraphs (a document scores by its best paragraph,
a little more for each further matching paragraph) plus a title match weighted double.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from prinkipo.search.query import Filter, ParsedQuery, QueryError, parse_query
from prinkipo.store import Store
from prinkipo.store.search import (
    FACETS,
    FILTERS,
    MARK_CLOSE,
    MARK_OPEN,
    SearchRows,
    Statement,
    script,
    search_statements,
)

#: facets a search may ask for; ``year`` and ``decade`` are read from the written date's range,
#: ``person`` and ``place`` from the entities the documents mention
FACET_NAMES = ("author", "decade", "genre", "language", "periodical", "person", "place", "year")
#: facets whose values are entities (counted by entity key, shown by preferred name)
ENTITY_FACETS = ("person", "place")
#: full-text engines: ``auto`` is tantivy where it is installed and the archive a SQLite file
ENGINES = ("auto", "tantivy", "fts5")
FILTER_NAMES = tuple(sorted(FILTERS))
#: values shown per facet
FACET_SIZE = 20
#: a written range longer than this many years is counted only as "undated" in year facets
_SPAN_CAP = 30
MAX_LIMIT = 1000


@dataclass(frozen=True, slots=True)
class QueryPlan:
    """A parsed query and the statements that would answer it."""

    query: ParsedQuery
    filters: tuple[Filter, ...]
    facets: tuple[str, ...]
    statements: list[Statement]

    def sql(self, backend: str = "sqlite") -> str:
        """The SQL a store of ``backend`` runs, parameters shown above each (for ``--sql``)."""
        return script(self.statements, backend)


def parse_filter(text: str) -> Filter:
    """``NAME=VALUE`` (or ``NAME:VALUE``) into a :class:`Filter`; the name must be known."""
    m = re.match(r"\s*([A-Za-z_-]+)\s*[=:]\s*(.*)", text, re.S)
    if m is None or not m.group(2).strip():
        raise QueryError(
            f"Filter {text[:60]!r} is not NAME=VALUE; filters: {', '.join(FILTER_NAMES)}"
        )
    name, value = m.group(1).lower(), m.group(2).strip()
    if name not in FILTERS:
        raise QueryError(f"Unknown filter {name!r}; filters: {', '.join(FILTER_NAMES)}")
    return Filter(name, value)


def _facet_sql_names(facets: tuple[str, ...]) -> list[str]:
    names: list[str] = []
    for f in facets:
        if f not in FACET_NAMES:
            raise QueryError(f"Unknown facet {f!r}; facets: {', '.join(FACET_NAMES)}")
        sql_name = "written" if f in ("year", "decade") else f
        if sql_name not in names:
            names.append(sql_name)
    assert all(n in FACETS for n in names)
    return names


def build_query(
    text: str,
    filters: list[str] | tuple[str, ...] = (),
    facets: list[str] | tuple[str, ...] = (),
    limit: int = 20,
    offset: int = 0,
) -> QueryPlan:
    """Parse ``text`` and build the SQL of a full-text search, without running it.

    :raises QueryError: for a query with nothing to search for, an unknown filter or facet.
    """
    if not 1 <= limit <= MAX_LIMIT:
        raise QueryError(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
    if offset < 0:
        raise QueryError(f"offset must be 0 or more, not {offset}")
    query = parse_query(text)
    parsed_filters = tuple(parse_filter(f) for f in filters)
    facet_names = tuple(dict.fromkeys(f.strip().lower() for f in facets if f.strip()))
    statements = search_statements(
        query.fts,
        [(f.name, f.value) for f in parsed_filters],
        _facet_sql_names(facet_names),
        limit,
        offset,
    )
    return QueryPlan(query, parsed_filters, facet_names, statements)


def search(
    store: Store,
    text: str,
    filters: list[str] | tuple[str, ...] = (),
    facets: list[str] | tuple[str, ...] = (),
    limit: int = 20,
    offset: int = 0,
    engine: str = "auto",
) -> dict[str, Any]:
    """Full-text search: the contract's search object (``query``, ``total``, ``items``, ``facets``).

    Each item is a document with its score (higher is better), the best matching paragraphs'
    snippets as HTML (text escaped, matches in ``<mark>``), and how many paragraphs matched.

    :param engine: ``auto`` ranks through the tantivy index (:mod:`.tantivy_index`, a derived
        index beside the archive) where the ``tantivy`` package is installed and the archive is
        a SQLite file, else through the archive's own FTS5 index; ``tantivy`` or ``fts5`` force
        one. The result's ``engine`` says which answered.
    """
    if engine not in ENGINES:
        raise QueryError(f"Unknown engine {engine[:40]!r}; engines: {', '.join(ENGINES)}")
    if engine != "fts5":
        from prinkipo.search import tantivy_index

        if engine == "tantivy":
            return tantivy_index.search(store, text, filters, facets, limit, offset)
        if tantivy_index.usable(store):
            try:
                return tantivy_index.search(store, text, filters, facets, limit, offset)
            except tantivy_index.IndexUnavailable as err:  # e.g. a read-only folder
                result = search(store, text, filters, facets, limit, offset, "fts5")
                result["notes"].append(f"searched with FTS5: {err}")
                return result
    plan = build_query(text, filters, facets, limit, offset)
    rows = store.run_search(plan.statements)
    return result_object(plan, rows, "fulltext", store, "fts5")


def result_object(
    plan: QueryPlan,
    rows: SearchRows,
    mode: str,
    store: Store | None = None,
    engine: str | None = "fts5",
) -> dict[str, Any]:
    """The contract's search object; ``engine`` is the full-text engine that ranked (None for
    a ranking by meaning alone)."""
    items = []
    for hit in rows.hits:
        snippets = [
            {"paragraph": n, "html": mark_html(s), "text": unmark(s)} for n, s in hit.snippets
        ]
        items.append(
            {
                "document_id": hit.document_id,
                "title": hit.title,
                "path": hit.path,
                "score": round(hit.score, 4),
                "snippet": snippets[0]["html"] if snippets else "",
                "snippets": snippets,
                "paragraphs_matched": hit.paragraphs,
            }
        )
    return {
        "query": plan.query.text,
        "fts": plan.query.fts,
        "notes": list(plan.query.notes),
        "mode": mode,
        "engine": engine,
        "filters": [{"name": f.name, "value": f.value} for f in plan.filters],
        "total": rows.total,
        "limit": _limit(plan),
        "offset": _offset(plan),
        "items": items,
        "facets": facets_object(plan.facets, rows.facets, store),
    }


def _limit(plan: QueryPlan) -> int:
    return int(next(s for s in plan.statements if s.name == "page").params["limit"])


def _offset(plan: QueryPlan) -> int:
    return int(next(s for s in plan.statements if s.name == "page").params["offset"])


def mark_html(marked: str) -> str:
    """Snippet text with private-use match marks → escaped HTML with ``<mark>`` around matches."""
    escaped = html.escape(marked, quote=False)
    return escaped.replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>")


def unmark(marked: str) -> str:
    return marked.replace(MARK_OPEN, "").replace(MARK_CLOSE, "")


def facets_object(
    asked: tuple[str, ...], raw: dict[str, list[tuple[str, int]]], store: Store | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Facet values with counts (documents), most first (years and decades in time order).

    People and places are counted by entity and shown by preferred name: each value also has
    its ``key`` and ``entity_id`` (a filter takes either the key or the name).
    """
    out: dict[str, list[dict[str, Any]]] = {}
    for name in asked:
        if name in ("year", "decade"):
            out[name] = _time_facet(raw.get("written", []), name)
            continue
        values = sorted(raw.get(name, []), key=lambda vc: (-vc[1], vc[0]))[:FACET_SIZE]
        if name in ENTITY_FACETS:
            labels = store.entity_labels([v for v, _ in values]) if store and values else {}
            out[name] = [
                {
                    "value": labels[v][1] if v in labels else v,
                    "count": c,
                    "key": v,
                    "entity_id": labels[v][0] if v in labels else None,
                }
                for v, c in values
            ]
            continue
        out[name] = [{"value": v, "count": c} for v, c in values]
    return out


def _time_facet(rows: list[tuple[str, int]], unit: str) -> list[dict[str, Any]]:
    """Years (decades) by the written date's range, honest about uncertainty.

    ``count``: documents certainly written in that year (their whole range lies inside it);
    ``possible``: documents whose range only overlaps it (``[1917, 1918]`` is possible in both);
    a range longer than 30 years, or no readable date, counts under ``undated``.
    """
    certain: dict[int, int] = {}
    possible: dict[int, int] = {}
    undated = 0
    step = 10 if unit == "decade" else 1
    for span, count in rows:
        first, _, last = span.partition("/")
        if not (first.isdigit() and last.isdigit()) or int(last) - int(first) > _SPAN_CAP:
            undated += count
            continue
        lo, hi = int(first) // step * step, int(last) // step * step
        if lo == hi:
            certain[lo] = certain.get(lo, 0) + count
        else:
            for v in range(lo, hi + 1, step):
                possible[v] = possible.get(v, 0) + count
    values = sorted(set(certain) | set(possible))
    suffix = "s" if unit == "decade" else ""
    out: list[dict[str, Any]] = [
        {"value": f"{v}{suffix}", "count": certain.get(v, 0), "possible": possible.get(v, 0)}
        for v in values
    ]
    if undated:
        out.append({"value": "undated", "count": undated, "possible": 0})
    return out
