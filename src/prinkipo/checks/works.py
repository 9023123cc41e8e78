"""Rules on a record against the other records of its own work: a book's chapters, the speeches
of one congress, the parts of one pamphlet, kept together in one folder.

The pages of one work are typed one by one, and their headers repeat the same date ("MARCH 6-8,
1918" on every speech of the Seventh Congress): where the others agree, the odd one out carries a
slip of the pen, and the others say what it should be.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import date

from prinkipo.checks.dates import date_named, folder_of
from prinkipo.checks.facts import ArchiveFacts, DateFact, DocFacts
from prinkipo.checks.fixes import overlaps, slip_fix
from prinkipo.checks.registry import Evidence, Finding, rule

#: the roles whose dates a work's pages share
SHARED_ROLES = ("dateline", "written", "delivered", "published")
#: at least this many other pages of the folder must give a date of that role …
MIN_SIBLINGS = 4
#: … and at least this share of them the very same one
CONSENSUS = 0.75


Span = tuple[date, date]


def _consensus(archive: ArchiveFacts) -> dict[tuple[str, str], tuple[Span, int, list[DocFacts]]]:
    """For each folder and role: the date most of its pages give, how many give a date of that
    role, and the pages that give it (worked out once)."""
    if "work-dates" in archive.memo:
        return archive.memo["work-dates"]  # type: ignore[no-any-return]
    spans: dict[tuple[str, str], list[tuple[Span, DocFacts]]] = {}
    for d in archive.docs.values():
        for role in SHARED_ROLES:
            f = d.dates.get(role)
            if f is None or f.earliest is None or f.latest is None:
                continue
            spans.setdefault((folder_of(d.path), role), []).append(((f.earliest, f.latest), d))
    out: dict[tuple[str, str], tuple[Span, int, list[DocFacts]]] = {}
    for key, items in spans.items():
        if len(items) <= MIN_SIBLINGS:
            continue
        ((top, _),) = Counter(s for s, _ in items).most_common(1)
        out[key] = (top, len(items), [d for s, d in items if s == top])
    archive.memo["work-dates"] = out
    return out


@rule("work-date-mismatch", "warning")
def work_date_mismatch(doc: DocFacts, archive: ArchiveFacts) -> Iterator[Finding]:
    """A page's date disagrees with the date the other pages of its work all give.

    The pages of one work kept in one folder (a book's chapters, a congress's speeches) often
    repeat one date in their headers. Where at least three in four of at least four other pages
    of the folder give the very same date (of writing, of delivery, of publication, or under
    the title; the others may carry slips of their own, as two of the Seventh Congress's pages
    say 1910) and this page gives another, which a one-digit slip or a day and month read the
    wrong way round would turn into theirs, this page's date is reported with theirs as the fix.
    A date that no slip explains is left alone: a chapter may rightly have a date of its own.
    """
    table = _consensus(archive)
    folder = folder_of(doc.path)
    reported = False
    for role in SHARED_ROLES:
        mine = doc.dates.get(role)
        found = table.get((folder, role))
        if mine is None or mine.earliest is None or mine.latest is None or found is None:
            continue
        (lo, hi), n, agreeing = found
        others = [d for d in agreeing if d.id != doc.id]
        if n - 1 < MIN_SIBLINGS or len(others) < CONSENSUS * (n - 1):
            continue
        if overlaps(mine.earliest, mine.latest, lo, hi):
            continue
        fix = slip_fix(
            mine.field,
            mine.text,
            lambda s: overlaps(s.earliest, s.latest, lo, hi),  # noqa: B023 (used at once)
            lambda s: f"{s.how} gives the date the other pages of this work give",
            0.75,
        )
        if fix is None:
            continue
        theirs = others[0].dates[role]
        text = mine.text.rstrip(" .;,")
        reported = True
        yield work_date_mismatch.finding(
            doc,
            f"its {_said(mine)} is {text}, but {len(others)} of the {n - 1} other pages in "
            f"{folder} give {theirs.text.rstrip(' .;,')}",
            (
                _own(mine),
                *(_other(d, role) for d in others[:3]),
            ),
            fix,
        )

    if not reported:
        yield from _neighbours_agree(doc, archive)


def _neighbours_agree(doc: DocFacts, archive: ArchiveFacts) -> Iterator[Finding]:
    """The date under a numbered page's title differs from the very date the pages either side
    of it both give (the two before it, for the last page; the two after, for the first), by a
    slip that turns it into theirs: "ch05" of The Civil War in France dated "May, 1873" between
    "ch04" and "ch06", both "May, 1871"."""
    placed = _place_in_work(doc, archive)
    if placed is None:
        return
    pages, at = placed
    mine = pages[at][1]
    if at == 0:
        near = pages[1:3]
    elif at == len(pages) - 1:
        near = pages[-3:-1]
    else:
        near = [pages[at - 1], pages[at + 1]]
    spans = {(line.earliest, line.latest) for _, line in near}
    if len(near) < 2 or len(spans) != 1:
        return
    ((lo, hi),) = spans
    assert mine.earliest is not None and mine.latest is not None and lo and hi
    if overlaps(mine.earliest, mine.latest, lo, hi):
        return
    found = _consensus(archive).get((folder_of(doc.path), "dateline"))
    if found is not None and overlaps(mine.earliest, mine.latest, *found[0]):
        return  # it gives the date most of the work's pages give: its neighbours are the odd ones
    fix = slip_fix(
        mine.field,
        mine.text,
        lambda s: (s.earliest, s.latest) == (lo, hi),
        lambda s: f"{s.how} gives the date the pages either side of it give",
        0.6,
    )
    if fix is None:
        return
    name = doc.path.rsplit("/", 1)[-1]
    text = mine.text.rstrip(" .;,")
    shown = " and ".join(d.path.rsplit("/", 1)[-1] for d, _ in near)
    yield work_date_mismatch.finding(
        doc,
        f"{name} is dated {text} under its title, but the pages beside it in its work, {shown}, "
        f"both give {near[0][1].text.rstrip(' .;,')}",
        (
            _own(mine),
            *(_other(d, "dateline") for d, _ in near),
        ),
        fix,
    )


def _own(d: DateFact) -> Evidence:
    """A page's own date as evidence, its span without the punctuation that closes it."""
    text = d.text.rstrip(" .;,")
    return Evidence(d.field, text, d.start, d.start + len(text))


