"""tantivy as a derived full-text index: FTS5's answers, rebuilt when the archive changes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from prinkipo.ingestion import ingest
from prinkipo.search import parse_query, search
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
    facets = ["author", "decade", "person", "place"]
    fts5 = search(store, q, facets=facets, limit=50, engine="fts5")
    tv = search(store, q, facets=facets, limit=50, engine="tantivy")
    assert (fts5["engine"], tv["engine"]) == ("fts5", "tantivy")
    assert tv["total"] == fts5["total"]
    assert {i["document_id"] for i in tv["items"]} == {i["document_id"] for i in fts5["items"]}
    assert sorted(map(str, tv["facets"]["author"])) == sorted(map(str, fts5["facets"]["author"]))
    assert tv["facets"]["decade"] == fts5["facets"]["decade"]
    assert tv["facets"]["person"] == fts5["facets"]["person"]
    assert tv["facets"]["place"] == fts5["facets"]["place"]
    # the paragraphs that match, counted per document, as FTS5 counts them
    counts = {i["document_id"]: i["paragraphs_matched"] for i in fts5["items"]}
    assert {i["document_id"]: i["paragraphs_matched"] for i in tv["items"]} == counts


def test_auto_is_tantivy_on_a_sqlite_file(store: Store) -> None:
    assert search(store, "Blumkin")["engine"] == "tantivy"


def test_people_and_places_mentioned_are_facets_and_filters(store: Store) -> None:
    r = search(store, "the", facets=["person", "place"])
    places = {v["value"]: v for v in r["facets"]["place"]}
    assert places["Constantinople"]["key"] == "place:istanbul"
    assert places["Constantinople"]["count"] == 1
    people = {v["value"]: v["count"] for v in r["facets"]["person"]}
    assert people["Leon Trotsky"] >= 1
    for engine in ("tantivy", "fts5"):
        by_name = search(store, "the", filters=["place=Constantinople"], engine=engine)
        by_key = search(store, "the", filters=["place=place:istanbul"], engine=engine)
        assert by_name["total"] == by_key["total"] == 1
        assert by_name["items"][0]["title"] == "Opposition Serves the Bolshevik Revolution"
        both = search(
            store, "the", filters=["place=Constantinople", "person=Karl Marx"], engine=engine
        )
        assert both["total"] == 0
        assert search(store, "the", filters=["person=Nobody At All"], engine=engine)["total"] == 0


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


def test_a_relinked_mention_reaches_the_index_without_a_rebuild(tmp_path: Path) -> None:
    with open_store(tmp_path / "a.db") as s:
        ingest(s, [SEED])
        assert search(s, "Blumkin", filters=["place=Prinkipo"])["total"] == 1
        folder = ti.folder_for(s) / "documents"
        built = folder.stat().st_ino
        s.relink_mentions("place:prinkipo", "place:istanbul")
        assert search(s, "Blumkin", filters=["place=Prinkipo"])["total"] == 0
        r = search(s, "Blumkin", facets=["place"])
        assert "Prinkipo" not in {v["value"] for v in r["facets"]["place"]}
        assert (ti.folder_for(s) / "documents").stat().st_ino == built  # caught up in place


def test_a_deleted_index_folder_is_rebuilt(tmp_path: Path) -> None:
    import gc
    import shutil

    with open_store(tmp_path / "a.db") as s:
        ingest(s, [SEED])
        assert search(s, "Blumkin")["total"] == 1
        # let go of the open index first (its reader's threads), as a person deleting the
        # folder of an archive nobody has open would; then it is rebuilt on the next search
        ti._OPEN.clear()
        gc.collect()
        shutil.rmtree(ti.folder_for(s))
        assert search(s, "Blumkin")["total"] == 1


@pytest.mark.parametrize("q", ["the", '"materialist conception"', "revol*"])
def test_a_long_concordance_marked_in_two_halves_is_the_same(store: Store, q: str) -> None:
    fts = parse_query(q).fts
    whole = store.kwic_rows(fts, 10_000, split=10_000)
    halves = store.kwic_rows(fts, 10_000, split=0)
    assert whole and halves == whole
    assert store.kwic_rows(fts, 3, split=0) == whole[:3]


def test_without_a_usable_index_folder_search_falls_back_to_fts5(tmp_path: Path) -> None:
    with open_store(tmp_path / "a.db") as s:
        ingest(s, [SEED])
        ti._OPEN.pop(s.path, None)
        ti.folder_for(s).write_text("not a folder")  # something else stands where it would be
        r = search(s, "Blumkin")
        assert r["engine"] == "fts5" and r["total"] == 1
        assert any("FTS5" in n for n in r["notes"])
        with pytest.raises(ti.IndexUnavailable):
            search(s, "Blumkin", engine="tantivy")
