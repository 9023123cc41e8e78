"""Meaning-based and hybrid search with the shipped static model, on a real archive of each
backend (a SQLite file, a database on a throwaway PostgreSQL server)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from prinkipo.cli import cli
from prinkipo.ingestion import ingest
from prinkipo.search.embedder import MODEL_DIR, SemanticUnavailable, load_embedder, model_info
from prinkipo.search.semantic import (
    hybrid_search,
    index,
    missing_vectors,
    nearest,
    search_sql,
    semantic_search,
)
from prinkipo.store import Store, open_store
from prinkipo.web.app import create_app
from tests.conftest import need_corpus

DATA = Path(__file__).parent / "data" / "search"
SEED = Path(__file__).parent.parent / "src" / "prinkipo" / "demo" / "seed"
OPPOSITION = "Opposition Serves the Bolshevik Revolution"
MANIFESTO = "Manifesto of the Communist Party: Bourgeois and Proletarians"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The five search records and the seed, ingested and embedded, once per backend."""
    if request.param == "sqlite":
        target = str(tmp_path_factory.mktemp("semantic") / "archive.db")
    else:
        target = request.getfixturevalue("pg_server").create_database("semantic")
    with open_store(target) as store:
        ingest(store, [*sorted(DATA.glob("*.txt")), SEED])
        report = index(store)
        assert report.documents == 6 and report.paragraphs > 40
    yield target
    if request.param == "postgresql":
        request.getfixturevalue("pg_server").drop_database(target)


@pytest.fixture
def store(db: str) -> Iterator[Store]:
    with open_store(db) as s:
        yield s


def titles(result: dict) -> list[str]:
    return [i["title"] for i in result["items"]]


def test_the_shipped_model_loads_offline_and_embeds() -> None:
    e = load_embedder()
    assert e.dims == 256 and e.name.startswith("all-MiniLM-L6-v2-static")
    v = e.embed(["the workers' state", "the state of the workers", "a recipe for plum cake", ""])
    assert v.shape == (4, 256)
    assert np.allclose(np.linalg.norm(v[:3], axis=1), 1.0, atol=1e-5)
    assert not v[3].any()  # nothing to embed: a zero vector, not an error
    assert v[0] @ v[1] > v[0] @ v[2]
    assert model_info()["available"] is True


def test_a_paraphrase_finds_the_document_without_its_words(store: Store) -> None:
    # the seed letter tells of Blumkin, a G.P.U. agent, visiting the exiled Trotsky
    r = semantic_search(store, "a secret agent who visited the exiled leader")
    assert titles(r)[0] == OPPOSITION
    assert r["mode"] == "semantic" and r["items"][0]["snippet"]
    r = semantic_search(store, "modern industry and the world market create a new ruling class")
    assert titles(r)[0] == MANIFESTO


def test_semantic_results_keep_filters_and_count_facets(store: Store) -> None:
    r = semantic_search(
        store, "a secret agent", filters=["author=Leon Trotsky"], facets=["author", "decade"]
    )
    assert r["total"] == 3
    assert r["facets"]["author"] == [{"value": "Leon Trotsky", "count": 3}]


def test_hybrid_fuses_both_rankings(store: Store) -> None:
    r = hybrid_search(store, "Blumkin agent exile", facets=["author"])
    assert r["mode"] == "hybrid" and titles(r)[0] == OPPOSITION
    assert r["total"] == 6  # every document is somewhere in the meaning ranking


def test_changed_text_drops_its_vectors_and_index_embeds_it_again(
    tmp_path: Path, archive_db: str
) -> None:
    folder = tmp_path / "letters"
    folder.mkdir()
    record = (DATA / "bloch.txt").read_text()
    (folder / "bloch.txt").write_text(record)
    (folder / "manifesto.txt").write_text((DATA / "manifesto.txt").read_text())
    with open_store(archive_db) as store:
        ingest(store, [folder])
        assert index(store).documents == 2
        assert index(store).documents == 0  # nothing new
        (folder / "bloch.txt").write_text(record.replace("Königsberg", "Memel") + "\n\nP.S.\n")
        ingest(store, [folder])
        again = index(store)
        assert again.documents == 1


def test_a_search_embeds_a_document_added_after_the_last_search(
    tmp_path: Path, archive_db: str
) -> None:
    folder = tmp_path / "letters"
    folder.mkdir()
    (folder / "manifesto.txt").write_text((DATA / "manifesto.txt").read_text())
    with open_store(archive_db) as store:
        ingest(store, [folder])
        assert missing_vectors(store, load_embedder().name, 5)  # not embedded yet
        semantic_search(store, "bourgeoisie")  # embeds it; the memo of what is missing resets
        assert missing_vectors(store, load_embedder().name, 5) == []
        (folder / "bloch.txt").write_text((DATA / "bloch.txt").read_text())
        ingest(store, [folder])
        assert len(missing_vectors(store, load_embedder().name, 5)) == 1
        r = semantic_search(store, "a letter about the materialist conception of history")
        assert {i["title"] for i in r["items"]} >= {"Engels to J. Bloch In Königsberg"}


