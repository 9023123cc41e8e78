"""Full-text search and concordance on PostgreSQL: tsvector/GIN, ts_rank_cd, ts_headline.

The search layer (:mod:`prinkipo.search`) builds one search as statements for SQLite's FTS5
(:func:`prinkipo.store.search.search_statements`); :class:`PgSearchMixin` answers the same
statements on PostgreSQL, with the same results shape:

- the query: the FTS5 expression (``:q``) is parsed back into its tree and rebuilt as a
  ``tsquery`` from SQL functions over bound parameters (``phraseto_tsquery`` for words and
  phrases, ``to_tsquery`` over word characters only for prefixes, ``&&``/``||``/``!!`` for
  AND/OR/NOT, ``tsquery_phrase`` at each distance for NEAR): nothing typed is ever tsquery syntax;
- ranking: a document scores by its best paragraph (``ts_rank_cd`` cover density divided by the
  paragraph's length, normalization 2, which orders like BM25 here), a little more for each
  further matching paragraph, plus its title's rank weighted as on SQLite; scores are on another
  scale than BM25's (×100), and only their order means anything;
- filters and facets: the same SQL conditions and counts as on SQLite, over a ``MATERIALIZED``
  CTE instead of a temporary table, in one statement (so it runs on a read-only replica too);
- snippets: ``ts_headline`` with the same private-use marks (it marks a phrase's words wherever
  they stand in the fragment); concordance lines: every instance of each word and phrase, placed
  from the paragraph's tokens and its ``tsvector`` positions, as FTS5's ``highlight()`` places them.
"""

from __future__ import annotations

import itertools
import re
import sqlite3
from typing import TYPE_CHECKING, Any

from prinkipo.errors import StoreError
from prinkipo.store.search import MARK_CLOSE, MARK_OPEN, HitRow, SearchRows, Statement

if TYPE_CHECKING:
    from prinkipo.search.query import Node
    from prinkipo.store.dialect import PgConnection

#: NEAR wider than this many words is searched as AND within the paragraph (a note says so)
NEAR_EXPAND_MAX = 30
#: ts_headline options: snippets of about FTS5's 40 tokens, concordance over whole paragraphs
SNIPPET_OPTIONS = (
    f'StartSel="{MARK_OPEN}", StopSel="{MARK_CLOSE}", MaxWords=40, MinWords=20, '
    "ShortWord=2, MaxFragments=1"
)
TITLE_TSV = "to_tsvector('prinkipo', coalesce(d.title, ''))"

