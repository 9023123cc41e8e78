"""prinkipo copy: SQLite → PostgreSQL → SQLite loses nothing (every row, every document object)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from prinkipo.cli import cli
from prinkipo.errors import StoreError
from prinkipo.ingestion import ingest
from prinkipo.objects import document_object
from prinkipo.store import Store, open_store
from prinkipo.store.copy import copy_archive, schema_tables


def _archive(folder: Path, seed: Path) -> None:
    """Works made from the seed, an unreadable file and an empty one: every status a file has."""
    text = seed.read_text(encoding="utf-8")
    for i in range(6):
        body = text.replace("Opposition", f"Opposition {i}", 1).replace("Menjinsky", f"Menj{i}")
        (folder / f"w{i}.txt").write_text(body, encoding="utf-8")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "empty.txt").write_bytes(b"")


def _everything(store: Store) -> dict[str, object]:
    """Every row of every table, and every document object: what a copy must keep."""
    rows = {}
    for t in schema_tables():
        cols = ", ".join(f'"{c}"' for c in t.columns)
        order = ", ".join(f'"{c}"' for c in t.key)
        rows[t.name] = [
            tuple(r)
            for r in store.conn.execute(f'SELECT {cols} FROM "{t.name}" ORDER BY {order}')  # noqa: S608
        ]
    docs = [document_object(store, d["id"]) for d in store.document_summaries()]
    return {"rows": rows, "documents": docs, "summaries": store.document_summaries()}


@pytest.fixture
def original(tmp_path: Path, seed_dir: Path) -> Path:
    _archive(seed_dir, seed_dir / "000_4114f29613fc0492.txt")
    db = tmp_path / "original.db"
    with open_store(db) as s:
        report = ingest(s, [seed_dir])
    assert report.added == 7 and len(report.failed) == 2
    return db


def test_round_trip_sqlite_postgres_sqlite_loses_nothing(
    original: Path, pg_url: str, tmp_path: Path
) -> None:
    back = tmp_path / "back.db"
    with open_store(original) as a, open_store(pg_url) as pg:
        copied = copy_archive(a, pg)
        assert copied["documents"] == 7 and copied["blobs"] == 9 and copied["files"] == 9
        before = _everything(a)
        assert _everything(pg) == before
    with open_store(pg_url) as pg, open_store(back) as b:
        copy_archive(pg, b)
        assert _everything(b) == before
        # the copy's own search index was rebuilt from the paragraphs
        hits = b.conn.execute(
            "SELECT count(*) FROM paragraphs_fts WHERE paragraphs_fts MATCH :q", {"q": "Menj3"}
        ).fetchone()
        assert hits == (1,)


def test_new_rows_after_a_copy_to_postgres_get_new_ids(
    original: Path, pg_url: str, seed_dir: Path, tmp_path: Path
) -> None:
    with open_store(original) as a, open_store(pg_url) as pg:
        copy_archive(a, pg)
        extra = tmp_path / "more" / "seed"
        extra.mkdir(parents=True)
        text = (seed_dir / "w1.txt").read_text(encoding="utf-8")
        (extra / "new.txt").write_text(text.replace("Opposition 1", "A new work"), "utf-8")
        report = ingest(pg, [extra])
        assert report.added == 1
        assert pg.resolve("seed/new.txt") == 8


def test_copy_refuses_a_destination_that_is_not_empty(original: Path, pg_url: str) -> None:
    with open_store(original) as a, open_store(pg_url) as pg:
        copy_archive(a, pg)
        with pytest.raises(StoreError, match="is not empty"):
            copy_archive(a, pg)
        assert pg.count_documents() == 7


def test_cli_copy_both_ways(original: Path, pg_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    r = runner.invoke(cli, ["copy", str(original), pg_url, "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["rows"]["documents"] == 7
    r = runner.invoke(cli, ["copy", pg_url, str(tmp_path / "snap.db")])
    assert r.exit_code == 0, r.output
    assert "documents" in r.output
    r = runner.invoke(cli, ["list", "--db", str(tmp_path / "snap.db"), "--json"])
    assert len(json.loads(r.output)) == 7
    r = runner.invoke(cli, ["copy", str(original), pg_url])
    assert r.exit_code == 2 and "is not empty" in r.output
    r = runner.invoke(cli, ["copy", str(tmp_path / "missing.db"), str(tmp_path / "x.db")])
    assert r.exit_code == 2 and "no archive here" in r.output
    r = runner.invoke(cli, ["copy", str(tmp_path / "snap2.db")], env={"PRINKIPO_DB": pg_url})
    assert r.exit_code == 0, r.output
    r = runner.invoke(cli, ["copy", "a.db", "b.db", "--db", str(original)])
    assert r.exit_code == 2 and "not both" in r.output


def test_round_trip_keeps_the_vectors_of_meaning_based_search(
    original: Path, pg_url: str, tmp_path: Path
) -> None:
    from prinkipo.search.semantic import index, semantic_search

    query = "a secret agent who visited the exiled leader"
    with open_store(original) as a:
        assert index(a).documents == 7
        before = _everything(a)
        assert len(before["rows"]["document_vectors"]) == 7  # type: ignore[index]
        ranked = [(i["document_id"], i["score"]) for i in semantic_search(a, query)["items"]]
    back = tmp_path / "back.db"
    with open_store(original) as a, open_store(pg_url) as pg:
        copy_archive(a, pg)
        assert _everything(pg) == before
        assert index(pg).documents == 0  # nothing to embed again: the vectors came along
        got = [(i["document_id"], i["score"]) for i in semantic_search(pg, query)["items"]]
        assert got == ranked
    with open_store(pg_url) as pg, open_store(back) as b:
        copy_archive(pg, b)
        assert _everything(b) == before
        assert index(b).documents == 0
        got = [(i["document_id"], i["score"]) for i in semantic_search(b, query)["items"]]
        assert got == ranked
