"""SQLite's full-text tokens for a PostgreSQL archive: one tokenizer, one concordance.

A concordance must list the same occurrences of a word whichever database holds the archive.
PostgreSQL's own text search cannot tokenize as SQLite's FTS5 ``porter unicode61
remove_diacritics 2`` does: its Snowball stemmers are Porter's published algorithm or Porter2
(FTS5 has Porter's C version: ``assembly`` → ``assembl``, ``ideology`` → ``ideolog``, words under
three letters kept, so ``is`` is not ``i`` and ``as`` not ``a``), its parser reads
``marxists.org/archive``, ``3.14`` and ``e.g.`` as single tokens and gives a hyphenated word an
extra position (``surplus value-which`` is then no phrase ``surplus value``), and ``unaccent``
folds ``Łódź`` to ``lodz`` where FTS5 keeps ``łodz``.

So the PostgreSQL store asks FTS5 itself, in a private in-memory SQLite database:

- :meth:`Fts5Text.tsvectors`: each paragraph's (and title's) tokens as a ``tsvector`` literal,
  lexeme ``'term':position,…`` with FTS5's terms and positions, stored in ``tsv`` (GIN-indexed);
- :meth:`Fts5Text.lexemes`: a query word or phrase as FTS5's terms, for the ``tsquery``;
- :meth:`Fts5Text.highlight` and :meth:`Fts5Text.snippets`: FTS5's own ``highlight()`` and
  ``snippet()`` over the paragraphs PostgreSQL found, so concordance lines and snippets are
  marked by the same code on both backends.

PostgreSQL's limits stay: a ``tsvector`` keeps positions up to 16,383 (later ones read as 16,383)
and at most 256 per lexeme (the server drops the rest), and lexemes up to 2,047 bytes (longer
ones are left out here). No paragraph of the mia-html corpus comes near them.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence

#: the tokenizer of the SQLite archive's paragraphs_fts and titles_fts (store/migrations.py)
TOKENIZE = "porter unicode61 remove_diacritics 2"
#: the longest lexeme a PostgreSQL tsvector takes, in bytes
MAX_LEXEME_BYTES = 2047

#: (row, tsvector literal) of the rows in ``tokens``, built by SQLite from FTS5's own index
_TSVECTORS = """
SELECT doc, group_concat(lexeme, ' ') FROM (
    SELECT doc,
           '''' || replace(replace(term, '\\', '\\\\'), '''', '''''') || ''':'
           || group_concat(offset + 1, ',') AS lexeme
    FROM tokens_vocab WHERE length(CAST(term AS BLOB)) <= :max
    GROUP BY doc, term
) GROUP BY doc"""


class Fts5Text:
    """A private in-memory SQLite database that tokenizes and marks text as FTS5 does."""

    def __init__(self) -> None:
        self.conn = sqlite3.connect(":memory:", check_same_thread=False)
        self.lock = threading.Lock()
        self.conn.execute(
            f"CREATE VIRTUAL TABLE tokens USING fts5(text, content='', tokenize='{TOKENIZE}')"
        )
        self.conn.execute("CREATE VIRTUAL TABLE tokens_vocab USING fts5vocab(tokens, instance)")
        # texts to mark: FTS5's highlight() and snippet() read them from marked_text
        self.conn.execute("CREATE TABLE marked_text (id INTEGER PRIMARY KEY, text TEXT NOT NULL)")
        self.conn.execute(
            "CREATE VIRTUAL TABLE t USING fts5(text, content='marked_text', content_rowid='id',"
            f" tokenize='{TOKENIZE}')"
        )

    def tsvectors(self, texts: Sequence[str | None]) -> list[str]:
        """Each text's FTS5 terms and positions as a ``tsvector`` literal ('' for none)."""
        if not texts:
            return []
        with self.lock:
            c = self.conn
            c.executemany(
                "INSERT INTO tokens (rowid, text) VALUES (:i, :t)",
                [{"i": i, "t": t} for i, t in enumerate(texts) if t],
            )
            try:
                found = dict(c.execute(_TSVECTORS, {"max": MAX_LEXEME_BYTES}).fetchall())
            finally:
                c.execute("INSERT INTO tokens (tokens) VALUES ('delete-all')")
        return [found.get(i, "") for i in range(len(texts))]

    def lexemes(self, text: str) -> list[str]:
        """The FTS5 terms of ``text`` in order (a query's word or phrase, stemmed as indexed)."""
        with self.lock:
            c = self.conn
            c.execute("INSERT INTO tokens (rowid, text) VALUES (1, :t)", {"t": text})
            try:
                rows = c.execute("SELECT term FROM tokens_vocab ORDER BY offset").fetchall()
            finally:
                c.execute("INSERT INTO tokens (tokens) VALUES ('delete-all')")
        return [str(r[0]) for r in rows]

    def highlight(self, fts: str, texts: Sequence[str], open_: str, close: str) -> dict[int, str]:
        """index → text with every match of the FTS5 expression ``fts`` marked, for the texts
        that match it (FTS5's ``highlight()``)."""
        sql = "SELECT rowid, highlight(t, 0, :open, :close) FROM t WHERE t MATCH :q"
        return self._marked(texts, sql, {"open": open_, "close": close, "q": fts})

    def snippets(
        self, fts: str, texts: Sequence[str], open_: str, close: str, tokens: int
    ) -> dict[int, str]:
        """index → FTS5's ``snippet()`` of each text that matches ``fts``."""
        sql = "SELECT rowid, snippet(t, 0, :open, :close, '…', :tokens) FROM t WHERE t MATCH :q"
        params = {"open": open_, "close": close, "tokens": tokens, "q": fts}
        return self._marked(texts, sql, params)

    def _marked(self, texts: Sequence[str], sql: str, params: dict[str, object]) -> dict[int, str]:
        if not texts:
            return {}
        with self.lock:
            c = self.conn
            c.executemany(
                "INSERT INTO marked_text (id, text) VALUES (:i, :t)",
                [{"i": i, "t": t} for i, t in enumerate(texts)],
            )
            try:
                c.execute("INSERT INTO t (t) VALUES ('rebuild')")
                return {int(r[0]): str(r[1]) for r in c.execute(sql, params)}
            finally:
                # an external-content index forgets every row at once (a table of its own
                # each time would cost a schema change per search)
                c.execute("DELETE FROM marked_text")
                c.execute("INSERT INTO t (t) VALUES ('delete-all')")


_local = threading.local()


def fts5_text() -> Fts5Text:
    """This thread's :class:`Fts5Text`."""
    found: Fts5Text | None = getattr(_local, "fts5", None)
    if found is None:
        found = _local.fts5 = Fts5Text()
    return found
