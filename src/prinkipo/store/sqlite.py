"""The archive in one SQLite file: the only place that writes SQL.

Areas that add tables (entities, letters, findings, search …) put their SQL in a module of their
own beside this one, as a mixin class whose methods use ``self.conn``, and add it to the bases of
:class:`Store`; their schema goes at the end of :data:`~prinkipo.store.migrations.MIGRATIONS`.

Every value goes in as a named parameter. One transaction per document: a crash leaves each
document either as it was or as it became, never half-written (WAL journal, foreign keys on).
Reads return plain dicts and dataclasses, never cursors.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from prinkipo.anchors import paragraph_anchors
from prinkipo.errors import DocumentNotFound, StoreError
from prinkipo.model import DateValue, Document, FileInfo
from prinkipo.store.entities import EntityStore
from prinkipo.store.findings import FindingsStore
from prinkipo.store.letters import LettersMixin
from prinkipo.store.migrations import MIGRATIONS
from prinkipo.store.reading import ReadingMixin
from prinkipo.store.search import SearchMixin
from prinkipo.store.users import UsersMixin


@dataclass(frozen=True, slots=True)
class FileState:
    """What the archive knows of a file path."""

    id: int
    sha256: str
    status: str
    reason: str | None
    document_id: int | None


#: the largest integer SQLite stores; ids are never larger
SQLITE_MAX_INT = 2**63 - 1


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store(EntityStore, LettersMixin, SearchMixin, ReadingMixin, UsersMixin, FindingsStore):
    """An archive database. Use :func:`open_store`; close with :meth:`close` or ``with``."""

    #: "sqlite" or "postgresql" (:class:`~prinkipo.store.postgres.PostgresStore`)
    backend = "sqlite"

    def __init__(self, conn: sqlite3.Connection, path: str) -> None:
        self.conn = conn
        self.path = path
        #: the first paragraph id of this transaction not yet in the full-text index (see
        #: :meth:`_index_new_paragraphs`); None when every paragraph is indexed
        self._unindexed_from: int | None = None
        self._bulk = False  # inside bulk_writing()

    # -- life cycle -------------------------------------------------------------------------

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def migrate(self) -> None:
        """Apply the migrations this file has not had yet, each in its own transaction."""
        version = self.schema_version
        if version > len(MIGRATIONS):
            raise StoreError(
                f"{self.path}: archive schema version {version} is newer than this prinkipo "
                f"knows ({len(MIGRATIONS)}); upgrade prinkipo"
            )
        for number, (_, sql) in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.transaction():
                for statement in _statements(sql):
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {int(number)}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any error; nested calls become savepoints.

        Ingest groups many documents in one transaction and each document in a savepoint: a
        document is stored whole or not at all, and a crash rolls back only the open batch.
        New paragraphs enter the full-text index just before COMMIT, in the same transaction.
        """
        if self.conn.in_transaction:
            unindexed = self._unindexed_from
            self.conn.execute("SAVEPOINT nested")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK TO nested")
                self.conn.execute("RELEASE nested")
                # an index flush inside the savepoint was rolled back with it
                self._unindexed_from = unindexed
                raise
            self.conn.execute("RELEASE nested")
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
            self._index_new_paragraphs()
        except BaseException:
            self.conn.execute("ROLLBACK")
            self._unindexed_from = None
            raise
        self.conn.execute("COMMIT")

    #: page cache of the connection while it writes in bulk (KiB, as SQLite's negative form)
    BULK_CACHE_KIB = 32 * 1024
    #: WAL pages after which the writer checkpoints, while it writes in bulk (32 MiB)
    BULK_CHECKPOINT_PAGES = 8192

    @contextmanager
    def bulk_writing(self) -> Iterator[None]:
        """Tune the connection for a long run of write transactions (an ingest).

        A larger page cache keeps the mentions' and paragraphs' index pages at hand, and the
        writer checkpoints the WAL every 32 MiB instead of every 4: each checkpoint syncs the
        disk while the writer waits, so fewer, larger ones stall it less. The checkpoints stay
        with the writer: one done by another connection can never let the WAL restart while
        the writer keeps appending to it, and a 100,000-page ingest grew a 26 GB WAL that way.
        """
        conn = self.conn
        if self._bulk:  # nested (an ingest inside a larger run): already tuned
            yield
            return
        self._bulk = True
        cache = int(conn.execute("PRAGMA cache_size").fetchone()[0])
        autocheckpoint = int(conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0])
        conn.execute(f"PRAGMA cache_size = {-int(self.BULK_CACHE_KIB)}")
        conn.execute(f"PRAGMA wal_autocheckpoint = {int(self.BULK_CHECKPOINT_PAGES)}")
        try:
            yield
        finally:
            self._bulk = False
            conn.execute(f"PRAGMA wal_autocheckpoint = {int(autocheckpoint)}")
            conn.execute(f"PRAGMA cache_size = {int(cache)}")  # gives the pages back

    #: indexes a large ingest drops while it loads and builds again at its end (name → the
    #: statement its migration built it with): inserting ~100 mentions per document at random
    #: places of an entity-ordered B-tree costs more per row as the archive outgrows the page
    #: cache, while one sorted build at the end costs a few seconds per million mentions
    DEFERRABLE_INDEXES: ClassVar[dict[str, str]] = {
        "mentions_entity_document": (
            "CREATE INDEX mentions_entity_document ON mentions(entity_key, document_id, kind)"
        ),
    }

    def defer_indexes(self) -> None:
        """Drop the :data:`DEFERRABLE_INDEXES` until :meth:`restore_indexes` (a bulk load).

        Readers meanwhile get the same answers, more slowly; an ingest killed before it builds
        them again leaves them missing until the next ingest, which builds them first.
        """
        with self.transaction():
            for name in self.DEFERRABLE_INDEXES:
                self.conn.execute(f"DROP INDEX IF EXISTS {name}")

    def missing_indexes(self) -> list[str]:
        """The :data:`DEFERRABLE_INDEXES` that are not there (deferred, or a killed ingest)."""
        rows = self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        present = {str(r[0]) for r in rows}
        return [name for name in self.DEFERRABLE_INDEXES if name not in present]

    def restore_indexes(self) -> None:
        """Build the :data:`DEFERRABLE_INDEXES` that are missing (nothing to do otherwise)."""
        missing = self.missing_indexes()
        if missing:
            with self.transaction():
                for name in missing:
                    self.conn.execute(self.DEFERRABLE_INDEXES[name])

    def _paragraphs_added(self) -> None:
        """Note that paragraphs are about to be inserted: they are indexed at commit.

        FTS5 flushes its pending terms at every savepoint, and ingest opens one per document:
        indexing a whole batch's paragraphs in one statement at commit costs half as much.
        """
        if self._unindexed_from is None:
            row = self.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM paragraphs").fetchone()
            self._unindexed_from = int(row[0])

    def _index_new_paragraphs(self) -> None:
        """Index the paragraphs inserted since :meth:`_paragraphs_added` (before any delete:
        the delete trigger removes a paragraph's terms, so they must be there)."""
        if self._unindexed_from is not None:
            self.conn.execute(
                "INSERT INTO paragraphs_fts (rowid, text) SELECT id, text FROM paragraphs"
                " WHERE id >= :first",
                {"first": self._unindexed_from},
            )
            self._unindexed_from = None

    def rebuild_fulltext(self) -> None:
        """Rebuild the full-text index of paragraphs from the paragraphs table."""
        self.conn.execute("INSERT INTO paragraphs_fts (paragraphs_fts) VALUES ('rebuild')")

    # -- files ------------------------------------------------------------------------------

    def file_states(self) -> dict[str, FileState]:
        """Every known file path with its hash and outcome (one query: re-ingest only hashes)."""
        rows = self.conn.execute(
            "SELECT f.path, f.id, f.sha256, f.status, f.reason, d.id"
            " FROM files f LEFT JOIN documents d ON d.file_id = f.id"
        )
        return {r[0]: FileState(r[1], r[2], r[3], r[4], r[5]) for r in rows}

    def _put_file(
        self,
        info: FileInfo,
        source: str,
        data: bytes | None,
        fmt: str | None,
        encoding: str | None,
        status: str,
        reason: str | None,
    ) -> int:
        if data is not None:
            self._put_blob({"sha": info.sha256, "size": info.size, "content": data})
        row = self.conn.execute(
            "INSERT INTO files (path, source, sha256, size, format, encoding, status, reason,"
            " ingested_at) VALUES (:path, :source, :sha, :size, :format, :encoding, :status,"
            " :reason, :now)"
            " ON CONFLICT (path) DO UPDATE SET source = excluded.source, sha256 = excluded.sha256,"
            " size = excluded.size, format = excluded.format, encoding = excluded.encoding,"
            " status = excluded.status, reason = excluded.reason,"
            " ingested_at = excluded.ingested_at RETURNING id",
            {
                "path": info.path,
                "source": source,
                "sha": info.sha256,
                "size": info.size,
                "format": fmt,
                "encoding": encoding,
                "status": status,
                "reason": reason,
                "now": _now(),
            },
        ).fetchone()
        return int(row[0])

    #: the statement that keeps a file's bytes, once per distinct content
    PUT_BLOB = "INSERT OR IGNORE INTO blobs (sha256, size, content) VALUES (:sha, :size, :content)"

    def _put_blob(self, row: dict[str, Any]) -> None:
        self.conn.execute(self.PUT_BLOB, row)

    def record_failure(
        self,
        info: FileInfo,
        source: str,
        data: bytes | None,
        reason: str,
        status: str = "failed",
        fmt: str | None = None,
    ) -> None:
        """Keep a file that is not a document (failed or skipped), with its reason and bytes.

        A document the file used to be stays, so nothing stored is lost by a bad re-read.
        """
        with self.transaction():
            self._put_file(info, source, data, fmt, None, status, reason)

    # -- documents --------------------------------------------------------------------------

    def save_document(
        self, info: FileInfo, source: str, data: bytes, doc: Document
    ) -> tuple[int, bool]:
        """Insert or update the document of this file path; returns (id, created)."""
        rec = doc.record
        with self.transaction() as c:
            file_id = self._put_file(info, source, data, rec.format, rec.encoding, "document", None)
            written = doc.dates.get("written")
            values = {
                "file_id": file_id,
                "title": doc.title,
                "language": doc.language,
                "genre": doc.genre.value if doc.genre else None,
                "genre_json": json.dumps(doc.genre.to_dict()) if doc.genre else None,
                "text": rec.text,
                "url": rec.url,
                "we": _iso(written, "earliest"),
                "wl": _iso(written, "latest"),
                "now": _now(),
            }
            existing = c.execute(
                "SELECT id FROM documents WHERE file_id = :file_id", values
            ).fetchone()
            if existing:
                doc_id, created = int(existing[0]), False
                values["id"] = doc_id
                c.execute(
                    "UPDATE documents SET title = :title, language = :language, genre = :genre,"
                    " genre_json = :genre_json, text = :text, url = :url, written_earliest = :we,"
                    " written_latest = :wl, updated_at = :now WHERE id = :id",
                    values,
                )
                self._index_new_paragraphs()
                for table in (
                    "document_fields",
                    "document_authors",
                    "document_dates",
                    "document_sources",
                    "paragraphs",
                    "notes",
                ):
                    c.execute(f"DELETE FROM {table} WHERE document_id = :id", {"id": doc_id})  # noqa: S608
            else:
                doc_id = int(
                    c.execute(
                        "INSERT INTO documents (file_id, title, language, genre, genre_json, text,"
                        " url, written_earliest, written_latest, created_at, updated_at) VALUES"
                        " (:file_id, :title, :language, :genre, :genre_json, :text, :url, :we,"
                        " :wl, :now, :now) RETURNING id",
                        values,
                    ).fetchone()[0]
                )
                created = True
            self._title_saved(doc_id, doc.title)
            self._insert_children(doc_id, doc)
            self._insert_mentions(doc_id, doc.mentions)
            self.save_letters(doc_id, doc.letters)
        return doc_id, created

    def _insert_paragraphs(self, rows: list[dict[str, Any]]) -> None:
        """Insert a document's paragraphs (FTS5 indexes them at commit)."""
        self.conn.executemany(
            'INSERT INTO paragraphs (document_id, n, text, start, "end", anchor) VALUES'
            " (:d, :n, :text, :start, :end, :anchor)",
            rows,
        )

    def _title_saved(self, doc_id: int, title: str | None) -> None:
        """A document's title was inserted or changed (titles_fts follows by trigger)."""

    def _insert_children(self, doc_id: int, doc: Document) -> None:
        c, rec = self.conn, doc.record
        c.executemany(
            "INSERT INTO document_fields VALUES (:d, :n, :name, :value, :start, :end, :vs, :ve)",
            [
                {
                    "d": doc_id,
                    "n": n,
                    "name": f.name,
                    "value": f.value,
                    "start": f.start,
                    "end": f.end,
                    "vs": f.value_start,
                    "ve": f.value_end,
                }
                for n, f in enumerate(rec.fields, start=1)
            ],
        )
        c.executemany(
            "INSERT INTO document_authors VALUES (:d, :n, :as_written, :name, :key, :start, :end,"
            " :method, :confidence)",
            [
                {
                    "d": doc_id,
                    "n": n,
                    "as_written": a.as_written,
                    "name": a.name,
                    "key": a.entity_key,
                    "start": a.start,
                    "end": a.end,
                    "method": a.method,
                    "confidence": a.confidence,
                }
                for n, a in enumerate(doc.authors, start=1)
            ],
        )
        dates = list(doc.dates.values())
        if doc.source and doc.source.date:
            dates.append(doc.source.date)
        c.executemany(
            "INSERT INTO document_dates VALUES (:d, :role, :text, :edtf, :earliest, :latest,"
            " :calendar, :julian, :precision, :approximate, :uncertain, :supplied, :qualifier,"
            " :error, :field, :start, :end, :method)",
            [_date_row(doc_id, v) for v in dates],
        )
        s = doc.source
        if s is not None:
            c.execute(
                "INSERT INTO document_sources VALUES (:d, :text, :periodical, :volume, :number,"
                " :pages, :rest, :start, :end)",
                {
                    "d": doc_id,
                    "text": s.text,
                    "periodical": s.periodical,
                    "volume": s.volume,
                    "number": s.number,
                    "pages": s.pages,
                    "rest": s.rest,
                    "start": s.start,
                    "end": s.end,
                },
            )
        self._paragraphs_added()
        anchors = (
            doc.anchors
            if len(doc.anchors) == len(rec.paragraphs)
            else paragraph_anchors(p.text for p in rec.paragraphs)
        )
        self._insert_paragraphs(
            [
                {"d": doc_id, "n": p.n, "text": p.text, "start": p.start, "end": p.end, "anchor": a}
                for p, a in zip(rec.paragraphs, anchors, strict=True)
            ]
        )
        c.executemany(
            'INSERT INTO notes (document_id, n, kind, label, text, start, "end", anchor)'
            " VALUES (:d, :n, :kind, :label, :text, :start, :end, :anchor)",
            [
                {
                    "d": doc_id,
                    "n": n,
                    "kind": x.kind,
                    "label": x.label,
                    "text": x.text,
                    "start": x.start,
                    "end": x.end,
                    "anchor": x.anchor,
                }
                for n, x in enumerate(rec.notes, start=1)
            ],
        )

    # -- reading ----------------------------------------------------------------------------

    def resolve(self, ref: str) -> int:
        """A document id from an id, the archive path, or the path on disk it was read from."""
        if ref.isdigit() and int(ref) > SQLITE_MAX_INT:
            row = None  # no row can have an id past SQLite's 64-bit integers
        elif ref.isdigit():
            row = self.conn.execute(
                "SELECT id FROM documents WHERE id = :id", {"id": int(ref)}
            ).fetchone()
        else:
            absolute = str(Path(ref).resolve()) if ref else ref
            row = self.conn.execute(
                "SELECT d.id FROM documents d JOIN files f ON f.id = d.file_id"
                " WHERE f.path = :ref OR f.source = :abs ORDER BY f.path = :ref DESC LIMIT 1",
                {"ref": ref, "abs": absolute},
            ).fetchone()
        if row is None:
            raise DocumentNotFound(f"Document {ref} not found")
        return int(row[0])

    def count_documents(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM documents").fetchone()[0])

    def document_summaries(self, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        """One row per document: id, title, authors, genre, written date, path."""
        rows = self.conn.execute(
            "SELECT d.id, d.title, d.genre, d.language, f.path, dd.text, dd.edtf,"
            " (SELECT json_group_array(json_object('name', a.name, 'as_written', a.as_written,"
            "   'entity_key', a.entity_key)) FROM document_authors a WHERE a.document_id = d.id)"
            " FROM documents d JOIN files f ON f.id = d.file_id"
            " LEFT JOIN document_dates dd ON dd.document_id = d.id AND dd.role = 'written'"
            " ORDER BY d.id LIMIT :limit OFFSET :offset",
            {"limit": -1 if limit is None else limit, "offset": offset},
        )
        return [
            {
                "id": r[0],
                "title": r[1],
                "genre": r[2],
                "language": r[3],
                "path": r[4],
                "written": {"text": r[5], "edtf": r[6]} if r[5] is not None else None,
                "authors": json.loads(r[7]),
            }
            for r in rows
        ]

    def document_rows(self, doc_id: int) -> dict[str, Any]:
        """Everything stored for one document, as plain rows (see :mod:`prinkipo.objects`)."""
        c = self.conn
        p = {"id": doc_id}
        doc = _dicts(c.execute("SELECT * FROM documents WHERE id = :id", p))
        if not doc:
            raise DocumentNotFound(f"Document {doc_id} not found")
        out: dict[str, Any] = doc[0]
        out["file"] = _dicts(
            c.execute(
                "SELECT path, source, sha256, size, format, encoding, ingested_at FROM files"
                " WHERE id = :fid",
                {"fid": out["file_id"]},
            )
        )[0]
        for key, sql in (
            (
                "fields",
                'SELECT name, value, start, "end", value_start, value_end'
                " FROM document_fields WHERE document_id = :id ORDER BY n",
            ),
            (
                "authors",
                "SELECT a.as_written, a.name, a.entity_key, e.id AS entity_id,"
                ' a.start, a."end", a.method, a.confidence FROM document_authors a'
                " LEFT JOIN entities e ON e.key = a.entity_key WHERE a.document_id = :id"
                " ORDER BY a.n",
            ),
            ("dates", "SELECT * FROM document_dates WHERE document_id = :id"),
            (
                "paragraphs",
                'SELECT n, text, start, "end", anchor FROM paragraphs'
                " WHERE document_id = :id ORDER BY n",
            ),
            (
                "notes",
                'SELECT kind, label, anchor, text, start, "end" FROM notes'
                " WHERE document_id = :id ORDER BY n",
            ),
        ):
            out[key] = _dicts(c.execute(sql, p))
        src = _dicts(c.execute("SELECT * FROM document_sources WHERE document_id = :id", p))
        out["source"] = src[0] if src else None
        return out

    def counts(self) -> dict[str, int]:
        """Rows per table: what an ingest changed, and the home page's figures."""
        out = {}
        for table in (
            "files",
            "blobs",
            "documents",
            "document_fields",
            "document_dates",
            "paragraphs",
            "notes",
            "entities",
            "mentions",
            "letters",
        ):
            out[table] = int(self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608
        return out


def _iso(value: DateValue | None, bound: str) -> str | None:
    if value is None or value.parsed is None:
        return None
    day = getattr(value.parsed, bound)
    return day.isoformat() if day else None


def _date_row(doc_id: int, v: DateValue) -> dict[str, Any]:
    p = v.parsed
    return {
        "d": doc_id,
        "role": v.role,
        "text": v.text,
        "edtf": p.edtf if p else None,
        "earliest": p.earliest.isoformat() if p and p.earliest else None,
        "latest": p.latest.isoformat() if p and p.latest else None,
        "calendar": p.calendar if p else None,
        "julian": p.julian if p else None,
        "precision": p.precision if p else None,
        "approximate": int(bool(p and p.approximate)),
        "uncertain": int(bool(p and p.uncertain)),
        "supplied": int(bool(p and p.supplied)),
        "qualifier": p.qualifier if p else None,
        "error": v.error,
        "field": v.source_field,
        "start": v.start,
        "end": v.end,
        "method": v.method,
    }


def _statements(sql: str) -> list[str]:
    """Split a migration script into statements; trigger bodies keep their inner semicolons."""
    out, buf = [], ""
    for line in sql.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out


def open_store(path: str | Path, create: bool = True) -> Store:
    """Open (and create or migrate) the archive at ``path``."""
    p = str(path)
    if not create and p != ":memory:" and not Path(p).exists():
        raise StoreError(f"{p}: no archive here (run `prinkipo ingest` first, or pass --db)")
    try:
        conn = sqlite3.connect(p, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 10000")
    except sqlite3.DatabaseError as err:
        raise StoreError(f"{p}: not an archive prinkipo can open ({err})") from err
    store = Store(conn, p)
    try:
        store.migrate()
    except sqlite3.DatabaseError as err:
        store.close()
        raise StoreError(f"{p}: not an archive prinkipo can open ({err})") from err
    return store


def _dicts(cur: sqlite3.Cursor) -> list[dict[str, Any]]:
    """A cursor's rows as dicts keyed by column name (faster than ``sqlite3.Row``)."""
    rows = cur.fetchall()  # first: PostgreSQL in a pipeline knows the columns only then
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in rows]
