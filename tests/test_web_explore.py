"""Entity indexes and pages, the network and the map: HTML and JSON over the seed archive."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from bs4 import BeautifulSoup
from starlette.testclient import TestClient

from prinkipo.ingestion import ingest
from prinkipo.store import open_store
from prinkipo.web.app import create_app


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    from tests.conftest import SEED_FILE

    tmp = tmp_path_factory.mktemp("explore")
    seed = tmp / "seed"
    seed.mkdir()
    (seed / SEED_FILE.name).write_bytes(SEED_FILE.read_bytes())
    db = tmp / "e.db"
    with open_store(db) as store:
        assert not ingest(store, [seed]).failed
    with TestClient(create_app(str(db)), raise_server_exceptions=False) as c:
        yield c


def soup(text: str) -> BeautifulSoup:
    return BeautifulSoup(text, "html.parser")


def entity_id(client: TestClient, name: str) -> int:
    items = client.get("/api/entities?limit=1000").json()["items"]
    return next(e["id"] for e in items if e["name"] == name)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/people", "Yakov Blumkin"),
        ("/places", "Constantinople"),
        ("/organisations", "GPU / OGPU"),
        ("/periodicals", "The Militant"),
    ],
)
def test_each_index_lists_its_kind(client: TestClient, url: str, expected: str) -> None:
    page = soup(client.get(url).text)
    names = [a.text for a in page.select("table.entities td:first-child a")]
    assert expected in names


def test_document_mentions_are_highlighted_and_link_to_their_entity(client: TestClient) -> None:
    page = soup(client.get("/documents/1").text)
    blumkin = [a for a in page.select("#p1 a.mention") if a.text == "Blumkin"]
    assert len(blumkin) == 4 and "person" in blumkin[0]["class"]
    assert blumkin[0]["href"] == f"/entities/{entity_id(client, 'Yakov Blumkin')}"
    assert "Menjinsky" in [a.text for a in page.select("#p1 a.mention")]


def test_document_page_shows_the_letter_it_is_and_the_letter_it_mentions(
    client: TestClient,
) -> None:
    page = soup(client.get("/documents/1").text)
    sent_from = page.find("dt", string="Sent from").find_next_sibling("dd")
    assert sent_from.select_one("a").text == "Prinkipo"
    mentioned = page.select_one("#letters").text
    assert "carried by" in mentioned and "Blumkin" in mentioned and "Moscow" in mentioned


def test_entity_page_shows_variants_mentions_in_context_and_co_mentions(client: TestClient) -> None:
    eid = entity_id(client, "Vyacheslav Menzhinsky")
    page = soup(client.get(f"/entities/{eid}").text)
    assert page.h1.text == "Vyacheslav Menzhinsky"
    assert "Menjinsky" in page.find("dt", string="Also written").find_next_sibling("dd").text
    lines = page.select("p.kwic-line")
    assert lines and all(line.select_one("a.match").text == "Menjinsky" for line in lines)
    assert "Trilisser" in lines[0].text
    co = [a.text for a in page.select("ul.co a")]
    assert "Meer Trilisser" in co and "Yakov Blumkin" in co
    assert page.find("a", string="Vyacheslav Menzhinsky in the network")["href"] == (
        f"/network?focus={eid}"
    )


def test_carrier_page_lists_the_letter_he_carried(client: TestClient) -> None:
    page = soup(client.get(f"/entities/{entity_id(client, 'Yakov Blumkin')}").text)
    row = page.select_one("#letters ~ table tbody tr")
    assert row is not None and "carrier" in row.text and "Leon Trotsky" in row.text


def test_network_json_links_people_named_together(client: TestClient) -> None:
    net = client.get("/api/network").json()
    labels = {n["id"]: n["label"] for n in net["nodes"]}
    pairs = {
        frozenset((labels[e["source"]], labels[e["target"]]))
        for e in net["edges"]
        if e["type"] == "co-mention"
    }
    assert frozenset(("Yakov Blumkin", "Meer Trilisser")) in pairs
    focused = client.get(f"/api/network?focus={entity_id(client, 'Yakov Blumkin')}").json()
    assert [n["label"] for n in focused["nodes"] if n["focus"]] == ["Yakov Blumkin"]
    assert all(
        "Yakov Blumkin" in (labels.get(e["source"]), labels.get(e["target"]))
        or e["type"] == "letter"
        for e in focused["edges"]
    )


def test_map_json_has_places_with_coordinates_and_focus(client: TestClient) -> None:
    data = client.get("/api/map").json()
    places = {p["name"]: p for p in data["places"]}
    assert places["Prinkipo"]["sent"] == 1 and places["Moscow"]["received"] == 1
    assert places["Constantinople"]["lat"] == pytest.approx(41.0, abs=0.1)
    focused = client.get(f"/api/map?focus={entity_id(client, 'Yakov Blumkin')}").json()
    assert {p["name"] for p in focused["places"] if p["focus"]} >= {"Moscow", "Constantinople"}


def test_network_and_map_pages_work_without_javascript(client: TestClient) -> None:
    net = soup(client.get("/network").text)
    assert net.select("table.edges tbody tr a") and net.select_one("#network")["data-api"]
    mp = soup(client.get("/map").text)
    assert "Prinkipo" in [a.text for a in mp.select("table.places a")]
    assert mp.select_one("#map")["data-world"].startswith("/static/vendor/world-atlas/")
    assert client.get("/api/map?focus=99999").status_code == 404
    assert client.get("/entities/99999").status_code == 404


def test_citation_box_and_cite_page(client: TestClient) -> None:
    page = soup(client.get("/documents/1").text)
    box = page.select_one("#cite")
    assert "@article{" in box.select_one("pre").text and "The Militant" in box.text
    assert box.select_one("[data-cite-api]")["data-cite-api"].endswith("style=chicago-note")
    cite = soup(client.get("/documents/1/cite?paragraph=2").text)
    note = cite.select_one("#cite-chicago-note").text
    assert note.startswith("Leon Trotsky, ‘Opposition Serves the Bolshevik Revolution’")
    assert "para. 2" in note and cite.select_one("#cite-chicago-note i").text == "The Militant"
    assert "(Trotsky" in cite.select_one("#cite-mla").text
    assert cite.find("a", string="← back to the paragraph")["href"].startswith("/documents/1#p-")
    assert client.get("/documents/1/cite?paragraph=99").status_code == 400


def test_tei_export_of_one_document(client: TestClient) -> None:
    from lxml import etree

    r = client.get("/documents/1/tei")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/tei+xml")
    root = etree.fromstring(r.content, etree.XMLParser(resolve_entities=False, no_network=True))
    assert root.tag == "{http://www.tei-c.org/ns/1.0}TEI"
    assert "Opposition Serves" in r.text


def test_letters_page_filters_by_role(client: TestClient) -> None:
    everything = soup(client.get("/letters").text).select("table.letters tbody tr")
    assert len(everything) == 2
    mentioned = soup(client.get("/letters?role=mentioned").text)
    (row,) = mentioned.select("table.letters tbody tr")
    cells = [td.text.strip() for td in row.select("td")]
    assert cells[1] == "Leon Trotsky" and cells[4] == "Blumkin" and "Moscow" in cells[3]
    assert client.get("/letters?role=nonsense").status_code == 400


def test_timeline_draws_letters_beside_documents(client: TestClient) -> None:
    page = soup(client.get("/timeline").text)
    kinds = {m.select_one("circle, rect")["class"][0] for m in page.select("svg a.mark")}
    assert "letter" in kinds