_WHERE = re.compile(r"\)\s*WHERE\s+(?P<where>.*)\s+GROUP\s+BY\s+doc\s*$", re.S)
_ADJACENT_MARKS = re.compile(f"{MARK_CLOSE}(\\s+){MARK_OPEN}")


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
        if not prefix:
            return f"phraseto_tsquery('prinkipo', {self._param(' '.join(words))})"
        # to_tsquery reads syntax: give it word characters only, joined as a phrase
        chunks = [c for w in words for c in re.findall(r"\w+", w)]
        if not chunks:
            return "''::tsquery"
        text = " <-> ".join(chunks) + ":*"
        return f"to_tsquery('prinkipo', {self._param(text)})"

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
    SELECT p.id AS pid, p.document_id AS doc, 100 * ts_rank_cd(p.tsv, q.r, 2) AS s
    FROM paragraphs p, q WHERE p.tsv @@ q.q
),
titles AS MATERIALIZED (
    SELECT d.id AS doc, 100 * ts_rank_cd({title_tsv}, q.r, 2) AS s
    FROM documents d, q WHERE {title_tsv} @@ q.q
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

#: the page of a search (with snippets where it has a query), its total and its facets
_PAGE = """,
page AS (
    SELECT h.document_id, h.score, d.title, h.paragraphs, f.path
    FROM search_hits h JOIN documents d ON d.id = h.document_id JOIN files f ON f.id = d.file_id
    ORDER BY h.score DESC, h.document_id LIMIT :limit OFFSET :offset
)
SELECT (SELECT count(*) FROM search_hits) AS total,
 (SELECT coalesce(json_agg(json_build_array(pg.document_id, pg.score, pg.title, pg.paragraphs,
     pg.path, {snippets})
     ORDER BY pg.score DESC, pg.document_id), '[]'::json) FROM page pg) AS page{facet_cols}"""

#: a matching paragraph's best passages, marked (in the page of a full-text search)
_SNIPPETS = """(SELECT coalesce(json_agg(json_build_array(s.n, s.h) ORDER BY s.r DESC, s.n),
                               '[]'::json)
               FROM (SELECT p.n, ts_headline('prinkipo', p.text, q.r, :snippet_options) AS h,
                            100 * ts_rank_cd(p.tsv, q.r, 2) AS r
                     FROM paragraphs p, q WHERE p.document_id = pg.document_id AND p.tsv @@ q.q
                     ORDER BY r DESC, p.n LIMIT :per_doc) AS s)"""

#: the best ``:ranked_limit`` documents of a search with their scores (hybrid search fuses them)
_RANKING = """
SELECT document_id, score FROM search_hits ORDER BY score DESC, document_id LIMIT :ranked_limit"""


def _facet_cols(facets: list[Statement]) -> str:
    return "".join(
        ",\n (SELECT coalesce(json_agg(json_build_array(v, c)), '[]'::json) FROM ("  # noqa: S608
        + f.sql.replace("temp.search_hits", "search_hits")
        + ") AS f(v, c)) AS facet_"
        + str(i)
        for i, f in enumerate(facets)
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
    head = _HITS.format(q=q, where=where, title_tsv=TITLE_TSV)
    if ranking:
        return head + _RANKING
    page = head + _PAGE.format(snippets=_SNIPPETS, facet_cols=_facet_cols(facets))
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
        "snippet_options": SNIPPET_OPTIONS,
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
    return _RANKED_HITS + _PAGE.format(snippets="'[]'::json", facet_cols=_facet_cols(facets))


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
    from prinkipo.search.query import parse_query

    fts = str(kwic.params["q"])
    q = tsquery(fts)
    if q is None:
        return []
    out = [
        Statement(f"lexemes of {text!r}", _LEXEMES, {"t": text})
        for text in (" ".join(t.words) for t in parse_query(fts).terms)
    ]
    out.append(Statement("token types", _TOKEN_TYPES))
    later = "(from the statements above, when it runs)"
    params = {
        **q[1],
        "limit": kwic.params["limit"],
        "lexemes": later,
        "prefixes": later,
        "mapped": later,
        "compound": sorted(_COMPOUND_TOKENS),
    }
    out.append(Statement("kwic", kwic_sql(q[0]), params))
    return out


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

        Marks are placed as FTS5's ``highlight()`` places them: every instance of each word and
        whole phrase of the query (not each word of a phrase wherever it stands, as
        ``ts_headline`` would), found from the paragraph's own tokens (``ts_parse``) and the
        lexeme positions of its ``tsvector``.
        """
        from prinkipo.search.query import parse_query

        q = tsquery(fts)
        if q is None:
            return []
        terms = [(" ".join(t.words), t.prefix) for t in parse_query(fts).terms]
        patterns = self._term_lexemes(terms)
        exact = sorted({w for words, prefix in patterns for w in (words[:-1] if prefix else words)})
        prefixes = sorted({words[-1] for words, prefix in patterns if prefix})
        params = {
            **q[1],
            "limit": limit,
            "lexemes": exact,
            "prefixes": prefixes,
            "mapped": sorted(self._mapped_token_types()),
            "compound": sorted(_COMPOUND_TOKENS),
        }
        out = []
        for doc, n, text, title, lexemes, spans in self.conn.execute(kwic_sql(q[0]), params):
            found = _match_spans(lexemes or [], spans or [], patterns)
            out.append((int(doc), int(n), _mark(text, found), title))
        return out

    def _term_lexemes(self, terms: list[tuple[str, bool]]) -> list[tuple[list[str], bool]]:
        """Each query word or phrase as its lexemes in order (stemmed as the index stems)."""
        out = []
        for text, prefix in terms:
            row = self.conn.execute(_LEXEMES, {"t": text}).fetchone()
            if row[0]:
                out.append((list(row[0]), prefix))
        return out

    def _mapped_token_types(self) -> frozenset[int]:
        rows = self.conn.execute(_TOKEN_TYPES)
        return frozenset(int(r[0]) for r in rows)


def _rows(row: Any, statements: list[Statement]) -> SearchRows:
    """A search's one result row (total, page, one column per facet) as :class:`SearchRows`."""
    hits = [
        HitRow(
            int(r[0]),
            float(r[1]),
            r[2],
            int(r[3]),
            r[4],
            [(int(n), _merge_marks(h)) for n, h in r[5]],
        )
        for r in row[1]
    ]
    facets = [s for s in statements if s.name.startswith("facet:")]
    found = {
        s.name.split(":", 1)[1]: [(str(v), int(c)) for v, c in row[2 + i]]
        for i, s in enumerate(facets)
    }
    return SearchRows(int(row[0]), hits, found)


#: matching paragraphs, with the positions of the query's lexemes (from their tsvector) and the
#: character span of the token at each of those positions (the parser's tokens, ts_parse, cover
#: the text: a token starts where the ones before it, less hyphenated compounds, end)
_KWIC = """WITH q AS (SELECT {q})
SELECT p.document_id, p.n, p.text, d.title, lx.lexemes, sp.spans
FROM paragraphs p JOIN documents d ON d.id = p.document_id, q,
LATERAL (
    SELECT json_agg(json_build_array(z.lexeme, z.pos)) AS lexemes, array_agg(z.pos) AS wanted
    FROM (SELECT u.lexeme, unnest(u.positions) AS pos FROM unnest(p.tsv) AS u
          WHERE u.lexeme = ANY(CAST(:lexemes AS text[]))
             OR EXISTS (SELECT 1 FROM unnest(CAST(:prefixes AS text[])) AS pre
                        WHERE starts_with(u.lexeme, pre))) AS z
) AS lx,
LATERAL (
    SELECT json_agg(json_build_array(t.pos, t.start, t.len)) AS spans
    FROM (
        SELECT tokid, length(token) AS len,
               count(*) FILTER (WHERE tokid = ANY(CAST(:mapped AS int[]))) OVER w AS pos,
               coalesce(sum(length(token)) FILTER (WHERE tokid <> ALL(CAST(:compound AS int[])))
                        OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS start
        FROM ts_parse('default', p.text) WITH ORDINALITY AS tp(tokid, token, i)
        WINDOW w AS (ORDER BY i)
    ) AS t
    WHERE t.tokid = ANY(CAST(:mapped AS int[])) AND t.pos = ANY(lx.wanted)
) AS sp
WHERE p.tsv @@ q.q ORDER BY p.document_id, p.n LIMIT :limit"""

#: a query word or phrase as the index's lexemes, in order (run once per word or phrase)
_LEXEMES = (
    "SELECT coalesce(json_agg(lexeme ORDER BY pos), '[]'::json) FROM ("
    " SELECT lexeme, unnest(positions) AS pos"
    " FROM unnest(to_tsvector('prinkipo', :t))) AS x"
)
#: the parser's token types that the text search configuration maps to lexemes
_TOKEN_TYPES = (
    "SELECT DISTINCT maptokentype FROM pg_ts_config_map WHERE mapcfg = 'prinkipo'::regconfig"
)


def kwic_sql(q: str) -> str:
    """The concordance statement over the ``tsquery`` expressions ``q`` (see :func:`tsquery`)."""
    return _KWIC.format(q=q)


#: the default parser's compound tokens (hyphenated words): their parts follow them
_COMPOUND_TOKENS = frozenset({15, 16, 17})


def _match_spans(
    lexemes: list[tuple[str, int]],
    spans: list[tuple[int, int, int]],
    patterns: list[tuple[list[str], bool]],
) -> list[tuple[int, int]]:
    """Character spans of every instance of each pattern (lexemes in a row, last maybe a prefix)."""
    at = {pos: (start, start + length) for pos, start, length in spans}
    lexeme_at: dict[int, set[str]] = {}
    for lexeme, pos in lexemes:
        lexeme_at.setdefault(pos, set()).add(lexeme)
    found = []
    for words, prefix in patterns:
        k = len(words)
        for p in sorted(lexeme_at):
            ok = all(
                (
                    any(x.startswith(w) for x in lexeme_at.get(p + i, ()))
                    if prefix and i == k - 1
                    else w in lexeme_at.get(p + i, ())
                )
                for i, w in enumerate(words)
            )
            if ok and p in at and p + k - 1 in at:
                found.append((at[p][0], at[p + k - 1][1]))
    return _union(found)


def _union(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _mark(text: str, spans: list[tuple[int, int]]) -> str:
    parts, cursor = [], 0
    for a, b in spans:
        parts += [text[cursor:a], MARK_OPEN, text[a:b], MARK_CLOSE]
        cursor = b
    parts.append(text[cursor:])
    return "".join(parts)


def _merge_marks(text: str) -> str:
    """One mark over a phrase's words, as FTS5 marks it (ts_headline marks each word)."""
    return _ADJACENT_MARKS.sub(r"\1", text)
