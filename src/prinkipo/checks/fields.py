"""Rules on what a record has: fields every record needs, and those its collection always has."""

from __future__ import annotations

import calendar
import re
from collections import Counter
from collections.abc import Iterator

from prinkipo.checks.dates import (
    PAGE_TITLE,
    collection,
    folder_of,
    in_date_folder,
    named_day,
    path_date,
)
from prinkipo.checks.facts import ArchiveFacts, DocFacts
from prinkipo.checks.fixes import human
from prinkipo.checks.registry import Evidence, Finding, Suggestion, rule
from prinkipo.header import canonical_label, fold_label

#: what a record may habitually carry; each absence is reported only where the record's
#: collection (its folder, else the collection it belongs to) nearly always has it
SLOTS = ("author", "source or first publication", "date", "written date")
#: the share of a collection's other records that must have a slot before its absence is flagged
HABIT = 0.9
#: and how many other records that collection must have
MIN_COLLECTION = 8
#: or how many other records of the record's own folder, where every one of them has the slot
MIN_UNANIMOUS = 5


def slots(doc: DocFacts) -> set[str]:
    """The slots this record fills."""
    have = set()
    if doc.authors:
        have.add("author")
    if "written" in doc.dates or "delivered" in doc.dates:
        have.add("written date")
    publisher = any(fold_label(f.name) in _PUBLISHER_LABELS for f in doc.fields)
    told = any(n.kind == "header" and _provenance(n.text) for n in doc.notes)
    if doc.source is not None or "published" in doc.dates or publisher or told:
        have.add("source or first publication")
    if doc.dates or doc.set_aside:
        have.add("date")
    return have


#: a year in a header line
_YEAR = re.compile(r"(?<!\d)(?:1[5-9]\d\d|20[0-4]\d)(?!\d)")
#: an unlabelled header line that says where the text comes from: it names a year or a
#: publishing ("International Press Correspondence, Vol. 2 No. 102, 24 November 1922";
#: "Spanish original published as a pamphlet"; "Anonymous internal document, 1969") …
_PROVENANCE = re.compile(_YEAR.pattern + r"|\b(?:published|reprinted|reproduced|issued)\b", re.I)
#: … and is no transcriber's credit ("Marked up by … for the Marxists' Internet Archive (2014)")
_CREDIT = re.compile(
    r"transcri|marked[ -]up|mark-?up|proof-?read|html|online version|copyleft|public domain|"
    r"internet archive",
    re.I,
)


def _provenance(line: str) -> bool:
    return bool(_PROVENANCE.search(line)) and not _CREDIT.search(line)


def _folder_year_in_header(doc: DocFacts) -> bool:
    """Whether a Source or Publisher line holds the year (or one either side) of the folder the
    file is kept under: a date the reader could not read as one ("Source: Pamphlet, 1934,
    Martin Lawrence, Ltd"; "Publisher: Foreign Languages Publishing House, Moscow, 1950" under
    1949/12), or the page's own title does ("CPGB: Political Report (1957)"). A year far from
    it dates another book ("Source: War Against the Panthers, by Huey P. Newton, 1980" under
    1966/10), not the text."""
    found = path_date(doc.path)
    if found is None:
        return False
    return any(
        abs(int(y) - found[0]) <= 1
        for f in doc.fields
        if fold_label(f.name) in _DATING_LABELS
        for y in _YEAR.findall(f.value)
    )


_PUBLISHER_LABELS = {"publisher", "published by", "printer"}


def _habits(archive: ArchiveFacts) -> dict[str, tuple[int, Counter[str]]]:
    """For each folder and each collection: how many records, and how many fill each slot."""
    if "habits" in archive.memo:
        return archive.memo["habits"]  # type: ignore[no-any-return]
    out: dict[str, tuple[int, Counter[str]]] = {}
    for d in archive.docs.values():
        have = slots(d)
        for group in {folder_of(d.path), collection(d.path)}:
            n, counts = out.get(group, (0, Counter()))
            counts.update(have)
            out[group] = (n + 1, counts)
    archive.memo["habits"] = out
    return out


