"""How the checks scale with the size of the archive: K copies of mia-html, checked in full.

    .venv/bin/python bench/checks_scale.py                 # K = 1 and 5 (about 17,000 documents)
    .venv/bin/python bench/checks_scale.py --copies 1,2,5

mia-html is parsed once; for each K an archive of K copies of its documents is built (saved
again under ``replica/<k>/…`` by ``bench/backends.py``'s ``build_replica``: real records, every
periodical with K times its citations, parsing not timed), then checked in full as ``prinkipo
check`` does it (load the facts, every rule, store the findings). The table prints documents,
findings, wall and CPU seconds (this process: the checks run in one), and CPU milliseconds per
document, in all and for each step, which must stay about flat as K grows: a rule that scans
every record of a periodical for each of its records would grow with K. Each document has K - 1
copies, so the duplicate finding (and its evidence) grows with K: storing the findings is not
expected to stay flat. On a shared machine judge by the CPU columns.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from backends import build_replica, parsed_corpus  # noqa: E402

from prinkipo.checks import run_checks  # noqa: E402
from prinkipo.checks.facts import load_archive  # noqa: E402
from prinkipo.store import open_store  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "mia-html"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--copies", default="1,5", help="values of K, comma-separated")
    args = ap.parse_args()
    t0, c0 = time.perf_counter(), time.process_time()
    docs = parsed_corpus(args.corpus)
    print(
        f"parsed {len(docs)} documents of {args.corpus} once: {time.perf_counter() - t0:.0f} s "
        f"({time.process_time() - c0:.0f} s CPU)",
        file=sys.stderr,
    )
    rows = []
    with tempfile.TemporaryDirectory(prefix="prinkipo-checks-scale-") as tmp:
        for k in (int(x) for x in args.copies.split(",")):
            target = str(Path(tmp) / f"copies-{k}.db")
            build_replica(target, args.corpus, k * len(docs), docs)
            with open_store(target) as store:
                n = store.count_documents()
                # as refresh_findings does it, each step timed: load the facts, run every
                # rule, store the findings (K copies are K-fold duplicates: many findings)
                t, c = time.perf_counter(), time.process_time()
                archive = load_archive(store)
                c_load = time.process_time()
                found = run_checks(store, archive=archive)
                c_rules = time.process_time()
                store.replace_findings(None, [f.to_row() for f in found])
                wall, cpu = time.perf_counter() - t, time.process_time() - c
                steps = (c_load - c, c_rules - c_load, c + cpu - c_rules)
            for suffix in ("", "-wal", "-shm"):
                Path(target + suffix).unlink(missing_ok=True)
            rows.append((k, n, len(found), wall, cpu, steps))
            print(f"  K={k}: {n} documents, {cpu:.1f} s CPU", file=sys.stderr)
    print(
        "\n| copies K | documents | findings | check, wall s | check, CPU s | CPU ms / doc | "
        "load, CPU ms / doc | rules, CPU ms / doc | store, CPU ms / doc |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for k, n, f, wall, cpu, steps in rows:
        per = " | ".join(f"{1000 * x / n:.2f}" for x in steps)
        print(f"| {k} | {n} | {f} | {wall:.1f} | {cpu:.1f} | {1000 * cpu / n:.2f} | {per} |")


if __name__ == "__main__":
    main()
