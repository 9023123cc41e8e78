"""How well the checks find planted errors, how often they cry wolf, and how fast they run.

    .venv/bin/python bench/checks.py [--corpus ../shared/corpus/mia-html] [--n 200] [--seed 7]
    .venv/bin/python bench/checks.py --seed 7,8,9     # three samples, summed: steadier figures

1. Ingest the whole corpus into a clean archive (kept in --work and reused; --fresh redoes it)
   and time a full check of it (load, every rule, store the findings).
2. Take --n real documents at random (seeded) and plant one known error into a copy of each,
   kinds in turn where they apply: shift a year by one digit, swap day and month, change a volume
   number, drop a header field, duplicate the file, corrupt the encoding (UTF-8 read as
   Windows-1252). Every plant is checked by reading the changed file back with the real reader:
   one that does not take (the reader no longer sees the field, or sees no change) is not counted.
   One volume of a periodical, and one work's folder (a book's chapters), gets at most one
   planted date or volume: two planted errors there would vouch for each other.
3. Copy the corpus with the planted files in place (and the duplicates beside their originals),
   re-ingest it over a copy of the clean archive (only the changed files are read again), check.
4. Print, per kind of error: planted, found (a new finding on the planted record, about the
   planted value) and which rules caught them; per rule: findings on the unplanted originals of
   the same --n documents (counted as false alarms, though some are real mistakes: see the
   report), new findings on records that were not planted (alarms the plants caused elsewhere),
   findings on the whole clean corpus, and the time the rule takes over the whole corpus.

Timings depend on the machine: run it when the machine is quiet.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import random
import re
import shutil
import sqlite3
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from prinkipo.checks import RULES, refresh_findings, run_checks
from prinkipo.checks.dates import collection, date_named, folder_of
from prinkipo.checks.facts import (
    ArchiveFacts,
    DocFacts,
    load_archive,
    periodical_key,
    volume_number,
)
from prinkipo.checks.fields import HABIT, MIN_COLLECTION, _habits, slots
from prinkipo.checks.fixes import swap_day_month
from prinkipo.checks.registry import Finding
from prinkipo.entities.authority import demo_authority
from prinkipo.ingestion import ingest, parse
from prinkipo.store import open_store

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("shift-year", "swap-day-month", "change-volume", "drop-field", "duplicate", "encoding")
#: the rules that may rightly report each kind of planted error
EXPECTED = {
    "shift-year": {
        "published-before-written",
        "date-in-future",
        "date-outside-life",
        "dates-disagree",
        "title-date-mismatch",
        "path-date-mismatch",
        "volume-date-mismatch",
        "issue-date-mismatch",
        "issue-weekday",
        "weekday-mismatch",
        "work-date-mismatch",
        "work-date-order",
    },
    "change-volume": {"volume-date-mismatch", "issue-date-mismatch"},
    "drop-field": {"missing-field"},
    "duplicate": {"duplicate-text"},
    "encoding": {"mojibake"},
}
EXPECTED["swap-day-month"] = EXPECTED["shift-year"]


@dataclass
class Plant:
    kind: str
    path: str  # the archive path of the record that carries the error
    original: str  # the archive path of the record it was made from
    what: str  # the planted value (for dates and volumes), the dropped field, …
    data: bytes
    #: for a dropped field: the slots (see checks/fields.py) the record no longer fills
    lost: frozenset[str] = frozenset()


# -- planting ---------------------------------------------------------------------------------


def _reread(key: str, data: bytes) -> DocFacts | None:
    """The planted file as the checks will see it (through the real reader)."""
    try:
        doc = parse(key, data, None, AUTHORITY)
    except Exception:
        return None
    facts = DocFacts(0, key, doc.title, doc.record.format, doc.record.encoding)
    for role, v in doc.dates.items():
        p = v.parsed
        facts.dates[role] = _date_fact(role, v.text, p, v.source_field)
    if doc.source and doc.source.date:
        v = doc.source.date
        facts.dates["source"] = _date_fact("source", v.text, v.parsed, v.source_field)
    if doc.source:
        from prinkipo.checks.facts import SourceFact

        s = doc.source
        facts.source = SourceFact(s.text, s.periodical, s.volume, s.number, s.pages, s.start, s.end)
    from prinkipo.checks.facts import FieldFact

    facts.fields = [
        FieldFact(f.name, f.value, f.value_start, f.value_end) for f in doc.record.fields
    ]
    return facts


def _date_fact(role, text, p, field):  # type: ignore[no-untyped-def]
    from prinkipo.checks.facts import DateFact

    return DateFact(
        role,
        text,
        p.edtf if p else None,
        p.earliest if p else None,
        p.latest if p else None,
        p.precision if p else None,
        field,
        0,
        0,
        None,
        False,
        None,
    )


def _encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding or "utf-8", errors="xmlcharrefreplace")


def _replace_each(text: str, old: str, new: str) -> list[str]:
    """``text`` with one occurrence of ``old`` replaced, for each occurrence (first first)."""
    out, at = [], text.find(old)
    while at >= 0 and len(out) < 6:
        out.append(text[:at] + new + text[at + len(old) :])
        at = text.find(old, at + 1)
    return out


def _variants(raw_text: str, old: str, new: str) -> list[str]:
    """Occurrences in the raw page: as read, and as the page may write them (entities, tags)."""
    seen = []
    for o in {old, html.escape(old, quote=False)}:
        seen += _replace_each(raw_text, o, new)
    if not seen:
        # the value may be split by markup or written with entities: match loosely
        words = [re.escape(html.escape(w, quote=False)) for w in old.split()]
        pattern = r"(?:\s|&nbsp;|&#160;|<[^>]+>)+".join(words)
        for m in list(re.finditer(pattern, raw_text))[:6]:
            seen.append(raw_text[: m.start()] + new + raw_text[m.end() :])
    return seen


def plant_date(
    rng: random.Random, key: str, raw: str, enc: str, facts: DocFacts, swap: bool
) -> Plant | None:
    roles = [r for r in ("source", "written", "dateline") if r in facts.dates]
    rng.shuffle(roles)
    for role in roles:
        d = facts.dates[role]
        if d.edtf is None or d.precision not in ("day", "month", "year", "season"):
            continue
        if swap:
            new = swap_day_month(d.text) if d.precision == "day" else None
        else:
            m = re.search(r"(?<!\d)(1[5-9]\d\d|20[0-2]\d)(?!\d)", d.text)
            if not m:
                continue
            year = m.group(1)
            pos = rng.choice([2, 3, 3])  # mostly the last digit; a decade slip now and then
            choices = [c for c in "0123456789" if c != year[pos]]
            digit = rng.choice(choices)
            new_year = year[:pos] + digit + year[pos + 1 :]
            new = d.text[: m.start()] + new_year + d.text[m.end() :]
        if not new or new == d.text:
            continue
        for changed in _variants(raw, d.text, new):
            data = _encode(changed, enc)
            back = _reread(key, data)
            got = back.dates.get(role) if back else None
            if got is not None and got.text == new and got.edtf and got.edtf != d.edtf:
                kind = "swap-day-month" if swap else "shift-year"
                return Plant(kind, key, key, new, data)
    return None


def plant_volume(rng: random.Random, key: str, raw: str, enc: str, facts: DocFacts) -> Plant | None:
    s = facts.source
    vol = volume_number(s.volume) if s else None
    if s is None or vol is None or not s.volume:
        return None
    step = rng.choice([-1, 1, 1, 2]) if vol > 2 else rng.choice([1, 2])
    new_n = vol + step
    new = str(new_n) if s.volume.isdigit() else _roman(new_n)
    m = re.search(r"\b(Vol(?:ume)?\.?\s*)" + re.escape(s.volume) + r"\b", s.text, re.I)
    if not m:
        return None
    old_text, new_text = m.group(0), m.group(1) + new
    for changed in _variants(raw, old_text, new_text):
        data = _encode(changed, enc)
        back = _reread(key, data)
        if back and back.source and back.source.volume == new:
            return Plant("change-volume", key, key, new_text, data)
    return None


def _roman(n: int) -> str:
    out = ""
    for value, sym in ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + sym, n - value
    return out


def plant_drop(key: str, raw: str, enc: str, facts: DocFacts) -> Plant | None:
    labels = ("source", "first published", "published", "written")
    for f in facts.fields:
        if f.name.strip().lower() not in labels:
            continue
        value = html.escape(f.value.split("\n")[0][:40], quote=False)
        at = raw.find(value)
        if at < 0:
            continue
        # from the label before the value to the end of its line (<br>, </p>)
        start = raw.rfind(">", 0, raw.rfind(f.name[:4], 0, at) if f.name[:4] in raw[:at] else at)
        label_at = raw.rfind(f.name.split()[0], 0, at)
        if label_at < 0 or at - label_at > 200:
            continue
        tag_open = raw.rfind("<", 0, label_at)
        start = tag_open if tag_open >= 0 and label_at - tag_open < 60 else label_at
        # (old pages write their tags in capitals: "<BR>", "</P>")
        lower = raw.lower()
        end_candidates = [
            e for e in (lower.find("<br", at), lower.find("</p>", at)) if e >= 0 and e - at < 600
        ]
        if not end_candidates:
            continue
        end = min(end_candidates)
        changed = raw[:start] + raw[end:]
        data = _encode(changed, enc)
        back = _reread(key, data)
        if back is None or back.title is None:
            continue
        if not any(g.name == f.name for g in back.fields):
            lost = frozenset(slots(facts) - slots(back) - {"author"})
            return Plant("drop-field", key, key, f.name, data, lost)
    return None


_PUNCT = {
    "&#8217;": "’",
    "&rsquo;": "’",
    "&#8216;": "‘",
    "&lsquo;": "‘",
    "&#8220;": "“",
    "&ldquo;": "“",
    "&#8221;": "”",
    "&rdquo;": "”",
    "&#8211;": "–",
    "&ndash;": "–",
    "&#8212;": "—",
    "&mdash;": "—",
    "&eacute;": "é",
    "&#233;": "é",
}


def _as_cp1252(b: bytes) -> str:
    return "".join(bytes([x]).decode("cp1252", errors="ignore") or chr(x) for x in b)


def plant_encoding(key: str, raw: str) -> Plant | None:
    text = raw
    for entity, char in _PUNCT.items():
        text = text.replace(entity, char)
    if text.isascii():
        return None
    garbled = "".join(c if c.isascii() else _as_cp1252(c.encode("utf-8")) for c in text)
    garbled = re.sub(r"charset\s*=\s*[\w-]+", "charset=utf-8", garbled, count=1, flags=re.I)
    data = garbled.encode("utf-8")
    back = _reread(key, data)
    if back is None:
        return None
    return Plant("encoding", key, key, "UTF-8 read as Windows-1252", data)


def plant_duplicate(key: str, data: bytes) -> Plant:
    stem, dot, ext = key.rpartition(".")
    return Plant("duplicate", f"{stem}-copy.{ext}" if dot else f"{key}-copy", key, key, data)


def visible(p: Plant, archive: ArchiveFacts) -> bool:
    """Whether a dropped field left a gap a check can see: the record fills no date at all any
    more, or no longer fills a slot that at least nine in ten of at least eight other records of
    its folder (else of its collection) fill. A "Written" line dropped where a third of the
    collection has none, or a "Source" line whose citation a "First Published" line still gives,
    leaves a record no one could tell from a correct one."""
    if "date" in p.lost:
        return True
    habits = _habits(archive)
    for group in (folder_of(p.original), collection(p.original)):
        total, counts = habits.get(group, (0, Counter()))
        if total - 1 >= MIN_COLLECTION:
            return any(counts[slot] - 1 >= HABIT * (total - 1) for slot in p.lost)
    return False


# -- running ----------------------------------------------------------------------------------

AUTHORITY = demo_authority()


CPU: dict[str, float] = {}


def timed(label: str, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    t, c = time.perf_counter(), time.process_time()
    out = fn(*args, **kwargs)
    dt, CPU[label] = time.perf_counter() - t, time.process_time() - c
    print(f"  {label}: {dt:.1f} s ({CPU[label]:.1f} s CPU)", file=sys.stderr)
    return out, dt


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "mia-html"))
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument(
        "--seed", default="7", help="Seed of the sample; several, comma-separated, are summed."
    )
    ap.add_argument("--work", default="/tmp/prinkipo-bench-checks")
    ap.add_argument("--fresh", action="store_true", help="Ingest the clean corpus again.")
    ap.add_argument("-v", "--verbose", action="store_true", help="List the alarms, not only count.")
    args = ap.parse_args()
    corpus, work = Path(args.corpus).resolve(), Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    clean_db = work / "clean.db"
    if args.fresh and clean_db.exists():
        clean_db.unlink()
    if not clean_db.exists():
        print(f"ingesting {corpus} (once; kept in {clean_db})", file=sys.stderr)
        with open_store(clean_db) as s:
            timed("ingest", ingest, s, [corpus], check=False)

    # the whole corpus: per-rule time and findings, then a full check as `prinkipo check` does
    with open_store(clean_db) as s:
        s.load_authority(AUTHORITY, origin="builtin")  # as ingest does: the current authority
        archive, load_s = timed("load", load_archive, s)
        per_rule: dict[str, tuple[int, float]] = {}
        clean_findings: list[Finding] = []
        for name in RULES:
            t = time.perf_counter()
            found = run_checks(s, rules=[name], archive=archive)
            per_rule[name] = (len(found), time.perf_counter() - t)
            clean_findings += found
        _, full_s = timed("full check (load, rules, store)", refresh_findings, s)
        n_docs = len(archive.docs)
        paths = {d.id: d.path for d in archive.docs.values()}
        encodings = dict(
            s.conn.execute(
                "SELECT f.path, f.encoding FROM documents d JOIN files f ON f.id = d.file_id"
            ).fetchall()
        )

    seeds = [int(x) for x in str(args.seed).split(",")]
    prefix = corpus.name + "/"
    all_planted: Counter[str] = Counter()
    all_found: Counter[str] = Counter()
    all_caught: dict[str, Counter[str]] = defaultdict(Counter)
    all_tried: Counter[str] = Counter()
    all_missed: list[Plant] = []
    all_collateral: Counter[str] = Counter()
    all_collateral_list: list[Finding] = []
    all_on_originals: Counter[str] = Counter()
    all_flagged = 0
    all_visible = [0, 0]  # drop-field plants that leave a visible gap: planted, found
    not_stored: list[Plant] = []
    all_sample_paths: set[str] = set()
    reports = []
    for seed in seeds:
        rng = random.Random(seed)
        sample_ids = rng.sample(sorted(archive.docs), args.n)
        sample_paths = {paths[i] for i in sample_ids}

        tried_on: set[tuple[str, int]] = set()
        used_issues: set[tuple[str | None, int | None]] = set()
        used_works: set[str] = set()

        def _try(
            kind: str,
            doc_id: int,
            rng: random.Random,
            tried: Counter[str],
            tried_on: set[tuple[str, int]],
            used_issues: set[tuple[str | None, int | None]],
            used_works: set[str],
        ) -> Plant | None:
            if (kind, doc_id) in tried_on:
                return None
            tried_on.add((kind, doc_id))
            tried[kind] += 1
            key = paths[doc_id]
            facts = archive.docs[doc_id]
            data = (corpus / key[len(prefix) :]).read_bytes()
            enc = encodings.get(key) or "utf-8"
            try:
                raw = data.decode(enc)
            except (UnicodeDecodeError, LookupError):
                return None
            issue = None
            if facts.source and facts.source.periodical:
                issue = (
                    periodical_key(facts.source.periodical),
                    volume_number(facts.source.volume),
                )
            if kind in ("shift-year", "swap-day-month", "change-volume") and issue in used_issues:
                return None  # two planted errors in one volume would vouch for each other
            # so would two planted dates in one work's folder (its chapters, a congress's
            # speeches: the work rules compare them with each other)
            work: str | None = folder_of(key)
            work = None if date_named(work) else work
            if kind in ("shift-year", "swap-day-month") and work is not None and work in used_works:
                return None
            if kind == "shift-year":
                p = plant_date(rng, key, raw, enc, facts, swap=False)
            elif kind == "swap-day-month":
                p = plant_date(rng, key, raw, enc, facts, swap=True)
            elif kind == "change-volume":
                p = plant_volume(rng, key, raw, enc, facts)
                if p is not None and issue is not None:
                    used_issues.add((issue[0], volume_number(p.what.split()[-1].lstrip("."))))
            if kind in ("shift-year", "swap-day-month", "change-volume"):
                if p is not None and issue is not None:
                    used_issues.add(issue)
                if p is not None and work is not None and kind != "change-volume":
                    used_works.add(work)
                return p
            if kind == "drop-field":
                return plant_drop(key, raw, enc, facts)
            if kind == "duplicate":
                return plant_duplicate(key, data)
            return plant_encoding(key, raw)

        # plant: one error a document; each kind in turn takes the next sampled document it applies
        # to, so the kinds come out as even as the sample allows
        plants: list[Plant] = []
        tried: Counter[str] = Counter()
        # errors are planted into records the checks find nothing wrong with, so that what is found
        # is the planted error (a record with a real mistake is still counted among the originals)
        flagged = {f.path for f in clean_findings}
        unused = [i for i in sample_ids if paths[i] not in flagged]
        cap = -(-args.n // len(KINDS))  # each kind at most its share; the rest stay clean
        while unused:
            progress = False
            for kind in KINDS:
                if sum(p.kind == kind for p in plants) >= cap:
                    continue
                for doc_id in list(unused):
                    p = _try(kind, doc_id, rng, tried, tried_on, used_issues, used_works)
                    if p is not None:
                        plants.append(p)
                        unused.remove(doc_id)
                        progress = True
                        break
            if not progress:
                break
        # the planted archive: a copy of the corpus with the plants, ingested over the clean one
        planted_root = work / "planted" / corpus.name
        if planted_root.parent.exists():
            shutil.rmtree(planted_root.parent)
        shutil.copytree(corpus, planted_root)
        for p in plants:
            (planted_root / p.path[len(prefix) :]).write_bytes(p.data)
        planted_db = work / "planted.db"
        for suffix in ("", "-wal", "-shm"):
            Path(str(planted_db) + suffix).unlink(missing_ok=True)
        src = sqlite3.connect(clean_db)
        dst = sqlite3.connect(planted_db)
        src.backup(dst)
        src.close()
        dst.close()
        with open_store(planted_db) as s:
            report, _ = timed("ingest the planted copy", ingest, s, [planted_root], check=False)
            planted_findings = run_checks(s)
            stored = dict(
                s.conn.execute(
                    "SELECT f.path, f.sha256 FROM documents d JOIN files f ON f.id = d.file_id"
                ).fetchall()
            )
        # a plant the ingest did not store (a worker lost, a file failed) cannot be found: it is
        # left out of the score and counted apart
        kept = [p for p in plants if stored.get(p.path) == hashlib.sha256(p.data).hexdigest()]
        not_stored.extend(p for p in plants if p not in kept)
        for failure in report.failed:
            print(f"  seed {seed}: ingest failed on {failure}", file=sys.stderr)
        plants = kept

        # score
        clean_by_path: dict[str, set[str]] = defaultdict(set)
        for f in clean_findings:
            clean_by_path[f.path].add(f.key)
        new_by_path: dict[str, list[Finding]] = defaultdict(list)
        for f in planted_findings:
            if f.key not in clean_by_path[f.path]:
                new_by_path[f.path].append(f)

        planted_count: Counter[str] = Counter()
        found_count: Counter[str] = Counter()
        caught_by: dict[str, Counter[str]] = defaultdict(Counter)
        missed: list[Plant] = []
        for p in plants:
            planted_count[p.kind] += 1
            hits = [f for f in new_by_path.get(p.path, []) if f.rule in EXPECTED[p.kind]]
            if p.kind in ("shift-year", "swap-day-month", "change-volume"):
                what = p.what.strip(" .;,")
                hits = [f for f in hits if any(what in e.text for e in f.evidence)]
            if p.kind == "drop-field" and visible(p, archive):
                all_visible[0] += 1
                all_visible[1] += bool(hits)
            if hits:
                found_count[p.kind] += 1
                for rule_name in {f.rule for f in hits}:
                    caught_by[p.kind][rule_name] += 1
            else:
                missed.append(p)

        planted_paths = {p.path for p in plants} | {p.original for p in plants}
        collateral: Counter[str] = Counter()
        collateral_list: list[Finding] = []
        for path, fs in new_by_path.items():
            if path not in planted_paths:
                for f in fs:
                    collateral[f.rule] += 1
                    collateral_list.append(f)
        on_originals: Counter[str] = Counter(
            f.rule for f in clean_findings if f.path in sample_paths
        )
        flagged_originals = len({f.path for f in clean_findings if f.path in sample_paths})
        all_planted.update(planted_count)
        all_found.update(found_count)
        for k, c in caught_by.items():
            all_caught[k].update(c)
        all_tried.update(tried)
        all_missed.extend(missed)
        all_collateral.update(collateral)
        all_collateral_list.extend(collateral_list)
        all_on_originals.update(on_originals)
        all_flagged += flagged_originals
        all_sample_paths |= sample_paths
        reports.append(report)

    print(
        f"\nchecks bench: {args.n} documents of {corpus} a seed (seeds {args.seed}); "
        f"corpus {n_docs} docs"
    )
    print(
        "ingest of the planted copies: "
        f"{sum(r.updated for r in reports)} re-read, {sum(r.added for r in reports)} added, "
        f"{sum(len(r.failed) for r in reports)} failed\n"
    )
    if not_stored:
        print(
            f"{len(not_stored)} planted files were not stored by the ingest and are left out: "
            + ", ".join(sorted({p.kind for p in not_stored}))
            + "\n"
        )
    print("| planted error | tried | planted | found | recall | caught by |")
    print("|---|---:|---:|---:|---:|---|")
    total_p = total_f = 0
    for kind in KINDS:
        pc, fc = all_planted[kind], all_found[kind]
        total_p, total_f = total_p + pc, total_f + fc
        by = ", ".join(f"{r} {n}" for r, n in all_caught[kind].most_common())
        recall = f"{fc / pc:.2f}" if pc else "–"
        print(f"| {kind} | {all_tried[kind]} | {pc} | {fc} | {recall} | {by} |")
    print(f"| **all** | | {total_p} | {total_f} | {total_f / max(total_p, 1):.2f} | |")
    # a dropped field is often one the record may rightly lack (a "Written" line where the
    # collection's other records mostly have none): recall without that kind as well
    rest_p = total_p - all_planted["drop-field"]
    rest_f = total_f - all_found["drop-field"]
    print(f"| all but drop-field | | {rest_p} | {rest_f} | {rest_f / max(rest_p, 1):.2f} | |")
    vis_p, vis_f = all_visible
    print(
        f"| drop-field leaving a visible gap | | {vis_p} | {vis_f} | {vis_f / max(vis_p, 1):.2f} "
        "| (no date left, or a slot 9 in 10 of the record's folder or collection fill) |"
    )
    seen_p, seen_f = rest_p + vis_p, rest_f + vis_f
    print(
        f"| all, drop-field only where visible | | {seen_p} | {seen_f} | "
        f"{seen_f / max(seen_p, 1):.2f} | |"
    )
    print()
    print(
        "| rule | severity | on the sampled originals | new elsewhere after planting | "
        "whole clean corpus | per 50 docs | time, whole corpus |"
    )
    print("|---|---|---:|---:|---:|---:|---:|")
    for name, r in RULES.items():
        count, secs = per_rule[name]
        print(
            f"| {name} | {r.severity} | {all_on_originals[name]} | {all_collateral[name]} | "
            f"{count} | "
            f"{50 * count / n_docs:.2f} | {secs:.2f} s |"
        )
    total = sum(c for c, _ in per_rule.values())
    print(
        f"| **all** | | {sum(all_on_originals.values())} ({all_flagged} docs) | "
        f"{sum(all_collateral.values())} | {total} | {50 * total / n_docs:.2f} | "
        f"load {load_s:.2f} s |"
    )
    print(
        f"\nfull check of the whole corpus ({n_docs} documents: load, every rule, store): "
        f"{full_s:.1f} s wall, {CPU['full check (load, rules, store)']:.1f} s CPU"
    )
    if args.verbose:
        print("\nnew findings on records that were not planted:")
        for f in all_collateral_list:
            print(f"  {f.rule:22} {f.path}: {f.message[:150]}")
        print("\nfindings on the sampled originals (clean archive):")
        for f in clean_findings:
            if f.path in all_sample_paths:
                print(f"  {f.rule:22} {f.path}: {f.message[:150]}")
    if all_missed:
        print("\nmissed plants:")
        for p in all_missed:
            lost = ""
            if p.kind == "drop-field":
                lost = f"; lost: {', '.join(sorted(p.lost)) or 'no slot'}"
            print(f"  {p.kind:15} {p.path}  ({p.what[:60]}{lost})")


if __name__ == "__main__":
    main()
