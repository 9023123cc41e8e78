"""Ingest: idempotent, in place, every file accounted for, bad files recorded not fatal."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import prinkipo.ingestion
from prinkipo.ingestion import ingest
from prinkipo.objects import document_object
from prinkipo.store import Store


def _rows(store: Store) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the tables an ingest writes, to prove a re-ingest changes none."""
    out = {}
    for table in (
        "files",
        "documents",
        "document_fields",
        "document_dates",
        "document_authors",
        "document_sources",
        "paragraphs",
        "notes",
        "entities",
        "blobs",
    ):
        out[table] = store.conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()  # noqa: S608
    return out


def test_seed_ingests_as_the_contract_says(store: Store, seed_dir: Path) -> None:
    report = ingest(store, [seed_dir])
    assert report.to_dict() == {
        "added": 1,
        "updated": 0,
        "unchanged": 0,
        "skipped": [],
        "failed": [],
    }
    doc = document_object(store, 1)
    assert doc["title"] == "Opposition Serves the Bolshevik Revolution"
    assert doc["authors"][0]["name"] == "Leon Trotsky"
    assert doc["authors"][0]["as_written"] == "L. Trotsky"
    assert isinstance(doc["authors"][0]["entity_id"], int)
    assert doc["genre"] == "letter"
    assert doc["dates"]["written"]["edtf"] == "1930-01-05"
    assert doc["dates"]["published"]["edtf"] == "1920-03-01"
    src = doc["source"]
    assert (src["periodical"], src["volume"], src["number"], src["pages"]) == (
        "The Militant",
        "III",
        "9",
        "4",
    )
    assert src["date"]["edtf"] == "1920-03-01"
    assert doc["files"][0]["path"] == "seed/000_4114f29613fc0492.txt"
    assert doc["letter"] is None or isinstance(doc["letter"], dict)


def test_reingest_is_idempotent_and_changes_no_row(store: Store, seed_dir: Path) -> None:
    ingest(store, [seed_dir])
    before = _rows(store)
    report = ingest(store, [seed_dir])
    assert report.to_dict()["unchanged"] == 1 and report.added == report.updated == 0
    assert _rows(store) == before


def test_a_changed_file_updates_its_document_in_place(store: Store, seed_dir: Path) -> None:
    ingest(store, [seed_dir])
    f = seed_dir / "000_4114f29613fc0492.txt"
    f.write_text(
        f.read_text(encoding="utf-8").replace("1 March 1920", "1 March 1930"), encoding="utf-8"
    )
    report = ingest(store, [seed_dir])
    assert (report.added, report.updated) == (0, 1)
    assert store.count_documents() == 1
    assert document_object(store, 1)["dates"]["published"]["edtf"] == "1930-03-01"


def test_bad_files_are_recorded_and_the_batch_goes_on(store: Store, seed_dir: Path) -> None:
    (seed_dir / "empty.txt").write_bytes(b"")
    (seed_dir / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    (seed_dir / "gone.txt").symlink_to(seed_dir / "does-not-exist.txt")
    odd = seed_dir / "odd name – ü [1] ;'\".txt"
    odd.write_text("Someone\n\nA Title\n\nWritten: 1931\n\nBody text.\n", encoding="utf-8")
    report = ingest(store, [seed_dir])
    failed = {item["path"]: item["error"] for item in report.failed}
    assert set(failed) == {"seed/empty.txt", "seed/binary.txt", "seed/gone.txt"}
    assert "empty" in failed["seed/empty.txt"]
    assert "binary" in failed["seed/binary.txt"]
    assert "cannot read the file" in failed["seed/gone.txt"]
    assert report.added == 2
    assert report.files == 5
    assert store.resolve("seed/odd name – ü [1] ;'\".txt") == 2


def test_a_bad_reread_keeps_the_document(store: Store, seed_dir: Path) -> None:
    ingest(store, [seed_dir])
    (seed_dir / "000_4114f29613fc0492.txt").write_bytes(b"")
    report = ingest(store, [seed_dir])
    assert len(report.failed) == 1
    assert store.count_documents() == 1
    assert document_object(store, 1)["title"] == "Opposition Serves the Bolshevik Revolution"


def test_huge_file_is_hashed_and_recorded_not_read(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "big" / "huge.txt"
    big.parent.mkdir()
    with big.open("wb") as f:
        f.truncate(2048)
    monkeypatch.setattr(prinkipo.ingestion, "MAX_FILE_BYTES", 1024)
    report = ingest(store, [big.parent])
    assert report.failed[0]["path"] == "big/huge.txt"
    assert "too large" in report.failed[0]["error"]


def test_paths_are_the_same_from_any_working_directory(store: Store, seed_dir: Path) -> None:
    ingest(store, [seed_dir])
    cwd = os.getcwd()
    try:
        os.chdir(seed_dir)
        report = ingest(store, ["."])
    finally:
        os.chdir(cwd)
    assert report.unchanged == 1 and store.count_documents() == 1


def test_bulk_writing_keeps_the_wal_bounded_and_restores_the_connection(
    store: Store, db_path: Path
) -> None:
    """While an ingest writes batch after batch, the WAL is checkpointed and restarted, so it
    stays near its 32 MiB mark however much is written; after it, the connection is as it was
    (its usual checkpoints, its usual page cache)."""
    before = {
        p: store.conn.execute(f"PRAGMA {p}").fetchone()[0]
        for p in ("wal_autocheckpoint", "cache_size")
    }
    wal = Path(f"{db_path}-wal")
    largest = 0
    with store.bulk_writing():
        for n in range(96):  # 96 MiB in 1 MiB transactions, one after another like batches
            with store.transaction():
                store.conn.execute(
                    "INSERT INTO blobs (sha256, size, content) VALUES (:h, :n, :d)",
                    {"h": f"{n:064d}", "n": 1 << 20, "d": os.urandom(1 << 20)},
                )
            largest = max(largest, wal.stat().st_size)
    assert db_path.stat().st_size > 90 << 20  # the data reached the database file
    assert largest < 40 << 20, f"the WAL grew to {largest >> 20} MiB"
    after = {
        p: store.conn.execute(f"PRAGMA {p}").fetchone()[0]
        for p in ("wal_autocheckpoint", "cache_size")
    }
    assert after == before
