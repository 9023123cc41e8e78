"""Reading-room pages and their JSON twins, in process, over real archives in temp dirs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from starlette.testclient import TestClient

from prinkipo.web.app import create_app
from tests.conftest import ROOT, SEED_FILE
from tests.web_helpers import build_archive, record

RANGED = {
    "a.txt": record("Karl Marx", "On a Day", "5 January 1930", "A dated paragraph."),
    "b.txt": record("Karl Marx", "In a Month", "January 1930", "A month long."),
    "c.txt": record("Friedrich Engels", "About a Year", "c. 1850", "Roughly then."),
    "d.txt": record("Friedrich Engels", "Either Year", "1917/1918", "One or the other."),
}


@pytest.fixture
def ranged_client(tmp_path: Path) -> Iterator[TestClient]:
    db = build_archive(tmp_path / "ranged", tmp_path / "r.db", RANGED)
    with TestClient(create_app(str(db)), raise_server_exceptions=False) as c:
        yield c


def soup(text: str) -> BeautifulSoup:
    return BeautifulSoup(text, "html.parser")


def test_home_shows_counts_decades_and_authors(ranged_client: TestClient) -> None:
    page = soup(ranged_client.get("/").text)
    figures = {
        s.text: b.text
        for b, s in zip(page.select(".figures b"), page.select(".figures span"), strict=True)
    }
    assert figures["documents"] == "4"
    decades = [r.select_one("span").text for r in page.select("section:nth-of-type(1) .row")]
    assert decades == ["1850s", "1910s", "1930s"]
    authors = [r.select_one(".name").text for r in page.select("section:nth-of-type(2) .row")]
    assert set(authors) == {"Karl Marx", "Friedrich Engels"}


def test_overview_json_is_the_home_pages_data(ranged_client: TestClient) -> None:
    body = ranged_client.get("/api/overview").json()
    assert body["counts"]["documents"] == 4
    assert {"decade": 1930, "count": 2} in body["decades"]
    assert {a["name"]: a["count"] for a in body["authors"]} == {
        "Karl Marx": 2,
        "Friedrich Engels": 2,
    }


def test_documents_list_pages(ranged_client: TestClient) -> None:
    first = soup(ranged_client.get("/documents?limit=3").text)
    assert len(first.select("tbody tr")) == 3
    assert first.select_one(".pager a")["href"] == "?offset=3"
    second = soup(ranged_client.get("/documents?limit=3&offset=3").text)
    assert len(second.select("tbody tr")) == 1
    assert ranged_client.get("/documents?limit=nope").status_code == 400


def test_document_page_shows_field_evidence_and_paragraph_anchors(client: TestClient) -> None:
    page = soup(client.get("/documents/1").text)
    written = page.find("dt", string="Written").find_next_sibling("dd")
    assert written.select_one(".ev").contents[0].strip() == "5 January 1930"
    ev = written.select_one(".evidence").text
    assert "5 January 1930." in ev and "characters 81–96" in ev and "header" in ev
    anchor = written.select_one(".evidence a")["href"]
    assert page.select_one(anchor).text.startswith("Written: 5 January 1930.")
    assert [p["id"] for p in page.select("p.para")] == ["p1", "p2", "p3", "p4"]
    assert page.select_one("#p2 a.pilcrow")["href"] == "#p2"
    assert page.find("a", string="Original file")["href"] == "/documents/1/original"


def test_original_file_is_the_exact_bytes_as_an_attachment(client: TestClient) -> None:
    r = client.get("/documents/1/original")
    assert r.status_code == 200 and r.content == SEED_FILE.read_bytes()
    assert r.headers["content-type"].startswith("text/plain")
    assert r.headers["content-disposition"] == 'attachment; filename="000_4114f29613fc0492.txt"'
    assert client.get("/documents/9/original").status_code == 404


def test_timeline_json_gives_each_date_its_range(ranged_client: TestClient) -> None:
    body = ranged_client.get("/api/timeline").json()
    spans = {i["title"]: (i["date"]["earliest"], i["date"]["latest"]) for i in body["items"]}
    assert spans["On a Day"] == ("1930-01-05", "1930-01-05")
    assert spans["In a Month"] == ("1930-01-01", "1930-01-31")
    assert spans["Either Year"][0] == "1917-01-01" and spans["Either Year"][1] >= "1917-12-31"
    assert (body["from"], body["to"]) == (1849, 1930)  # c. 1850 may be 1849
    only = ranged_client.get("/api/timeline?from=1900&to=1920").json()
    assert [i["title"] for i in only["items"]] == ["Either Year"]
    assert ranged_client.get("/api/timeline?from=1930&to=1900").status_code == 400


def test_timeline_page_draws_ranges_as_bars_and_days_as_dots(ranged_client: TestClient) -> None:
    page = soup(ranged_client.get("/timeline?from=1929&to=1931").text)
    marks = {a.title.text.split(" — ")[0]: a for a in page.select("svg a.mark")}
    assert set(marks) == {"On a Day", "In a Month"}
    assert marks["On a Day"].circle is not None
    bar = marks["In a Month"].rect
    assert "uncertain" in bar["class"] and float(bar["width"]) > 20


def test_openapi_lists_every_api_route(client: TestClient) -> None:
    doc = client.get("/api/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    api_paths = {
        r.path.replace(":int", "")
        for r in client.app.routes  # type: ignore[attr-defined]
        if getattr(r, "path", "").startswith("/api/") and r.path != "/api/openapi.json"
    }
    assert api_paths == set(doc["paths"])
    params = doc["paths"]["/api/documents/{doc_id}"]["get"]["parameters"]
    assert params == [
        {
            "name": "doc_id",
            "in": "path",
            "required": True,
            "schema": {"type": "integer", "minimum": 0, "maximum": 10**18 - 1},
        }
    ]
    huge = client.get("/api/documents/9223372036854775808")  # past SQLite's integers
    assert huge.status_code == 404 and huge.json()["ok"] is False


def test_html_errors_are_pages_and_api_errors_json(client: TestClient) -> None:
    r = client.get("/documents/99")
    assert r.status_code == 404 and "Not in the archive" in r.text
    assert "text/html" in r.headers["content-type"]
    assert client.get("/nowhere").status_code == 404


def test_static_assets_and_vendored_libraries_are_served(client: TestClient) -> None:
    assert client.get("/static/site.css").headers["content-type"].startswith("text/css")
    lock = json.loads((ROOT / "frontend" / "package-lock.json").read_text())["packages"]
    versions = (ROOT / "src/prinkipo/web/static/vendor/VERSIONS").read_text().splitlines()[1:]
    for line in versions:
        name, version = line.split()
        assert lock[f"node_modules/{name}"]["version"] == version, name
    for path in (
        "leaflet/leaflet.js",
        "cytoscape/cytoscape.min.js",
        "topojson-client/topojson-client.min.js",
        "world-atlas/countries-110m.json",
    ):
        assert client.get(f"/static/vendor/{path}").status_code == 200, path


@pytest.mark.parametrize("url", ["/", "/documents", "/documents/1", "/timeline", "/signin"])
def test_every_page_has_the_security_headers(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-eval" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in r.text  # no inline scripts: everything comes from /static/
