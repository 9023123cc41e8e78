"""Ingest speed over the real archive and over a 100,000-page replica of it.

    .venv/bin/python bench/ingest.py                      # mia-html, then the 100,000-page replica
    .venv/bin/python bench/ingest.py --replica 0          # mia-html only
    .venv/bin/python bench/ingest.py --replica 20000 --workers 2

Each run is ``python -m prinkipo ingest DIR --db FILE --json`` in a fresh process, as a user runs
it: first into an empty archive, then again over the unchanged folder (a re-ingest only hashes).
Peak RSS is the largest sum over the ingest's processes (the main one and its parsing workers),
sampled every 0.1 s from /proc. The replica is made of copies of mia-html under changed paths,
each page with a comment naming its copy, so every page is a distinct file with its own hash (no
blob is shared). Prints a Markdown table; timings are wall-clock on whatever else the machine is
doing; the CPU seconds of all the ingest's processes are less sensitive to a busy machine
(files/s on N idle cores is at best N × 1000 / "CPU ms/file"). Also prints the corpus figures
the issue asks for: works with an author, a title, a readable written date and a parsed source,
and the header labels no rule knows.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "mia-html"
sys.path.insert(0, str(ROOT / "src"))

from prinkipo.header import canonical_label  # noqa: E402


def _tree_rss(root: int) -> int:
    """Resident bytes of a process and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
            parents[int(entry)] = int(fields[1])
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    family, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in family:
                family.add(child)
                frontier.append(child)
    return sum(rss.get(p, 0) for p in family)


def run_ingest(
    folder: Path, db: Path, workers: int | None, check: bool = True
) -> dict[str, float | int]:
    """One ingest in a fresh process: seconds, peak RSS, its JSON report's counts."""
    cmd = [sys.executable, "-m", "prinkipo", "ingest", str(folder), "--db", str(db), "--json"]
    if not check:
        cmd.append("--no-check")
    if workers is not None:
        cmd += ["--workers", str(workers)]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    with tempfile.TemporaryFile() as out:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, env=env)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, _tree_rss(proc.pid))
            time.sleep(0.1)
        seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if proc.returncode != 0:
            raise SystemExit(f"ingest failed with exit code {proc.returncode}")
        out.seek(0)
        report = json.loads(out.read())
    files = (
        report["added"]
        + report["updated"]
        + report["unchanged"]
        + len(report["skipped"])
        + len(report["failed"])
    )
    return {
        "seconds": seconds,
        "cpu": cpu,
        "peak_rss": peak,
        "files": files,
        "added": report["added"],
        "unchanged": report["unchanged"],
        "skipped": len(report["skipped"]),
        "failed": len(report["failed"]),
    }


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def db_bytes(db: Path) -> int:
    return sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))


def make_replica(target: Path, pages: int) -> Path:
    """``pages`` distinct pages: copies of mia-html under copyNN/ folders, each page marked."""
    sources = sorted(p for p in CORPUS.rglob("*") if p.is_file())
    made = 0
    copy = 0
    while made < pages:
        base = target / f"copy{copy:02d}" / "mia-html"
        for src in sources:
            if made >= pages:
                break
            dest = base / src.relative_to(CORPUS)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(src.read_bytes() + f"\n<!-- replica copy {copy} -->\n".encode())
            made += 1
        copy += 1
    return target


def row(name: str, r: dict[str, float | int], mb: float, db: Path) -> str:
    s = float(r["seconds"])
    cpu = float(r["cpu"])
    return (
        f"| {name} | {int(r['files']):,} | {s:.1f} | {r['files'] / s:,.0f} | {mb / s:.1f} "
        f"| {cpu:.1f} | {cpu / int(r['files']) * 1000:.1f} "
        f"| {int(r['peak_rss']) / 2**20:,.0f} MiB | {db_bytes(db) / 2**20:,.0f} MiB "
        f"| {r['added']:,} / {r['unchanged']:,} / {r['skipped']:,} / {r['failed']:,} |"
    )


