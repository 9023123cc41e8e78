"""Journeys through the reading room in a real browser: Debian's Chromium driven by Playwright.

A real ``prinkipo serve`` on 127.0.0.1 over an archive built from real records (the seed, the
search test texts, a few dated records and one hostile record). Screenshots of every main page
go to ``$PRINKIPO_SCREENSHOTS`` (default: a temp folder) to be looked at.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from prinkipo.checks import refresh_findings
from prinkipo.cli import cli
from prinkipo.ingestion import ingest
from prinkipo.search.semantic import index
from prinkipo.store import open_store
from tests.conftest import ROOT, SEED_FILE
from tests.web_helpers import record

pytest.importorskip("playwright")
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
PASSWORD = "a long editor password"
HOSTILE = record(
    'Evil Author <img src=x onerror="window.__pwned=1">',
    '<script>window.__pwned=2</script>" onmouseover="window.__pwned=3" x="',
    "1931 <svg onload=window.__pwned=4>",
    'Blumkin wrote <a href="javascript:window.__pwned=5">click me</a> and '
    "\"><script>window.__pwned=6</script> and ' onfocus='window.__pwned=7' autofocus x='\n\n"
    '<iframe src="javascript:window.top.__pwned=8"></iframe> {{ 7*7 }} ${7*7}',
    source='<a href="javascript:window.__pwned=9">The Militant</a>, Vol. I, 1931',
)
RANGED = {
    "day.txt": record("Karl Marx", "A Day in Paris", "5 January 1844", "Paris."),
    "month.txt": record("Karl Marx", "A Month in Brussels", "February 1845", "Brussels."),
    "circa.txt": record("Friedrich Engels", "Roughly Manchester", "c. 1844", "Manchester."),
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    wanted = os.environ.get("PRINKIPO_SCREENSHOTS")
    folder = Path(wanted) if wanted else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("browser")
    docs = tmp / "docs"
    shutil.copytree(ROOT / "tests" / "data" / "search", docs, ignore=shutil.ignore_patterns("*.md"))
    shutil.copy(SEED_FILE, docs / SEED_FILE.name)
    for name, text in {**RANGED, "hostile.txt": HOSTILE}.items():
        (docs / name).write_text(text, encoding="utf-8")
    db = tmp / "archive.db"
    with open_store(db) as store:
        assert not ingest(store, [docs]).failed
        refresh_findings(store)
        index(store)  # the meaning-based index: the search page's "Meaning" toggle is on
    added = CliRunner().invoke(
        cli, ["users", "add", "ada", "--password-stdin", "--db", str(db)], input=PASSWORD
    )
    assert added.exit_code == 0, added.output
    port = _free_port()
    exe = Path(sys.executable).parent / "prinkipo"
    proc = subprocess.Popen(
        [str(exe), "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(base + "/api/overview", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("CI is set but /usr/bin/chromium is missing (scripts/setup-system.sh)")
        pytest.skip("Debian's chromium is not installed (scripts/setup-system.sh installs it)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900})
    p = context.new_page()
    p.set_default_timeout(15_000)
    errors: list[str] = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    p.on("dialog", lambda d: (errors.append("dialog: " + d.message), d.dismiss()))
    yield p
    context.close()
    assert not errors, errors


def snap(page: Page, shots: Path, name: str) -> None:
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)


def wait_ready(page: Page, selector: str) -> str:
    page.wait_for_selector(f"{selector}[data-ready]", state="attached")
    ready: Any = page.get_attribute(selector, "data-ready")
    assert ready != "error"
    return str(ready)


def test_search_facet_document_person_map_network(page: Page, shots: Path) -> None:
    page.goto("/")
    snap(page, shots, "home")
    page.fill('input[name="q"]', "revolution")
    page.press('input[name="q"]', "Enter")
    page.wait_for_selector("li.hit")
    snap(page, shots, "search")
    before = page.locator("li.hit").count()
    page.click('[data-facet="author"] a:text("Leon Trotsky")')
    page.wait_for_selector("a.chip")
    assert 0 < page.locator("li.hit").count() < before
    page.click('li.hit a.title:text("Opposition Serves the Bolshevik Revolution")')
    page.wait_for_selector("h1:text('Opposition Serves the Bolshevik Revolution')")
    page.click("dl.meta dt:text('Written') + dd .ev")
    assert page.locator("dl.meta dt:text('Written') + dd .evidence").is_visible()
    assert wait_ready(page, "[data-cite-api]") == "1"
    assert "Leon Trotsky, ‘Opposition" in page.inner_text("#cite-note")
    snap(page, shots, "document")
    page.click("#p1 a.mention:text('Blumkin')")
    page.wait_for_selector("h1:text('Yakov Blumkin')")
    snap(page, shots, "person")
    page.click("a:text('Yakov Blumkin on the map')")
    assert int(wait_ready(page, "#map")) > 0
    assert page.locator("#map path.place.focus").count() >= 2  # Moscow, Constantinople …
    assert page.locator("#map path.leaflet-interactive").count() >= 3
    snap(page, shots, "map")
    page.go_back()
    page.click("a:text('Yakov Blumkin in the network')")
    wait_ready(page, "#network")
    assert page.locator("#network canvas").count() > 0
    snap(page, shots, "network")


def test_search_by_meaning_with_the_toggle(page: Page, shots: Path) -> None:
    """No word of the query is in the document it finds; the choice survives refining."""
    page.goto("/search")
    page.fill('form.searchform input[name="q"]', "a secret agent who visited the exiled leader")
    page.check('input[name="mode"][value="semantic"]')
    page.click("form.searchform button[type=submit]")
    page.wait_for_selector("li.hit")
    assert "mode=semantic" in page.url
    assert page.locator('input[name="mode"][value="semantic"]').is_checked()
    first = page.locator("li.hit a.title").first.inner_text()
    assert first == "Opposition Serves the Bolshevik Revolution"
    assert page.locator("#semantic-off").count() == 0
    snap(page, shots, "search-meaning")
    page.locator("[data-facet] a").first.click()
    page.wait_for_selector("a.chip")
    assert "mode=semantic" in page.url
    assert page.locator('input[name="mode"][value="semantic"]').is_checked()
    page.check('input[name="mode"][value="hybrid"]')
    page.click("form.searchform button[type=submit]")
    page.wait_for_selector("li.hit, li.muted")
    assert "mode=hybrid" in page.url and page.locator("a.chip").count() == 1


def test_timeline_draws_ranged_dates_as_ranges(page: Page, shots: Path) -> None:
    page.goto("/timeline?from=1843&to=1846")
    day = page.locator("a.mark", has=page.locator("title:text-matches('A Day in Paris')"))
    month = page.locator("a.mark", has=page.locator("title:text-matches('A Month in Brussels')"))
    circa = page.locator("a.mark", has=page.locator("title:text-matches('Roughly Manchester')"))
    assert day.locator("circle").count() == 1
    month_box = month.locator("rect.uncertain").bounding_box()
    circa_box = circa.locator("rect.uncertain").bounding_box()
    assert month_box and circa_box
    assert circa_box["width"] > 10 * month_box["width"] > 0  # c. 1844 spans years, a month not
    snap(page, shots, "timeline")


def test_an_editor_accepts_a_finding_and_a_reader_cannot(
    browser: Browser, server: str, page: Page, shots: Path
) -> None:
    page.goto("/findings")
    assert page.locator("article.finding").count() >= 1
    assert page.locator("article.finding button").count() == 0
    refused = page.request.post(server + "/api/findings/1/accept")
    assert refused.status == 401
    snap(page, shots, "findings-reader")

    editor = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900})
    try:
        ed = editor.new_page()
        ed.goto("/signin?next=/findings")
        snap(ed, shots, "signin")
        ed.fill("#name", "ada")
        ed.fill("#password", PASSWORD)
        ed.click("button:text('Sign in')")
        ed.wait_for_url("**/findings")
        card = ed.locator("article.finding", has_text="1 March 1920 is before the date written")
        snap(ed, shots, "findings-editor")
        card.locator("button:text('Accept fix')").click()
        ed.wait_for_load_state()
        assert ed.locator("article.finding", has_text="is before the date written").count() == 0
        ed.goto("/documents/1")
        assert "1 March 1930" in ed.inner_text("dl.meta")
    finally:
        editor.close()


def test_hostile_record_executes_nothing(page: Page, server: str, shots: Path) -> None:
    doc_id = next(
        d["id"]
        for d in httpx.get(server + "/api/documents?limit=100").json()["items"]
        if (d["path"] or "").endswith("hostile.txt")
    )
    for url in (
        f"/documents/{doc_id}",
        f"/documents/{doc_id}/cite",
        "/documents",
        "/timeline",
        "/search?q=Blumkin",
        "/search?q=Blumkin&tab=kwic",
        '/search?q="><script>window.__pwned=10</script>',
        "/findings?status=all",
        "/people",
        "/",
    ):
        page.goto(url)
        page.wait_for_load_state("load")
        for el in page.locator("a, input, dl.meta .ev, p.para").all()[:150]:
            if el.is_visible():
                el.hover(timeout=2000, force=True)
        assert page.evaluate("window.__pwned") is None, url
        assert page.locator("script:not([src])").count() == 0, url
        assert page.locator('[href^="javascript:"], iframe, svg[onload], img[onerror]').count() == 0
    page.goto(f"/documents/{doc_id}")
    assert "<script>window.__pwned=2</script>" in page.inner_text("h1")
    snap(page, shots, "hostile")


@pytest.mark.parametrize(
    "url", ["/people", "/places", "/organisations", "/letters", "/documents/1/cite", "/documents"]
)
def test_other_main_pages_render(page: Page, shots: Path, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200
    snap(page, shots, url.strip("/").replace("/", "-"))
