"""Entity recognition and linking against the gold file, and how fast it runs.

    .venv/bin/python bench/entities.py            # quality table + speed (2 processes)
    .venv/bin/python bench/entities.py --quick    # quality only

Quality: tests/data/entities_gold.json (how it was made and checked is in its "about"). The
linker runs over each gold paragraph with the document's language and year, the authority of
bench/authorities.py. A predicted mention counts when its span is a gold name's span: printed
twice, for exact spans and for overlapping ones (the editors' "Oken's" for the linker's "Oken",
"Baron von Winterfeldt" for "von Winterfeldt"; each gold mention can be found once).

- recognition, per kind: precision = predicted spans of that kind that are gold names of that
  kind / predicted spans of that kind; recall = gold names of that kind found with that kind.
  "any" ignores kinds (candidates of unknown kind included).
- linking, per kind: precision = links to the right entry (same key after aliases) / mentions
  linked to an authority entry; recall = right links / gold names whose entry the authority has.
Predictions on spans the editors annotated as descriptions ("name": false) count neither way.

Speed: paragraphs of MIA pages (read with prinkipo's HTML reader), linked with the same
authority, in one process and in two.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from authorities import CORPUS, bench_authority

from prinkipo.entities.link import Linker, Passage

GOLD = Path(__file__).resolve().parents[1] / "tests" / "data" / "entities_gold.json"
KINDS = ("person", "place", "organisation", "periodical")


def _linked(key: str | None) -> bool:
    return key is not None and not key.startswith("candidate:")


def _pair(predicted: list[Any], gold: list[dict[str, Any]], strict: bool) -> dict[int, Any]:
    """Predicted mention index → the gold mention it finds: the same span, or (not strict) the
    most overlapping unclaimed one in the same paragraph; each gold mention is claimed once."""
    by_para: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for g in gold:
        by_para[g["paragraph"]].append(g)
    claimed: set[int] = set()
    out: dict[int, Any] = {}
    order = sorted(range(len(predicted)), key=lambda i: predicted[i].passage_start)
    for exact_pass in (True, False) if not strict else (True,):
        for i in order:
            if i in out:
                continue
            m = predicted[i]
            best, best_overlap = None, 0
            for g in by_para.get(m.paragraph, []):
                if id(g) in claimed:
                    continue
                if exact_pass:
                    if (g["start"], g["end"]) == (m.passage_start, m.passage_end):
                        best = g
                        break
                    continue
                overlap = min(g["end"], m.passage_end) - max(g["start"], m.passage_start)
                if overlap > best_overlap:
                    best, best_overlap = g, overlap
            if best is not None:
                out[i] = best
                claimed.add(id(best))
    return out


def evaluate(
    docs: list[dict[str, Any]], linker: Linker, strict: bool
) -> dict[str, dict[str, list[int]]]:
    """Counts per corpus and kind: [tp, predicted, gold] for recognition and linking."""
    a = linker.authority
    counts: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0]))
    for doc in docs:
        passages = [Passage(p["text"], 0, p["n"], None) for p in doc["paragraphs"]]
        predicted = linker.link_passages(
            passages, doc.get("language"), doc.get("year"), doc["corpus"]
        )
        gold = [{**m, "paragraph": p["n"]} for p in doc["paragraphs"] for m in p["mentions"]]
        pairs = _pair(predicted, gold, strict)
        for corpus in (doc["corpus"], "all"):
            c = counts[corpus]
            for g in gold:
                if not g["name"]:
                    continue
                c[f"rec {g['kind']}"][2] += 1
                c["rec any"][2] += 1
                if g["key"] and a.resolve(g["key"]):
                    c[f"link {g['kind']}"][2] += 1
            for i, m in enumerate(predicted):
                g = pairs.get(i)
                if g is not None and not g["name"]:
                    continue
                c["rec any"][1] += 1
                c["rec any"][0] += g is not None
                if m.kind in KINDS:
                    c[f"rec {m.kind}"][1] += 1
                    c[f"rec {m.kind}"][0] += g is not None and g["kind"] == m.kind
                if _linked(m.entity_key) and m.kind in KINDS:
                    c[f"link {m.kind}"][1] += 1
                    right = (
                        g is not None
                        and g["key"] is not None
                        and a.resolve(g["key"]) == a.resolve(m.entity_key or "")
                    )
                    c[f"link {m.kind}"][0] += right
    return counts


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "  —  "


def print_quality(counts: dict[str, dict[str, list[int]]]) -> None:
    rows = [f"rec {k}" for k in (*KINDS, "any")] + [f"link {k}" for k in KINDS]
    print(
        f"{'corpus':<11}{'task':<19}{'precision':>10}{'recall':>8}{'tp':>6}{'pred':>6}{'gold':>6}"
    )
    for corpus in ("all", "mia", "escher", "schnitzler"):
        for r in rows:
            tp, pred, gold = counts[corpus][r]
            if pred == 0 and gold == 0:
                continue
            print(
                f"{corpus:<11}{r:<19}{_ratio(tp, pred):>10}{_ratio(tp, gold):>8}"
                f"{tp:>6}{pred:>6}{gold:>6}"
            )
        print()


# -- speed -----------------------------------------------------------------------------------------

_WORKER: Linker | None = None


def _init() -> None:
    global _WORKER
    _WORKER = Linker(bench_authority())


def _work(batch: list[tuple[str, str | None]]) -> tuple[int, float]:
    """Mentions found in a batch and the CPU seconds the worker spent on it."""
    assert _WORKER is not None
    n = 0
    t0 = time.process_time()
    for text, lang in batch:
        n += len(_WORKER.link_passages([Passage(text, 0, 1, None)], lang))
    return n, time.process_time() - t0


def mia_paragraphs(limit: int) -> list[tuple[str, str | None]]:
    from prinkipo import readers
    from prinkipo.header import interpret

    out: list[tuple[str, str | None]] = []
    for f in sorted((CORPUS / "mia-html").rglob("*.htm")):
        try:
            rec = readers.read(str(f.relative_to(CORPUS)), f.read_bytes(), None)
        except Exception:
            continue
        if rec.skip_reason:
            continue
        lang = interpret(rec, None).language
        out += [(p.text, lang) for p in rec.paragraphs]
        if len(out) >= limit:
            break
    return out[:limit]


def print_speed(paragraphs: list[tuple[str, str | None]]) -> None:
    chars = sum(len(t) for t, _ in paragraphs)
    t0 = time.perf_counter()
    linker = Linker(bench_authority())
    build = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    mentions = sum(
        len(linker.link_passages([Passage(t, 0, 1, None)], lang)) for t, lang in paragraphs
    )
    one, one_cpu = time.perf_counter() - t0, time.process_time() - c0
    batches = [paragraphs[i : i + 500] for i in range(0, len(paragraphs), 500)]
    with ProcessPoolExecutor(2, initializer=_init) as pool:
        list(pool.map(_work, batches[:2]))  # warm both workers (authority and automaton built)
        t0 = time.perf_counter()
        done = list(pool.map(_work, batches))
        two = time.perf_counter() - t0
    two_mentions = sum(n for n, _ in done)
    two_cpu = sum(c for _, c in done)
    a = bench_authority()
    print(f"authority: {len(a)} entries; automaton built in {build:.2f} s")
    print(f"paragraphs: {len(paragraphs)} from MIA pages, {chars / len(paragraphs):.0f} chars each")
    print(
        f"{'processes':<10}{'seconds':>9}{'paragraphs/s':>14}{'mentions/s':>12}{'mentions':>10}"
        f"{'CPU s':>8}{'paragraphs/CPU s':>18}"
    )
    for procs, secs, n, cpu in ((1, one, mentions, one_cpu), (2, two, two_mentions, two_cpu)):
        print(
            f"{procs:<10}{secs:>9.2f}{len(paragraphs) / secs:>14.0f}{n / secs:>12.0f}{n:>10}"
            f"{cpu:>8.2f}{len(paragraphs) / cpu:>18.0f}"
        )
    print("(wall-clock figures depend on what else the machine runs; CPU seconds much less)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="quality only, no speed run")
    parser.add_argument("--paragraphs", type=int, default=20000, help="paragraphs timed")
    args = parser.parse_args()
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    docs = gold["documents"]
    mentions = sum(len(p["mentions"]) for d in docs for p in d["paragraphs"])
    print(f"gold: {len(docs)} documents, {mentions} mentions ({GOLD.name})")
    print(f"machine: {os.cpu_count()} cores; timings are noisy on a shared machine\n")
    linker = Linker(bench_authority())
    print("Spans must match exactly:")
    print_quality(evaluate(docs, linker, strict=True))
    print('Spans may overlap ("Oken" for the editors\' "Oken\'s"), each gold mention used once:')
    print_quality(evaluate(docs, linker, strict=False))
    if not args.quick:
        print_speed(mia_paragraphs(args.paragraphs))


if __name__ == "__main__":
    main()