@rule("missing-field", "warning")
def missing_field(doc: DocFacts, archive: ArchiveFacts) -> Iterator[Finding]:
    """A title is missing, or a field the record's collection nearly always has.

    Every record needs a title. Beyond that, what a collection's records carry (an author, a date
    of writing, a source) differs: a book's chapters have no source line of their own, an
    author's articles always do. So it is learnt from the other records of the same folder (or,
    for a record in a small year or month folder, of the collection above its year folders; a
    work's own folder, such as a book's chapters, is never compared with the collection): when
    at least nine in ten of at least eight others have it, its absence here is reported. A
    smaller folder speaks where all of at least five other records in it have the slot (the
    other chapters of a book, each with its First Published line).
    """
    have = slots(doc)
    if not doc.title:
        yield missing_field.finding(doc, "the record has no title", (Evidence("title", "", 0, 0),))
    if doc.path.rsplit("/", 1)[-1].lower().startswith("index."):
        return  # a folder's index page describes the folder, not one work
    habits = _habits(archive)
    folder = group = folder_of(doc.path)
    total, counts = habits.get(group, (0, Counter()))
    in_work = not in_date_folder(doc.path)
    if total - 1 < MIN_COLLECTION:
        group = collection(doc.path)
        total, counts = habits.get(group, (0, Counter()))
    others = total - 1
    reported = False
    folder_n, folder_counts = habits.get(folder, (0, Counter()))
    if others < MIN_COLLECTION and folder_n - 1 >= MIN_UNANIMOUS:
        # a smaller folder whose other records all have a slot (a book's chapters, every one
        # with its First Published line) is enough for that slot
        group, total, counts, others = folder, folder_n, folder_counts, folder_n - 1
    if others >= MIN_COLLECTION or (group == folder and others >= MIN_UNANIMOUS):
        for slot in SLOTS:
            if slot in have or (slot == "written date" and "date" not in have):
                continue  # (with no date at all, "no date" has said it)
            with_it = counts[slot]  # doc lacks it, so every count is another record's
            if others < MIN_COLLECTION and with_it < others:
                continue  # (a small folder speaks only where every other record has it)
            # a page of a work's own folder (a book's chapter) is held to its collection only
            # where nearly the whole collection has the slot and so do all the work's other
            # pages
            habit = UNIVERSAL if in_work and group != folder else HABIT
            if with_it < habit * others:
                continue
            if in_work and group != folder and not 0 < folder_n - 1 == folder_counts[slot]:
                continue
            reported = True
            yield missing_field.finding(
                doc,
                f"no {slot}, which {with_it} of the {others} other records in "
                f"{group or 'this folder'} have",
                (Evidence(slot, "", None, None),),
            )
    if not doc.dates and not reported:
        # (a bare year set aside is no date to the day or month either)
        yield from _undated_with_a_header(doc)
    yield from _missing_from_its_header(doc, archive)


#: the share of a collection that must have a slot before a page in a work's own folder
#: (which may rightly lack it: a book's chapters) is held to it
UNIVERSAL = 0.97
#: header fields that say where a text was published: a record that has one has a header of
#: its own, which should say when
_PUBLICATION_LABELS = {"source", "publisher", "published by", "printer", "recorded", "interview"}
#: the lines whose year, where it is the folder's, dates the record: those, and the page's title
_DATING_LABELS = _PUBLICATION_LABELS | {PAGE_TITLE}


def _undated_with_a_header(doc: DocFacts) -> Iterator[Finding]:
    """A record with a header of its own (a source, a publisher) but no date in it, which the
    archive files under a year or a month or names after a day (``600120.htm``): the archive
    knew when, the record does not say (a line that holds the folder's year does say, and so
    does the page's own title: :func:`_folder_year_in_header`). A file named after its day
    (``71_04_17.htm``, as the Marx-Engels letters are) is dated by the archive's convention
    whether or not the record has a header, and a year does not stand in for its day. The
    suggestion is the year, month or day the path gives, with the path as evidence."""
    cited = next((f for f in doc.fields if fold_label(f.name) in _PUBLICATION_LABELS), None)
    found = path_date(doc.path)
    # a file named after its day ("71_04_17.htm", as the Marx-Engels letters are) dates the
    # record by the archive's own convention, header or not
    day = named_day(doc.path, found)
    if cited is None and day is None:
        return
    if day is None and _folder_year_in_header(doc):
        return  # (a year is no day: a file named after one still lacks it)
    if day is not None:
        name = doc.path.rsplit("/", 1)[-1]
        value, shown = human(day), f"{found[2]}/{name}" if found else name
    elif found is not None and found[1] is not None:
        value, shown = f"{calendar.month_name[found[1]]} {found[0]}", found[2]
    elif found is not None:
        value, shown = str(found[0]), found[2]
    else:
        return
    if found is not None and any(
        d.earliest is not None and d.earliest.year <= found[0] <= d.latest.year
        for d in doc.set_aside.values()
        if d.latest is not None
    ):
        return  # its citation's bare year is the folder's: dated, if only to the year
    said = f" (its {cited.name} line: “{cited.value[:80].strip()}”)" if cited else ""
    yield missing_field.finding(
        doc,
        f"no date of writing or publication is read from the header{said}, though the archive "
        f"files it under {shown}" + (f" ({value})" if value != shown else ""),
        (
            Evidence("date", "", None, None),
            *((Evidence(cited.name, cited.value, cited.start, cited.end),) if cited else ()),
            Evidence("path", shown, None, None),
        ),
        Suggestion(
            "date",
            value,
            f"the date the archive files the page under ({shown}); whether it is the date of "
            "writing or of publication, the record does not say",
            confidence=0.4,
        ),
        severity="info",
    )


# -- a header field its template always has --------------------------------------------------

#: the header fields a record's siblings are compared on (canonical labels, see ``header.py``)
HEADER_FIELDS = ("written", "first published", "source")
#: labels that say nothing of a header's template (every page has them, or only some)
_NOT_TEMPLATE = {"page title", "meta author", "notes"}
#: a record's other header fields must be at least this many for its template to be told …
MIN_TEMPLATE = 3
#: … and at least this many other pages of its collection must have them all, …
MIN_SIBLINGS = 3
#: … nearly all of which (this share: six in seven) have the field the record lacks
TEMPLATE_HABIT = 0.85


