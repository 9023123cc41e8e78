"""How often the checks cry wolf on the unmodified corpus: every finding, judged by a reader.

    .venv/bin/python bench/checks_precision.py [--corpus ../shared/corpus/mia-html]
    .venv/bin/python bench/checks_precision.py --tsv findings.tsv   # also write them all out

1. Ingest the whole corpus into a clean archive (kept in --work and reused; --fresh redoes it)
   and run every rule over it, as ``prinkipo check`` does.
2. Join the findings with ``bench/data/checks_judged.tsv``: one row per finding, judged by
   reading the page (and the records the rule compared it with), keyed by ``Finding.key``
   (rule + path + the record's own evidence, stable across runs and offsets). A verdict is
   ``true`` (a real mistake or inconsistency in the record, as the finding says), ``false``
   (the record is right, or the finding misreads it) or ``doubtful`` (the corpus cannot settle it).
3. Print per rule: findings, judged true, false, doubtful, not judged; and the false alarms per
   50 documents of the corpus (the issue's figure: no more than 1), counting the false only and
   the false and doubtful together. Then the findings not judged yet (rules change, and so do
   their findings) so that they can be judged and added to the file; and the judgments whose
   finding is gone (a fixed false alarm, or a true finding a rule no longer makes).
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from pathlib import Path

from prinkipo.checks import RULES, run_checks
from prinkipo.checks.facts import load_archive
from prinkipo.checks.registry import Finding
from prinkipo.entities.authority import demo_authority
from prinkipo.ingestion import ingest
from prinkipo.store import open_store

ROOT = Path(__file__).resolve().parent.parent
JUDGED = ROOT / "bench" / "data" / "checks_judged.tsv"
COLUMNS = ("rule", "path", "key", "verdict", "reason")
VERDICTS = ("true", "false", "doubtful")


def read_judgments(path: Path) -> dict[str, dict[str, str]]:
    """The judgments by finding key; a row with an unknown verdict stops the run (a typo).

    The file is plain tab-separated text, one finding a line, no quoting (a reason quotes the
    page with plain double quotes)."""
    out: dict[str, dict[str, str]] = {}
    if not path.exists():
        return out
    with path.open(newline="", encoding="utf-8") as f:
        rows = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        for n, row in enumerate(rows, start=2):
            if row["verdict"] not in VERDICTS:
                sys.exit(f"{path}:{n}: verdict {row['verdict']!r} is not one of {VERDICTS}")
            out[row["key"]] = row
    return out


def clean_findings(corpus: Path, work: Path, fresh: bool) -> tuple[list[Finding], int]:
    """Every finding on the clean archive of ``corpus`` (ingested once into ``work``)."""
    work.mkdir(parents=True, exist_ok=True)
    db = work / "clean.db"
    if fresh and db.exists():
        db.unlink()
    if not db.exists():
        print(f"ingesting {corpus} (once; kept in {db})", file=sys.stderr)
        t = time.perf_counter()
        with open_store(db) as s:
            ingest(s, [corpus], check=False)
        print(f"  ingest: {time.perf_counter() - t:.1f} s", file=sys.stderr)
    with open_store(db) as s:
        s.load_authority(demo_authority(), origin="builtin")  # as ingest does
        archive = load_archive(s)
        return run_checks(s, archive=archive), len(archive.docs)


def _per_50(n: int, docs: int) -> str:
    return f"{50 * n / docs:.2f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "mia-html"))
    ap.add_argument("--work", default="/tmp/prinkipo-bench-checks-precision")
    ap.add_argument("--fresh", action="store_true", help="Ingest the clean corpus again.")
    ap.add_argument("--judged", default=str(JUDGED), help="The judgments (TSV).")
    ap.add_argument(
        "--tsv", help="Write every finding (rule, path, key, message) to this file as well."
    )
    args = ap.parse_args()
    findings, docs = clean_findings(Path(args.corpus).resolve(), Path(args.work), args.fresh)
    judged = read_judgments(Path(args.judged))
    if args.tsv:
        with open(args.tsv, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, delimiter="\t", lineterminator="\n")
            w.writerow(("rule", "path", "key", "message"))
            for x in findings:
                w.writerow((x.rule, x.path, x.key, " ".join(x.message.split())))

    counts: dict[str, Counter[str]] = {name: Counter() for name in RULES}
    unjudged: list[Finding] = []
    for x in findings:
        row = judged.get(x.key)
        verdict = row["verdict"] if row else "not judged"
        counts.setdefault(x.rule, Counter())[verdict] += 1
        if row is None:
            unjudged.append(x)

    print(f"\nchecks precision: {len(findings)} findings on {docs} documents of {args.corpus}")
    print(f"judgments: {args.judged} ({len(judged)} rows)\n")
    print("| rule | findings | true | false | doubtful | not judged |")
    print("|---|---:|---:|---:|---:|---:|")
    total: Counter[str] = Counter()
    for name, c in counts.items():
        n = sum(c.values())
        total.update(c)
        if n:
            print(
                f"| {name} | {n} | {c['true']} | {c['false']} | {c['doubtful']} | "
                f"{c['not judged']} |"
            )
    n = sum(total.values())
    print(
        f"| **all** | {n} | {total['true']} | {total['false']} | {total['doubtful']} | "
        f"{total['not judged']} |"
    )
    print(
        f"\nfalse alarms per 50 documents: {_per_50(total['false'], docs)} (false), "
        f"{_per_50(total['false'] + total['doubtful'], docs)} (false + doubtful); "
        f"all findings {_per_50(n, docs)}; not judged {total['not judged']}"
    )
    if unjudged:
        print("\nnot judged yet (rule, path, key, message):")
        for x in unjudged:
            print(f"  {x.rule}\t{x.path}\t{x.key}\t{' '.join(x.message.split())[:200]}")
    keys = {x.key for x in findings}
    gone = [row for k, row in judged.items() if k not in keys]
    if gone:
        print("\njudged, but no longer found (rule, path, verdict):")
        for row in gone:
            print(f"  {row['rule']}\t{row['path']}\t{row['verdict']}")


if __name__ == "__main__":
    main()
