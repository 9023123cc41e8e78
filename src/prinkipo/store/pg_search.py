"""Full-text search and concordance on PostgreSQL: tsvector/GIN, ts_rank_cd, ts_headline.

The search layer (:mod:`prinkipo.search`) builds one search as statements for SQLite's FTS5
(:func:`prinkipo.store.search.search_statements`); :class:`PgSearchMixin` answers the same
statements on PostgreSQL, with the same results shape:

- the index: each paragraph's ``tsv`` (and each title's ``title_tsv``) holds SQLite FTS5's own
  terms and positions, written by the store (:mod:`.fts5_text`), so a word, a phrase or a prefix
  matches the same paragraphs on both backends;
- the query: the FTS5 expression (``:q``) is parsed back into its tree and rebuilt as a
  ``tsquery``: each word or phrase as FTS5's terms (quoted lexemes joined by ``<->``, ``:*`` on
  a prefix's last, cast from a bound parameter), ``&&``/``||``/``!!`` for AND/OR/NOT,
  ``tsquery_phrase`` at each distance for NEAR;
- ranking: a document scores by its best paragraph (``ts_rank_cd`` cover density divided by the
  paragraph's length, normalization 2, which orders like BM25 here), a little more for each
  further matching paragraph, plus its title's rank weighted as on SQLite; scores are on another
  scale than BM25's (×100), and only their order means anything;
- filters and facets: the same SQL conditions and counts as on SQLite, over a ``MATERIALIZED``
  CTE instead of a temporary table, in one statement (so it runs on a read-only replica too);
- snippets and concordance lines: PostgreSQL finds the paragraphs, FTS5's own ``snippet()`` and
  ``highlight()`` mark them (in a private in-memory database): the same marks as on SQLite.
"""

from __future__ import annotations

import itertools
import re
import sqlite3
from typing import TYPE_CHECKING, Any

from prinkipo.errors import StoreError
from prinkipo.store.fts5_text import fts5_text
from prinkipo.store.search import MARK_CLOSE, MARK_OPEN, HitRow, SearchRows, Statement

if TYPE_CHECKING:
    from prinkipo.search.query import Node
    from prinkipo.store.dialect import PgConnection

#: NEAR wider than this many words is searched as AND within the paragraph (a note says so)
NEAR_EXPAND_MAX = 30
#: paragraphs marked at a time by FTS5 for a concordance
MARK_BATCH = 2000

_WHERE = re.compile(r"\)\s*WHERE\s+(?P<where>.*)\s+GROUP\s+BY\s+doc\s*$", re.S)


class TsQuery:
    """A ``tsquery`` SQL expression built from a query tree, with its bound parameters."""

    def __init__(self) -> None:
        self.params: dict[str, Any] = {}

    def _param(self, value: str) -> str:
        name = f"t{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    def build(self, node: Node, near: bool = True) -> str:
        """The tsquery of ``node``; ``near=False`` reads NEAR as AND (cheap to rank and mark:
        ``ts_rank_cd`` and ``ts_headline`` slow down with every alternative of an expanded NEAR).
        """
        from prinkipo.search.query import And, Near, Or, Term

        if isinstance(node, Term):
            return self._term(node.words, node.prefix)
        if isinstance(node, Near):
            terms = [self._term(t.words, t.prefix) for t in node.terms]
            return self._near(terms, node.distance) if near else "(" + " && ".join(terms) + ")"
        if isinstance(node, Or):
            return "(" + " || ".join(self.build(i, near) for i in node.items) + ")"
        assert isinstance(node, And)
        parts = [self.build(i, near) for i in node.items]
        parts += [f"!!{self.build(x, near)}" for x in node.exclude]
        return "(" + " && ".join(parts) + ")"

    def _term(self, words: tuple[str, ...], prefix: bool) -> str:
        # FTS5's terms, each quoted as a lexeme: the cast reads them as they are (no stemming)
        lexemes = fts5_text().lexemes(" ".join(words))
        if not lexemes:
            return "''::tsquery"
        text = " <-> ".join(_quote_lexeme(x) for x in lexemes) + (":*" if prefix else "")
        return f"CAST({self._param(text)} AS tsquery)"

    def _near(self, terms: list[str], distance: int) -> str:
        if distance > NEAR_EXPAND_MAX:
            return "(" + " && ".join(terms) + ")"
        pairs = []
        for a, b in itertools.pairwise(terms):
            either = [
                f"tsquery_phrase({x}, {y}, {d})"
                for d in range(1, distance + 2)
                for x, y in ((a, b), (b, a))
            ]
            pairs.append("(" + " || ".join(either) + ")")
        return "(" + " && ".join(pairs) + ")"


