"""The static edition: built from real files, walked link by link, and searched in Chromium."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from prinkipo.cli import cli
from prinkipo.export.site import SiteError, export_site, fold, terms
from prinkipo.ingestion import ingest
from prinkipo.store import open_store

from .conftest import SEED_FILE, need_corpus

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed and an evenly spaced sample of the MIA pages (letters, works, index pages)."""
    corpus = need_corpus()
    pages = sorted((corpus / "mia-html").rglob("*.htm*"))
    db = tmp_path_factory.mktemp("site") / "archive.db"
    with open_store(db) as store:
        ingest(store, [SEED_FILE, *pages[:: max(1, len(pages) // 40)]])
    return db


@pytest.fixture(scope="module")
def site(archive: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("edition") / "site"
    with open_store(archive) as store:
        assert export_site(store, out) == store.count_documents()
    return out


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_every_document_has_a_page(archive: Path, site: Path) -> None:
    with open_store(archive) as store:
        ids = [d["id"] for d in store.document_summaries()]
    assert len(ids) > 20
    for doc_id in ids:
        assert (site / "documents" / f"{doc_id}.html").is_file()
    for page in ("index.html", "people.html", "places.html", "letters.html", "timeline.html"):
        assert (site / page).is_file()
    index = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert len(index.select("tbody tr")) == len(ids)


def test_no_internal_link_is_broken_and_nothing_is_fetched(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    ids: dict[Path, set[str]] = {}
    soups = {}
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        soups[page] = soup
        ids[page] = {str(tag["id"]) for tag in soup.select("[id]")}
    checked = 0
    for page, soup in soups.items():
        for tag in soup.select("[src], link[href]"):
            ref = str(tag.get("src") or tag.get("href"))
            assert not urlsplit(ref).scheme and not ref.startswith("//"), f"{page}: fetches {ref}"
        for tag in soup.select("a[href]"):
            ref = str(tag["href"])
            parts = urlsplit(ref)
            if parts.scheme in ("http", "https"):
                continue  # outside links are plain links, never loaded
            assert not parts.scheme and not ref.startswith("/"), f"{page}: not relative: {ref}"
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            assert target.is_file(), f"{page.relative_to(site)}: broken link {ref}"
            if parts.fragment:
                assert parts.fragment in ids[target], f"{page}: no #{parts.fragment} in {ref}"
            checked += 1
    assert checked > 100


def test_export_is_deterministic(archive: Path, site: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    with open_store(archive) as store:
        export_site(store, again)
    assert tree_digest(again) == tree_digest(site)


def test_cli_export_site_replaces_its_own_folder_and_refuses_others(
    seed_dir: Path, db_path: Path, tmp_path: Path
) -> None:
    with open_store(db_path) as store:
        ingest(store, [seed_dir])
    out = tmp_path / "edition"
    for _ in range(2):  # the second run replaces what the first wrote
        result = CliRunner().invoke(cli, ["export", "site", str(out), "--db", str(db_path)])
        assert result.exit_code == 0, result.output
        assert "1 document exported as site" in result.stdout
    assert sorted(p.name for p in (out / "documents").iterdir()) == ["1.html"]
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    result = CliRunner().invoke(cli, ["export", "site", str(foreign), "--db", str(db_path)])
    assert result.exit_code == 2 and "not written by prinkipo" in result.stderr
    assert (foreign / "notes.txt").read_text() == "keep me"
    with open_store(db_path) as store, pytest.raises(SiteError, match="is a file"):
        export_site(store, foreign / "notes.txt")


def test_search_terms_fold_case_and_accents() -> None:
    assert fold("Ļódź ÉCOLE") == "lodz ecole"
    assert terms("Marx–Engels, 1848: l'État!") == ["marx", "engels", "1848", "etat"]


def test_document_page_carries_citation_and_stable_anchors(archive: Path, site: Path) -> None:
    page = BeautifulSoup((site / "documents" / "1.html").read_text("utf-8"), "html.parser")
    assert "1 March 1920" in page.select_one("section.cite").text
    anchors = [a["id"] for a in page.select("a.pilcrow")]
    assert anchors and all(str(a).startswith("p-") for a in anchors)


@pytest.fixture(scope="module")
def browser() -> object:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {CHROMIUM} is missing (scripts/setup-system.sh)")
        pytest.skip(f"{CHROMIUM} not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.mark.parametrize(("query", "title"), [("Blumkin", "Opposition Serves the Bolshevik")])
def test_browser_searches_from_disk_and_reaches_the_document(
    browser: object, site: Path, query: str, title: str
) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((site / "search.html").as_uri())
    page.fill("#q", query)
    page.click("button[type=submit]")
    page.wait_for_selector("#results li a")
    link = page.locator("#results li a", has_text=title)
    assert link.count() == 1
    link.click()
    page.wait_for_load_state()
    assert page.url.startswith("file://") and "/documents/" in page.url
    assert title in page.locator("h1").inner_text()
    assert errors == []
    assert requested and all(u.startswith("file://") for u in requested)
    page.close()


def test_browser_finds_a_name_across_the_mia_sample(browser: object, site: Path) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto((site / "search.html").as_uri() + "?q=Engels")
    page.wait_for_selector("#results li a")
    count = page.locator("#results li").count()
    assert count > 1
    assert "found" in page.locator("#status").inner_text()
    first = page.locator("#results li a").first
    first.click()
    page.wait_for_load_state()
    assert "/documents/" in page.url
    assert "engels" in fold(page.content())
    page.close()
