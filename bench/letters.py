"""Letters over the shared corpus: how many have a sender, recipient, place and date; the files
that failed and why; how long ingest, export and validation take; whether round trips hold.

    .venv/bin/python bench/letters.py                  # ../shared/corpus/tei and cmif
    .venv/bin/python bench/letters.py --authority      # load the edition registers first

Prints tables (Markdown). Timings are wall-clock on whatever else the machine is doing.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.roundtrip import letter_keys  # noqa: E402

from prinkipo.export.cmif import export_cmif  # noqa: E402
from prinkipo.export.tei import export_tei  # noqa: E402
from prinkipo.ingestion import ingest  # noqa: E402
from prinkipo.store import Store, open_store  # noqa: E402

SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"


def collection(path: str) -> str:
    parts = path.split("/")
    if parts[0] == "cmif":
        return "/".join(parts[:2])
    return "/".join(parts[:2])


def counts(store: Store) -> dict[str, Counter[str]]:
    out: dict[str, Counter[str]] = defaultdict(Counter)
    for r in store.letter_rows():
        c = out[collection(r["document_path"])]
        roles = {p["role"] for p in r["parties"]}
        linked = [p for p in r["parties"] if p["entity_key"]]
        sent = next((d for d in r["dates"] if d["action"] == "sent"), None)
        c["letters"] += 1
        c["sender"] += "sender" in roles
        c["recipient"] += "recipient" in roles
        c["place"] += "sent_place" in roles
        c["date"] += bool(sent and sent["edtf"])
        c["all four"] += {"sender", "recipient", "sent_place"} <= roles and bool(
            sent and sent["edtf"]
        )
        c["received place"] += "received_place" in roles
        c["carrier"] += "carrier" in roles
        c["parties"] += len(r["parties"])
        c["linked"] += len(linked)
    return out


def table(rows: dict[str, Counter[str]]) -> None:
    cols = ["letters", "sender", "recipient", "place", "date", "all four", "received place",
            "carrier", "parties", "linked"]  # fmt: skip
    print("| collection | " + " | ".join(cols) + " |")
    print("|---" * (len(cols) + 1) + "|")
    total: Counter[str] = Counter()
    for name in sorted(rows):
        total.update(rows[name])
        print(f"| {name} | " + " | ".join(str(rows[name][c]) for c in cols) + " |")
    print("| **total** | " + " | ".join(f"**{total[c]}**" for c in cols) + " |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--authority", action="store_true", help="load the edition registers first")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-letters-"))
    timings: list[tuple[str, float, str]] = []
    try:
        with open_store(tmp / "a.db") as a:
            if args.authority:
                from prinkipo.entities.loading import load_paths

                t = time.perf_counter()
                report = load_paths(a, [CORPUS / "authority", CORPUS / "tei", CORPUS / "cmif"])
                timings.append(("load authorities", time.perf_counter() - t,
                                f"{report['total']} entries"))  # fmt: skip
            failed: list[dict[str, str]] = []
            for part in ("tei", "cmif"):
                t = time.perf_counter()
                report = ingest(a, [CORPUS / part], check=False)
                n = report.added + report.updated + report.unchanged
                timings.append((f"ingest {part}", time.perf_counter() - t,
                                f"{n} documents, {len(report.failed)} failed"))  # fmt: skip
                failed += report.failed
            print("## Letters per collection\n")
            table(counts(a))
            print("\n## Failed files\n")
            for f in failed:
                print(f"- `{f['path']}`: {f['error']}")
            if not failed:
                print("- none")

            out = tmp / "letters.xml"
            t = time.perf_counter()
            export_cmif(a, out)
            timings.append(("export cmif", time.perf_counter() - t, f"{out.stat().st_size} bytes"))
            t = time.perf_counter()
            rng = etree.RelaxNG(etree.parse(str(SHARED / "schemas" / "cmi-customization.rng")))
            valid = rng.validate(etree.parse(str(out)))
            verdict = "valid" if valid else f"INVALID: {rng.error_log.last_error}"
            timings.append(("validate cmif (lxml RELAX NG)", time.perf_counter() - t, verdict))
            folder = tmp / "tei"
            t = time.perf_counter()
            docs = export_tei(a, folder)
            timings.append(("export tei", time.perf_counter() - t, f"{docs} files"))
            jing = shutil.which("jing")
            if jing:
                t = time.perf_counter()
                files = sorted(str(p) for p in folder.glob("*.xml"))
                res = subprocess.run([jing, str(SHARED / "schemas" / "tei_all.rng"), *files],
                                     capture_output=True, text=True, check=False)  # fmt: skip
                errors = res.stdout.count("error:")
                verdict = "valid" if res.returncode == 0 else f"{errors} errors"
                timings.append(("validate tei (jing, tei_all)", time.perf_counter() - t, verdict))
            with open_store(tmp / "b.db") as b, open_store(tmp / "c.db") as c:
                t = time.perf_counter()
                ingest(b, [out], check=False)
                same = letter_keys(a, True) == letter_keys(b, True)
                timings.append(("CMIF → prinkipo → CMIF", time.perf_counter() - t,
                                "every letter kept" if same else "LETTERS DIFFER"))  # fmt: skip
                t = time.perf_counter()
                ingest(c, [folder], check=False)
                same = letter_keys(a, False) == letter_keys(c, False)
                timings.append(("TEI → prinkipo → TEI", time.perf_counter() - t,
                                "every letter kept" if same else "LETTERS DIFFER"))  # fmt: skip
        print("\n## Timings (wall clock; the machine is shared, so noisy)\n")
        print("| step | seconds | result |\n|---|---|---|")
        for name, secs, note in timings:
            print(f"| {name} | {secs:.2f} | {note} |")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
