"""Full-text search, facets, concordance and stored embeddings: the SQL of ``prinkipo.search``.

:func:`search_statements` only builds SQL (so ``prinkipo search --sql`` can print it without an
archive); :class:`SearchMixin` runs it. The FTS5 expression always travels as the bound parameter
``:q``; filter values as ``:f0``, ``:f1`` …; nothing a person typed is spliced into SQL.

One search runs as: fill the connection's ``temp.search_hits`` with every matching document and
its score (best paragraph by BM25, plus a title match), then read the page, the total and each
facet from that table, then the snippets of the page's documents.
"""

from __future__ import annotations

import json
import sqlite3
import urllib.parse
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from prinkipo.errors import PrinkipoError, StoreError

#: marks around a match in snippets and concordance lines (private-use characters, never in text)
MARK_OPEN = "\ue000"
MARK_CLOSE = "\ue001"
#: a title match weighs this many times a paragraph match
TITLE_WEIGHT = 2.0


@dataclass(frozen=True, slots=True)
class Statement:
    """One SQL statement with its named parameters."""

    name: str
    sql: str
    params: dict[str, Any] = field(default_factory=dict)


#: documents mentioning an entity (key or preferred name ``:v``) of one kind; a merged entity's
#: mentions count for the entity it was merged into
_MENTIONED = (
    "doc IN (SELECT m.document_id FROM mentions m JOIN entities e ON e.key = m.entity_key"
    " WHERE e.kind = '{kind}' AND coalesce(e.merged_into, e.key) IN ("
    "SELECT coalesce(merged_into, key) FROM entities WHERE key = :v OR name = :v))"
)
#: (entity key, documents) of the entities of one kind that the hits mention
_MENTIONED_FACET = (
    "SELECT coalesce(e.merged_into, e.key), count(DISTINCT h.document_id)"
    " FROM temp.search_hits h JOIN mentions m ON m.document_id = h.document_id"
    " JOIN entities e ON e.key = m.entity_key WHERE e.kind = '{kind}' GROUP BY 1"
)

#: filter name → SQL condition on ``doc`` (a document id); ``:v`` is the filter's value
FILTERS: dict[str, str] = {
    "author": "doc IN (SELECT document_id FROM document_authors"
    " WHERE name = :v OR as_written = :v)",
    "genre": "doc IN (SELECT id FROM documents WHERE genre = :v)",
    "language": "doc IN (SELECT id FROM documents WHERE language = :v)",
    "periodical": "doc IN (SELECT document_id FROM document_sources WHERE periodical = :v)",
    # certainly written in that year / decade: the whole written range lies inside it
    "year": "doc IN (SELECT id FROM documents WHERE substr(written_earliest, 1, 4) = :v"
    " AND substr(written_latest, 1, 4) = :v)",
    "decade": "doc IN (SELECT id FROM documents WHERE substr(written_earliest, 1, 3) ="
    " substr(:v, 1, 3) AND substr(written_latest, 1, 3) = substr(:v, 1, 3))",
    # possibly written then: the written range overlaps the day or span asked for
    "from": "doc IN (SELECT id FROM documents WHERE written_latest >= :v)",
    "to": "doc IN (SELECT id FROM documents WHERE written_earliest <= :v || '-99')",
    # mentioned in the document: an entity of that kind, by its key or its preferred name
    "person": _MENTIONED.format(kind="person"),
    "place": _MENTIONED.format(kind="place"),
}

#: facet name → SQL giving (value, documents) over ``temp.search_hits``
FACETS: dict[str, str] = {
    "author": "SELECT a.name, count(DISTINCT h.document_id) FROM temp.search_hits h"
    " JOIN document_authors a ON a.document_id = h.document_id GROUP BY a.name",
    "genre": "SELECT coalesce(d.genre, ''), count(*) FROM temp.search_hits h"
    " JOIN documents d ON d.id = h.document_id GROUP BY 1",
    "language": "SELECT coalesce(d.language, ''), count(*) FROM temp.search_hits h"
    " JOIN documents d ON d.id = h.document_id GROUP BY 1",
    "periodical": "SELECT s.periodical, count(*) FROM temp.search_hits h"
    " JOIN document_sources s ON s.document_id = h.document_id"
    " WHERE s.periodical IS NOT NULL GROUP BY 1",
    # the written range's first and last year, per document: prinkipo.search spreads a range
    # over the years (decades) it may fall in, and says which counts are certain
    "written": "SELECT substr(d.written_earliest, 1, 4) || '/' || substr(d.written_latest, 1, 4),"
    " count(*) FROM temp.search_hits h JOIN documents d ON d.id = h.document_id GROUP BY 1",
    # entity keys: prinkipo.search names them (store.entity_labels)
    "person": _MENTIONED_FACET.format(kind="person"),
    "place": _MENTIONED_FACET.format(kind="place"),
}

