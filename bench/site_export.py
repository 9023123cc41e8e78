"""Static-site export of the MIA pages: how long it takes, how big it is, whether it is stable.

    .venv/bin/python bench/site_export.py                 ingest ../shared/corpus/mia-html first
    .venv/bin/python bench/site_export.py --db mia.db     use an archive already ingested

Prints one table: ingest (when done here), the site export (wall and CPU seconds, documents, files,
megabytes), a second export (must give identical bytes), and the CSL-JSON and BibTeX exports.
The export is single-threaded, so its CPU time is what the wall time is on an idle machine.
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="an archive with mia-html ingested")
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
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
