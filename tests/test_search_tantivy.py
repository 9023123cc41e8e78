"""tantivy as a derived full-text index: FTS5's answers, rebuilt when the archive changes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from prinkipo.ingestion import ingest
from prinkipo.search import search
from prinkipo.search import tantivy_index as ti
from prinkipo.store import Store, open_store

DATA = Path(__file__).parent / "data" / "search"
SEED = Path(__file__).parent.parent / "src" / "prinkipo" / "demo" / "seed"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path = tmp_path_factory.mktemp("tantivy") / "archive.db"
    with open_store(path) as s:
        ingest(s, [*sorted(DATA.glob("*.txt")), SEED])
        yield s


@pytest.mark.parametrize(
    "q",
    [
        "bourgeoisie",
        "Blumkin",
        "KONIGSBERG",
        '"materialist conception of history"',
        "proletar*",
        "bloch OR blumkin",
        "NEAR(blumkin constantinople, 5)",
        "the",
    ],
)
def test_tantivy_finds_the_same_documents_as_fts5(store: Store, q: str) -> None:
    fts5 = search(store, q, facets=["author", "decade"], limit=50)
    tv = ti.search(store, q, facets=["author", "decade"], limit=50)
    assert tv["total"] == fts5["total"]
    assert {i["document_id"] for i in tv["items"]} == {i["document_id"] for i in fts5["items"]}
    assert sorted(map(str, tv["facets"]["author"])) == sorted(map(str, fts5["facets"]["author"]))
    assert tv["facets"]["decade"] == fts5["facets"]["decade"]


def test_tantivy_filters_and_snippets(store: Store) -> None:
    r = ti.search(store, "the", filters=["author=L. Trotsky"])
    assert [i["title"] for i in r["items"]] == ["Opposition Serves the Bolshevik Revolution"]
    assert "<mark>" in ti.search(store, "Blumkin")["items"][0]["snippet"]
    assert ti.search(store, "bourgeoisie", filters=["year=1848"])["total"] == 0
    assert ti.search(store, "bourgeoisie", filters=["from=1848", "to=1848"])["total"] == 1


def test_the_index_is_rebuilt_when_the_archive_changes(tmp_path: Path) -> None:
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "bloch.txt").write_text((DATA / "bloch.txt").read_text())
    with open_store(tmp_path / "a.db") as s:
        ingest(s, [folder])
        assert ti.search(s, "Blumkin")["total"] == 0
        (folder / "seed.txt").write_text((SEED / "000_4114f29613fc0492.txt").read_text())
        ingest(s, [folder])
        assert ti.search(s, "Blumkin")["total"] == 1
        assert ti.folder_for(s).is_dir()
