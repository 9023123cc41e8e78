"""SQLite and PostgreSQL hold the same archive: dialect, schema parity, the same objects, and
several real processes writing one PostgreSQL database at once without losing or doubling a file."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from prinkipo.checks import run_checks
from prinkipo.ingestion import ingest
from prinkipo.objects import document_object
from prinkipo.store import Store, open_store
from prinkipo.store.dialect import NotPortable, _as_copy, translate
from prinkipo.store.migrations import MIGRATIONS
from prinkipo.store.pg_migrations import PG_ONLY_COLUMNS, from_sqlite, postgres_migration

TRANSLATIONS = [
    (
        "SELECT id FROM t WHERE a = :a AND b = :b_2",
        "SELECT id FROM t WHERE a = %(a)s AND b = %(b_2)s",
    ),
    ("SELECT x::text, ':notaparam' FROM t", "SELECT x::text, ':notaparam' FROM t"),
    ("SELECT '50%' || :p", "SELECT '50%%' || %(p)s"),
    ("SELECT * FROM t WHERE a = ? AND b = ?", "SELECT * FROM t WHERE a = %s AND b = %s"),
    (
        "INSERT OR IGNORE INTO blobs (sha256) VALUES (:sha)",
        "INSERT INTO blobs (sha256) VALUES (%(sha)s) ON CONFLICT DO NOTHING",
    ),
    (
        "INSERT OR IGNORE INTO t (a) VALUES (:a) RETURNING id",
        "INSERT INTO t (a) VALUES (%(a)s) ON CONFLICT DO NOTHING RETURNING id",
    ),
    ("WHERE e.data IS NOT excluded.data", "WHERE e.data IS DISTINCT FROM excluded.data"),
    ("WHERE a IS :b", "WHERE a IS NOT DISTINCT FROM %(b)s"),
    ("WHERE a IS NULL AND b IS NOT NULL", "WHERE a IS NULL AND b IS NOT NULL"),
    ("WHERE name LIKE :q AND x NOT LIKE 'a'", "WHERE name ILIKE %(q)s AND x NOT ILIKE 'a'"),
    ("SELECT ifnull(a, 0), instr(a, 'b')", "SELECT coalesce(a, 0), strpos(a, 'b')"),
    ('SELECT "is" FROM t -- a :comment', 'SELECT "is" FROM t -- a :comment'),
]


@pytest.mark.parametrize(("sqlite_sql", "pg_sql"), TRANSLATIONS)
def test_dialect_rewrites_sqlite_sql_for_postgres(sqlite_sql: str, pg_sql: str) -> None:
    assert translate(sqlite_sql) == pg_sql


@pytest.mark.parametrize(
    "sql",
    [
        "INSERT OR REPLACE INTO t VALUES (:a)",
        "SELECT rowid FROM paragraphs_fts WHERE paragraphs_fts MATCH :q",
        "SELECT value FROM json_each(:keys)",
        "PRAGMA user_version",
    ],
)
def test_dialect_refuses_what_it_cannot_rewrite(sql: str) -> None:
    with pytest.raises(NotPortable, match=r"store/postgres\.py"):
        translate(sql)


@pytest.mark.parametrize(
    ("sql", "copy"),
    [
        (
            'INSERT INTO notes (document_id, n, kind, text, start, "end") VALUES'
            " (:d, :n, :kind, :text, :start, :end)",
            ('COPY notes (document_id, n, kind, text, start, "end") FROM STDIN',
             ("d", "n", "kind", "text", "start", "end")),
        ),
        ("INSERT INTO t (a, b) VALUES (:a, :b) ON CONFLICT DO NOTHING", None),
        ("INSERT INTO t (a, b) VALUES (:a, :b) RETURNING id", None),
        ("INSERT OR IGNORE INTO t (a, b) VALUES (:a, :b)", None),
        ("INSERT INTO t (a, b) VALUES (:a, lower(:b))", None),
        ("INSERT INTO t (a, b) SELECT :a, :b", None),
        ("INSERT INTO t VALUES (:a, :b)", None),
        ("INSERT INTO t (a, b) VALUES (?, ?)", None),
    ],
)  # fmt: skip
def test_plain_multi_row_inserts_go_through_copy_on_postgres(
    sql: str, copy: tuple[str, tuple[str, ...]] | None
) -> None:
    assert _as_copy(sql) == copy


def test_copied_rows_are_the_inserted_rows(tmp_path: Path, pg_url: str) -> None:
    """The same multi-row INSERT on both backends (COPY on PostgreSQL) stores the same rows:
    NULLs, booleans as 0/1, text with tabs, newlines and backslashes, defaults left out."""
    texts = ["a\tb\nc \\N d", "", "ünïcödé ‘quotes’", None]
    for target in (str(tmp_path / "a.db"), pg_url):
        with open_store(target) as store, store.transaction() as c:
            c.execute(
                "INSERT INTO files (path, source, sha256, size, status, ingested_at)"
                " VALUES ('p', 's', 'x', 1, 'document', 'now')"
            )
            c.execute(
                "INSERT INTO documents (file_id, text, created_at, updated_at)"
                " VALUES (1, '', 'now', 'now')"
            )
            c.executemany(
                'INSERT INTO notes (document_id, n, kind, label, text, start, "end")'
                " VALUES (:d, :n, :kind, :label, :text, :start, :end)",
                [
                    {"d": 1, "n": n, "kind": "note", "label": t, "text": t or "x", "start": n,
                     "end": n > 1}
                    for n, t in enumerate(texts)
                ],
            )  # fmt: skip
        with open_store(target) as store:
            rows = store.conn.execute(
                'SELECT n, kind, label, text, start, "end", anchor FROM notes ORDER BY n'
            ).fetchall()
            assert [tuple(r) for r in rows] == [
                (n, "note", t, t or "x", n, int(n > 1), None) for n, t in enumerate(texts)
            ]


def test_simple_sqlite_migrations_are_rewritten_for_postgres() -> None:
    sql = """
        CREATE TABLE letters (
            id INTEGER PRIMARY KEY, document_id INTEGER REFERENCES documents(id),
            "end" INTEGER, weight REAL, raw BLOB, note TEXT NOT NULL DEFAULT 'x'
        ) WITHOUT ROWID;
        CREATE INDEX letters_doc ON letters(document_id) WHERE note IS NOT NULL;
        UPDATE letters SET note = 'real text' WHERE note LIKE '%INTEGER%';
    """
    create, index, update = from_sqlite(sql, "migration 99 (letters)")
    assert "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY" in create
    assert "REFERENCES documents(id) DEFERRABLE," in create
    assert '"end" BIGINT' in create and "weight DOUBLE PRECISION" in create
    assert "raw BYTEA" in create and "note TEXT COLLATE \"C\" NOT NULL DEFAULT 'x'" in create
    assert "ROWID" not in create
    assert index.endswith("WHERE note IS NOT NULL")
    assert update == "UPDATE letters SET note = 'real text' WHERE note ILIKE '%INTEGER%'"


def test_sqlite_only_migrations_name_themselves() -> None:
    with pytest.raises(NotPortable, match=r"migration 99 \(search\).*PG_MIGRATIONS"):
        from_sqlite("CREATE VIRTUAL TABLE x USING fts5(text);", "migration 99 (search)")


def test_every_migration_has_a_postgres_version() -> None:
    for number in range(1, len(MIGRATIONS) + 1):
        assert postgres_migration(number), number


def _sqlite_columns(path: Path) -> dict[str, list[str]]:
    conn = sqlite3.connect(path)
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            " AND sql NOT LIKE 'CREATE VIRTUAL%' AND name NOT LIKE '%\\_fts\\_%' ESCAPE '\\'"
            " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
        )
    ]
    out = {
        t: [r[1] for r in conn.execute("SELECT * FROM pragma_table_info(:t)", {"t": t})]
        for t in tables
    }
    conn.close()
    return out


def test_both_backends_have_the_same_tables_and_columns(tmp_path: Path, pg_url: str) -> None:
    open_store(tmp_path / "a.db").close()
    expected = _sqlite_columns(tmp_path / "a.db")
    with open_store(pg_url) as pg:
        rows = pg.conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = 'public' AND table_name <> 'prinkipo_schema'"
            " ORDER BY table_name, ordinal_position"
        ).fetchall()
    actual: dict[str, list[str]] = {}
    for table, column in rows:
        if column not in PG_ONLY_COLUMNS.get(table, set()):
            actual.setdefault(table, []).append(column)
    assert actual == expected


def test_the_same_ingest_gives_the_same_objects_on_both(
    tmp_path: Path, pg_url: str, seed_dir: Path
) -> None:
    objects = []
    for target in (str(tmp_path / "a.db"), pg_url):
        with open_store(target) as s:
            ingest(s, [seed_dir])
            objects.append(
                (
                    s.document_summaries(),
                    [document_object(s, d["id"]) for d in s.document_summaries()],
                    s.counts(),
                    s.file_states(),
                )
            )
    assert objects[0] == objects[1]


def test_two_postgres_migrations_at_once_apply_once(pg_url: str) -> None:
    code = "import sys; from prinkipo.store import open_store; open_store(sys.argv[1]).close()"
    procs = [subprocess.Popen([sys.executable, "-c", code, pg_url]) for _ in range(3)]
    assert [p.wait(timeout=60) for p in procs] == [0, 0, 0]
    with open_store(pg_url) as s:
        assert s.schema_version == len(MIGRATIONS)


# -- several writers at once -----------------------------------------------------------------


def _variants(folder: Path, seed: Path, n: int) -> None:
    """``n`` distinct works made from the seed (a different title each; every 5th a duplicate of
    the seed's bytes, so processes also race on the shared blob)."""
    text = seed.read_text(encoding="utf-8")
    for i in range(n):
        body = text if i % 5 == 0 else text.replace("Opposition", f"Opposition {i}", 1)
        (folder / f"v{i:03}.txt").write_text(body, encoding="utf-8")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_parallel_ingest_and_web_app_on_postgres(
    tmp_path: Path, pg_url: str, seed_dir: Path
) -> None:
    works = tmp_path / "works"
    works.mkdir()
    _variants(works, seed_dir / "000_4114f29613fc0492.txt", 40)
    open_store(pg_url).close()
    env = {**os.environ, "PRINKIPO_DB": pg_url}
    exe = str(Path(sys.executable).parent / "prinkipo")
    port = _free_port()
    web = subprocess.Popen(
        [exe, "serve", "--port", str(port)], env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        _wait_for(port)
        ingesters = [
            subprocess.Popen(
                [exe, "ingest", str(works), "--json", "--no-progress"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(3)
        ]
        seen = []
        while any(p.poll() is None for p in ingesters):
            r = httpx.get(f"http://127.0.0.1:{port}/api/documents?limit=5", timeout=30)
            assert r.status_code == 200, r.text
            seen.append(r.json()["total"])
        reports = []
        for p in ingesters:
            out, err = p.communicate(timeout=120)
            assert p.returncode == 0, err
            reports.append(json.loads(out))
    finally:
        web.terminate()
        web.communicate(timeout=30)
    assert seen == sorted(seen), "the web app saw documents disappear during the ingest"
    for r in reports:  # every process accounts for every file
        assert r["added"] + r["updated"] + r["unchanged"] == 40 and not r["failed"]
    assert sum(r["added"] for r in reports) == 40  # each document added by exactly one process
    with open_store(pg_url) as s:
        assert s.counts()["documents"] == 40 and s.counts()["files"] == 40
        assert s.counts()["blobs"] == 33  # 8 of the 40 share the seed's bytes
        paths = [d["path"] for d in s.document_summaries()]
        assert sorted(paths) == sorted(f"works/v{i:03}.txt" for i in range(40))
        # the checks each process ran at its end leave the findings of the whole archive
        stored = {f["key"] for f in s.findings(status=None)}
        assert stored == {f.key for f in run_checks(s)}


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/documents", timeout=5)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError(f"the web app did not answer on port {port}")


def test_store_reports_its_backend(any_store: Store, archive_db: str) -> None:
    assert any_store.backend == ("postgresql" if archive_db.startswith("postgresql") else "sqlite")