def _quote_lexeme(lexeme: str) -> str:
    """A lexeme in ``tsquery`` syntax: quoted, its quotes doubled and backslashes escaped."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def tsquery(fts: str) -> tuple[str, dict[str, Any]] | None:
    """``q AS q, r AS r``: the ``tsquery`` SQL expressions that match (``q``) and that rank and
    mark (``r``: NEAR read as AND) an FTS5 expression built by :func:`prinkipo.search.parse_query`,
    and their parameters (None when there is nothing to search for)."""
    from prinkipo.search.query import QueryError, parse_query

    try:
        tree = parse_query(fts).tree
    except QueryError:
        return None
    q = TsQuery()
    match = q.build(tree)
    rank = q.build(tree, near=False)
    return f"{match} AS q, {rank} AS r", q.params


#: the matches of one search, ranked, as ``search_hits`` (what SQLite's temporary table holds)
_HITS = """WITH q AS (SELECT {q}),
para AS MATERIALIZED (
    SELECT p.id AS pid, p.document_id AS doc, p.n AS pn, 100 * ts_rank_cd(p.tsv, q.r, 2) AS s
    FROM paragraphs p, q WHERE p.tsv @@ q.q
),
titles AS MATERIALIZED (
    SELECT d.id AS doc, 100 * ts_rank_cd(d.title_tsv, q.r, 2) AS s
    FROM documents d, q WHERE d.title_tsv @@ q.q
),
search_hits AS MATERIALIZED (
    SELECT doc AS document_id, sum(score) AS score, max(pid) AS best_paragraph,
           sum(n) AS paragraphs
    FROM (
        SELECT doc, max(s) * (1.0 + 0.05 * least(count(*), 10)) AS score, max(pid) AS pid,
               count(*) AS n
        FROM para GROUP BY doc
        UNION ALL
        SELECT doc, :title_weight * s, NULL, 0 FROM titles
    ) AS x WHERE {where} GROUP BY doc
)"""

#: documents ranked elsewhere (meaning-based, hybrid), bound as ``:hits``, a JSON array of
#: ``[document id, score, paragraph n]`` (SQLite fills its temporary table from the same JSON)
_RANKED_HITS = """WITH search_hits AS MATERIALIZED (
    SELECT CAST(h ->> 0 AS bigint) AS document_id, CAST(h ->> 1 AS double precision) AS score,
           CAST(h ->> 2 AS bigint) AS best_paragraph, 0 AS paragraphs
    FROM json_array_elements(CAST(:hits AS json)) AS h
)"""

#: the page of a search (with snippets where it has a query), its total and its facets: the
#: page's documents are chosen before their titles and paths are read
_PAGE = """,
page AS MATERIALIZED (
    SELECT h.document_id, h.score, d.title, h.paragraphs, f.path
    FROM (SELECT document_id, score, paragraphs FROM search_hits
          ORDER BY score DESC, document_id LIMIT :limit OFFSET :offset) AS h
    JOIN documents d ON d.id = h.document_id JOIN files f ON f.id = d.file_id
){ctes}
SELECT (SELECT count(*) FROM search_hits) AS total,
 (SELECT coalesce(json_agg(json_build_array(pg.document_id, pg.score, pg.title, pg.paragraphs,
     pg.path, {snippets})
     ORDER BY pg.score DESC, pg.document_id), '[]'::json) FROM page pg) AS page{facet_cols}"""

#: the best matching paragraphs of the page's documents, chosen in one pass over the ranked
#: paragraphs (a full-text search)
_SNIPPET_CTE = """,
snip AS MATERIALIZED (
    SELECT x.doc, x.pid, x.pn, x.s FROM (
        SELECT doc, pid, pn, s, row_number() OVER (PARTITION BY doc ORDER BY s DESC, pn) AS k
        FROM para WHERE doc IN (SELECT document_id FROM page)
    ) AS x WHERE x.k <= :per_doc
)"""
#: a page document's best matching paragraphs, with their text: FTS5 makes their snippets
#: (:func:`_rows`)
_SNIPPETS = """(SELECT coalesce(json_agg(json_build_array(s.pn, p.text) ORDER BY s.s DESC, s.pn),
                               '[]'::json)
               FROM snip s JOIN paragraphs p ON p.id = s.pid WHERE s.doc = pg.document_id)"""

#: the matching documents' own columns, read once for every facet that counts by them
_HIT_DOCS_CTE = """,
hit_docs AS MATERIALIZED (
    SELECT d.id, d.genre, d.language, d.written_earliest, d.written_latest
    FROM search_hits h JOIN documents d ON d.id = h.document_id
)"""
#: how a facet over the documents' own columns reads them (search.FACETS), and how it reads
#: them from ``hit_docs`` instead
_FACET_DOCUMENTS = " FROM temp.search_hits h JOIN documents d ON d.id = h.document_id "
_FACET_HIT_DOCS = " FROM hit_docs d "

#: the best ``:ranked_limit`` documents of a search with their scores (hybrid search fuses them)
_RANKING = """
SELECT document_id, score FROM search_hits ORDER BY score DESC, document_id LIMIT :ranked_limit"""


def _facet_cols(facets: list[Statement]) -> str:
    return "".join(
        ",\n (SELECT coalesce(json_agg(json_build_array(v, c)), '[]'::json) FROM ("  # noqa: S608
        + f.sql.replace(_FACET_DOCUMENTS, _FACET_HIT_DOCS).replace("temp.", "")
        + ") AS f(v, c)) AS facet_"
        + str(i)
        for i, f in enumerate(facets)
    )


def _page(facets: list[Statement], snippets: bool) -> str:
    """The page, total and facets (:data:`_PAGE`), with the CTEs they read."""
    ctes = _SNIPPET_CTE if snippets else ""
    if any(_FACET_DOCUMENTS in f.sql for f in facets):
        ctes += _HIT_DOCS_CTE
    return _PAGE.format(
        ctes=ctes, snippets=_SNIPPETS if snippets else "'[]'::json", facet_cols=_facet_cols(facets)
    )


#: a search without snippets (hybrid's full-text half) also lists its best documents, up to
#: this many, for :meth:`PgSearchMixin.ranked_hits` (hybrid asks for 1,000)
RANKING_KEPT = 1000
#: that list, as the last column of the search's row
_RANKING_COLUMN = """,
 (SELECT coalesce(json_agg(json_build_array(r.document_id, r.score)
                           ORDER BY r.score DESC, r.document_id), '[]'::json)
  FROM (SELECT document_id, score FROM search_hits ORDER BY score DESC, document_id
        LIMIT :ranked_limit) AS r) AS ranking"""


def _search_sql(
    q: str, where: str, facets: list[Statement], ranking: bool = False, keep: bool = False
) -> str:
    # q: SQL functions over bound parameters (TsQuery); where: the search layer's filter SQL
    head = _HITS.format(q=q, where=where)
    if ranking:
        return head + _RANKING
    page = head + _page(facets, snippets=True)
    return page + _RANKING_COLUMN if keep else page


def search_sql(statements: list[Statement], ranking: bool = False) -> tuple[str, dict[str, Any]]:
    """The one PostgreSQL statement (SQLite-style parameters) answering a search's statements;
    ``ranking``: the statement that lists its documents and scores instead (bound
    ``:ranked_limit``), as SQLite's ``temp.search_hits`` holds them after the search."""
    by_name = {s.name: s for s in statements}
    hits = by_name["hits"]
    m = _WHERE.search(hits.sql)
    if m is None:
        raise StoreError("search statements changed shape: update store/pg_search.py")
    q = tsquery(str(hits.params["q"]))
    if q is None:
        raise StoreError(f"cannot read the search expression {hits.params['q']!r}")
    facets = [s for s in statements if s.name.startswith("facet:")]
    snippets = by_name.get("snippets")
    params: dict[str, Any] = {
        **hits.params,
        **q[1],
        **by_name["page"].params,
        # a search without its snippets statement (hybrid's full-text ranking) marks nothing
        "per_doc": snippets.params.get("per_doc", 3) if snippets else 0,
    }
    where = "TRUE" if m["where"].strip() == "1" else m["where"]
    if snippets is None and not ranking:  # hybrid's full-text half: keep its ranking too
        params["ranked_limit"] = RANKING_KEPT
    return _search_sql(q[0], where, facets, ranking, keep=snippets is None), params


