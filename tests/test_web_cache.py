"""The readers' response cache: hits, and dropped on any change to the archive."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from prinkipo.checks import decide
from prinkipo.ingestion import ingest
from prinkipo.store import open_store
from prinkipo.web.app import create_app
from prinkipo.web.cache import ResponseCache
from tests.test_web_auth import add_editor, sign_in
from tests.web_helpers import record


@pytest.mark.parametrize("url", ["/api/documents/1", "/documents/1", "/search?q=Blumkin"])
def test_second_read_is_a_hit_with_the_same_bytes(client: TestClient, url: str) -> None:
    first, second = client.get(url), client.get(url)
    assert "x-cache" not in first.headers and second.headers["x-cache"] == "hit"
    assert first.content == second.content
    assert second.headers["content-security-policy"] == first.headers["content-security-policy"]


def test_errors_are_not_cached(client: TestClient) -> None:
    assert client.get("/api/documents/99").status_code == 404
    assert "x-cache" not in client.get("/api/documents/99").headers


def test_a_write_from_another_connection_drops_the_cache(
    client: TestClient, seed_db: Path, tmp_path: Path
) -> None:
    client.get("/api/documents/1")
    assert client.get("/api/documents/1").headers["x-cache"] == "hit"
    with open_store(seed_db) as store:  # another connection, as `prinkipo check` would be
        finding = store.findings(status="open")[0]
        decide(store, str(finding["id"]), "dismissed", by="someone else")
    after = client.get("/api/documents/1")
    assert "x-cache" not in after.headers
    assert finding["id"] not in [f["id"] for f in after.json()["findings"] if f["status"] == "open"]
    page = client.get("/search?q=Constantinople")
    assert "Opposition Serves" in page.text and "New Letter" not in page.text
    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "n.txt").write_text(
        record("A. B.", "New Letter", "1920", "Constantinople again."), "utf-8"
    )
    with open_store(seed_db) as store:
        ingest(store, [folder])
    assert "New Letter" in client.get("/search?q=Constantinople").text


def test_editors_are_never_served_from_the_cache(client: TestClient, seed_db: Path) -> None:
    add_editor(seed_db)
    client.get("/documents/1")
    assert sign_in(client) == 303
    page = client.get("/documents/1")
    assert "x-cache" not in page.headers and "ada ·" in page.text


def test_turned_off_by_the_environment(seed_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRINKIPO_WEB_CACHE", "0")
    with TestClient(create_app(str(seed_db))) as c:
        c.get("/api/documents/1")
        assert "x-cache" not in c.get("/api/documents/1").headers


def test_any_write_request_drops_the_cache(client: TestClient) -> None:
    """Not only the routes that remember to: every POST (here a refused sign-in) clears it."""
    client.get("/api/documents/1")
    assert client.get("/api/documents/1").headers["x-cache"] == "hit"
    client.post("/signin", data={"name": "nobody", "password": "wrong"})
    assert "x-cache" not in client.get("/api/documents/1").headers


def test_a_response_begun_before_a_clear_is_not_kept(seed_db: Path) -> None:
    cache = create_app(str(seed_db)).state.archive.cache
    begun = cache.generation
    cache.clear()  # a write landed while the response was being made from the old data
    cache.put("/api/documents/1?", "application/json", b"{}", begun)
    assert cache.get("/api/documents/1?") is None
    cache.put("/api/documents/1?", "application/json", b"{}", cache.generation)
    assert cache.get("/api/documents/1?") == ("application/json", b"{}")


def test_bounded_in_entries_and_bytes(seed_db: Path) -> None:
    archive = create_app(str(seed_db)).state.archive
    cache = ResponseCache(archive, enabled=True, max_entries=3, max_bytes=8000)
    for n in range(5):
        cache.put(f"/p{n}", "text/html", b"x" * 100)
    assert cache.size == (3, 300) and cache.get("/p0") is None and cache.get("/p4")
    cache.get("/p2")  # recently used: kept
    cache.put("/big", "text/html", b"x" * 900)
    cache.put("/bigger", "text/html", b"x" * 2000)  # over an eighth of the bytes: not kept
    assert cache.get("/bigger") is None and cache.get("/p2") and cache.get("/p3") is None
    for n in range(9):
        cache.put(f"/q{n}", "text/html", b"y" * 990)
    assert cache.size[1] <= 8000