def _said(d: DateFact) -> str:
    return "date under the title" if d.role == "dateline" else f"{d.field} date"


def _other(doc: DocFacts, role: str) -> Evidence:
    d = doc.dates[role]
    return Evidence(d.field, d.text, d.start, d.end, doc.path, doc.id)


#: a page's number in its work: the digits closing its file name ("rol11.htm", "ch07.htm")
_PAGE_NUMBER = re.compile(r"^(\D*?)(\d{1,3})([a-z]?)\.[a-z]+$", re.I)
#: a work's numbered pages must give at least this many dates under their titles
MIN_ORDERED = 5


def _page_order(path: str) -> tuple[str, int, str] | None:
    m = _PAGE_NUMBER.match(path.rsplit("/", 1)[-1])
    return (m.group(1).lower(), int(m.group(2)), m.group(3).lower()) if m else None


def _ordered_pages(archive: ArchiveFacts) -> dict[str, list[tuple[DocFacts, DateFact]]]:
    """For each work folder: its numbered pages that give a date under their title, in page
    order (only where the pages share one prefix: "rol01" … "rol29")."""
    if "ordered-pages" in archive.memo:
        return archive.memo["ordered-pages"]  # type: ignore[no-any-return]
    folders: dict[str, list[tuple[tuple[str, int, str], DocFacts, DateFact]]] = {}
    for d in archive.docs.values():
        order = _page_order(d.path)
        line = d.dates.get("dateline")
        if order is None or line is None or line.earliest is None or line.latest is None:
            continue
        if date_named(folder_of(d.path)):
            continue  # "1933/10/x01.htm": numbered as filed, not in order of time
        folders.setdefault(folder_of(d.path), []).append((order, d, line))
    out = {}
    for folder, pages in folders.items():
        if len({o[0] for o, _, _ in pages}) == 1 and len(pages) >= MIN_ORDERED:
            out[folder] = [(d, line) for _, d, line in sorted(pages, key=lambda p: p[0])]
    archive.memo["ordered-pages"] = out
    return out


def _place_in_work(
    doc: DocFacts, archive: ArchiveFacts
) -> tuple[list[tuple[DocFacts, DateFact]], int] | None:
    """The numbered pages of the record's work, and where the record is among them."""
    pages = _ordered_pages(archive).get(folder_of(doc.path))
    at = next((n for n, (d, _) in enumerate(pages or []) if d.id == doc.id), None)
    return None if pages is None or at is None else (pages, at)


def _before(a: DateFact, b: DateFact) -> bool:
    """``a`` wholly after ``b``, though its page comes first."""
    assert a.earliest is not None and b.latest is not None
    return a.earliest > b.latest


@rule("work-date-order", "warning")
def work_date_order(doc: DocFacts, archive: ArchiveFacts) -> Iterator[Finding]:
    """A numbered page's date is out of order with the dates of its work's other pages.

    The chapters of a memoir or a history ("rol01" … "rol29", "ch01" …) often carry under
    their titles the years they tell of, in order. Where at least five numbered pages of a work
    give such dates and every pair of the other pages is in order, a page whose date comes
    before an earlier page's (or after a later page's), at least two of them, is out of order:
    its date is suspect. The fix is the one slip, if exactly one, that puts it back in order.
    """
    placed = _place_in_work(doc, archive)
    if placed is None:
        return
    pages, at = placed
    mine = pages[at][1]
    others = [(n, line) for n, (d, line) in enumerate(pages) if n != at]
    if any(_before(a, b) for (i, a) in others for (j, b) in others if i < j):
        return  # the other pages are not in order among themselves: no order to learn
    wrong = [
        (n, line) for n, line in others if (_before(line, mine) if n < at else _before(mine, line))
    ]
    if len(wrong) < 2:
        return
    assert mine.earliest is not None and mine.latest is not None
    earlier = [line for n, line in others if n < at]
    later = [line for n, line in others if n > at]
    lo = max((x.earliest for x in earlier if x.earliest), default=date.min)
    hi = min((x.latest for x in later if x.latest), default=date.max)
    fix = slip_fix(
        mine.field,
        mine.text,
        lambda s: s.latest >= lo and s.earliest <= hi,
        lambda s: f"{s.how} puts it back in order between the pages before and after it",
        0.5,
    )
    name = doc.path.rsplit("/", 1)[-1]
    text = mine.text.rstrip(" .;,")
    first = wrong[0][1]
    yield work_date_order.finding(
        doc,
        f"{name} is dated {text}, out of order with {len(wrong)} other numbered pages of its "
        f"work (such as {pages[wrong[0][0]][0].path.rsplit('/', 1)[-1]}, dated "
        f"{first.text.rstrip(' .;,')}); the other pages are all in order",
        (
            _own(mine),
            *(_other(pages[n][0], "dateline") for n, _ in wrong[:3]),
        ),
        fix,
    )