_CREATE_HITS = (
    "CREATE TEMP TABLE IF NOT EXISTS search_hits ("
    " document_id INTEGER PRIMARY KEY, score REAL NOT NULL,"
    " best_paragraph INTEGER, paragraphs INTEGER NOT NULL)"
)

_HITS = """INSERT INTO temp.search_hits (document_id, score, best_paragraph, paragraphs)
WITH para AS MATERIALIZED (
    SELECT rowid AS pid, bm25(paragraphs_fts) AS s FROM paragraphs_fts
    WHERE paragraphs_fts MATCH :q
),
titles AS MATERIALIZED (
    SELECT rowid AS doc, bm25(titles_fts) AS s FROM titles_fts WHERE titles_fts MATCH :q
)
SELECT doc, sum(score), max(pid), sum(n) FROM (
    SELECT p.document_id AS doc, -min(para.s) * (1.0 + 0.05 * min(count(*), 10)) AS score,
           para.pid AS pid, count(*) AS n
    FROM para JOIN paragraphs p ON p.id = para.pid
    GROUP BY p.document_id
    UNION ALL
    SELECT doc, -:title_weight * s, NULL, 0 FROM titles
) WHERE {where} GROUP BY doc"""

_PAGE = (
    "SELECT h.document_id, h.score, d.title, h.paragraphs, f.path"
    " FROM temp.search_hits h JOIN documents d ON d.id = h.document_id"
    " JOIN files f ON f.id = d.file_id"
    " ORDER BY h.score DESC, h.document_id LIMIT :limit OFFSET :offset"
)

_SNIPPETS = (
    "SELECT p.n, snippet(paragraphs_fts, 0, :open, :close, '…', :tokens), bm25(paragraphs_fts)"
    " FROM paragraphs_fts JOIN paragraphs p ON p.id = paragraphs_fts.rowid"
    " WHERE paragraphs_fts MATCH :q AND paragraphs_fts.rowid BETWEEN :lo AND :hi"
    " ORDER BY bm25(paragraphs_fts) LIMIT :per_doc"
)

_FILL = (
    "INSERT INTO temp.search_hits (document_id, score, best_paragraph, paragraphs)"
    " SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'),"
    " json_extract(value, '$[2]'), 0 FROM json_each(:hits)"
)

_KWIC = (
    "SELECT p.document_id, p.n, highlight(paragraphs_fts, 0, :open, :close), d.title"
    " FROM paragraphs_fts JOIN paragraphs p ON p.id = paragraphs_fts.rowid"
    " JOIN documents d ON d.id = p.document_id"
    " WHERE paragraphs_fts MATCH :q ORDER BY p.document_id, p.n LIMIT :limit"
)
#: the same over the paragraphs with ids from :lo to :hi
_KWIC_RANGE = _KWIC.replace("MATCH :q", "MATCH :q AND paragraphs_fts.rowid BETWEEN :lo AND :hi")
#: concordances longer than this many paragraphs are marked in two threads
KWIC_SPLIT = 2000


def _where(filters: Sequence[tuple[str, str]]) -> tuple[str, dict[str, Any]]:
    conditions, params = [], {}
    for i, (name, value) in enumerate(filters):
        if name not in FILTERS:
            raise PrinkipoError(f"Unknown filter {name!r}; filters: {', '.join(sorted(FILTERS))}")
        conditions.append(FILTERS[name].replace(":v", f":f{i}"))
        params[f"f{i}"] = value
    return " AND ".join(conditions) or "1", params


def read_statements(facets: Sequence[str], limit: int, offset: int) -> list[Statement]:
    """Total, page and facets, read from a filled ``temp.search_hits``."""
    out = [
        Statement("total", "SELECT count(*) FROM temp.search_hits"),
        Statement("page", _PAGE, {"limit": limit, "offset": offset}),
    ]
    for name in facets:
        if name not in FACETS:
            raise PrinkipoError(f"Unknown facet {name!r}; facets: {', '.join(sorted(FACETS))}")
        out.append(Statement(f"facet:{name}", FACETS[name]))
    return out