def corpus_figures(db: Path) -> None:
    """How many works have an author, a title, a readable written date, a parsed source."""
    c = sqlite3.connect(db)
    one = lambda sql: c.execute(sql).fetchone()[0]  # noqa: E731
    works = one("SELECT count(*) FROM documents")
    figures = {
        "works (documents)": works,
        "with an author": one("SELECT count(DISTINCT document_id) FROM document_authors"),
        "with a title": one("SELECT count(*) FROM documents WHERE title IS NOT NULL"),
        "with a written date (field Written/Date)": one(
            "SELECT count(*) FROM document_dates WHERE role = 'written'"
        ),
        "… readable (EDTF)": one(
            "SELECT count(*) FROM document_dates WHERE role = 'written' AND edtf IS NOT NULL"
        ),
        "with any readable date (written, published, dateline …)": one(
            "SELECT count(DISTINCT document_id) FROM document_dates WHERE edtf IS NOT NULL"
        ),
        "with a source": one("SELECT count(*) FROM document_sources"),
        "… parsed into a periodical": one(
            "SELECT count(*) FROM document_sources WHERE periodical IS NOT NULL"
        ),
        "… with a date": one(
            "SELECT count(*) FROM document_dates WHERE role = 'source' AND edtf IS NOT NULL"
        ),
        "with footnotes": one(
            "SELECT count(DISTINCT document_id) FROM notes WHERE kind = 'footnote'"
        ),
        "with a canonical URL": one("SELECT count(*) FROM documents WHERE url IS NOT NULL"),
    }
    print("\n| works in mia-html | count | share |\n|---|---:|---:|")
    for name, n in figures.items():
        print(f"| {name} | {n:,} | {n / works:.0%} |")
    labels: Counter[str] = Counter()
    for (name,) in c.execute("SELECT name FROM document_fields"):
        if name not in ("Page title", "Meta author") and canonical_label(name) is None:
            labels[name] += 1
    print("\n| header label no rule knows | pages |\n|---|---:|")
    for name, n in labels.most_common():
        print(f"| {name} | {n} |")
    unread = Counter(
        r[0]
        for r in c.execute(
            "SELECT text FROM document_dates WHERE role = 'written' AND edtf IS NULL"
        )
    )
    print("\n| written date not read | pages |\n|---|---:|")
    for text, n in unread.most_common():
        print(f"| {text} | {n} |")
    c.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--replica", type=int, default=100_000, help="pages (0: skip)")
    parser.add_argument("--workers", type=int, default=None, help="ingest --workers")
    parser.add_argument("--tmp", default=None, help="where to put the archive and the replica")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="prinkipo-bench-", dir=args.tmp))
    try:
        print(
            "| run | files | seconds | files/s | MB/s | CPU s (all processes) | CPU ms/file "
            "| peak RSS | DB size | added / unchanged / skipped / failed |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        mb = folder_bytes(CORPUS) / 1e6
        db = tmp / "mia.db"
        print(row("mia-html, first ingest", run_ingest(CORPUS, db, args.workers), mb, db))
        print(row("mia-html, re-ingest", run_ingest(CORPUS, db, args.workers), mb, db))
        # the figure names parsing, dates, entities and the full-text index; the checks
        # that `ingest` runs at the end by default (one process, ~2 s) are measured apart here
        bare = tmp / "mia-no-check.db"
        no_check = run_ingest(CORPUS, bare, args.workers, check=False)
        print(row("mia-html, first ingest --no-check", no_check, mb, bare))
        if args.replica:
            replica = make_replica(tmp / "replica", args.replica)
            rmb = folder_bytes(replica) / 1e6
            rdb = tmp / "replica.db"
            name = f"replica {args.replica:,} pages"
            # --no-check, to compare with the mia-html --no-check row: the checks over 100,000
            # pages are the checks' own figure (some of their rules grow faster than linearly)
            first = run_ingest(replica, rdb, args.workers, check=False)
            print(row(f"{name}, first ingest --no-check", first, rmb, rdb))
            print(row(f"{name}, re-ingest", run_ingest(replica, rdb, args.workers), rmb, rdb))
        corpus_figures(db)
        print(
            "\nThe --no-check row is the figure the ingest issue defines (parsing, dates, "
            "entities, full-text index); the first row adds the checks over the whole archive."
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
