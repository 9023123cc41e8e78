"""The store on both backends (a real SQLite file, a real PostgreSQL database): migrations, one
transaction per document, nothing lost. Tests named ``sqlite``/``postgres`` test one engine's own
machinery; the rest run on both through ``any_store``/``archive_db``."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from prinkipo.errors import DocumentNotFound, StoreError
from prinkipo.ingestion import ingest
from prinkipo.objects import document_object
from prinkipo.store import Store, open_store
from prinkipo.store.migrations import MIGRATIONS
from tests.conftest import need_corpus


def test_new_archive_is_migrated_to_the_latest_schema(any_store: Store) -> None:
    assert any_store.schema_version == len(MIGRATIONS)


def test_sqlite_archive_uses_wal(store: Store) -> None:
    mode = store.conn.execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_reopening_does_not_migrate_again(archive_db: str) -> None:
    open_store(archive_db).close()
    with open_store(archive_db) as s:
        assert s.schema_version == len(MIGRATIONS)


def test_an_archive_from_a_newer_prinkipo_is_refused(db_path: Path) -> None:
    open_store(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    conn.close()
    with pytest.raises(StoreError, match="newer than this prinkipo"):
        open_store(db_path)


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "not.db"
    bogus.write_text("this is not a database" * 100)
    with pytest.raises(StoreError, match="not an archive"):
        open_store(bogus)


def test_opening_a_missing_archive_without_create(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no archive here"):
        open_store(tmp_path / "missing.db", create=False)


def test_original_bytes_and_hash_are_kept(any_store: Store, seed_dir: Path) -> None:
    ingest(any_store, [seed_dir])
    data = (seed_dir / "000_4114f29613fc0492.txt").read_bytes()
    row = any_store.conn.execute(
        "SELECT b.content, f.sha256 FROM files f JOIN blobs b ON b.sha256 = f.sha256"
    ).fetchone()
    import hashlib

    assert row == (data, hashlib.sha256(data).hexdigest())


def test_resolve_by_id_archive_path_and_disk_path(any_store: Store, seed_dir: Path) -> None:
    ingest(any_store, [seed_dir])
    assert any_store.resolve("1") == 1
    assert any_store.resolve("seed/000_4114f29613fc0492.txt") == 1
    assert any_store.resolve(str(seed_dir / "000_4114f29613fc0492.txt")) == 1
    with pytest.raises(DocumentNotFound, match="Document 99 not found"):
        any_store.resolve("99")
    with pytest.raises(DocumentNotFound):
        any_store.resolve(str(2**63))  # past 64-bit ids: not found, not an overflow
    with pytest.raises(DocumentNotFound):
        document_object(any_store, 42)


def test_fts_index_follows_paragraph_updates(store: Store, seed_dir: Path) -> None:
    ingest(store, [seed_dir])
    hits = store.conn.execute(
        "SELECT count(*) FROM paragraphs_fts WHERE paragraphs_fts MATCH 'Menjinsky'"
    ).fetchone()
    assert hits == (1,)
    f = seed_dir / "000_4114f29613fc0492.txt"
    f.write_text(f.read_text(encoding="utf-8").replace("Menjinsky", "Menzhinsky"), encoding="utf-8")
    ingest(store, [seed_dir])
    count = store.conn.execute(
        "SELECT count(*) FROM paragraphs_fts WHERE paragraphs_fts MATCH :q", {"q": "Menjinsky"}
    ).fetchone()
    assert count == (0,)


def _fts_integrity(store: Store) -> None:
    # FTS5's own check compares the index with the paragraphs table, row by row (rank 1)
    store.conn.execute(
        "INSERT INTO paragraphs_fts (paragraphs_fts, rank) VALUES ('integrity-check', 1)"
    )


def test_sqlite_fts_index_matches_paragraphs_after_batches_and_updates(
    store: Store, tmp_path: Path
) -> None:
    corpus = need_corpus() / "mia-html" / "archive" / "trotsky"
    pages = sorted(corpus.rglob("*.htm"))[:30]
    folder = tmp_path / "pages"
    folder.mkdir()
    for i, page in enumerate(pages):
        (folder / f"{i:02d}.htm").write_bytes(page.read_bytes())
    ingest(store, [folder], workers=0)
    _fts_integrity(store)
    before = store.conn.execute("SELECT count(*) FROM paragraphs").fetchone()[0]
    indexed = store.conn.execute("SELECT count(*) FROM paragraphs_fts_docsize").fetchone()[0]
    assert before == indexed > 100
    # change one page: its old paragraphs leave the index, the new ones enter it
    doc_path = store.conn.execute(
        "SELECT path FROM files WHERE status = 'document' ORDER BY path LIMIT 1"
    ).fetchone()[0]
    changed = folder / doc_path.split("/")[-1]
    page = changed.read_bytes().replace(b"</body>", b"<p>Zyxwvutian words.</p></body>")
    changed.write_bytes(page)
    report = ingest(store, [folder], workers=0)
    assert report.updated == 1
    _fts_integrity(store)
    hits = store.conn.execute(
        "SELECT count(*) FROM paragraphs_fts WHERE paragraphs_fts MATCH 'zyxwvutian'"
    ).fetchone()
    assert hits == (1,)


def test_sqlite_a_document_rolled_back_in_a_batch_leaves_the_rest_indexed(
    store: Store, seed_dir: Path, tmp_path: Path
) -> None:
    second = tmp_path / "second.txt"
    second.write_text("Written: 1931\n\nA paragraph about Kadikoy ferries.\n", encoding="utf-8")
    with store.transaction():
        ingest(store, [seed_dir], workers=0, check=False)
        try:
            with store.transaction():
                ingest(store, [second], workers=0, check=False)
                # the savepoint's own flush of the index is undone with it
                store._index_new_paragraphs()
                raise RuntimeError("a failure after the paragraphs were written")
        except RuntimeError:
            pass
    _fts_integrity(store)
    found = store.conn.execute(
        "SELECT count(*) FROM paragraphs_fts WHERE paragraphs_fts MATCH 'Menjinsky'"
    ).fetchone()
    gone = store.conn.execute(
        "SELECT count(*) FROM paragraphs_fts WHERE paragraphs_fts MATCH 'Kadikoy'"
    ).fetchone()
    assert (found, gone) == ((1,), (0,))


def test_postgres_archive_from_a_newer_prinkipo_is_refused(pg_url: str) -> None:
    with open_store(pg_url) as s:
        s.conn.execute("UPDATE prinkipo_schema SET version = :v", {"v": len(MIGRATIONS) + 5})
    with pytest.raises(StoreError, match="newer than this prinkipo"):
        open_store(pg_url)


def test_postgres_database_without_an_archive_is_refused_without_create(pg_url: str) -> None:
    with pytest.raises(StoreError, match="no archive in this database"):
        open_store(pg_url, create=False)


def test_unreachable_postgres_server_is_a_store_error_without_the_password() -> None:
    with pytest.raises(StoreError, match="cannot connect") as info:
        open_store("postgresql://someone:s3cret@127.0.0.1:1/none?connect_timeout=2")
    assert "s3cret" not in str(info.value)


def test_postgres_text_index_follows_paragraph_updates(pg_url: str, seed_dir: Path) -> None:
    sql = "SELECT count(*) FROM paragraphs WHERE tsv @@ plainto_tsquery('prinkipo', :q)"
    with open_store(pg_url) as pg:
        ingest(pg, [seed_dir])
        assert pg.conn.execute(sql, {"q": "Menjinsky"}).fetchone() == (1,)
        f = seed_dir / "000_4114f29613fc0492.txt"
        text = f.read_text(encoding="utf-8").replace("Menjinsky", "Menzhinsky")
        f.write_text(text, encoding="utf-8")
        ingest(pg, [seed_dir])
        assert pg.conn.execute(sql, {"q": "Menjinsky"}).fetchone() == (0,)
        assert pg.conn.execute(sql, {"q": "menzhinsky"}).fetchone() == (1,)