def ranked_sql(statements: list[Statement]) -> str:
    """The one PostgreSQL statement answering :func:`~prinkipo.store.search.ranked_statements`:
    the documents bound as ``:hits``, their page and facets."""
    facets = [s for s in statements if s.name.startswith("facet:")]
    return _RANKED_HITS + _page(facets, snippets=False)


def statements_run(statements: list[Statement]) -> list[Statement]:
    """What :class:`PgSearchMixin` runs for statements built for SQLite (``--sql`` prints them):
    a search's one statement, a ranked search's page and facets, a concordance's lexeme
    look-ups and its statement; a filter runs as it is."""
    by_name = {s.name: s for s in statements}
    out = [by_name["filter"]] if "filter" in by_name else []
    if "hits" in by_name:
        sql, params = search_sql(statements)
        out.append(Statement("search (total, page with snippets, facets)", sql, params))
    if "fill" in by_name:
        params = {"hits": by_name["fill"].params.get("hits"), **by_name["page"].params}
        name = "page and facets of the ranked documents"
        out.append(Statement(name, ranked_sql(statements), params))
    if "kwic" in by_name:
        out.extend(_kwic_statements(by_name["kwic"]))
    return out


def _kwic_statements(kwic: Statement) -> list[Statement]:
    q = tsquery(str(kwic.params["q"]))
    if q is None:
        return []
    params = {**q[1], "limit": kwic.params["limit"]}
    name = "kwic (the paragraphs; FTS5's highlight() marks them, in memory)"
    return [Statement(name, kwic_sql(q[0]), params)]


