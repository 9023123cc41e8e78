"""The search page's meaning-based toggle and ``/api/search?mode=``: on when the archive has its
index, off with a sentence that says what to do when it has none."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from starlette.testclient import TestClient

from prinkipo.ingestion import ingest
from prinkipo.search.semantic import index
from prinkipo.store import open_store
from prinkipo.store.copy import copy_archive
from prinkipo.web import search as search_api
from prinkipo.web.app import create_app
from tests.conftest import ROOT, SEED_FILE
from tests.web_helpers import record

OPPOSITION = "Opposition Serves the Bolshevik Revolution"
AGENT = "a secret agent who visited the exiled leader"


def _archive(folder: Path, indexed: bool, target: str | None = None) -> str:
    """The search records and the seed, ingested (and embedded) into ``target`` (a PostgreSQL
    URL) or a SQLite file in ``folder``."""
    docs = folder / "docs"
    shutil.copytree(ROOT / "tests" / "data" / "search", docs, ignore=shutil.ignore_patterns("*.md"))
    shutil.copy(SEED_FILE, docs / SEED_FILE.name)
    db = target or str(folder / "archive.db")
    with open_store(db) as store:
        assert not ingest(store, [docs]).failed
        if indexed:
            index(store)
    return db


def _where(request: pytest.FixtureRequest, name: str) -> str | None:
    """None for SQLite, else a new database on the test PostgreSQL server."""
    if request.param == "sqlite":
        return None
    return str(request.getfixturevalue("pg_server").create_database(name))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def unindexed(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    db = _archive(tmp_path_factory.mktemp("unindexed"), False, _where(request, "unindexed"))
    with TestClient(create_app(db), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def indexed_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    return _archive(tmp_path_factory.mktemp("indexed"), True, _where(request, "indexed"))


@pytest.fixture
def indexed(indexed_db: str) -> Iterator[TestClient]:
    with TestClient(create_app(indexed_db), raise_server_exceptions=False) as c:
        yield c


def radios(html: str) -> dict[str, bool]:
    """mode → whether its radio button can be chosen."""
    page = BeautifulSoup(html, "html.parser")
    return {r["value"]: not r.has_attr("disabled") for r in page.select('input[name="mode"]')}


def test_without_an_index_the_toggle_is_off_and_says_how_to_build_it(
    unindexed: TestClient,
) -> None:
    html = unindexed.get("/search?q=agent").text
    assert radios(html) == {"fulltext": True, "semantic": False, "hybrid": False}
    note = BeautifulSoup(html, "html.parser").select_one("#semantic-off")
    assert note is not None and "prinkipo index" in note.text
    page = unindexed.get("/search", params={"q": AGENT, "mode": "semantic"})
    assert page.status_code == 503 and "prinkipo index" in page.text


def test_without_an_index_the_api_refuses_semantic_and_hybrid_falls_back(
    unindexed: TestClient,
) -> None:
    r = unindexed.get("/api/search", params={"q": AGENT, "mode": "semantic"})
    assert r.status_code == 503
    body = r.json()
    assert body["ok"] is False and body["status"] == 503 and "prinkipo index" in body["error"]
    r = unindexed.get("/api/search", params={"q": "Blumkin", "mode": "hybrid"})
    assert r.status_code == 200
    assert r.json()["mode"] == "fulltext"
    assert any("left out" in n and "prinkipo index" in n for n in r.json()["notes"])


def test_with_an_index_the_page_ranks_by_meaning(indexed: TestClient) -> None:
    assert radios(indexed.get("/search?q=agent").text) == {
        "fulltext": True,
        "semantic": True,
        "hybrid": True,
    }
    r = indexed.get("/search", params={"q": AGENT, "mode": "semantic"})
    assert r.status_code == 200
    page = BeautifulSoup(r.text, "html.parser")
    assert page.select_one('input[value="semantic"]').has_attr("checked")
    assert page.select_one("li.hit a.title").text == OPPOSITION  # no word of the query in it
    assert page.select_one("#semantic-off") is None
    facet = page.select_one("[data-facet] a")
    assert facet is not None and "mode=semantic" in facet["href"]  # refining keeps the mode
    both = indexed.get("/search", params={"q": "Blumkin agent", "mode": "hybrid"})
    assert both.status_code == 200 and OPPOSITION in both.text


def test_with_an_index_the_api_answers_every_mode(indexed: TestClient) -> None:
    for mode in ("fulltext", "semantic", "hybrid"):
        r = indexed.get("/api/search", params={"q": "secret agent exile", "mode": mode})
        assert r.status_code == 200 and r.json()["mode"] == mode


def test_a_few_new_documents_are_embedded_by_the_search_many_wait_for_the_index(
    indexed_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    if indexed_db.startswith("postgresql://"):  # a copy of the archive, vectors included
        db = str(request.getfixturevalue("pg_url"))
        with open_store(indexed_db) as src, open_store(db) as dst:
            copy_archive(src, dst)
    else:
        db = str(tmp_path / "copy.db")
        shutil.copy(indexed_db, db)
    more = tmp_path / "more"
    more.mkdir()
    for n in range(3):
        (more / f"n{n}.txt").write_text(
            record("A. B.", f"Added {n}", "1925", "A courier carried letters to the exile."),
            encoding="utf-8",
        )
    with open_store(db) as store:
        ingest(store, [more])
    with TestClient(create_app(db), raise_server_exceptions=False) as client:
        monkeypatch.setattr(search_api, "EMBED_ON_REQUEST", 2)
        r = client.get("/api/search", params={"q": AGENT, "mode": "semantic"})
        assert r.status_code == 503 and "more than 2 documents" in r.json()["error"]
        monkeypatch.setattr(search_api, "EMBED_ON_REQUEST", 50)
        r = client.get("/api/search", params={"q": "courier letters exile", "mode": "semantic"})
        assert r.status_code == 200
        assert any(i["title"].startswith("Added") for i in r.json()["items"])