def test_without_the_model_semantic_says_how_to_get_it_and_hybrid_falls_back(
    store: Store, tmp_path: Path
) -> None:
    empty = tmp_path / "no-model"
    empty.mkdir()
    with pytest.raises(SemanticUnavailable, match=r"lacks config\.json"):
        semantic_search(store, "agent", model_dir=empty)
    r = hybrid_search(store, "Blumkin", model_dir=empty)
    assert r["mode"] == "fulltext" and titles(r) == [OPPOSITION]
    assert any("meaning-based part left out" in n for n in r["notes"])


def test_nearest_with_no_vectors_is_empty(archive_db: str) -> None:
    with open_store(archive_db) as store:
        assert nearest(store, "anything") == []


def test_search_sql_describes_the_semantic_steps() -> None:
    sql = search_sql("agent", ["author=Leon Trotsky"], ["author"], mode="semantic")
    assert "document_vectors" in sql and "json_each(:hits)" in sql and ":f0" in sql


def test_cli_semantic_and_index(db: str) -> None:
    runner = CliRunner()
    r = runner.invoke(cli, ["index", "--db", db, "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["documents"] == 0
    fulltext = json.loads(r.stdout)["fulltext"]
    if db.startswith("postgresql://"):
        assert fulltext is None  # the server's own tsvector index needs no derived one
    else:
        assert fulltext["engine"] == "tantivy" and fulltext["documents"] >= 1
        again = json.loads(runner.invoke(cli, ["index", "--db", db, "--json"]).stdout)
        assert again["fulltext"]["was_current"] is True
    query = "a secret agent who visited the exiled leader"
    r = runner.invoke(cli, ["search", query, "--semantic", "--json", "--db", db])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["items"][0]["title"] == OPPOSITION
    r = runner.invoke(cli, ["search", "agent", "--mode", "hybrid", "--db", db])
    assert r.exit_code == 0 and OPPOSITION in r.stdout


def test_api_modes(db: str) -> None:
    with TestClient(create_app(db), raise_server_exceptions=False) as client:
        for mode in ("fulltext", "semantic", "hybrid"):
            r = client.get("/api/search", params={"q": "secret agent exile", "mode": mode})
            assert r.status_code == 200, r.text
            assert r.json()["mode"] == mode
        bad = client.get("/api/search", params={"q": "🙂", "mode": "semantic"})
        assert bad.status_code == 400 and bad.json()["ok"] is False


def test_model_files_are_package_data() -> None:
    assert {p.name for p in MODEL_DIR.iterdir()} >= {
        "config.json",
        "tokenizer.json",
        "model.safetensors",
    }


#: real pages: the Communist Manifesto, Lenin's State and Revolution, Engels's letters of 1890
REAL_FOLDERS = (
    "marx/works/1848/communist-manifesto",
    "lenin/works/1917/staterev",
    "marx/works/1890/letters",
)


def test_real_pages_a_paraphrase_ranks_the_right_page_first(archive_db: str) -> None:
    archive = need_corpus() / "mia-html" / "archive"
    with open_store(archive_db) as store:
        report = ingest(store, [archive / f for f in REAL_FOLDERS], check=False)
        assert report.added == 16 and not report.failed  # three index pages skipped
        assert index(store).documents == 16
        for query, path in (
            (
                "feudal socialism and the petty bourgeois critics of capitalism",
                "communist-manifesto/ch03",
            ),
            ("armed men, police and prisons as instruments of the ruling class", "staterev/ch01"),
            ("lessons of the Paris Commune for smashing the old state machine", "staterev/ch03"),
        ):
            r = semantic_search(store, query)
            ranked = [(i["path"], i["score"]) for i in r["items"]]
            assert r["total"] == 16 and path in ranked[0][0], (query, ranked)
        r = semantic_search(store, "the position of communists towards the opposition parties")
        assert r["items"][0]["path"].endswith("communist-manifesto/ch04.htm")
        # the same ranking through hybrid fusion, filtered by author and counted by facet
        r = hybrid_search(
            store, "Paris Commune state machine", ["author=Vladimir Lenin"], facets=["author"]
        )
        assert r["items"][0]["path"].endswith("staterev/ch03.htm"), r["items"][:2]


def test_hybrids_full_text_half_ranks_as_a_full_text_search_does(store: Store) -> None:
    from prinkipo.search import search
    from prinkipo.search.fulltext import build_query
    from prinkipo.search.semantic import _fulltext_ranking

    for text in ("revolution", "state OR party", '"the working class"'):
        ranked = _fulltext_ranking(store, build_query(text))
        found = search(store, text, limit=50)
        assert len(ranked) == found["total"] > 0
        assert [d for d, _ in ranked] == [i["document_id"] for i in found["items"]]