class PgSearchMixin:
    """:class:`~prinkipo.store.search.SearchMixin`'s methods, answered by PostgreSQL."""

    conn: sqlite3.Connection
    pg: PgConnection
    #: the statements of the last full-text search, for :meth:`ranked_hits` (SQLite keeps its
    #: hits in a temporary table; one statement per search keeps nothing on the server)
    #: the last search's statements and, for one without snippets, its best documents: what
    #: :meth:`ranked_hits` answers (SQLite keeps its hits in a temporary table; one statement
    #: per search keeps nothing on the server)
    _last_search: list[Statement] | None = None
    _last_ranking: list[tuple[int, float]] | None = None

    def run_search(self, statements: list[Statement]) -> SearchRows:
        """One search (as built by :func:`~prinkipo.store.search.search_statements`)."""
        sql, params = search_sql(statements)
        row = self.conn.execute(sql, params).fetchone()
        self._last_search = statements
        keep = "ranked_limit" in params
        self._last_ranking = [(int(d), float(x)) for d, x in row[-1]] if keep else None
        return _rows(row, statements)

    def run_ranked(self, statements: list[Statement], ranked: str) -> SearchRows:
        """:func:`~prinkipo.store.search.ranked_statements` with ``:hits`` bound to ``ranked``
        (a JSON list of ``[document id, score, paragraph n]``): their page and facets."""
        page = next(s for s in statements if s.name == "page")
        row = self.conn.execute(ranked_sql(statements), {"hits": ranked, **page.params})
        return _rows(row.fetchone(), statements)

    def ranked_hits(self, limit: int) -> list[tuple[int, float]]:
        """(document id, score) of the last :meth:`run_search`'s documents, best first: kept
        from that search when it had no snippets (up to :data:`RANKING_KEPT`), else its ranking
        run again."""
        if self._last_search is None:
            return []
        if self._last_ranking is not None and limit <= RANKING_KEPT:
            return self._last_ranking[:limit]
        sql, params = search_sql(self._last_search, ranking=True)
        rows = self.conn.execute(sql, {**params, "ranked_limit": limit})
        return [(int(r[0]), float(r[1])) for r in rows]

    # -- stored embeddings (bytea, as on SQLite: float32 per document, float16 per paragraph;
    #    ranked in NumPy by prinkipo.search.semantic, the same on both engines) --------------

    def document_vectors(self, model: str) -> list[tuple[int, bytes]]:
        """(document id, float32 vector bytes) of every document embedded with ``model``."""
        rows = self._binary(
            "SELECT document_id, vector FROM document_vectors WHERE model = %(m)s"
            " ORDER BY document_id",
            {"m": model},
        )
        return [(int(r[0]), bytes(r[1])) for r in rows]

    def paragraph_vectors(self, doc_ids: list[int], model: str) -> dict[int, bytes]:
        """document id → its paragraphs' float16 vectors, in paragraph order."""
        rows = self._binary(
            "SELECT document_id, paragraphs FROM document_vectors WHERE model = %(m)s"
            " AND document_id = ANY(%(ids)s::bigint[])",
            {"m": model, "ids": doc_ids},
        )
        return {int(r[0]): bytes(r[1]) for r in rows}

    def _binary(self, sql: str, params: dict[str, Any]) -> list[Any]:
        """Rows of a statement (psycopg's ``%(name)s`` parameters, bound by the server) in
        binary: ``bytea`` arrives as its bytes, where text results would send each byte as two
        hex digits for both sides to encode and decode (half the CPU of reading vectors)."""
        import psycopg  # here: building a statement for --sql needs no driver

        with psycopg.Cursor(self.pg.raw) as cur:
            # prepare=False: never a named prepared statement, so PgBouncer's transaction
            # pooling (docs/scaling.md) may hand the next statement to another connection
            return cur.execute(sql, params, binary=True, prepare=False).fetchall()

    def texts_to_embed(
        self, doc_ids: list[int]
    ) -> dict[int, tuple[str, list[tuple[int, int, str]]]]:
        """document id → (title, [(paragraph id, n, text)]) for embedding."""
        out: dict[int, tuple[str, list[tuple[int, int, str]]]] = {}
        ids = {"ids": doc_ids}
        for r in self.conn.execute(
            "SELECT id, coalesce(title, '') FROM documents WHERE id = ANY(CAST(:ids AS bigint[]))",
            ids,
        ):
            out[int(r[0])] = (str(r[1]), [])
        for r in self.conn.execute(
            "SELECT document_id, id, n, text FROM paragraphs"
            " WHERE document_id = ANY(CAST(:ids AS bigint[])) ORDER BY document_id, n",
            ids,
        ):
            out[int(r[0])][1].append((int(r[1]), int(r[2]), str(r[3])))
        return out

    def paragraph_rows(self, pairs: list[tuple[int, int]]) -> dict[tuple[int, int], str]:
        """(document id, paragraph n) → text."""
        rows = self.conn.execute(
            "SELECT p.document_id, p.n, p.text FROM paragraphs p"
            " JOIN unnest(CAST(:docs AS bigint[]), CAST(:ns AS bigint[])) AS j(d, n)"
            " ON p.document_id = j.d AND p.n = j.n",
            {"docs": [d for d, _ in pairs], "ns": [n for _, n in pairs]},
        )
        return {(int(r[0]), int(r[1])): str(r[2]) for r in rows}

    def kwic_rows(
        self, fts: str, limit: int, split: int = 0
    ) -> list[tuple[int, int, str, str | None]]:
        """(document id, paragraph n, text with matches marked, title) of matching paragraphs
        (``split`` is SQLite's: PostgreSQL plans one statement).

        PostgreSQL finds the paragraphs (their ``tsv`` holds FTS5's terms and positions); FTS5's
        own ``highlight()`` marks them, in a private in-memory database (:mod:`.fts5_text`), as
        it marks them on SQLite: every instance of each word and whole phrase of the query.
        """
        q = tsquery(fts)
        if q is None:
            return []
        rows = self.conn.execute(kwic_sql(q[0]), {**q[1], "limit": limit}).fetchall()
        out = []
        fts5 = fts5_text()
        for i in range(0, len(rows), MARK_BATCH):
            batch = rows[i : i + MARK_BATCH]
            marked = fts5.highlight(fts, [str(r[2]) for r in batch], MARK_OPEN, MARK_CLOSE)
            # a paragraph FTS5 does not match (a NEAR wider than NEAR_EXPAND_MAX, read as AND
            # here) is not one of its lines
            out += [
                (int(r[0]), int(r[1]), marked[k], r[3]) for k, r in enumerate(batch) if k in marked
            ]
        return out


