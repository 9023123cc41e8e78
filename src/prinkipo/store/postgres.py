"""The archive on a PostgreSQL server: the same :class:`~prinkipo.store.sqlite.Store` on a server.

:class:`PostgresStore` is a subclass of ``Store``: every area's methods (documents, entities,
letters, findings, search …) run unchanged through the dialect layer (:mod:`.dialect`), and this
class overrides only what SQLite and PostgreSQL cannot share: the schema version, migrations,
transactions, and the queries that use SQLite-only functions (``json_each``,
``json_group_array``, FTS5). ``open_store("postgresql://…")`` returns one.

Several processes may write at once (ingest on many machines, the web app, editors): a file's
row is upserted by its unique path first, which locks it until the document's transaction
commits, so two writers of the same file queue instead of duplicating it; loading the authority
and migrating take transaction-scoped advisory locks.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, cast

import psycopg

from prinkipo.entities.authority import Authority
from prinkipo.errors import StoreError
from prinkipo.store.dialect import PgConnection, connect
from prinkipo.store.fts5_text import fts5_text
from prinkipo.store.migrations import MIGRATIONS
from prinkipo.store.pg_migrations import BOOTSTRAP, postgres_migration
from prinkipo.store.pg_search import PgSearchMixin
from prinkipo.store.sqlite import Store

#: advisory lock keys (pg_advisory_xact_lock(PRINKIPO_LOCK, n)): one per kind of shared write
PRINKIPO_LOCK = 0x5052  # "PR"
LOCK_MIGRATE, LOCK_AUTHORITY, LOCK_FINDINGS = 1, 2, 3
#: the migration after which the store writes the full-text columns (it fills them once then)
FTS5_TOKENS_MIGRATION = 16


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    head, sep, tail = url.partition("@")
    if not sep or ":" not in head.split("//", 1)[-1]:
        return url
    scheme, _, userinfo = head.partition("//")
    return f"{scheme}//{userinfo.split(':', 1)[0]}:***@{tail}"


class PostgresStore(PgSearchMixin, Store):
    """An archive in a PostgreSQL database. Use :func:`open_postgres` (or ``open_store(url)``)."""

    backend = "postgresql"

    def __init__(self, conn: PgConnection, url: str) -> None:
        # The dialect layer stands in for the sqlite3.Connection the shared methods use.
        super().__init__(cast(sqlite3.Connection, conn), redact(url))
        self.pg = conn
        self.url = url
        #: a second connection, in autocommit, for candidate entities (see _add_candidates)
        self._side: PgConnection | None = None

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None
        super().close()

    # -- life cycle -------------------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        row = self.pg.raw.execute("SELECT version FROM prinkipo_schema").fetchone()
        return int(row[0]) if row else 0

    def migrate(self) -> None:
        """Apply the migrations this database has not had yet (one process at a time)."""
        raw = self.pg.raw
        if self._current_version() == len(MIGRATIONS):
            return
        with raw.transaction():
            raw.execute("SELECT pg_advisory_xact_lock(%s, %s)", (PRINKIPO_LOCK, LOCK_MIGRATE))
            raw.execute(BOOTSTRAP)
        version = self.schema_version
        if version > len(MIGRATIONS):
            raise StoreError(
                f"{self.path}: archive schema version {version} is newer than this prinkipo "
                f"knows ({len(MIGRATIONS)}); upgrade prinkipo"
            )
        for number in range(version + 1, len(MIGRATIONS) + 1):
            statements = postgres_migration(number)
            with raw.transaction():
                raw.execute("SELECT pg_advisory_xact_lock(%s, %s)", (PRINKIPO_LOCK, LOCK_MIGRATE))
                if self.schema_version >= number:  # another process got there first
                    continue
                for statement in statements:
                    raw.execute(statement)
                raw.execute("UPDATE prinkipo_schema SET version = %s", (number,))
        if version < FTS5_TOKENS_MIGRATION <= len(MIGRATIONS):
            with self.transaction():
                self._fill_fulltext(missing=True)

    def _current_version(self) -> int:
        row = self.pg.raw.execute("SELECT to_regclass('prinkipo_schema') IS NOT NULL").fetchone()
        return self.schema_version if row and row[0] else -1

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN … COMMIT, or ROLLBACK on any error; nested calls become savepoints."""
        with self.pg.raw.transaction():
            yield self.conn

    @contextmanager
    def bulk_writing(self) -> Iterator[None]:
        """Nothing to tune: the server checkpoints on its own."""
        yield

    def defer_indexes(self) -> None:
        """Nothing dropped: several ingest processes may write at once, and the server's
        larger buffers keep index inserts cheap (see docs/postgresql.md)."""

    def missing_indexes(self) -> list[str]:
        """None: :meth:`defer_indexes` drops nothing here."""
        return []

    def restore_indexes(self) -> None:
        """Nothing to build: see :meth:`defer_indexes`."""

    def _paragraphs_added(self) -> None:
        """Nothing to note: a paragraph's ``tsv`` is written with it."""

    def _index_new_paragraphs(self) -> None:
        """Nothing to index: see :meth:`_paragraphs_added`."""

    def _insert_paragraphs(self, rows: list[dict[str, Any]]) -> None:
        """Insert paragraphs with their ``tsv``: FTS5's terms and positions (see
        :mod:`.fts5_text`), so that both backends find and mark the same occurrences."""
        tsvs = fts5_text().tsvectors([r["text"] for r in rows])
        self.conn.executemany(
            'INSERT INTO paragraphs (document_id, n, text, start, "end", anchor, tsv) VALUES'
            " (:d, :n, :text, :start, :end, :anchor, :tsv)",
            [{**r, "tsv": t} for r, t in zip(rows, tsvs, strict=True)],
        )

    def _title_saved(self, doc_id: int, title: str | None) -> None:
        """Index the title as FTS5 indexes it (titles_fts on SQLite)."""
        self.conn.execute(
            "UPDATE documents SET title_tsv = CAST(:tsv AS tsvector) WHERE id = :id",
            {"id": doc_id, "tsv": fts5_text().tsvectors([title])[0]},
        )

    def rebuild_fulltext(self) -> None:
        """Write every paragraph's and title's ``tsv`` again from their text."""
        self._fill_fulltext(missing=False)

    #: rows read and written at a time by :meth:`_fill_fulltext`
    FILL_BATCH = 2000

    def _fill_fulltext(self, missing: bool) -> None:
        """Write the ``tsv`` of every paragraph and title (``missing``: of those without)."""
        fts = fts5_text()
        for table, column, text in (
            ("paragraphs", "tsv", "text"),
            ("documents", "title_tsv", "title"),
        ):
            after = 0
            while True:
                rows = self.conn.execute(
                    f"SELECT id, {text} FROM {table} WHERE id > :after"  # noqa: S608
                    + (f" AND {column} IS NULL" if missing else "")
                    + " ORDER BY id LIMIT :limit",
                    {"after": after, "limit": self.FILL_BATCH},
                ).fetchall()
                if not rows:
                    break
                self.conn.execute(
                    f"UPDATE {table} AS t SET {column} = CAST(v.tsv AS tsvector)"  # noqa: S608
                    " FROM unnest(CAST(:ids AS bigint[]), CAST(:tsvs AS text[])) AS v(id, tsv)"
                    " WHERE t.id = v.id",
                    {
                        "ids": [int(r[0]) for r in rows],
                        "tsvs": fts.tsvectors([r[1] for r in rows]),
                    },
                )
                after = int(rows[-1][0])

    def lock(self, key: int) -> None:
        """Hold advisory lock ``key`` until the current transaction ends."""
        self.pg.raw.execute("SELECT pg_advisory_xact_lock(%s, %s)", (PRINKIPO_LOCK, key))

    # -- entities ---------------------------------------------------------------------------

    def load_authority(self, authority: Authority, origin: str | None = None) -> None:
        """As on SQLite; concurrent loads queue on an advisory lock instead of deadlocking."""
        with self.transaction():
            self.lock(LOCK_AUTHORITY)
            super().load_authority(authority, origin)

    def replace_findings(
        self, document_ids: Iterable[int] | None, rows: list[dict[str, Any]]
    ) -> None:
        """As on SQLite; ingests that end together replace the findings one after another, so
        the last one's findings stand whole, not mixed with an earlier run's."""
        with self.transaction():
            self.lock(LOCK_FINDINGS)
            super().replace_findings(document_ids, rows)

    def _side_connection(self) -> PgConnection:
        if self._side is None:
            self._side = PgConnection(connect(self.url))
        return self._side

    def _put_blob(self, row: dict[str, Any]) -> None:
        """Keep a file's bytes at once, on a connection of its own (see :meth:`_add_candidates`:
        two ingests may read the same bytes under two paths); a blob is content-addressed, so
        one left by a document that then rolls back is only unreferenced, never wrong."""
        self._side_connection().execute(self.PUT_BLOB, row)

    def _add_candidates(self, rows: list[dict[str, Any]]) -> None:
        """Add candidate entities at once, each row committed on its own.

        Parallel ingests name the same unknown people ("Comrade Smith") in documents they write
        in long transactions: inserted there, the rows stay locked until the batch commits, so
        the processes wait on each other, and deadlock when they meet two names in opposite
        orders. A candidate row is derived and harmless on its own (it has no mentions until
        the document commits), so it is committed at once, on a connection of its own.
        """
        self._side_connection().executemany(self.ADD_CANDIDATES, rows)

    def entity_ids(self, keys: list[str]) -> dict[str, int]:
        if not keys:
            return {}
        rows = self.pg.raw.execute("SELECT key, id FROM entities WHERE key = ANY(%s)", (keys,))
        return {r[0]: int(r[1]) for r in rows}

    def entity_labels(self, keys: list[str]) -> dict[str, tuple[int, str]]:
        if not keys:
            return {}
        rows = self.pg.raw.execute(
            "SELECT key, id, name FROM entities WHERE key = ANY(%s)", (keys,)
        )
        return {str(r[0]): (int(r[1]), str(r[2])) for r in rows}

    # -- reading ----------------------------------------------------------------------------

    def document_summaries(self, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        """One row per document: id, title, authors, genre, written date, path."""
        rows = self.pg.raw.execute(
            "SELECT d.id, d.title, d.genre, d.language, f.path, dd.text, dd.edtf,"
            " (SELECT coalesce(json_agg(json_build_object('name', a.name, 'as_written',"
            "   a.as_written, 'entity_key', a.entity_key) ORDER BY a.n), '[]'::json)"
            "   FROM document_authors a WHERE a.document_id = d.id)"
            " FROM documents d JOIN files f ON f.id = d.file_id"
            " LEFT JOIN document_dates dd ON dd.document_id = d.id AND dd.role = 'written'"
            " ORDER BY d.id LIMIT %(limit)s OFFSET %(offset)s",
            {"limit": limit, "offset": offset},
        )
        return [
            {
                "id": r[0],
                "title": r[1],
                "genre": r[2],
                "language": r[3],
                "path": r[4],
                "written": {"text": r[5], "edtf": r[6]} if r[5] is not None else None,
                "authors": r[7],
            }
            for r in rows
        ]

    def database_size(self) -> int:
        """Bytes on disk of this database (tables, indexes, TOAST)."""
        row = self.pg.raw.execute("SELECT pg_database_size(current_database())").fetchone()
        return int(row[0]) if row else 0


def open_postgres(url: str, create: bool = True) -> PostgresStore:
    """Open (and create the schema of, or migrate) the archive in the database at ``url``.

    The database itself must exist (``createdb archive``); prinkipo creates its tables in it.
    ``create=False`` refuses a database that has no archive yet.
    """
    try:
        raw = connect(url)
    except psycopg.Error as err:
        raise StoreError(f"{redact(url)}: cannot connect to PostgreSQL ({err})") from err
    store = PostgresStore(PgConnection(raw), url)
    try:
        if not create and store._current_version() <= 0:
            raise StoreError(
                f"{store.path}: no archive in this database (run `prinkipo ingest` first)"
            )
        store.migrate()
    except psycopg.Error as err:
        store.close()
        raise StoreError(f"{store.path}: cannot set up the archive ({err})") from err
    except BaseException:
        store.close()
        raise
    return store