def search_statements(
    fts: str,
    filters: Sequence[tuple[str, str]] = (),
    facets: Sequence[str] = (),
    limit: int = 20,
    offset: int = 0,
) -> list[Statement]:
    """The statements one search runs, in order (``snippets`` runs once per document shown).

    :param fts: an FTS5 expression from :func:`prinkipo.search.parse_query` (bound as ``:q``)
    :param filters: ``(name, value)`` pairs, names from :data:`FILTERS`; they combine with AND
    :param facets: names from :data:`FACETS`
    """
    where, params = _where(filters)
    return [
        Statement("create", _CREATE_HITS),
        Statement("clear", "DELETE FROM temp.search_hits"),
        Statement(
            "hits", _HITS.format(where=where), {"q": fts, "title_weight": TITLE_WEIGHT, **params}
        ),
        *read_statements(facets, limit, offset),
        Statement(
            "snippets",
            _SNIPPETS,
            {"q": fts, "open": MARK_OPEN, "close": MARK_CLOSE, "tokens": 40, "per_doc": 3},
        ),
    ]


def ranked_statements(
    facets: Sequence[str] = (), limit: int = 20, offset: int = 0
) -> list[Statement]:
    """A search whose documents and scores come from elsewhere (meaning-based, hybrid): the
    ranked list is bound as ``:hits``, a JSON array of ``[document id, score, paragraph id]``."""
    return [
        Statement("create", _CREATE_HITS),
        Statement("clear", "DELETE FROM temp.search_hits"),
        Statement("fill", _FILL, {"hits": "(the ranked documents, computed when it runs)"}),
        *read_statements(facets, limit, offset),
    ]


def filter_statement(filters: Sequence[tuple[str, str]]) -> Statement:
    """The ids of the documents the filters keep."""
    where, params = _where(filters)
    return Statement(
        "filter",
        # ``where`` is made of FILTERS' own SQL only; the values travel as parameters
        f"SELECT doc FROM (SELECT id AS doc FROM documents) AS ids WHERE {where}",  # noqa: S608
        params,
    )


def script(statements: list[Statement], backend: str = "sqlite") -> str:
    """The statements a store of ``backend`` runs for these, as one SQL script with the
    parameters above each (what ``--sql`` prints; nothing runs). They are built for SQLite;
    PostgreSQL's store answers them with statements of its own (:mod:`.pg_search`)."""
    if backend == "postgresql":
        from prinkipo.store.pg_search import statements_run

        statements = statements_run(statements)
    parts = []
    for s in statements:
        params = ", ".join(f":{k} = {v!r}" for k, v in s.params.items())
        head = f"-- {s.name}" + (f"  ({params})" if params else "")
        parts.append(f"{head}\n{s.sql};")
    return f"-- {backend}\n\n" + "\n\n".join(parts)


class FullTextError(PrinkipoError):
    """SQLite refused a full-text expression (a parser bug if it ever happens: please report)."""


@dataclass(slots=True)
class HitRow:
    document_id: int
    score: float
    title: str | None
    paragraphs: int
    path: str
    #: (paragraph n, snippet with MARK_OPEN/MARK_CLOSE around matches), best first
    snippets: list[tuple[int, str]] = field(default_factory=list)


@dataclass(slots=True)
class SearchRows:
    total: int
    hits: list[HitRow]
    facets: dict[str, list[tuple[str, int]]]


