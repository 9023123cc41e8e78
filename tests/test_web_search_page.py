"""The search page: facets, filters, snippets, paging and the concordance tab, without JS."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from bs4 import BeautifulSoup
from starlette.testclient import TestClient

from prinkipo.ingestion import ingest
from prinkipo.store import open_store
from prinkipo.web.app import create_app
from prinkipo.web.search_page import snippet_pieces
from tests.conftest import ROOT, SEED_FILE
from tests.web_helpers import record

SEARCH_DATA = ROOT / "tests" / "data" / "search"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    tmp = tmp_path_factory.mktemp("search-page")
    folder = tmp / "docs"
    shutil.copytree(SEARCH_DATA, folder, ignore=shutil.ignore_patterns("*.md"))
    shutil.copy(SEED_FILE, folder / SEED_FILE.name)
    for n in range(25):
        (folder / f"many{n:02d}.txt").write_text(
            record("Rosa Luxemburg", f"Note {n}", f"{1900 + n} ", f"The strike spread, part {n}."),
            encoding="utf-8",
        )
    db = tmp / "s.db"
    with open_store(db) as store:
        assert not ingest(store, [folder]).failed
    with TestClient(create_app(str(db)), raise_server_exceptions=False) as c:
        yield c


def soup(text: str) -> BeautifulSoup:
    return BeautifulSoup(text, "html.parser")


def test_results_show_snippets_with_marked_matches_linked_to_paragraphs(client: TestClient) -> None:
    page = soup(client.get("/search?q=Blumkin").text)
    hits = page.select("li.hit")
    assert len(hits) == 1
    assert hits[0].select_one("a.title").text == "Opposition Serves the Bolshevik Revolution"
    marks = {m.text for m in hits[0].select("mark")}
    assert marks == {"Blumkin"}
    assert hits[0].select_one("a.pilcrow-inline")["href"].startswith("/documents/")


def test_facet_links_add_a_filter_and_filters_can_be_removed(client: TestClient) -> None:
    page = soup(client.get("/search?q=revolution").text)
    total = int(page.select_one(".results > p.muted.small").text.split()[0])
    author = page.select_one('[data-facet="author"] a')
    assert author is not None
    narrowed = soup(client.get(author["href"]).text)
    chips = narrowed.select("a.chip")
    assert [c.text.split(":")[0] for c in chips] == ["author"]
    assert len(narrowed.select("li.hit")) < total
    back = soup(client.get(chips[0]["href"]).text)
    assert not back.select("a.chip") and len(back.select("li.hit")) == total


def test_people_and_places_mentioned_are_facets_that_filter(client: TestClient) -> None:
    page = soup(client.get("/search?q=Blumkin").text)
    places = page.select_one('[data-facet="place"]')
    assert places is not None and places.select_one("h3").text == "Places mentioned"
    assert page.select_one('[data-facet="person"] h3').text == "People mentioned"
    link = next(a for a in places.select("a") if a.text == "Constantinople")
    assert "filter=place%3Dplace%3Aistanbul" in link["href"]
    narrowed = soup(client.get(link["href"]).text)
    assert [c.text.split(":")[0] for c in narrowed.select("a.chip")] == ["place"]
    assert len(narrowed.select("li.hit")) == 1
    assert narrowed.select_one('[data-facet="place"] b').text == "Constantinople"


def test_paging_moves_through_results(client: TestClient) -> None:
    first = soup(client.get("/search?q=strike").text)
    assert len(first.select("li.hit")) == 20
    nxt = first.select_one(".pager a")
    assert nxt is not None and "offset=20" in nxt["href"] and "q=strike" in nxt["href"]
    second = soup(client.get("/search" + nxt["href"]).text)
    assert second.select_one("ol.hits")["start"] == "21"
    assert len(second.select("li.hit")) >= 5


def test_concordance_tab_lists_every_occurrence_in_context(client: TestClient) -> None:
    page = soup(client.get("/search?q=Blumkin&tab=kwic").text)
    rows = page.select("table.kwic tr")
    assert len(rows) == 10
    assert {r.select_one("td.match").text for r in rows} == {"Blumkin"}
    assert rows[0].select_one("td.match a")["href"].endswith("#p1")
    by_right = soup(client.get("/search?q=Blumkin&tab=kwic&sort=right").text)
    rights = [r.select_one("td.right").text for r in by_right.select("table.kwic tr")]
    assert sorted(rights) == sorted(r.select_one("td.right").text for r in rows)
    assert by_right.select_one("p.muted.small b").text == "right"  # the library sorts


@pytest.mark.parametrize(
    "q", ['"unbalanced', "NEAR(", "*", "x" * 5000, "'; DROP TABLE documents; --"]
)
def test_odd_queries_never_break_the_page(client: TestClient, q: str) -> None:
    r = client.get("/search", params={"q": q})
    assert r.status_code in (200, 400)
    assert "Internal error" not in r.text
    assert client.get("/search?q=Blumkin").status_code == 200


def test_unavailable_mode_is_a_clear_400(client: TestClient) -> None:
    r = client.get("/search?q=Blumkin&mode=nonsense")
    assert r.status_code == 400 and "not available" in r.text


def test_snippet_pieces_unescape_then_leave_escaping_to_the_template() -> None:
    pieces = snippet_pieces("a &lt;script&gt; <mark>x</mark> &amp; b")
    assert pieces == [("a <script> ", False), ("x", True), (" & b", False)]


def test_search_page_escapes_what_it_echoes(client: TestClient) -> None:
    r = client.get("/search", params={"q": '"><script>alert(1)</script>'})
    assert "<script>alert(1)" not in r.text
