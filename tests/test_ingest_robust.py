"""Ingest on bad input, in parallel, and killed part-way: every file accounted for, nothing lost."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import prinkipo.ingestion
from prinkipo.entities.authority import Authority
from prinkipo.ingestion import ingest
from prinkipo.model import Document
from prinkipo.objects import document_object
from prinkipo.store import Store, open_store
from tests.conftest import ROOT, need_corpus

PAGE = (
    "<html><head><title>{title}</title>"
    '<meta http-equiv="Content-Type" content="text/html; charset={charset}"></head><body>'
    "<h2>{author}</h2><h1>{title}</h1>"
    '<p class="information"><span class="info">Written:</span> 5 January 1930<br>'
    '<span class="info">Source:</span> The Militant, Vol. III No. 9, 1 March 1930, p. 4.</p>'
    "<p>{body}</p></body></html>"
)
BODY = (
    "Up to the very last moment the comrade worked for the Opposition, and the letter says so "
    "in plain words; it goes on for a while, long enough to be a paragraph of prose."
)


def _page(title: str, author: str = "L. Trotsky", charset: str = "utf-8", body: str = BODY) -> str:
    return PAGE.format(title=title, author=author, charset=charset, body=body)


def _mia_sample(tmp_path: Path, n: int) -> Path:
    """``n`` real MIA pages, evenly spread over the corpus, copied under tmp_path/mia-html."""
    src = need_corpus() / "mia-html"
    pages = sorted(p for p in src.rglob("*") if p.is_file())
    step = max(1, len(pages) // n)
    dest = tmp_path / "mia-html"
    for p in pages[::step][:n]:
        target = dest / p.relative_to(src)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(p, target)
    return dest


def _table_rows(store: Store) -> dict[str, int]:
    tables = ["files", "blobs", "documents", "document_fields", "paragraphs", "notes"]
    return {
        t: store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608
        for t in tables
    }


def _assert_consistent(db: Path) -> None:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.execute("INSERT INTO paragraphs_fts(paragraphs_fts) VALUES ('integrity-check')")
        # every document has its file, every 'document' file its document, no orphan children
        assert not conn.execute(
            "SELECT 1 FROM files f LEFT JOIN documents d ON d.file_id = f.id"
            " WHERE f.status = 'document' AND d.id IS NULL"
        ).fetchall()
        assert not conn.execute(
            "SELECT 1 FROM paragraphs p LEFT JOIN documents d ON d.id = p.document_id"
            " WHERE d.id IS NULL"
        ).fetchall()
        assert not conn.execute(
            "SELECT 1 FROM files f LEFT JOIN blobs b ON b.sha256 = f.sha256"
            " WHERE b.sha256 IS NULL AND f.size <= :limit",
            {"limit": prinkipo.ingestion.MAX_FILE_BYTES},
        ).fetchall()
    finally:
        conn.close()


@pytest.fixture
def bad_batch(tmp_path: Path) -> Iterator[Path]:
    """A folder of good and bad files, as the issue lists them."""
    d = tmp_path / "batch"
    d.mkdir()
    (d / "good.htm").write_text(_page("A Good Page"), encoding="utf-8")
    (d / "empty.htm").write_bytes(b"")
    (d / "binary.htm").write_bytes(bytes(range(256)) * 40)
    full = _page("Truncated").encode("utf-8")
    (d / "truncated.htm").write_bytes(full[: full.index(b"long enough")])
    german = _page("Über die Straße", "Clara Zetkin", "windows-1252", "Schön und gemütlich. " * 9)
    (d / "cp1252.htm").write_bytes(german.encode("cp1252"))
    russian = _page("Письмо", "Лев Троцкий", "koi8-r", "Пролетарии всех стран, соединяйтесь! " * 6)
    (d / "koi8.htm").write_bytes(russian.encode("koi8_r"))
    (d / "invalid-utf8.htm").write_bytes(_page("Broken").encode("utf-8") + b"\xff\xfe\xc3(")
    (d / "odd name – ü [1] ;'\" $x.htm").write_text(_page("Odd Path"), encoding="utf-8")
    big = d / "huge.htm"
    with big.open("wb") as f:
        f.truncate(200 * 1024 * 1024)  # 200 MB, sparse: real bytes to hash, no disk used
    os.mkfifo(d / "fifo.htm")  # would block a naive read forever
    yield d


def test_every_bad_file_is_recorded_and_the_batch_goes_on(store: Store, bad_batch: Path) -> None:
    report = ingest(store, [bad_batch], workers=0)
    failed = {item["path"].split("/", 1)[1]: item["error"] for item in report.failed}
    assert set(failed) == {"empty.htm", "binary.htm", "huge.htm", "fifo.htm"}
    assert "empty" in failed["empty.htm"]
    assert "binary" in failed["binary.htm"]
    assert "too large: 200 MB" in failed["huge.htm"]
    assert "not a regular file" in failed["fifo.htm"]
    assert report.added == 6 and report.files == 10
    titles = {d["title"] for d in store.document_summaries()}
    assert {"Über die Straße", "Письмо", "Truncated", "Broken", "Odd Path"} <= titles
    doc = document_object(store, store.resolve("batch/koi8.htm"))
    assert doc["files"][0]["encoding"] == "koi8-r"
    assert doc["authors"][0]["as_written"] == "Лев Троцкий"
    assert store.resolve("batch/odd name – ü [1] ;'\" $x.htm") > 0
    # the failed files are kept with their reason (the too-large one by its hash alone)
    rows = dict(store.conn.execute("SELECT path, status FROM files").fetchall())
    assert rows["batch/huge.htm"] == "failed" and len(rows) == 9  # the FIFO is never opened


def test_a_file_that_disappears_mid_batch_is_recorded(store: Store, tmp_path: Path) -> None:
    d = tmp_path / "batch"
    d.mkdir()
    for i in range(6):
        (d / f"p{i}.htm").write_text(_page(f"Page {i}"), encoding="utf-8")

    def remove_later(path: str, outcome: str) -> None:
        if path.endswith("p1.htm"):
            (d / "p4.htm").unlink()
            (d / "p5.htm").unlink()
            (d / "p5.htm").mkdir()  # replaced by a folder: unreadable as a file

    report = ingest(store, [d], workers=0, on_file=remove_later)
    failed = {item["path"]: item["error"] for item in report.failed}
    assert set(failed) == {"batch/p4.htm", "batch/p5.htm"}
    assert all("cannot read the file" in e for e in failed.values())
    assert report.added == 4 and report.files == 6


def test_a_bad_reread_keeps_what_is_stored(store: Store, bad_batch: Path) -> None:
    ingest(store, [bad_batch], workers=0)
    before = document_object(store, store.resolve("batch/good.htm"))
    (bad_batch / "good.htm").write_bytes(b"\x00" * 100)
    report = ingest(store, [bad_batch], workers=0)
    assert any(item["path"] == "batch/good.htm" for item in report.failed)
    assert document_object(store, store.resolve("batch/good.htm"))["title"] == before["title"]


def test_parallel_ingest_stores_the_same_as_in_process(tmp_path: Path) -> None:
    sample = _mia_sample(tmp_path, 120)
    with open_store(tmp_path / "one.db") as one, open_store(tmp_path / "two.db") as two:
        r1 = ingest(one, [sample], workers=0)
        r2 = ingest(two, [sample], workers=2)
        assert r1.to_dict() == r2.to_dict()
        assert r1.files == 120 and not r1.failed
        assert _table_rows(one) == _table_rows(two)
        q = "SELECT f.path, d.title, d.url, d.text FROM documents d JOIN files f ON f.id = file_id"
        assert sorted(one.conn.execute(q)) == sorted(two.conn.execute(q))
        again = ingest(two, [sample], workers=2)
        assert again.unchanged + len(again.skipped) == 120 and again.added == 0


def _boom(doc: Document, authority: Authority | None) -> Document:
    """Kills the worker process that parses boom.htm, as a crash in a C library would."""
    import multiprocessing

    if doc.record.path.endswith("boom.htm") and multiprocessing.parent_process() is not None:
        os._exit(3)
    return doc


def test_a_worker_that_dies_costs_only_its_file(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    d = tmp_path / "batch"
    d.mkdir()
    for i in range(prinkipo.ingestion.INLINE_FIRST + 40):
        (d / f"p{i:03d}.htm").write_text(_page(f"Page {i}"), encoding="utf-8")
    (d / "p050boom.htm").write_text(_page("Boom"), encoding="utf-8")
    monkeypatch.setattr(prinkipo.ingestion, "STEPS", [_boom])
    report = ingest(store, [d], workers=2)
    assert [item["path"] for item in report.failed] == ["batch/p050boom.htm"]
    assert "crashed" in report.failed[0]["error"]
    assert report.added == prinkipo.ingestion.INLINE_FIRST + 40


def test_sigkill_part_way_then_rerun_finishes_with_no_duplicates(tmp_path: Path) -> None:
    sample = _mia_sample(tmp_path, 700)
    db = tmp_path / "killed.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cmd = [sys.executable, "-m", "prinkipo", "ingest", str(sample), "--db", str(db), "--json"]
    proc = subprocess.Popen(
        cmd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    stored = 0
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
            if db.exists():
                try:
                    with sqlite3.connect(db, timeout=0.1) as c:
                        stored = c.execute("SELECT count(*) FROM files").fetchone()[0]
                except sqlite3.OperationalError:
                    continue  # schema not there yet, or locked for a moment
                if stored:
                    break
        os.killpg(proc.pid, signal.SIGKILL)  # the main process and its workers
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, "ingest finished before it could be killed"
    _assert_consistent(db)
    with sqlite3.connect(db) as c:
        after_kill = c.execute("SELECT count(*) FROM files").fetchone()[0]
    assert 0 < after_kill < 700

    with open_store(db) as store:
        report = ingest(store, [sample])
        assert report.files == 700 and not report.failed
        assert report.unchanged + len(report.skipped) + report.added == 700
        assert report.unchanged > 0 and report.added > 0
        rows = _table_rows(store)
    _assert_consistent(db)
    with open_store(tmp_path / "clean.db") as clean:
        ingest(clean, [sample])
        assert _table_rows(clean) == rows


def _mention_rows(store: Store) -> list[tuple[object, ...]]:
    """Every mention, by file path rather than row id (ids differ between two archives)."""
    return sorted(
        store.conn.execute(
            "SELECT f.path, m.entity_key, m.kind, m.text, m.start, m.paragraph, m.field"
            " FROM mentions m JOIN documents d ON d.id = m.document_id"
            " JOIN files f ON f.id = d.file_id"
        ).fetchall(),
        key=repr,
    )


def _index_sql(store: Store, name: str) -> str | None:
    row = store.conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = :n", {"n": name}
    ).fetchone()
    return None if row is None else str(row[0])


def test_a_bulk_ingest_drops_the_entity_index_while_it_loads_and_builds_it_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sample = _mia_sample(tmp_path, 60)
    with open_store(tmp_path / "plain.db") as plain:
        ingest(plain, [sample], workers=0)
        plain_rows = _mention_rows(plain)
        built = _index_sql(plain, "mentions_entity_document")
    assert built and plain_rows

    # a small archive stands for a large one: a bulk load after 20 documents, batches of 10
    monkeypatch.setattr(prinkipo.ingestion, "DEFER_INDEXES_AFTER", 20)
    monkeypatch.setattr(prinkipo.ingestion, "BATCH_DOCUMENTS", 10)
    seen: list[list[str]] = []
    with open_store(tmp_path / "bulk.db") as bulk:
        report = ingest(
            bulk, [sample], workers=0, on_file=lambda *_: seen.append(bulk.missing_indexes())
        )
        assert report.added >= 30
        assert [] in seen and ["mentions_entity_document"] in seen  # dropped part-way …
        assert bulk.missing_indexes() == []  # … and built again, as its migration built it
        assert _index_sql(bulk, "mentions_entity_document") == built
        assert _mention_rows(bulk) == plain_rows
        plan = bulk.conn.execute(
            "EXPLAIN QUERY PLAN SELECT document_id FROM mentions WHERE entity_key = :k",
            {"k": plain_rows[0][1]},
        ).fetchall()
        assert "mentions_entity_document" in repr(plan)

        # an archive as large as what comes is no bulk load: nothing is dropped
        seen.clear()
        more = tmp_path / "more"
        shutil.copytree(sample, more)
        ingest(bulk, [more], workers=0, on_file=lambda *_: seen.append(bulk.missing_indexes()))
        assert seen and all(m == [] for m in seen)


_KILLED_BULK_INGEST = """
import sys
import prinkipo.ingestion as ing
from prinkipo.store import open_store
ing.DEFER_INDEXES_AFTER, ing.BATCH_DOCUMENTS = 20, 10
with open_store(sys.argv[1]) as store:
    ing.ingest(store, [sys.argv[2]], workers=0, check=False)
