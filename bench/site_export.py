"""Static-site export of the MIA pages: how long it takes, how big it is, whether it is stable.

    .venv/bin/python bench/site_export.py                 ingest ../shared/corpus/mia-html first
    .venv/bin/python bench/site_export.py --db mia.db     use an archive already ingested
    .venv/bin/python bench/site_export.py --browser       also search the site in Chromium

Prints one table: ingest (when done here), the site export (wall and CPU seconds, documents, files,
megabytes), a second export (must give identical bytes), and the CSL-JSON and BibTeX exports.
The export is single-threaded, so its CPU time is what the wall time is on an idle machine.
With ``--browser``, Debian's Chromium (headless, through Playwright) opens the exported
``search.html`` from disk, searches for names and follows the first result to its document.
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from prinkipo.export.bibtex import export_bibtex
from prinkipo.export.citations import export_csl_json
from prinkipo.export.site import export_site
from prinkipo.ingestion import ingest
from prinkipo.store import open_store

NAMES = ("Blumkin", "Zasulich", "Rosa Luxemburg", "Kautsky")
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
CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "mia-html"


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def timed(work: Callable[[], object]) -> tuple[object, float, float]:
    wall, used = time.perf_counter(), cpu()
    result = work()
    return result, time.perf_counter() - wall, cpu() - used


def digest(folder: Path) -> tuple[str, int, int]:
    h, files, size = hashlib.sha256(), 0, 0
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            data = p.read_bytes()
            h.update(str(p.relative_to(folder)).encode() + b"\0" + data)
            files, size = files + 1, size + len(data)
    return h.hexdigest()[:16], files, size


def browse(site: Path) -> bool:
    """Search each of :data:`NAMES` on the site from disk; print what was found and reached."""
    from playwright.sync_api import sync_playwright

    ok = True
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        print(f"{'search':<16} {'s':>5}  {'found':<40} reached")
        for name in NAMES:
            page = browser.new_page()
            requests: list[str] = []
            page.on("request", lambda r, requests=requests: requests.append(r.url))
            start = time.perf_counter()
            page.goto((site / "search.html").as_uri() + "?q=" + name)
            page.wait_for_selector("#results li a", timeout=60_000)
            took = time.perf_counter() - start
            found = page.locator("#status").inner_text()
            page.locator("#results li a").first.click()
            page.wait_for_load_state()
            reached = name.split()[-1].lower() in page.content().lower()
            local = all(u.startswith("file://") for u in requests)
            ok = ok and reached and local
            print(
                f"{name:<16} {took:>5.2f}  {found[:40]:<40} {page.url.rsplit('/', 2)[-2:]}"
                f"{'' if reached else ' (name not on the page)'}"
                f"{'' if local else ' (fetched from outside!)'}"
            )
            page.close()
        browser.close()
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="an archive with mia-html ingested")
    parser.add_argument("--browser", action="store_true", help="search the site in Chromium")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="prinkipo-site-bench-"))
    rows = []
    db = args.db
    if db is None:
        db = work / "mia.db"
        with open_store(db) as store:
            report, wall, used = timed(lambda: ingest(store, [CORPUS]))
        rows.append(("ingest mia-html", wall, used, f"{report.added} added", "", ""))  # type: ignore[attr-defined]
    with open_store(db) as store:
        for name in ("site", "site again"):
            out = work / name.replace(" ", "-")
            count, wall, used = timed(lambda out=out: export_site(store, out))
            tree, files, size = digest(out)
            rows.append(
                (
                    f"export {name}",
                    wall,
                    used,
                    f"{count} docs",
                    f"{files} files",
                    f"{size / 1e6:.1f} MB  sha {tree}",
                )
            )
        same = rows[-1][5].split()[-1] == rows[-2][5].split()[-1]
        for name, fn, suffix in (
            ("csl-json", export_csl_json, "json"),
            ("bibtex", export_bibtex, "bib"),
        ):
            out = work / f"all.{suffix}"
            count, wall, used = timed(lambda fn=fn, out=out: fn(store, out))
            rows.append(
                (
                    f"export {name}",
                    wall,
                    used,
                    f"{count} docs",
                    "1 file",
                    f"{out.stat().st_size / 1e6:.1f} MB",
                )
            )
    print(f"{'step':<20} {'wall s':>8} {'cpu s':>8}  {'items':<12} {'files':<12} size")
    for step, wall, used, items, files, size in rows:
        print(f"{step:<20} {wall:>8.1f} {used:>8.1f}  {items:<12} {files:<12} {size}")
    print(f"identical bytes on re-export: {'yes' if same else 'NO'}")
    print(f"(output under {work}; load average {Path('/proc/loadavg').read_text().split()[0]})")
    browsed = browse(work / "site") if args.browser else True
    return 0 if same and browsed else 1


if __name__ == "__main__":
    sys.exit(main())