def header_label(name: str) -> str:
    """A header label as the template comparison sees it: canonical ("Transcription\\HTML
    Markup" → "transcription"), a "Date" line taken for a "Written" one."""
    label = canonical_label(name) or fold_label(name)
    return "written" if label == "date" else label


def _templates(archive: ArchiveFacts) -> dict[str, list[tuple[DocFacts, frozenset[str]]]]:
    """For each collection: its records (not index pages) and the header labels of each."""
    if "templates" in archive.memo:
        return archive.memo["templates"]  # type: ignore[no-any-return]
    out: dict[str, list[tuple[DocFacts, frozenset[str]]]] = {}
    for d in archive.docs.values():
        if d.path.rsplit("/", 1)[-1].lower().startswith("index."):
            continue
        labels = frozenset(header_label(f.name) for f in d.fields) - _NOT_TEMPLATE
        out.setdefault(collection(d.path), []).append((d, labels))
    archive.memo["templates"] = out
    return out


def _missing_from_its_header(doc: DocFacts, archive: ArchiveFacts) -> Iterator[Finding]:
    """A header field (Written, First Published, Source) that the record lacks, though nearly
    every other page of its collection with the same header lines has it.

    Volunteers transcribe a collection page by page from one template ("Written:", "First
    Published:", "Transcription/HTML Markup:", "Public Domain:"), so a page whose other header
    lines (at least three) match the template but that lacks one line of it, where at least
    six in seven of at least three other pages of the collection having all its lines also have
    that one (one page lacking it among seven is let pass: it may have lost it too), has most
    likely lost it. The evidence is those pages' lines; for a missing
    Written line, the date under the title is suggested when the pages that have both give
    the same date in each. Reported as ``info``: a page may rightly lack a date of writing.
    """
    if doc.path.rsplit("/", 1)[-1].lower().startswith("index."):
        return
    mine = frozenset(header_label(f.name) for f in doc.fields) - _NOT_TEMPLATE
    if len(mine) < MIN_TEMPLATE:
        return
    # (this record is among the pages with all its lines, and lacks the line wanted)
    everyone, with_line = _with_lines(archive, collection(doc.path), mine)
    siblings = everyone - 1
    if siblings < MIN_SIBLINGS:
        return
    for wanted in HEADER_FIELDS:
        if wanted in mine:
            continue
        having = with_line[wanted]
        if len(having) < TEMPLATE_HABIT * siblings:
            continue
        lines = ", ".join(sorted(f.name for f in doc.fields if header_label(f.name) in mine))
        shown = wanted.title()
        yield missing_field.finding(
            doc,
            f"no {shown} line, which {len(having)} of the {siblings} other pages of "
            f"{collection(doc.path)} with the same header lines ({lines}) have",
            (Evidence(shown, "", None, None), *_sibling_lines(having, wanted)),
            _written_from_dateline(doc, having) if wanted == "written" else None,
            severity="info",
        )


def _with_lines(
    archive: ArchiveFacts, group: str, lines: frozenset[str]
) -> tuple[int, dict[str, list[DocFacts]]]:
    """How many pages of a collection have all these header lines, and which of them have each
    of :data:`HEADER_FIELDS` too (worked out once for each collection and set of lines)."""
    memo: dict[tuple[str, frozenset[str]], tuple[int, dict[str, list[DocFacts]]]]
    memo = archive.memo.setdefault("with-lines", {})
    if (group, lines) not in memo:
        pages = [(d, labels) for d, labels in _templates(archive).get(group, []) if lines <= labels]
        having = {w: [d for d, labels in pages if w in labels] for w in HEADER_FIELDS}
        memo[(group, lines)] = (len(pages), having)
    return memo[(group, lines)]


def _sibling_lines(pages: list[DocFacts], wanted: str, limit: int = 3) -> list[Evidence]:
    out = []
    for d in pages[:limit]:
        f = next(f for f in d.fields if header_label(f.name) == wanted)
        out.append(Evidence(f.name, f.value[:120], f.start, f.end, d.path, d.id))
    return out


def _written_from_dateline(doc: DocFacts, having: list[DocFacts]) -> Suggestion | None:
    """The date under the title as the missing Written line, where every page of the template
    with both gives the same date in each (at least three of them)."""
    line = doc.dates.get("dateline")
    if line is None or line.earliest is None:
        return None
    pairs = [
        (w, d)
        for p in having
        if (w := p.dates.get("written")) is not None and (d := p.dates.get("dateline")) is not None
    ]
    if len(pairs) < 3 or any((w.earliest, w.latest) != (d.earliest, d.latest) for w, d in pairs):
        return None
    value = line.text.strip(" ()[].")
    return Suggestion(
        "Written",
        value,
        f"the date under the title; the {len(pairs)} other pages of this template that have both "
        "give the same date under their title as in their Written line",
        confidence=0.6,
    )