def _rows(row: Any, statements: list[Statement]) -> SearchRows:
    """A search's one result row (total, page, one column per facet) as :class:`SearchRows`;
    the page's snippets are FTS5's ``snippet()`` of the best paragraphs PostgreSQL found."""
    by_name = {s.name: s for s in statements}
    hits = [HitRow(int(r[0]), float(r[1]), r[2], int(r[3]), r[4]) for r in row[1]]
    snip = by_name.get("snippets")
    if snip is not None:
        found = [(i, int(n), str(text)) for i, r in enumerate(row[1]) for n, text in r[5]]
        p = snip.params
        marked = fts5_text().snippets(
            str(p["q"]), [t for _, _, t in found], p["open"], p["close"], int(p["tokens"])
        )
        for k, (i, n, _) in enumerate(found):
            if k in marked:
                hits[i].snippets.append((n, marked[k]))
    facets = [s for s in statements if s.name.startswith("facet:")]
    found_facets = {
        s.name.split(":", 1)[1]: [(str(v), int(c)) for v, c in row[2 + i]]
        for i, s in enumerate(facets)
    }
    return SearchRows(int(row[0]), hits, found_facets)


#: the paragraphs matching a concordance's query, in archive order
_KWIC = """WITH q AS (SELECT {q})
SELECT p.document_id, p.n, p.text, d.title
FROM paragraphs p JOIN documents d ON d.id = p.document_id, q
WHERE p.tsv @@ q.q ORDER BY p.document_id, p.n LIMIT :limit"""


def kwic_sql(q: str) -> str:
    """The concordance statement over the ``tsquery`` expressions ``q`` (see :func:`tsquery`)."""
    return _KWIC.format(q=q)