"""


def test_a_bulk_ingest_killed_after_dropping_the_index_is_mended_by_the_next(
    tmp_path: Path,
) -> None:
    sample = _mia_sample(tmp_path, 400)
    db = tmp_path / "killed.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cmd = [sys.executable, "-c", _KILLED_BULK_INGEST, str(db), str(sample)]
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    dropped = False
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None and not dropped:
            time.sleep(0.05)
            if db.exists():
                try:
                    with sqlite3.connect(db, timeout=0.1) as c:
                        names = {r[0] for r in c.execute("SELECT name FROM sqlite_master")}
                except sqlite3.OperationalError:
                    continue
                dropped = "mentions" in names and "mentions_entity_document" not in names
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert dropped and proc.returncode == -signal.SIGKILL, "killed before it dropped the index"
    _assert_consistent(db)

    with open_store(db) as store:
        assert store.missing_indexes() == ["mentions_entity_document"]
        report = ingest(store, [sample], check=False)
        assert report.files == 400 and not report.failed
        assert store.missing_indexes() == []
        rows, mentions = _table_rows(store), _mention_rows(store)
    _assert_consistent(db)
    with open_store(tmp_path / "clean.db") as clean:
        ingest(clean, [sample], check=False)
        assert _table_rows(clean) == rows
        assert _mention_rows(clean) == mentions