class SearchMixin:
    """Runs what :func:`search_statements` builds; a base of :class:`~prinkipo.store.Store`."""

    conn: sqlite3.Connection
    backend: str
    path: str

    def _need_fts5(self) -> None:
        if self.backend != "sqlite":
            raise StoreError(
                f"Full-text search and concordance run on SQLite archives; on {self.backend}"
                " they are not built yet (export the archive to a SQLite file to search it)"
            )

    def run_search(self, statements: list[Statement]) -> SearchRows:
        """Run one search's statements (as built by :func:`search_statements`)."""
        return self._run(statements, None)

    def run_ranked(self, statements: list[Statement], ranked: str) -> SearchRows:
        """Run :func:`ranked_statements` with ``:hits`` bound to ``ranked`` (a JSON list)."""
        return self._run(statements, ranked)

    def _run(self, statements: list[Statement], ranked: str | None) -> SearchRows:
        self._need_fts5()
        by_name = {s.name: s for s in statements}
        try:
            for s in statements:
                if s.name in ("create", "clear", "hits"):
                    self.conn.execute(s.sql, s.params)
                elif s.name == "fill":
                    self.conn.execute(s.sql, {"hits": ranked or "[]"})
            total = int(self.conn.execute(by_name["total"].sql).fetchone()[0])
            page = by_name["page"]
            hits = [
                HitRow(int(r[0]), float(r[1]), r[2], int(r[3]), r[4])
                for r in self.conn.execute(page.sql, page.params)
            ]
            facets = {
                s.name.split(":", 1)[1]: [(str(r[0]), int(r[1])) for r in self.conn.execute(s.sql)]
                for s in statements
                if s.name.startswith("facet:")
            }
            if "snippets" in by_name:
                self._snippets(by_name["snippets"], hits)
        except sqlite3.OperationalError as err:
            raise FullTextError(f"The full-text index refused the query: {err}") from err
        return SearchRows(total, hits, facets)

    def _snippets(self, snip: Statement, hits: list[HitRow]) -> None:
        for hit in hits:
            lo, hi = self.conn.execute(
                "SELECT min(id), max(id) FROM paragraphs WHERE document_id = :d",
                {"d": hit.document_id},
            ).fetchone()
            if lo is None:
                continue
            params = {**snip.params, "lo": lo, "hi": hi}
            hit.snippets = [(int(r[0]), str(r[1])) for r in self.conn.execute(snip.sql, params)]

    def ranked_hits(self, limit: int) -> list[tuple[int, float]]:
        """(document id, score) from the last search's ``temp.search_hits``, best first."""
        rows = self.conn.execute(
            "SELECT document_id, score FROM temp.search_hits ORDER BY score DESC, document_id"
            " LIMIT :limit",
            {"limit": limit},
        )
        return [(int(r[0]), float(r[1])) for r in rows]

    def filtered_documents(self, statement: Statement) -> list[int]:
        """Run a :func:`filter_statement`: the ids of the documents it keeps."""
        return [int(r[0]) for r in self.conn.execute(statement.sql, statement.params)]

    # -- stored embeddings ------------------------------------------------------------------

    def vector_state(self, model: str) -> tuple[int, int]:
        """(how many documents have vectors of ``model``, highest row id): changes on any write."""
        row = self.conn.execute(
            "SELECT count(*), coalesce(max(id), 0) FROM document_vectors WHERE model = :m",
            {"m": model},
        ).fetchone()
        return int(row[0]), int(row[1])

    def search_state(self) -> tuple[int, int]:
        """(highest stored vector row id, last entry of the log of changed documents): changes
        whenever a document, its mentions or any stored vectors change. Two index lookups,
        where counting rows grows with the archive."""
        row = self.conn.execute(
            "SELECT (SELECT coalesce(max(id), 0) FROM document_vectors),"
            " (SELECT coalesce(max(seq), 0) FROM index_changes)"
        ).fetchone()
        return int(row[0]), int(row[1])

    def has_vectors(self, model: str) -> bool:
        """Whether any document has vectors of ``model``."""
        row = self.conn.execute(
            "SELECT EXISTS (SELECT 1 FROM document_vectors WHERE model = :m)", {"m": model}
        ).fetchone()
        return bool(row[0])

    def document_vectors(self, model: str) -> list[tuple[int, bytes]]:
        """(document id, float32 vector bytes) of every document embedded with ``model``."""
        rows = self.conn.execute(
            "SELECT document_id, vector FROM document_vectors WHERE model = :m"
            " ORDER BY document_id",
            {"m": model},
        )
        return [(int(r[0]), bytes(r[1])) for r in rows]

    def paragraph_vectors(self, doc_ids: list[int], model: str) -> dict[int, bytes]:
        """document id → its paragraphs' float16 vectors, in paragraph order."""
        rows = self.conn.execute(
            "SELECT document_id, paragraphs FROM document_vectors WHERE model = :m"
            " AND document_id IN (SELECT value FROM json_each(:ids))",
            {"m": model, "ids": json.dumps(doc_ids)},
        )
        return {int(r[0]): bytes(r[1]) for r in rows}

    def documents_without_vectors(self, model: str, limit: int) -> list[int]:
        """Documents with no vectors of ``model`` (new, changed, or embedded by another model)."""
        rows = self.conn.execute(
            "SELECT d.id FROM documents d LEFT JOIN document_vectors v ON v.document_id = d.id"
            " WHERE v.model IS NULL OR v.model != :m ORDER BY d.id LIMIT :limit",
            {"m": model, "limit": limit},
        )
        return [int(r[0]) for r in rows]

    def texts_to_embed(
        self, doc_ids: list[int]
    ) -> dict[int, tuple[str, list[tuple[int, int, str]]]]:
        """document id → (title, [(paragraph id, n, text)]) for embedding."""
        out: dict[int, tuple[str, list[tuple[int, int, str]]]] = {}
        ids = json.dumps(doc_ids)
        for r in self.conn.execute(
            "SELECT id, coalesce(title, '') FROM documents"
            " WHERE id IN (SELECT value FROM json_each(:ids))",
            {"ids": ids},
        ):
            out[int(r[0])] = (str(r[1]), [])
        for r in self.conn.execute(
            "SELECT document_id, id, n, text FROM paragraphs"
            " WHERE document_id IN (SELECT value FROM json_each(:ids)) ORDER BY document_id, n",
            {"ids": ids},
        ):
            out[int(r[0])][1].append((int(r[1]), int(r[2]), str(r[3])))
        return out

    def put_vectors(self, model: str, dims: int, rows: list[tuple[int, bytes, bytes]]) -> None:
        """Store (document id, document vector, paragraph vectors) rows, replacing older ones."""
        with self.transaction() as c:  # type: ignore[attr-defined]
            c.executemany(
                "DELETE FROM document_vectors WHERE document_id = :d",
                [{"d": d} for d, _, _ in rows],
            )
            c.executemany(
                "INSERT INTO document_vectors (document_id, model, dims, vector, paragraphs)"
                " SELECT :d, :m, :dims, :v, :p"
                " WHERE EXISTS (SELECT 1 FROM documents WHERE id = :d)",
                [{"d": d, "m": model, "dims": dims, "v": v, "p": p} for d, v, p in rows],
            )

    def paragraph_rows(self, pairs: list[tuple[int, int]]) -> dict[tuple[int, int], str]:
        """(document id, paragraph n) → text."""
        rows = self.conn.execute(
            "SELECT p.document_id, p.n, p.text FROM paragraphs p JOIN json_each(:pairs) j"
            " ON p.document_id = json_extract(j.value, '$[0]')"
            " AND p.n = json_extract(j.value, '$[1]')",
            {"pairs": json.dumps(pairs)},
        )
        return {(int(r[0]), int(r[1])): str(r[2]) for r in rows}

    # -- for the tantivy index and the benchmarks -------------------------------------------

    def fulltext_state(self) -> tuple[int, int, int]:
        """(last entry of the log of changed documents, highest document id, highest paragraph
        id): a derived index built at another state is behind. Three index lookups."""
        row = self.conn.execute(
            "SELECT (SELECT coalesce(max(seq), 0) FROM index_changes),"
            " (SELECT coalesce(max(id), 0) FROM documents),"
            " (SELECT coalesce(max(id), 0) FROM paragraphs)"
        ).fetchone()
        return int(row[0]), int(row[1]), int(row[2])

    def changed_documents(self, since: int, limit: int) -> list[int]:
        """Documents changed (added, edited, deleted, their mentions relinked) after log entry
        ``since``; at most ``limit`` (a caller that gets ``limit`` back rebuilds instead)."""
        rows = self.conn.execute(
            "SELECT DISTINCT document_id FROM index_changes WHERE seq > :since LIMIT :limit",
            {"since": since, "limit": limit},
        )
        return [int(r[0]) for r in rows]

    def documents_for_index(self, ids: list[int] | None = None) -> Iterator[dict[str, Any]]:
        """Every document (or those of ``ids`` that exist) with what a derived full-text index
        holds, in id order: its fields, its paragraphs (id, text) and the keys of the people
        and places it mentions."""
        # the same statements for all or some: "every" binds :all = 1
        some = {"all": 0 if ids is not None else 1, "ids": json.dumps(ids or [])}
        docs = self.conn.execute(
            "SELECT d.id, d.title, d.genre, d.language, s.periodical, d.written_earliest,"
            " d.written_latest FROM documents d"
            " LEFT JOIN document_sources s ON s.document_id = d.id"
            " WHERE (:all = 1 OR d.id IN (SELECT value FROM json_each(:ids))) ORDER BY d.id",
            some,
        ).fetchall()
        authors: dict[int, tuple[list[str], list[str]]] = {}
        for r in self.conn.execute(
            "SELECT document_id, name, as_written FROM document_authors"
            " WHERE (:all = 1 OR document_id IN (SELECT value FROM json_each(:ids)))",
            some,
        ):
            names, written = authors.setdefault(int(r[0]), ([], []))
            names.append(str(r[1]))
            written.append(str(r[2]))
        mentioned: dict[int, dict[str, list[str]]] = {}
        for r in self.conn.execute(
            "SELECT DISTINCT m.document_id, e.kind, coalesce(e.merged_into, e.key)"
            " FROM mentions m JOIN entities e ON e.key = m.entity_key"
            " WHERE e.kind IN ('person', 'place')"
            " AND (:all = 1 OR m.document_id IN (SELECT value FROM json_each(:ids)))",
            some,
        ):
            mentioned.setdefault(int(r[0]), {}).setdefault(str(r[1]), []).append(str(r[2]))
        paras = self.conn.execute(
            "SELECT document_id, id, text FROM paragraphs"
            " WHERE (:all = 1 OR document_id IN (SELECT value FROM json_each(:ids)))"
            " ORDER BY document_id, n",
            some,
        )
        pending = next(paras, None)
        for r in docs:
            doc_id = int(r[0])
            texts: list[tuple[int, str]] = []
            while pending is not None and int(pending[0]) <= doc_id:
                if int(pending[0]) == doc_id:
                    texts.append((int(pending[1]), str(pending[2])))
                pending = next(paras, None)
            names, written = authors.get(doc_id, ([], []))
            kinds = mentioned.get(doc_id, {})
            yield {
                "id": doc_id,
                "title": r[1],
                "genre": r[2],
                "language": r[3],
                "periodical": r[4],
                "earliest": r[5],
                "latest": r[6],
                "paragraphs": texts,
                "authors": names,
                "as_written": written,
                "person": sorted(kinds.get("person", [])),
                "place": sorted(kinds.get("place", [])),
            }

    def paragraphs_by_id(self, ids: list[int]) -> dict[int, tuple[int, int, str]]:
        """paragraph id → (document id, n, text)."""
        rows = self.conn.execute(
            "SELECT id, document_id, n, text FROM paragraphs"
            " WHERE id IN (SELECT value FROM json_each(:ids))",
            {"ids": json.dumps(ids)},
        )
        return {int(r[0]): (int(r[1]), int(r[2]), str(r[3])) for r in rows}

    def mentioned_keys(self, kind: str, ref: str) -> list[str]:
        """The keys a ``person=``/``place=`` filter means: entities of that kind whose key or
        preferred name is ``ref``, each as the entity it was merged into, if any."""
        rows = self.conn.execute(
            "SELECT DISTINCT coalesce(merged_into, key) FROM entities"
            " WHERE kind = :kind AND (key = :ref OR name = :ref)",
            {"kind": kind, "ref": ref},
        )
        return [str(r[0]) for r in rows]

    def entity_labels(self, keys: list[str]) -> dict[str, tuple[int, str]]:
        """entity key → (entity id, preferred name)."""
        rows = self.conn.execute(
            "SELECT key, id, name FROM entities WHERE key IN (SELECT value FROM json_each(:keys))",
            {"keys": json.dumps(keys)},
        )
        return {str(r[0]): (int(r[1]), str(r[2])) for r in rows}

    def fill_hit_rows(self, hits: list[HitRow]) -> None:
        """Title and path of each hit, read from the archive."""
        rows = self.conn.execute(
            "SELECT d.id, d.title, f.path FROM documents d JOIN files f ON f.id = d.file_id"
            " WHERE d.id IN (SELECT value FROM json_each(:ids))",
            {"ids": json.dumps([h.document_id for h in hits])},
        )
        found = {int(r[0]): (r[1], str(r[2])) for r in rows}
        for h in hits:
            h.title, h.path = found.get(h.document_id, (None, ""))

    def snippets_for(self, fts: str, hits: list[HitRow]) -> None:
        """The best matching paragraphs of each hit, marked (FTS5, one document at a time)."""
        snip = Statement(
            "snippets",
            _SNIPPETS,
            {"q": fts, "open": MARK_OPEN, "close": MARK_CLOSE, "tokens": 40, "per_doc": 3},
        )
        try:
            self._snippets(snip, hits)
        except sqlite3.OperationalError as err:
            raise FullTextError(f"The full-text index refused the query: {err}") from err

    def all_paragraphs(self) -> Iterator[tuple[int, int, str]]:
        """(document id, paragraph id, text) of every paragraph."""
        for r in self.conn.execute("SELECT document_id, id, text FROM paragraphs ORDER BY id"):
            yield int(r[0]), int(r[1]), str(r[2])

    def paragraph_top(self, fts: str, limit: int) -> list[tuple[int, str]]:
        """The ``limit`` best paragraphs by BM25 with their snippets: FTS5 at its barest."""
        rows = self.conn.execute(
            "SELECT rowid, snippet(paragraphs_fts, 0, :open, :close, '…', 40)"
            " FROM paragraphs_fts WHERE paragraphs_fts MATCH :q ORDER BY rank LIMIT :limit",
            {"q": fts, "open": MARK_OPEN, "close": MARK_CLOSE, "limit": limit},
        )
        return [(int(r[0]), str(r[1])) for r in rows]

    def document_paths(self) -> list[str]:
        """The archive path of every document."""
        rows = self.conn.execute("SELECT f.path FROM documents d JOIN files f ON f.id = d.file_id")
        return [str(r[0]) for r in rows]

    def clear_vectors(self) -> None:
        """Forget every stored embedding (``prinkipo index --rebuild``)."""
        with self.transaction() as c:  # type: ignore[attr-defined]
            c.execute("DELETE FROM document_vectors")

    def vector_bytes(self) -> int:
        """Bytes of stored embeddings."""
        row = self.conn.execute(
            "SELECT coalesce(sum(length(vector) + length(paragraphs)), 0) FROM document_vectors"
        ).fetchone()
        return int(row[0])

    def kwic_rows(
        self, fts: str, limit: int, split: int = KWIC_SPLIT
    ) -> list[tuple[int, int, str, str | None]]:
        """(document id, paragraph n, text with matches marked, title) of matching paragraphs,
        in archive order.

        Marking every match (FTS5 ``highlight()``) tokenizes each matching paragraph: for a
        long list (``limit`` over ``split``) of an archive file, the paragraphs are
        split in two halves by id and the second half is marked on a second, read-only
        connection in another thread at the same time (SQLite works without the GIL).
        """
        self._need_fts5()
        params = {"q": fts, "open": MARK_OPEN, "close": MARK_CLOSE, "limit": limit}
        try:
            if limit <= split or self.path in ("", ":memory:"):
                rows = self.conn.execute(_KWIC, params).fetchall()
            else:
                rows = self._kwic_two_halves(params)
        except sqlite3.OperationalError as err:
            raise FullTextError(f"The full-text index refused the query: {err}") from err
        return [(int(r[0]), int(r[1]), str(r[2]), r[3]) for r in rows]

    def _kwic_two_halves(self, params: dict[str, Any]) -> list[Any]:
        lo, hi = self.conn.execute("SELECT min(id), max(id) FROM paragraphs").fetchone()
        if lo is None:
            return []
        mid = (int(lo) + int(hi)) // 2
        uri = "file:" + urllib.parse.quote(self.path) + "?mode=ro"
        other = sqlite3.connect(uri, uri=True, check_same_thread=False)
        try:
            other.execute("PRAGMA busy_timeout = 10000")
            with ThreadPoolExecutor(max_workers=1) as pool:
                second = pool.submit(
                    lambda: other.execute(
                        _KWIC_RANGE, {**params, "lo": mid + 1, "hi": hi}
                    ).fetchall()
                )
                rows = self.conn.execute(_KWIC_RANGE, {**params, "lo": lo, "hi": mid}).fetchall()
                rows += second.result()
        finally:
            other.close()
        rows.sort(key=lambda r: (r[0], r[1]))
        return rows[: params["limit"]]


def kwic_statement(fts: str, limit: int) -> Statement:
    return Statement(
        "kwic", _KWIC, {"q": fts, "open": MARK_OPEN, "close": MARK_CLOSE, "limit": limit}
    )
